package server_test

import (
	"io"
	"net"
	"net/netip"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/qsock/qsock/internal/sockettest"

	"github.com/qsock/qsock/engine"
	"github.com/qsock/qsock/server"
	"github.com/qsock/qsock/socket"
	"github.com/qsock/qsock/tcp"
)

type events = sockettest.Recorder

var (
	newLoop           = sockettest.RunLoop
	until             = sockettest.Until
	openFDs           = sockettest.OpenFDs
	settledGoroutines = sockettest.SettledGoroutines
)

// listen makes a server on loop listening on addr with an ephemeral port.
func listen(t testing.TB, loop *engine.Loop, addr netip.Addr) (*server.TCPServer, uint16) {
	t.Helper()
	srv := server.NewTCPServer(loop)
	var port uint16
	do(loop, func() {
		if err := srv.Listen(addr, 0); err != nil {
			t.Fatalf("Listen(%v): %v", addr, err)
		}
		port = srv.ServerPort()
	})
	t.Cleanup(func() { do(loop, srv.Close) })
	return srv, port
}

// do runs fn on loop, or right here for a nil loop.
func do(loop *engine.Loop, fn func()) {
	if loop == nil {
		fn()
		return
	}
	loop.Invoke(fn)
}

// dial connects a Go net client to host:port.
func dial(t testing.TB, host string, port uint16) net.Conn {
	t.Helper()
	c, err := net.DialTimeout("tcp", net.JoinHostPort(host, strconv.Itoa(int(port))), 5*time.Second)
	if err != nil {
		t.Fatalf("dial %s:%d: %v", host, port, err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// echo makes c (on its own loop) write back what it reads.
func echo(c *tcp.Socket) {
	c.ReadyRead.Connect(func() { c.Write(c.ReadAll()) })
}

// roundTrip writes msg on conn and expects it back.
func roundTrip(t testing.TB, conn net.Conn, msg string) {
	t.Helper()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := conn.Write([]byte(msg)); err != nil {
		t.Fatalf("write: %v", err)
	}
	buf := make([]byte, len(msg))
	if _, err := io.ReadFull(conn, buf); err != nil || string(buf) != msg {
		t.Fatalf("echo of %q: %q, %v", msg, buf, err)
	}
}

// expectClosed checks that the server side of conn went away: EOF or a
// reset, not a time-out.
func expectClosed(t testing.TB, conn net.Conn) {
	t.Helper()
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, err := conn.Read(make([]byte, 1))
	if err == nil {
		t.Fatal("read from a dropped connection returned data")
	}
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Fatal("dropped connection still open: read timed out")
	}
}

// settle waits for goroutines of finished clients to go, then reports the
// count.
func settle(max int) int {
	n := runtime.NumGoroutine()
	for i := 0; i < 200 && n > max; i++ {
		time.Sleep(5 * time.Millisecond)
		n = runtime.NumGoroutine()
	}
	return n
}

// record logs the server's signals, in order.
func record(srv *server.TCPServer, log *[]string) {
	srv.PendingConnectionAvailable.Connect(func() { *log = append(*log, "pendingConnectionAvailable") })
	srv.NewConnection.Connect(func() { *log = append(*log, "newConnection") })
	srv.AcceptError.Connect(func(e socket.SocketError) { *log = append(*log, "acceptError:"+e.String()) })
}
