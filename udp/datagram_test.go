package udp_test

import (
	"net/netip"
	"testing"

	"github.com/qsock/qsock/udp"
)

// QNetworkDatagram: a default datagram is null; the constructor sets the
// destination and leaves the hop limit unset; makeReply swaps the ends
// unless the request went to a multicast or broadcast address.
func TestDatagramValue(t *testing.T) {
	if (udp.Datagram{}).IsValid() || !(udp.Datagram{}).IsNull() {
		t.Error("zero Datagram is valid")
	}
	d := udp.NewDatagram([]byte("x"), netip.MustParseAddr("10.0.0.1"), 9)
	if !d.IsValid() || d.HopLimit != -1 || d.Destination != netip.MustParseAddrPort("10.0.0.1:9") || d.Sender.IsValid() {
		t.Errorf("NewDatagram = %+v", d)
	}
	if n := udp.NewDatagram(nil, netip.Addr{}, 9); n.IsValid() {
		t.Errorf("NewDatagram without an address is valid: %+v", n)
	}
	for _, tc := range []struct {
		dst        string
		wantSource bool
	}{
		{"10.0.0.2:45454", true},
		{"[::ffff:10.0.0.2]:45454", true},
		{"239.255.43.21:45454", false},
		{"[ff12::2115]:45454", false},
		{"255.255.255.255:45454", false},
	} {
		req := udp.Datagram{
			Data:           []byte("q"),
			Sender:         netip.MustParseAddrPort("10.0.0.1:5000"),
			Destination:    netip.MustParseAddrPort(tc.dst),
			HopLimit:       63,
			InterfaceIndex: 4,
		}
		r := req.MakeReply([]byte("a"))
		if string(r.Data) != "a" || r.Destination != req.Sender || r.InterfaceIndex != 4 || r.HopLimit != -1 {
			t.Errorf("MakeReply of a datagram to %s = %+v", tc.dst, r)
		}
		if got := r.Sender.IsValid(); got != tc.wantSource || (got && r.Sender != req.Destination) {
			t.Errorf("MakeReply of a datagram to %s: source %v", tc.dst, r.Sender)
		}
		// Qt clears only the address: the source port stays the port
		// the request reached.
		if r.Sender.Port() != 45454 {
			t.Errorf("MakeReply of a datagram to %s: source port %d, want 45454", tc.dst, r.Sender.Port())
		}
	}
}
