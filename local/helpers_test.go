package local_test

import (
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/qsock/qsock/engine"
	"github.com/qsock/qsock/local"
	"github.com/qsock/qsock/socket"
)

// events records a socket's signals as strings, in order.
type events struct{ log []string }

func record(s *local.Socket) *events {
	e := &events{}
	s.Connected.Connect(func() { e.add("connected") })
	s.Disconnected.Connect(func() { e.add("disconnected") })
	s.StateChanged.Connect(func(st socket.State) { e.add("state:" + st.String()) })
	s.ErrorOccurred.Connect(func(err socket.SocketError) { e.add("error:" + local.ErrorName(err)) })
	s.AboutToClose.Connect(func() { e.add("aboutToClose") })
	s.ReadChannelFinished.Connect(func() { e.add("readChannelFinished") })
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

// tmpdir points TMPDIR at a fresh directory for the test, so names that
// are not paths land there and nothing collides or is left behind.
func tmpdir(t testing.TB) string {
	t.Helper()
	d := t.TempDir()
	t.Setenv("TMPDIR", d)
	return d
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

// listen starts a blocking-style server on name and closes it at the end.
func listen(t testing.TB, name string) *local.Server {
	t.Helper()
	srv := local.NewServer(nil)
	if err := srv.Listen(name); err != nil {
		t.Fatalf("Listen(%q): %v", name, err)
	}
	t.Cleanup(srv.Close)
	return srv
}

// accept takes the next connection of a blocking-style server.
func accept(t testing.TB, srv *local.Server) *local.Socket {
	t.Helper()
	if ok, _ := srv.WaitForNewConnection(10 * time.Second); !ok {
		t.Fatalf("no connection: %v %s", srv.ServerError(), srv.ErrorString())
	}
	c := srv.NextPendingConnection()
	if c == nil {
		t.Fatal("NextPendingConnection: nil")
	}
	t.Cleanup(c.Abort)
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
