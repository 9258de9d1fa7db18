package udp_test

import (
	"fmt"
	"net"
	"net/netip"
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/qsock/qsock/engine"
	"github.com/qsock/qsock/socket"
	"github.com/qsock/qsock/udp"
)

// events records a socket's signals as strings, in order.
type events struct{ log []string }

func record(s *udp.Socket) *events {
	e := &events{}
	s.HostFound.Connect(func() { e.add("hostFound") })
	s.Connected.Connect(func() { e.add("connected") })
	s.Disconnected.Connect(func() { e.add("disconnected") })
	s.StateChanged.Connect(func(st socket.State) { e.add("state:" + st.String()) })
	s.ErrorOccurred.Connect(func(err socket.SocketError) { e.add("error:" + err.String()) })
	s.AboutToClose.Connect(func() { e.add("aboutToClose") })
	s.ReadChannelFinished.Connect(func() { e.add("readChannelFinished") })
	s.ReadyRead.Connect(func() { e.add("readyRead") })
	s.BytesWritten.Connect(func(n int64) { e.add(fmt.Sprintf("bytesWritten:%d", n)) })
	return e
}

func (e *events) add(s string) { e.log = append(e.log, s) }

func (e *events) reset() { e.log = nil }

func (e *events) check(t *testing.T, what string, want ...string) {
	t.Helper()
	if d := cmp.Diff(want, e.log); d != "" {
		t.Fatalf("%s: signal sequence (-want +got):\n%s", what, d)
	}
}

// newLoop returns a loop that a goroutine runs until the test ends.
func newLoop(t testing.TB) *engine.Loop {
	t.Helper()
	l, err := engine.NewLoop()
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { defer close(done); l.Run() }()
	t.Cleanup(func() { l.Quit(); <-done; l.Close() })
	return l
}

// until runs fn on the loop until it reports true or the time runs out.
func until(t testing.TB, l *engine.Loop, what string, fn func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		var ok bool
		l.Invoke(func() { ok = fn() })
		if ok {
			return
		}
		time.Sleep(2 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s", what)
}

// settle lets the loop run a few turns, so that a signal that should not
// come has had its chance.
func settle(l *engine.Loop) {
	for range 5 {
		l.Invoke(func() {})
		time.Sleep(2 * time.Millisecond)
	}
}

// bound returns a blocking-style socket bound to addr, port 0, closed when
// the test ends.
func bound(t testing.TB, addr netip.Addr) *udp.Socket {
	t.Helper()
	s := udp.NewSocket(nil)
	if err := s.Bind(addr, 0, socket.DefaultForPlatform); err != nil {
		t.Fatalf("Bind(%v): %v", addr, err)
	}
	t.Cleanup(s.Close)
	return s
}

// peer is a real UDP peer written with Go's net package.
func peer(t testing.TB, network, addr string) *net.UDPConn {
	t.Helper()
	c, err := net.ListenPacket(network, addr)
	if err != nil {
		t.Skipf("%s %s: %v", network, addr, err)
	}
	t.Cleanup(func() { c.Close() })
	return c.(*net.UDPConn)
}

func portOf(c *net.UDPConn) uint16 { return uint16(c.LocalAddr().(*net.UDPAddr).Port) }

// recvFrom reads one datagram from a Go peer, failing after 5 s.
func recvFrom(t testing.TB, c *net.UDPConn) ([]byte, netip.AddrPort) {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	buf := make([]byte, 70000)
	n, ap, err := c.ReadFromUDPAddrPort(buf)
	if err != nil {
		t.Fatalf("peer read: %v", err)
	}
	return buf[:n], ap
}

// sendTo sends payloads from a Go peer to addr:port.
func sendTo(t testing.TB, c *net.UDPConn, addr netip.Addr, port uint16, payloads ...string) {
	t.Helper()
	for _, p := range payloads {
		if _, err := c.WriteToUDPAddrPort([]byte(p), netip.AddrPortFrom(addr, port)); err != nil {
			t.Fatalf("peer write: %v", err)
		}
	}
}

// waitPending blocks until s has a datagram pending (blocking style).
func waitPending(t testing.TB, s *udp.Socket) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !s.HasPendingDatagrams() {
		if time.Now().After(deadline) {
			t.Fatal("no datagram arrived")
		}
		time.Sleep(time.Millisecond)
	}
}

func openFDs(t testing.TB) int {
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skipf("no /proc/self/fd: %v", err)
	}
	return len(ents)
}

func settledGoroutines(want int) int {
	n := runtime.NumGoroutine()
	for i := 0; i < 200 && n > want; i++ {
		time.Sleep(5 * time.Millisecond)
		n = runtime.NumGoroutine()
	}
	return n
}

// loopbackIndex returns the loopback interface's index.
func loopbackIndex(t testing.TB) int {
	t.Helper()
	ifs, err := net.Interfaces()
	if err != nil {
		t.Skip(err)
	}
	for _, ifi := range ifs {
		if ifi.Flags&net.FlagLoopback != 0 {
			return ifi.Index
		}
	}
	t.Skip("no loopback interface")
	return 0
}
