package udp

import (
	"errors"
	"net"
	"net/netip"

	"golang.org/x/sys/unix"

	"github.com/qsock/qsock/socket"
)

// multicastTransport is the multicast part of a transport.
type multicastTransport interface {
	Domain() int
	JoinMulticastGroup(group netip.Addr, ifIndex int) error
	LeaveMulticastGroup(group netip.Addr, ifIndex int) error
	MulticastInterface() (int, error)
	SetMulticastInterface(ifIndex int) error
}

var (
	errNotMulticast = errors.New("not a multicast address")
	errFamily4      = errors.New("an IPv4 group needs a socket bound to AnyIPv4 or an IPv4 address, not Any or IPv6")
	errFamily6      = errors.New("an IPv6 group needs a socket bound to an IPv6 address or Any")
)

// JoinMulticastGroup joins group on iface, or on the interface the system
// picks when iface is nil (QUdpSocket::joinMulticastGroup). The socket
// must be bound, and to the group's family, as in Qt: an IPv4 group needs
// a socket bound to AnyIPv4 (or an IPv4 address), not to Any; an IPv6
// group an IPv6 or dual-stack one. Receivers usually bind with
// ShareAddress|ReuseAddressHint so that several may share the port.
//
// A system failure sets the socket's error (without ErrorOccurred, as Qt)
// and is returned: errors.Is matches the SocketError and the errno.
func (s *Socket) JoinMulticastGroup(group netip.Addr, iface *net.Interface) error {
	return s.membership("joinMulticastGroup", group, iface, true)
}

// LeaveMulticastGroup leaves a group joined with JoinMulticastGroup
// (QUdpSocket::leaveMulticastGroup); pass the same arguments as to the
// join.
func (s *Socket) LeaveMulticastGroup(group netip.Addr, iface *net.Interface) error {
	return s.membership("leaveMulticastGroup", group, iface, false)
}

func (s *Socket) membership(op string, group netip.Addr, iface *net.Interface, join bool) error {
	mt, err := s.multicast(op)
	if err != nil {
		return err
	}
	if !group.IsValid() || !group.Unmap().IsMulticast() {
		return &socket.Error{Code: socket.UnsupportedSocketOperationError, Op: op, Err: errNotMulticast}
	}
	// Qt refuses these combinations on every platform, with a warning
	// and without touching the socket's error.
	v4 := group.Unmap().Is4()
	switch {
	case v4 && (mt.Domain() != unix.AF_INET):
		return &socket.Error{Code: socket.UnsupportedSocketOperationError, Op: op, Err: errFamily4}
	case !v4 && mt.Domain() != unix.AF_INET6:
		return &socket.Error{Code: socket.UnsupportedSocketOperationError, Op: op, Err: errFamily6}
	}
	if join {
		err = mt.JoinMulticastGroup(group, ifIndex(iface))
	} else {
		err = mt.LeaveMulticastGroup(group, ifIndex(iface))
	}
	if err != nil {
		// QNativeSocketEngine's multicastMembershipHelper: these two
		// errnos have their own codes, everything else is unknown.
		code, msg := socket.UnknownSocketError, "Unknown error"
		switch {
		case errors.Is(err, unix.ENOPROTOOPT):
			code, msg = socket.UnsupportedSocketOperationError, "The protocol type is not supported"
		case errors.Is(err, unix.EADDRNOTAVAIL):
			code, msg = socket.SocketAddressNotAvailableError, "The address is not available"
		}
		s.SetSocketError(code, msg)
		return &socket.Error{Code: code, Op: op, Err: err}
	}
	return nil
}

// MulticastInterface returns the interface outgoing multicast leaves by
// (QUdpSocket::multicastInterface): nil when none was set or the socket is
// not bound, as Qt returns an invalid QNetworkInterface.
func (s *Socket) MulticastInterface() *net.Interface {
	mt, err := s.multicast("multicastInterface")
	if err != nil {
		return nil
	}
	idx, err := mt.MulticastInterface()
	if err != nil || idx == 0 {
		return nil
	}
	ifi, err := net.InterfaceByIndex(idx)
	if err != nil {
		return nil
	}
	return ifi
}

// SetMulticastInterface sets the interface outgoing multicast leaves by
// (QUdpSocket::setMulticastInterface; IP_MULTICAST_IF or
// IPV6_MULTICAST_IF); nil gives the choice back to the system. The socket
// must be bound: Qt ignores the call otherwise, qsock returns
// OperationError.
func (s *Socket) SetMulticastInterface(iface *net.Interface) error {
	mt, err := s.multicast("setMulticastInterface")
	if err != nil {
		return err
	}
	if err := mt.SetMulticastInterface(ifIndex(iface)); err != nil {
		code, _ := codeOf(err)
		return &socket.Error{Code: code, Op: "setMulticastInterface", Err: err}
	}
	return nil
}

// multicast returns the transport's multicast side, once the socket is
// bound or connected (Qt's QT_CHECK_BOUND).
func (s *Socket) multicast(op string) (multicastTransport, error) {
	dt := s.transport()
	if dt == nil {
		return nil, notBound(op, s.State())
	}
	mt, ok := dt.(multicastTransport)
	if !ok {
		return nil, &socket.Error{Code: socket.UnsupportedSocketOperationError, Op: op, Err: errors.ErrUnsupported}
	}
	return mt, nil
}

func ifIndex(iface *net.Interface) int {
	if iface == nil {
		return 0
	}
	return iface.Index
}
