// Package sockettest holds what the socket packages' tests share: a loop
// run for the length of a test, waiting on the loop, signal recorders, and
// descriptor and goroutine counts for leak checks. Only tests import it.
package sockettest

import (
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/qsock/qsock/engine"
	"github.com/qsock/qsock/socket"
)

// RunLoop returns a loop that a goroutine runs until the test ends.
func RunLoop(t testing.TB) *engine.Loop {
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

// Until runs fn on the loop until it reports true, failing the test after
// 10 s.
func Until(t testing.TB, l *engine.Loop, what string, fn func() bool) {
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

// OpenFDs counts the process's descriptors (skipping without /proc).
func OpenFDs(t testing.TB) int {
	t.Helper()
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skipf("no /proc/self/fd: %v", err)
	}
	return len(ents)
}

// SettledGoroutines waits up to 2 s for the goroutine count to fall to
// want and returns the count.
func SettledGoroutines(want int) int {
	n := runtime.NumGoroutine()
	for i := 0; i < 400 && n > want; i++ {
		time.Sleep(5 * time.Millisecond)
		n = runtime.NumGoroutine()
	}
	return n
}

// Recorder logs signals as strings, in the order they came.
type Recorder struct{ Log []string }

// Add appends one entry.
func (r *Recorder) Add(s string) { r.Log = append(r.Log, s) }

// Reset empties the log.
func (r *Recorder) Reset() { r.Log = nil }

// Check fails the test with a diff unless the log is want.
func (r *Recorder) Check(t testing.TB, what string, want ...string) {
	t.Helper()
	if d := cmp.Diff(want, r.Log); d != "" {
		t.Fatalf("%s: signal sequence (-want +got):\n%s", what, d)
	}
}

// RecordSocket connects r to the signals every socket has: hostFound,
// connected, disconnected, state:<State>, error:<SocketError>,
// aboutToClose and readChannelFinished.
func RecordSocket(r *Recorder, s *socket.AbstractSocket) *Recorder {
	s.HostFound.Connect(func() { r.Add("hostFound") })
	s.Connected.Connect(func() { r.Add("connected") })
	s.Disconnected.Connect(func() { r.Add("disconnected") })
	s.StateChanged.Connect(func(st socket.State) { r.Add("state:" + st.String()) })
	s.ErrorOccurred.Connect(func(err socket.SocketError) { r.Add("error:" + err.String()) })
	s.AboutToClose.Connect(func() { r.Add("aboutToClose") })
	s.ReadChannelFinished.Connect(func() { r.Add("readChannelFinished") })
	return r
}
