package socket

import "net/netip"

// QHostAddress's special addresses (QHostAddress::SpecialAddress) as
// netip.Addr values. They are variables only because a netip.Addr cannot be
// a constant: never assign to them.
var (
	// Any is QHostAddress::Any, "any address of either version": binding or
	// listening on it gives one dual-stack socket on [::] that also accepts
	// IPv4. It is the zero netip.Addr, distinct under == from AnyIPv4 and
	// AnyIPv6, and it is what LocalAddress/ServerAddress report for a
	// dual-stack bind (Qt's Any also prints as "0.0.0.0" but keeps
	// protocol() == AnyIPProtocol; Any.String() here is "invalid IP").
	Any netip.Addr

	// AnyIPv4 is QHostAddress::AnyIPv4, 0.0.0.0: any address, IPv4 only.
	AnyIPv4 = netip.IPv4Unspecified()

	// AnyIPv6 is QHostAddress::AnyIPv6, "::": any address, IPv6 only
	// (IPV6_V6ONLY set).
	AnyIPv6 = netip.IPv6Unspecified()

	// LocalHost is QHostAddress::LocalHost, 127.0.0.1.
	LocalHost = netip.AddrFrom4([4]byte{127, 0, 0, 1})

	// LocalHostIPv6 is QHostAddress::LocalHostIPv6, ::1.
	LocalHostIPv6 = netip.IPv6Loopback()

	// Broadcast is QHostAddress::Broadcast, 255.255.255.255.
	Broadcast = netip.AddrFrom4([4]byte{255, 255, 255, 255})
)

// Protocol returns the IP version of a, like QHostAddress::protocol: Any
// (the zero Addr) gives AnyIPProtocol, an IPv4 address IPv4Protocol, and an
// IPv6 address IPv6Protocol, v4-mapped ones (::ffff:1.2.3.4) included, as
// Qt keeps them IPv6.
func Protocol(a netip.Addr) NetworkLayerProtocol {
	switch {
	case !a.IsValid():
		return AnyIPProtocol
	case a.Is4():
		return IPv4Protocol
	default:
		return IPv6Protocol
	}
}

// EqualAddr reports whether a and b are the same host address under Qt's
// default comparison, QHostAddress::isEqual(other, TolerantConversion),
// where == is Qt's strict operator==. Across IP versions, an IPv6 address
// whose first 64 bits are zero is converted the way Qt converts it: the
// v4-mapped ::ffff:a.b.c.d and the v4-compatible ::a.b.c.d equal a.b.c.d,
// :: equals 0.0.0.0, and ::1 equals 127.0.0.1. Any equals itself, 0.0.0.0
// and ::. Two IPv6 addresses compare by their 128 bits alone, ignoring the
// zone, as Qt ignores the scope id.
func EqualAddr(a, b netip.Addr) bool {
	switch {
	case !a.IsValid() || !b.IsValid():
		if a.IsValid() {
			return a.WithZone("").IsUnspecified()
		}
		return !b.IsValid() || b.WithZone("").IsUnspecified()
	case a.Is4() && b.Is4():
		return a == b
	case a.Is6() && b.Is6():
		return a.As16() == b.As16()
	case a.Is6():
		a, b = b, a
	}
	// a is IPv4 and b IPv6 now.
	v4, ok := tolerantIPv4(b)
	return ok && v4 == a
}

// tolerantIPv4 converts an IPv6 address to IPv4 as QHostAddress's
// convertToIpv4 does under TolerantConversion.
func tolerantIPv4(a netip.Addr) (netip.Addr, bool) {
	b := a.As16()
	for _, x := range b[:8] {
		if x != 0 {
			return netip.Addr{}, false
		}
	}
	v4 := netip.AddrFrom4([4]byte(b[12:]))
	switch [4]byte(b[8:12]) {
	case [4]byte{0, 0, 0xff, 0xff}: // v4-mapped
		return v4, true
	case [4]byte{}:
		if v4 == netip.AddrFrom4([4]byte{0, 0, 0, 1}) {
			return netip.AddrFrom4([4]byte{127, 0, 0, 1}), true // ::1 is 127.0.0.1, not 0.0.0.1
		}
		return v4, true // :: is 0.0.0.0; others are v4-compatible
	}
	return netip.Addr{}, false
}
