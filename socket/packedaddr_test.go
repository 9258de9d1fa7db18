package socket

import (
	"net/netip"
	"testing"
)

// A packed address gives back exactly the netip.Addr it was made from,
// zone and IPv4-mapped form included, and the socket's setters and
// getters keep them that way.
func TestPackedAddrRoundTrip(t *testing.T) {
	for _, a := range []netip.Addr{
		{}, // Any
		AnyIPv4,
		AnyIPv6,
		LocalHost,
		LocalHostIPv6,
		Broadcast,
		netip.MustParseAddr("::ffff:192.0.2.7"),
		netip.MustParseAddr("2001:db8::1"),
		netip.MustParseAddr("fe80::1%eth0"),
	} {
		p, zone := packAddr(a)
		if got := p.addr(zone); got != a {
			t.Errorf("packAddr(%v) gives back %v", a, got)
		}
		s := NewAbstractSocket(TCPSocket, nil)
		s.SetLocalAddress(a)
		s.SetPeerAddress(a)
		if s.LocalAddress() != a || s.PeerAddress() != a {
			t.Errorf("set %v: LocalAddress %v, PeerAddress %v", a, s.LocalAddress(), s.PeerAddress())
		}
	}
}
