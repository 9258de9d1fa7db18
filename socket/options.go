package socket

import (
	"errors"
	"fmt"
	"net/netip"

	"golang.org/x/sys/unix"

	"github.com/qsock/qsock/engine"
)

func engineOption(o Option) (engine.Option, bool) {
	switch o {
	case LowDelayOption:
		return engine.LowDelayOption, true
	case KeepAliveOption:
		return engine.KeepAliveOption, true
	case MulticastTTLOption:
		return engine.MulticastTTLOption, true
	case MulticastLoopbackOption:
		return engine.MulticastLoopbackOption, true
	case TypeOfServiceOption:
		return engine.TypeOfServiceOption, true
	case SendBufferSizeSocketOption:
		return engine.SendBufferOption, true
	case ReceiveBufferSizeSocketOption:
		return engine.ReceiveBufferOption, true
	case PathMTUSocketOption:
		return engine.PathMTUOption, true
	}
	return 0, false
}

// SetSocketOption sets a socket option (QAbstractSocket::setSocketOption).
// Before the socket has a descriptor, Qt drops the value silently; qsock
// keeps it and applies it when the descriptor is created (by Bind,
// ConnectToHost or SetSocketDescriptor), and SocketOption reports it
// meanwhile.
func (s *AbstractSocket) SetSocketOption(o Option, v int) error {
	eo, ok := engineOption(o)
	if !ok {
		return &Error{Code: UnsupportedSocketOperationError, Op: "setsockopt", Err: fmt.Errorf("unknown option %d", int(o))}
	}
	if s.tr == nil {
		x := s.extra()
		if x.options == nil {
			x.options = make(map[Option]int)
		}
		x.options[o] = v
		return nil
	}
	if err := s.tr.SetOption(eo, v); err != nil {
		return wrapErr("setsockopt", err)
	}
	if s.x != nil && s.x.options != nil {
		s.x.options[o] = v
	}
	return nil
}

func (s *AbstractSocket) applyOption(o Option, v int) {
	if eo, ok := engineOption(o); ok {
		s.tr.SetOption(eo, v)
	}
}

// SocketOption returns the value of a socket option as the kernel reports
// it (QAbstractSocket::socketOption). Without a descriptor it returns the
// value set for later, or an error.
func (s *AbstractSocket) SocketOption(o Option) (int, error) {
	eo, ok := engineOption(o)
	if !ok {
		return 0, &Error{Code: UnsupportedSocketOperationError, Op: "getsockopt", Err: fmt.Errorf("unknown option %d", int(o))}
	}
	if s.tr == nil {
		if v, ok := s.presetOption(o); ok {
			return v, nil
		}
		return 0, &Error{Code: UnsupportedSocketOperationError, Op: "getsockopt", Err: ErrNotOpen}
	}
	v, err := s.tr.Option(eo)
	if err != nil {
		return 0, wrapErr("getsockopt", err)
	}
	return v, nil
}

// Bind binds the socket to addr and port (QAbstractSocket::bind): for UDP
// to receive, for TCP to choose the local end of a later ConnectToHost.
// Any (the zero Addr) is dual-stack, AnyIPv4 and AnyIPv6 one family each.
// On Unix, ShareAddress and ReuseAddressHint set SO_REUSEADDR, as in Qt.
// On success the state is Bound and StateChanged(BoundState) is emitted;
// on failure the error is reported through ErrorOccurred and returned, and
// the descriptor is kept until Close or Abort. A socket already bound
// stays bound where it is: a second Bind fails with UnknownSocketError
// ("Unknown error"), as Qt's does. A datagram
// socket resolves its proxy first, as Qt does: one that cannot tunnel UDP
// (an HTTP application proxy) fails the bind with
// UnsupportedSocketOperationError; through a SOCKS5 proxy the bind asks
// for a UDP relay and waits up to 5 seconds for it, as Qt's does, and the
// socket then reports no local address or port (the peers see the
// relay's), as in Qt.
func (s *AbstractSocket) Bind(addr netip.Addr, port uint16, mode BindMode) error {
	if s.State() == BoundState {
		// Qt's engine binds only from UnconnectedState and reports its
		// unset error: the socket stays bound where it was.
		err := &Error{Code: UnknownSocketError, Op: "bind", Err: errors.New("socket is already bound")}
		s.setErrorAndEmit(UnknownSocketError, UnknownSocketError.Error(), err)
		return err
	}
	if s.State() != UnconnectedState {
		err := &Error{Code: OperationError, Op: "bind", Err: fmt.Errorf("socket is in %v", s.State())}
		s.setErrorAndEmit(OperationError, "Trying to bind while the socket is in use", err)
		return err
	}
	viaSocks5 := false
	if s.isUDP() {
		// Qt resolves the proxy before it makes the engine: a datagram
		// socket needs one that tunnels UDP, so an HTTP application
		// proxy makes the bind fail, and a SOCKS5 one relays.
		if err := s.resolveProxy("bind", "", port); err != nil {
			return err
		}
		if viaSocks5 = s.x != nil && s.x.via != nil; viaSocks5 && addr == Any {
			addr = AnyIPv4 // SOCKS5 has no dual stack; Qt binds IPv4
		}
	}
	s.releaseTransport()
	domain, v6only := unix.AF_INET6, 0
	switch {
	case addr.Is4():
		domain = unix.AF_INET
	case addr == AnyIPv6:
		v6only = 1
	}
	sotype := unix.SOCK_STREAM
	if s.isUDP() {
		sotype = unix.SOCK_DGRAM
	}
	e, err := engine.NewNativeEngine(domain, sotype)
	if err != nil && addr == Any && errors.Is(err, unix.EAFNOSUPPORT) {
		// A host without IPv6: Any falls back to IPv4, as in Qt.
		domain = unix.AF_INET
		e, err = engine.NewNativeEngine(domain, sotype)
	}
	if err != nil {
		return s.bindFailed(err)
	}
	if err := s.attach(e); err != nil {
		e.Close()
		return s.bindFailed(err)
	}
	if domain == unix.AF_INET6 {
		e.SetOption(engine.IPv6OnlyOption, v6only)
	}
	reuse := 0
	if mode&(ShareAddress|ReuseAddressHint) != 0 {
		reuse = 1
	}
	e.SetOption(engine.ReuseAddressOption, reuse)
	if s.isUDP() {
		datagramOptions(e)
	}
	if err := e.Bind(netip.AddrPortFrom(addr, port)); err != nil {
		return s.bindFailed(err)
	}
	if viaSocks5 {
		if err := s.associate(e); err != nil {
			s.releaseTransport()
			code, msg := codeOf(err)
			s.setErrorAndEmit(code, msg, err)
			return &Error{Code: code, Op: "bind", Err: err}
		}
	}
	s.fetchAddresses()
	if addr == Any {
		s.SetLocalAddress(Any)
	}
	// Binding does not open the device: Qt's bound sockets report
	// openMode NotOpen until they connect.
	s.setState(BoundState)
	if s.isUDP() {
		s.setNotify(true, false)
	}
	return nil
}

