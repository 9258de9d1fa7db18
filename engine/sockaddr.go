package engine

import (
	"net"
	"net/netip"
	"strconv"
	"unsafe"

	"golang.org/x/sys/unix"
)

// familyAddr converts ap to the form a socket of domain accepts, as Qt's
// engine does before bind/connect/sendto: an invalid address means the
// unspecified address of the socket's own family, an IPv4 address on an
// AF_INET6 (dual-stack) socket becomes v4-mapped, and a v4-mapped address on
// an AF_INET socket is unmapped. An IPv6 address on an AF_INET socket is
// EAFNOSUPPORT, which is what the kernel would say.
func familyAddr(domain int, ap netip.AddrPort) (netip.AddrPort, error) {
	a := ap.Addr()
	switch domain {
	case unix.AF_INET:
		switch {
		case !a.IsValid():
			a = netip.IPv4Unspecified()
		case a.Is4In6():
			a = a.Unmap()
		case a.Is6():
			return ap, unix.EAFNOSUPPORT
		}
	case unix.AF_INET6:
		switch {
		case !a.IsValid():
			a = netip.IPv6Unspecified()
		case a.Is4():
			a = netip.AddrFrom16(a.As16())
		}
	default:
		return ap, unix.EAFNOSUPPORT
	}
	return netip.AddrPortFrom(a, ap.Port()), nil
}

// toSockaddr builds the x/sys sockaddr for bind and connect, where one
// allocation per call does not matter.
func toSockaddr(domain int, ap netip.AddrPort) (unix.Sockaddr, error) {
	ap, err := familyAddr(domain, ap)
	if err != nil {
		return nil, err
	}
	if domain == unix.AF_INET {
		return &unix.SockaddrInet4{Port: int(ap.Port()), Addr: ap.Addr().As4()}, nil
	}
	scope, err := zoneToScope(ap.Addr().Zone())
	if err != nil {
		return nil, err
	}
	return &unix.SockaddrInet6{Port: int(ap.Port()), Addr: ap.Addr().As16(), ZoneId: scope}, nil
}

// fromSockaddr converts what getsockname/getpeername report. A v4-mapped
// address stays mapped: Qt shows ::ffff:127.0.0.1 for a peer of a
// dual-stack server, and the socket layer decides whether to unmap.
func fromSockaddr(sa unix.Sockaddr) netip.AddrPort {
	switch sa := sa.(type) {
	case *unix.SockaddrInet4:
		return netip.AddrPortFrom(netip.AddrFrom4(sa.Addr), uint16(sa.Port))
	case *unix.SockaddrInet6:
		a := netip.AddrFrom16(sa.Addr)
		if sa.ZoneId != 0 {
			a = a.WithZone(scopeToZone(sa.ZoneId))
		}
		return netip.AddrPortFrom(a, uint16(sa.Port))
	}
	return netip.AddrPort{}
}

// putRawSockaddr writes ap into the engine's own raw sockaddr for sendmsg,
// without allocating, and returns its length.
func putRawSockaddr(rsa *unix.RawSockaddrAny, domain int, ap netip.AddrPort) (uint32, error) {
	ap, err := familyAddr(domain, ap)
	if err != nil {
		return 0, err
	}
	if domain == unix.AF_INET {
		sa := (*unix.RawSockaddrInet4)(unsafe.Pointer(rsa))
		*sa = unix.RawSockaddrInet4{Family: unix.AF_INET, Addr: ap.Addr().As4()}
		setLen4(sa)
		putPort(&sa.Port, ap.Port())
		return unix.SizeofSockaddrInet4, nil
	}
	scope, err := zoneToScope(ap.Addr().Zone())
	if err != nil {
		return 0, err
	}
	sa := (*unix.RawSockaddrInet6)(unsafe.Pointer(rsa))
	*sa = unix.RawSockaddrInet6{Family: unix.AF_INET6, Addr: ap.Addr().As16(), Scope_id: scope}
	setLen6(sa)
	putPort(&sa.Port, ap.Port())
	return unix.SizeofSockaddrInet6, nil
}

// rawToAddrPort reads the sender recvmsg stored in rsa, without
// allocating (link-local zones below 100 are strconv's static strings).
func rawToAddrPort(rsa *unix.RawSockaddrAny) netip.AddrPort {
	switch rsa.Addr.Family {
	case unix.AF_INET:
		sa := (*unix.RawSockaddrInet4)(unsafe.Pointer(rsa))
		return netip.AddrPortFrom(netip.AddrFrom4(sa.Addr), getPort(&sa.Port))
	case unix.AF_INET6:
		sa := (*unix.RawSockaddrInet6)(unsafe.Pointer(rsa))
		a := netip.AddrFrom16(sa.Addr)
		if sa.Scope_id != 0 {
			a = a.WithZone(scopeToZone(sa.Scope_id))
		}
		return netip.AddrPortFrom(a, getPort(&sa.Port))
	}
	return netip.AddrPort{}
}

// putPort stores a port in network byte order, whatever the host order.
func putPort(p *uint16, port uint16) {
	b := (*[2]byte)(unsafe.Pointer(p))
	b[0], b[1] = byte(port>>8), byte(port)
}

func getPort(p *uint16) uint16 {
	b := (*[2]byte)(unsafe.Pointer(p))
	return uint16(b[0])<<8 | uint16(b[1])
}

// scopeToZone names a scope by its interface index. Qt prints the
// interface name, but that costs a lookup per datagram; the index is just
// as valid a zone for netip and for zoneToScope.
func scopeToZone(id uint32) string { return strconv.FormatUint(uint64(id), 10) }

// zoneToScope accepts a numeric zone or an interface name.
func zoneToScope(zone string) (uint32, error) {
	if zone == "" {
		return 0, nil
	}
	if n, err := strconv.ParseUint(zone, 10, 32); err == nil {
		return uint32(n), nil
	}
	ifi, err := net.InterfaceByName(zone)
	if err != nil {
		return 0, unix.ENXIO
	}
	return uint32(ifi.Index), nil
}
