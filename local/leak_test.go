package local_test

import (
	"os"
	"testing"
	"time"

	"github.com/qsock/qsock/local"
)

// 1,000 connect/disconnect cycles leave no descriptor, goroutine or
// socket file behind.
func TestNoLeaks(t *testing.T) {
	dir := tmpdir(t)
	loop := newLoop(t)
	g0 := settledGoroutines(0)
	fd0 := openFDs(t)
	srv := local.NewServer(loop)
	accepted := 0
	loop.Invoke(func() {
		srv.NewConnection.Connect(func() {
			for c := srv.NextPendingConnection(); c != nil; c = srv.NextPendingConnection() {
				accepted++
				c.Disconnected.Connect(func() {}) // a slot that keeps nothing
				c.WriteString("x")
				c.DisconnectFromServer()
			}
		})
		if err := srv.Listen("leak"); err != nil {
			t.Fatal(err)
		}
	})
	const cycles = 1000
	for i := range cycles {
		c := local.NewSocket(nil)
		c.ConnectToServer("leak")
		if c.State() != local.ConnectedState {
			t.Fatalf("cycle %d: %s", i, c.ErrorString())
		}
		for c.State() == local.ConnectedState && c.WaitForReadyRead(5*time.Second) {
		}
		if i%2 == 0 {
			c.DisconnectFromServer()
		} else {
			c.Abort()
		}
	}
	until(t, loop, "every connection accepted", func() bool { return accepted == cycles })
	loop.Invoke(srv.Close)
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Fatalf("files left in TMPDIR: %v", ents)
	}
	time.Sleep(20 * time.Millisecond)
	if fd := openFDs(t); fd > fd0 {
		t.Fatalf("descriptors: %d before, %d after", fd0, fd)
	}
	if g := settledGoroutines(g0); g > g0 {
		t.Fatalf("goroutines: %d before, %d after", g0, g)
	}
}