func (s *AbstractSocket) bindFailed(err error) error {
	code, msg := codeOf(err)
	s.setErrorAndEmit(code, msg, err)
	return wrapErr("bind", err)
}

// SetSocketDescriptor adopts fd, a socket descriptor in state st (normally
// ConnectedState), opened ReadWrite (QAbstractSocket::setSocketDescriptor).
// The buffers are cleared and the addresses read from the descriptor;
// StateChanged is emitted if the state changes, but Connected is not, as in
// Qt. An invalid descriptor fails with UnsupportedSocketOperationError. On
// success the socket owns fd; on failure fd stays the caller's, open.
func (s *AbstractSocket) SetSocketDescriptor(fd int, st State) error {
	e, err := engine.AdoptNativeEngine(fd)
	if err != nil {
		s.setError(UnsupportedSocketOperationError, "Invalid socket descriptor", err)
		return &Error{Code: UnsupportedSocketOperationError, Op: "setSocketDescriptor", Err: err}
	}
	return s.AdoptTransport(e, st)
}

// AdoptTransport is SetSocketDescriptor for a transport made elsewhere:
// a server's accepted connection (engine.AcceptedEngine, which needs no
// system call to describe its descriptor) or a proxy engine. On failure
// the transport is left to the caller.
func (s *AbstractSocket) AdoptTransport(t Transport, st State) error {
	return s.adopt(t, st, netip.AddrPort{})
}

// AdoptAccepted is AdoptTransport in ConnectedState for a connection a
// server accepted, with the peer's address as accept reported it: the
// kernel is not asked for it again. An invalid peer is read from t, as
// AdoptTransport reads it.
func (s *AbstractSocket) AdoptAccepted(t Transport, peer netip.AddrPort) error {
	return s.adopt(t, ConnectedState, peer)
}

func (s *AbstractSocket) adopt(t Transport, st State, peer netip.AddrPort) error {
	s.cancelLookup()
	s.releaseTransport()
	s.resetBuffers()
	if err := s.attach(t); err != nil {
		s.setError(SocketResourceError, "", err)
		return wrapErr("setSocketDescriptor", err)
	}
	s.openMode = uint8(ReadWrite)
	s.flags &^= flagPendingClose | flagAbortCalled
	s.SetPeerName("")
	if peer.IsValid() {
		s.fetchLocalAddress()
		s.SetPeerAddress(peer.Addr())
		s.peerPort = peer.Port()
	} else {
		s.fetchAddresses()
	}
	if s.State() != st {
		s.setState(st)
	}
	s.setNotify(s.readWanted(), false)
	return nil
}

// datagramOptions is what Qt's native engine turns on for every UDP
// socket: broadcast, and the per-datagram destination address, interface
// and hop limit that ReceiveDatagram reports.
func datagramOptions(e *engine.NativeEngine) {
	e.SetOption(engine.BroadcastOption, 1)
	e.SetOption(engine.ReceivePacketInfoOption, 1)
	e.SetOption(engine.ReceiveHopLimitOption, 1)
}

// presetOption returns an option set before the descriptor existed.
func (s *AbstractSocket) presetOption(o Option) (int, bool) {
	if s.x == nil {
		return 0, false
	}
	v, ok := s.x.options[o]
	return v, ok
}

// presetOptions returns the options set before the descriptor existed.
func (s *AbstractSocket) presetOptions() map[Option]int {
	if s.x == nil {
		return nil
	}
	return s.x.options
}
