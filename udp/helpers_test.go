package udp_test

import (
	"fmt"
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/qsock/qsock/internal/sockettest"

	"github.com/qsock/qsock/engine"
	"github.com/qsock/qsock/socket"
	"github.com/qsock/qsock/udp"
)

type events = sockettest.Recorder

var (
	newLoop           = sockettest.RunLoop
	until             = sockettest.Until
	openFDs           = sockettest.OpenFDs
	settledGoroutines = sockettest.SettledGoroutines
)

func record(s *udp.Socket) *events {
	e := sockettest.RecordSocket(&events{}, s.AbstractSocket)
	s.ReadyRead.Connect(func() { e.Add("readyRead") })
	s.BytesWritten.Connect(func(n int64) { e.Add(fmt.Sprintf("bytesWritten:%d", n)) })
	return e
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
