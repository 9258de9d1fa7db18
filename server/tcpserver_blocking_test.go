package server_test

import (
	"context"
	"errors"
	"net"
	"os"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"github.com/qsock/qsock/server"
	"github.com/qsock/qsock/socket"
)

// waitForNewConnection without an event loop: it times out with
// (false, timedOut), and accepts with true, the signals fired on the
// caller's goroutine before it returns.
func TestWaitForNewConnectionBlocking(t *testing.T) {
	srv, port := listen(t, nil, socket.LocalHost)
	var log []string
	record(srv, &log)

	start := time.Now()
	ok, timedOut := srv.WaitForNewConnection(30 * time.Millisecond)
	if ok || !timedOut {
		t.Errorf("WaitForNewConnection with no client = %v, %v; want false, true", ok, timedOut)
	}
	if e := time.Since(start); e < 30*time.Millisecond || e > 2*time.Second {
		t.Errorf("the 30 ms wait took %v", e)
	}
	// Qt: the engine's time-out becomes the server's error.
	if srv.ServerError() != socket.SocketTimeoutError || srv.ErrorString() != "Network operation timed out" {
		t.Errorf("after the time-out: %v %q; want SocketTimeoutError, Network operation timed out",
			srv.ServerError(), srv.ErrorString())
	}
	if ok, timedOut := srv.WaitForNewConnection(0); ok || !timedOut {
		t.Errorf("WaitForNewConnection(0) with no client = %v, %v", ok, timedOut)
	}

	conn := dial(t, "127.0.0.1", port)
	ok, timedOut = srv.WaitForNewConnection(5 * time.Second)
	if !ok || timedOut {
		t.Fatalf("WaitForNewConnection with a client = %v, %v", ok, timedOut)
	}
	if d := cmp.Diff([]string{"pendingConnectionAvailable", "newConnection"}, log); d != "" {
		t.Errorf("signals during the wait (-want +got):\n%s", d)
	}
	c := srv.NextPendingConnection()
	if c == nil || c.Loop() != nil || c.State() != socket.ConnectedState {
		t.Fatalf("pending socket %v", c)
	}
	defer c.Abort()
	// A blocking-style socket: drive it with its own WaitFor calls.
	conn.Write([]byte("ping"))
	if !c.WaitForReadyRead(5 * time.Second) {
		t.Fatal("WaitForReadyRead on the accepted socket failed")
	}
	if got := string(c.ReadAll()); got != "ping" {
		t.Errorf("read %q", got)
	}

	// d < 0 waits for ever, here until the client arrives.
	go func() {
		time.Sleep(20 * time.Millisecond)
		if c, err := net.Dial("tcp", "127.0.0.1:"+itoa(port)); err == nil {
			t.Cleanup(func() { c.Close() })
		}
	}()
	if ok, _ := srv.WaitForNewConnection(-1); !ok || !srv.HasPendingConnections() {
		t.Error("WaitForNewConnection(-1) did not accept")
	}
	srv.NextPendingConnection().Abort()
}

func TestWaitForNewConnectionContext(t *testing.T) {
	srv, port := listen(t, nil, socket.LocalHost)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	if err := srv.WaitForNewConnectionContext(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("expired context: %v", err)
	}
	ctx, cancel = context.WithCancel(context.Background())
	time.AfterFunc(20*time.Millisecond, cancel)
	if err := srv.WaitForNewConnectionContext(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: %v", err)
	}
	dial(t, "127.0.0.1", port)
	if err := srv.WaitForNewConnectionContext(context.Background()); err != nil || !srv.HasPendingConnections() {
		t.Errorf("with a client: %v", err)
	}
	srv.NextPendingConnection().Abort()
	srv.Close()
	if err := srv.WaitForNewConnectionContext(context.Background()); !errors.Is(err, socket.OperationError) {
		t.Errorf("closed server: %v", err)
	}
}

// A WaitForNewConnection inside a callback of a running loop blocks the
// loop and still works.
func TestWaitForNewConnectionInCallback(t *testing.T) {
	loop := newLoop(t)
	srv, port := listen(t, loop, socket.LocalHost)
	go func() {
		time.Sleep(20 * time.Millisecond)
		if c, err := net.Dial("tcp", "127.0.0.1:"+itoa(port)); err == nil {
			t.Cleanup(func() { c.Close() })
		}
	}()
	do(loop, func() {
		if ok, _ := srv.WaitForNewConnection(5 * time.Second); !ok {
			t.Error("WaitForNewConnection in a callback failed")
		}
		if c := srv.NextPendingConnection(); c == nil {
			t.Error("nothing pending")
		} else {
			c.Abort()
		}
	})
}

// setSocketDescriptor adopts a descriptor that is already listening.
func TestSetSocketDescriptor(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f, err := ln.(*net.TCPListener).File()
	ln.Close()
	if err != nil {
		t.Fatal(err)
	}
	// A descriptor of our own: os.File would close its number again later.
	fd, err := unix.Dup(int(f.Fd()))
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	port := uint16(ln.Addr().(*net.TCPAddr).Port)

	loop := newLoop(t)
	srv := server.NewTCPServer(loop)
	do(loop, func() {
		if err := srv.SetSocketDescriptor(fd); err != nil {
			t.Fatalf("SetSocketDescriptor: %v", err)
		}
		if srv.SocketDescriptor() != fd || srv.ServerPort() != port || srv.ServerAddress() != socket.LocalHost {
			t.Errorf("adopted: fd %d port %d addr %v", srv.SocketDescriptor(), srv.ServerPort(), srv.ServerAddress())
		}
		if err := srv.SetSocketDescriptor(fd); !errors.Is(err, socket.OperationError) {
			t.Errorf("second SetSocketDescriptor = %v", err)
		}
	})
	conn := dial(t, "127.0.0.1", port)
	until(t, loop, "a connection", srv.HasPendingConnections)
	do(loop, func() { echo(srv.NextPendingConnection()) })
	roundTrip(t, conn, "adopted")
	do(loop, srv.Close) // the server owns fd now and closes it

	// A socket that is not listening is refused and stays the caller's.
	s, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	uf, _ := s.(*net.UDPConn).File()
	defer uf.Close()
	srv2 := server.NewTCPServer(nil)
	if err := srv2.SetSocketDescriptor(int(uf.Fd())); err == nil {
		t.Error("a UDP socket was adopted as a listener")
	}
	if _, err := os.Stat("/proc/self/fd/" + itoa(uint16(uf.Fd()))); err != nil {
		t.Error("refused descriptor was closed")
	}
}
