package tcp_test

import (
	"fmt"
	"net"
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/qsock/qsock/engine"
	"github.com/qsock/qsock/socket"
	"github.com/qsock/qsock/tcp"
)

// events records a socket's signals as strings, in order.
type events struct{ log []string }

func record(s *tcp.Socket) *events {
	e := &events{}
	s.HostFound.Connect(func() { e.add("hostFound") })
	s.Connected.Connect(func() { e.add("connected") })
	s.Disconnected.Connect(func() { e.add("disconnected") })
	s.StateChanged.Connect(func(st socket.State) { e.add("state:" + st.String()) })
	s.ErrorOccurred.Connect(func(err socket.SocketError) { e.add("error:" + err.String()) })
	s.AboutToClose.Connect(func() { e.add("aboutToClose") })
	s.ReadChannelFinished.Connect(func() { e.add("readChannelFinished") })
	return e
}

func (e *events) add(s string) { e.log = append(e.log, s) }

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

// listener is a real loopback peer written with Go's net package.
func listener(t testing.TB) (net.Listener, uint16) {
	t.Helper()
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	return ln, uint16(ln.Addr().(*net.TCPAddr).Port)
}

// closedPort returns a loopback port nobody listens on.
func closedPort(t testing.TB) uint16 {
	ln, port := listener(t)
	ln.Close()
	return port
}

func accept(t testing.TB, ln net.Listener) net.Conn {
	t.Helper()
	ln.(*net.TCPListener).SetDeadline(time.Now().Add(10 * time.Second))
	c, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
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

func addr(port uint16) string { return fmt.Sprintf("127.0.0.1:%d", port) }
