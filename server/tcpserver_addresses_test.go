package server_test

import (
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/qsock/qsock/socket"
	"github.com/qsock/qsock/tcp"
)

// ends is what an accepted socket reports of its two ends.
type ends struct {
	Local, Peer netip.AddrPort
}

func endsOf(c *tcp.Socket) ends {
	return ends{
		netip.AddrPortFrom(c.LocalAddress(), c.LocalPort()),
		netip.AddrPortFrom(c.PeerAddress(), c.PeerPort()),
	}
}

// An accepted socket reports the client's address and port as its peer
// and the address the client reached as its own, whichever way the server
// makes it: on its own loop, on a worker loop for a handler, or on a
// worker loop and queued. A dual-stack server sees an IPv4 client
// v4-mapped, as Qt's does.
func TestAcceptedSocketAddresses(t *testing.T) {
	cases := []struct {
		name    string
		listen  netip.Addr
		dial    string
		mapped  bool
		group   bool
		handler bool
	}{
		{"IPv4 queued", socket.LocalHost, "127.0.0.1", false, false, false},
		{"IPv4 handler", socket.LocalHost, "127.0.0.1", false, false, true},
		{"IPv4 worker handler", socket.LocalHost, "127.0.0.1", false, true, true},
		{"IPv4 worker queued", socket.LocalHost, "127.0.0.1", false, true, false},
		{"IPv6 worker handler", socket.LocalHostIPv6, "::1", false, true, true},
		{"dual-stack", socket.Any, "127.0.0.1", true, false, false},
		{"dual-stack worker handler", socket.Any, "127.0.0.1", true, true, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			loop := newLoop(t)
			srv, port := listen(t, loop, tc.listen)
			got := make(chan ends, 1)
			do(loop, func() {
				if tc.group {
					srv.SetLoopGroup(newGroup(t, 2))
				}
				if tc.handler {
					srv.SetHandler(func(c *tcp.Socket) { got <- endsOf(c) })
					return
				}
				srv.NewConnection.Connect(func() {
					c := srv.NextPendingConnection()
					if c.Loop() == loop {
						got <- endsOf(c)
						return
					}
					c.Loop().Invoke(func() { got <- endsOf(c) })
				})
			})
			conn := dial(t, tc.dial, port)
			client := conn.LocalAddr().(*net.TCPAddr).AddrPort()
			server := conn.RemoteAddr().(*net.TCPAddr).AddrPort()
			want := ends{Local: server, Peer: client}
			if tc.mapped {
				want = ends{
					Local: netip.AddrPortFrom(netip.AddrFrom16(server.Addr().As16()), server.Port()),
					Peer:  netip.AddrPortFrom(netip.AddrFrom16(client.Addr().As16()), client.Port()),
				}
			}
			var g ends
			select {
			case g = <-got:
			case <-time.After(5 * time.Second):
				t.Fatal("no connection")
			}
			if diff := cmp.Diff(want, g, cmp.Comparer(func(a, b netip.AddrPort) bool { return a == b })); diff != "" {
				t.Errorf("accepted socket's ends (-want +got):\n%s", diff)
			}
		})
	}
}
