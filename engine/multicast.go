package engine

import (
	"net"
	"net/netip"

	"golang.org/x/sys/unix"
)

// JoinMulticastGroup joins group on interface ifIndex (0: the kernel's
// choice). An IPv6 group needs an AF_INET6 socket (else EAFNOSUPPORT); an
// IPv4 group uses the IPv4 level, which Linux also accepts on a dual-stack
// AF_INET6 socket. A v4-mapped group is taken as IPv4.
func (e *NativeEngine) JoinMulticastGroup(group netip.Addr, ifIndex int) error {
	return e.membership(group, ifIndex, true)
}

// LeaveMulticastGroup leaves a group joined with JoinMulticastGroup; the
// arguments must match the join's.
func (e *NativeEngine) LeaveMulticastGroup(group netip.Addr, ifIndex int) error {
	return e.membership(group, ifIndex, false)
}

func (e *NativeEngine) membership(group netip.Addr, ifIndex int, join bool) error {
	group = group.Unmap()
	switch {
	case !group.IsValid() || !group.IsMulticast():
		return opErr("setsockopt", unix.EINVAL)
	case group.Is4():
		return opErr("setsockopt", ipv4Membership(int(e.fd), group.As4(), ifIndex, join))
	case e.domain != unix.AF_INET6:
		return opErr("setsockopt", unix.EAFNOSUPPORT)
	}
	name := unix.IPV6_JOIN_GROUP
	if !join {
		name = unix.IPV6_LEAVE_GROUP
	}
	mreq := &unix.IPv6Mreq{Multiaddr: group.As16(), Interface: uint32(ifIndex)}
	return opErr("setsockopt", sysSetsockoptIPv6Mreq(int(e.fd), unix.IPPROTO_IPV6, name, mreq))
}

// SetMulticastInterface chooses the interface outgoing multicast leaves
// by (0: the kernel's choice).
func (e *NativeEngine) SetMulticastInterface(ifIndex int) error {
	if e.domain == unix.AF_INET6 {
		return opErr("setsockopt", sysSetsockoptInt(int(e.fd), unix.IPPROTO_IPV6, unix.IPV6_MULTICAST_IF, ifIndex))
	}
	return opErr("setsockopt", setIPv4MulticastIf(int(e.fd), ifIndex))
}

// MulticastInterface returns the outgoing multicast interface (0: unset).
// For IPv4 the kernel reports an address, which is mapped back to its
// interface as Qt does; an interface without an IPv4 address reads as 0.
func (e *NativeEngine) MulticastInterface() (int, error) {
	if e.domain == unix.AF_INET6 {
		v, err := sysGetsockoptInt(int(e.fd), unix.IPPROTO_IPV6, unix.IPV6_MULTICAST_IF)
		if err != nil {
			return 0, opErr("getsockopt", err)
		}
		return v, nil
	}
	a, err := sysGetsockoptInet4Addr(int(e.fd), unix.IPPROTO_IP, unix.IP_MULTICAST_IF)
	if err != nil {
		return 0, opErr("getsockopt", err)
	}
	if a == ([4]byte{}) {
		return 0, nil
	}
	return interfaceByIPv4(netip.AddrFrom4(a)), nil
}

// interfaceIPv4 returns the first IPv4 address of interface ifIndex, the
// only way to name an interface to ip_mreq-era IPv4 options; 0 and an
// interface without one give the unspecified address.
func interfaceIPv4(ifIndex int) ([4]byte, error) {
	if ifIndex == 0 {
		return [4]byte{}, nil
	}
	ifi, err := net.InterfaceByIndex(ifIndex)
	if err != nil {
		return [4]byte{}, unix.ENXIO
	}
	addrs, err := ifi.Addrs()
	if err != nil {
		return [4]byte{}, unix.ENXIO
	}
	for _, a := range addrs {
		if ipn, ok := a.(*net.IPNet); ok {
			if ip4 := ipn.IP.To4(); ip4 != nil {
				return [4]byte(ip4), nil
			}
		}
	}
	return [4]byte{}, nil
}

// interfaceByIPv4 finds the interface that holds a, or 0.
func interfaceByIPv4(a netip.Addr) int {
	ifs, err := net.Interfaces()
	if err != nil {
		return 0
	}
	for _, ifi := range ifs {
		addrs, err := ifi.Addrs()
		if err != nil {
			continue
		}
		for _, x := range addrs {
			if ipn, ok := x.(*net.IPNet); ok {
				if b, ok := netip.AddrFromSlice(ipn.IP); ok && b.Unmap() == a {
					return ifi.Index
				}
			}
		}
	}
	return 0
}
