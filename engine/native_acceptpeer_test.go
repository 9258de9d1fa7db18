package engine_test

import (
	"net/netip"
	"testing"

	"github.com/qsock/qsock/engine"
	"golang.org/x/sys/unix"
)

// AcceptPeer reports what getpeername would: the client's address and
// port, v4-mapped on a dual-stack listener, nothing for a Unix-domain
// peer.
func TestAcceptPeer(t *testing.T) {
	checkLeaks(t)
	cases := []struct {
		name           string
		listen, client int
		bind           netip.Addr
		dial           netip.Addr
	}{
		{"IPv4", unix.AF_INET, unix.AF_INET, loopbackAddr(unix.AF_INET), loopbackAddr(unix.AF_INET)},
		{"IPv6", unix.AF_INET6, unix.AF_INET6, netip.IPv6Loopback(), netip.IPv6Loopback()},
		{"dual-stack", unix.AF_INET6, unix.AF_INET, netip.IPv6Unspecified(), loopbackAddr(unix.AF_INET)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			l := newTestEngine(t, tc.listen, unix.SOCK_STREAM)
			if err := l.Bind(netip.AddrPortFrom(tc.bind, 0)); err != nil {
				t.Fatal(err)
			}
			if err := l.Listen(4); err != nil {
				t.Fatal(err)
			}
			c := newTestEngine(t, tc.client, unix.SOCK_STREAM)
			if err := connectWait(t, c, netip.AddrPortFrom(tc.dial, localAddr(t, l).Port())); err != nil {
				t.Fatal(err)
			}
			waitReadable(t, l)
			fd, peer, err := l.AcceptPeer()
			if err != nil {
				t.Fatalf("AcceptPeer: %v", err)
			}
			s := adoptFD(t, fd)
			want, err := s.PeerAddr()
			if err != nil {
				t.Fatal(err)
			}
			if peer != want {
				t.Errorf("AcceptPeer peer = %v, getpeername says %v", peer, want)
			}
			if cl := localAddr(t, c); peer.Port() != cl.Port() || peer.Addr().Unmap() != cl.Addr().Unmap() {
				t.Errorf("AcceptPeer peer = %v, client is bound to %v", peer, cl)
			}
			if _, _, err := l.AcceptPeer(); err != engine.ErrWouldBlock {
				t.Errorf("AcceptPeer on an empty queue: %v, want ErrWouldBlock", err)
			}
		})
	}
	t.Run("Unix", func(t *testing.T) {
		l, _ := unixListenerAndClient(t, t.TempDir()+"/s")
		waitReadable(t, l)
		fd, peer, err := l.AcceptPeer()
		if err != nil {
			t.Fatalf("AcceptPeer: %v", err)
		}
		adoptFD(t, fd)
		if peer.IsValid() {
			t.Errorf("AcceptPeer on a Unix-domain listener: peer %v, want none", peer)
		}
	})
}
