package local_test

import (
	"testing"
	"time"

	"github.com/qsock/qsock/internal/sockettest"

	"github.com/qsock/qsock/local"
	"github.com/qsock/qsock/socket"
)

type events = sockettest.Recorder

// record logs a local socket's signals, with QLocalSocket's error names.
func record(s *local.Socket) *events {
	e := &events{}
	s.Connected.Connect(func() { e.Add("connected") })
	s.Disconnected.Connect(func() { e.Add("disconnected") })
	s.StateChanged.Connect(func(st socket.State) { e.Add("state:" + st.String()) })
	s.ErrorOccurred.Connect(func(err socket.SocketError) { e.Add("error:" + local.ErrorName(err)) })
	s.AboutToClose.Connect(func() { e.Add("aboutToClose") })
	s.ReadChannelFinished.Connect(func() { e.Add("readChannelFinished") })
	return e
}

var (
	newLoop           = sockettest.RunLoop
	until             = sockettest.Until
	openFDs           = sockettest.OpenFDs
	settledGoroutines = sockettest.SettledGoroutines
)

// tmpdir points TMPDIR at a fresh directory for the test, so names that
// are not paths land there and nothing collides or is left behind.
func tmpdir(t testing.TB) string {
	t.Helper()
	d := t.TempDir()
	t.Setenv("TMPDIR", d)
	return d
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
