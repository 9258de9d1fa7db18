package udp_test

import (
	"fmt"
	"net/netip"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/qsock/qsock/internal/netnstest"

	"golang.org/x/sys/unix"

	"github.com/qsock/qsock/engine"
	"github.com/qsock/qsock/socket"
	"github.com/qsock/qsock/udp"
)

// netnsPair is two network namespaces joined by a veth pair: A's v0 is
// 10.77.0.1/24, B's v1 10.77.0.2/24, both with multicast, a default route
// and IPv6 link-local addresses, so broadcast and multicast really cross
// a link.
type netnsPair struct{ a, b string }

// newNetnsPair creates the namespaces or skips, saying what is missing.
func newNetnsPair(t *testing.T) *netnsPair {
	t.Helper()
	a, b := netnstest.Pair(t, "broadcast/multicast end to end")
	return &netnsPair{a: a, b: b}
}

// loopIn returns a loop whose goroutine lives in namespace ns, so the
// sockets its callbacks and Invoke create belong there.
func loopIn(t *testing.T, ns string) *engine.Loop {
	t.Helper()
	l, err := engine.NewLoop()
	if err != nil {
		t.Fatal(err)
	}
	entered := make(chan error, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		// The thread is never unlocked: it dies with the goroutine
		// rather than return to the scheduler inside another namespace.
		runtime.LockOSThread()
		f, err := os.Open("/var/run/netns/" + ns)
		if err == nil {
			err = unix.Setns(int(f.Fd()), unix.CLONE_NEWNET)
			f.Close()
		}
		entered <- err
		if err == nil {
			l.Run()
		}
	}()
	if err := <-entered; err != nil {
		l.Close()
		t.Skipf("cannot enter network namespace %s: %v", ns, err)
	}
	t.Cleanup(func() { l.Quit(); <-done; l.Close() })
	return l
}

// collect binds a receiver on l and gathers "payload from sender" lines.
type collector struct {
	lines []string
}

func TestBroadcastEndToEnd(t *testing.T) {
	n := newNetnsPair(t)
	la, lb := loopIn(t, n.a), loopIn(t, n.b)
	var r, s *udp.Socket
	var got collector
	lb.Invoke(func() {
		r = udp.NewSocket(lb)
		if err := r.Bind(socket.Any, 45454, socket.ShareAddress); err != nil {
			t.Error(err)
			return
		}
		r.ReadyRead.Connect(func() {
			for r.HasPendingDatagrams() {
				d, err := r.ReceiveDatagram(-1)
				if err == nil {
					got.lines = append(got.lines, fmt.Sprintf("%s from %v to %v", d.Data, d.Sender.Addr().Unmap(), d.Destination.Addr().Unmap()))
				}
			}
		})
	})
	defer lb.Invoke(r.Close)
	for _, to := range []netip.Addr{socket.Broadcast, netip.MustParseAddr("10.77.0.255")} {
		la.Invoke(func() {
			if s == nil {
				s = udp.NewSocket(la)
			}
			// No set-up: Qt's broadcastsender never binds nor sets
			// SO_BROADCAST itself.
			if _, err := s.WriteDatagram([]byte("Broadcast message 1"), to, 45454); err != nil {
				t.Errorf("broadcast to %v: %v", to, err)
				return
			}
		})
	}
	defer la.Invoke(s.Close)
	until(t, lb, "two broadcasts", func() bool { return len(got.lines) == 2 })
	lb.Invoke(func() {
		want := []string{
			"Broadcast message 1 from 10.77.0.1 to 255.255.255.255",
			"Broadcast message 1 from 10.77.0.1 to 10.77.0.255",
		}
		if strings.Join(got.lines, "\n") != strings.Join(want, "\n") {
			t.Errorf("received\n%s\nwant\n%s", strings.Join(got.lines, "\n"), strings.Join(want, "\n"))
		}
	})
}

func TestMulticastEndToEnd(t *testing.T) {
	n := newNetnsPair(t)
	la, lb := loopIn(t, n.a), loopIn(t, n.b)
	var r4, r6, s4, s6 *udp.Socket
	var got collector
	lb.Invoke(func() {
		r4, r6 = udp.NewSocket(lb), udp.NewSocket(lb)
		for _, c := range []struct {
			s     *udp.Socket
			bind  netip.Addr
			group netip.Addr
		}{{r4, socket.AnyIPv4, group4}, {r6, socket.AnyIPv6, group6}} {
			if err := c.s.Bind(c.bind, 45454, socket.ShareAddress|socket.ReuseAddressHint); err != nil {
				t.Error(err)
				return
			}
			if err := c.s.JoinMulticastGroup(c.group, nil); err != nil {
				t.Errorf("join %v: %v", c.group, err)
				return
			}
			s := c.s
			s.ReadyRead.Connect(func() {
				for s.HasPendingDatagrams() {
					d, err := s.ReceiveDatagram(-1)
					if err == nil {
						got.lines = append(got.lines, fmt.Sprintf("%s to %v hop %d", d.Data, d.Destination.Addr(), d.HopLimit))
					}
				}
			})
		}
	})
	defer lb.Invoke(func() { r4.Close(); r6.Close() })
	la.Invoke(func() {
		s4, s6 = udp.NewSocket(la), udp.NewSocket(la)
		if err := s4.Bind(socket.AnyIPv4, 0, 0); err != nil {
			t.Error(err)
			return
		}
		if err := s6.Bind(socket.AnyIPv6, s4.LocalPort(), 0); err != nil {
			t.Error(err)
			return
		}
		s4.SetSocketOption(socket.MulticastTTLOption, 3)
		if _, err := s4.WriteDatagram([]byte("Multicast message 1"), group4, 45454); err != nil {
			t.Error(err)
			return
		}
		if _, err := s6.WriteDatagram([]byte("Multicast message 1"), group6, 45454); err != nil {
			t.Error(err)
			return
		}
	})
	defer la.Invoke(func() { s4.Close(); s6.Close() })
	until(t, lb, "two multicasts", func() bool { return len(got.lines) == 2 })
	lb.Invoke(func() {
		want := "Multicast message 1 to 239.255.43.21 hop 3\nMulticast message 1 to ff12::2115 hop 1"
		if g := strings.Join(got.lines, "\n"); g != want {
			t.Errorf("received\n%s\nwant\n%s", g, want)
		}
	})
	// After leaving, nothing more arrives on IPv4.
	lb.Invoke(func() {
		if err := r4.LeaveMulticastGroup(group4, nil); err != nil {
			t.Error(err)
			return
		}
	})
	la.Invoke(func() { s4.WriteDatagram([]byte("late"), group4, 45454) })
	time.Sleep(100 * time.Millisecond)
	settle(lb)
	lb.Invoke(func() {
		if len(got.lines) != 2 {
			t.Errorf("datagram after leave: %v", got.lines[2:])
		}
	})
}
