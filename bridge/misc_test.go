package bridge_test

import (
	"errors"
	"net"
	"testing"
	"time"

	"github.com/qsock/qsock/bridge"
	"github.com/qsock/qsock/engine"
	"github.com/qsock/qsock/internal/sockettest"
	"github.com/qsock/qsock/server"
	"github.com/qsock/qsock/tcp"
)

// TestInLoop: a call that would block on the loop's own goroutine fails
// with ErrInLoop instead of deadlocking the loop.
func TestInLoop(t *testing.T) {
	loop := sockettest.RunLoop(t)
	ln := listenTCP(t, loop)
	d := &bridge.Dialer{Loop: loop}
	c, _ := mustPair(t, ln, func() (net.Conn, error) { return d.Dial("tcp", ln.Addr().String()) })
	var readErr, acceptErr error
	loop.Invoke(func() {
		_, readErr = c.Read(make([]byte, 1))
		_, acceptErr = ln.Accept()
	})
	if !errors.Is(readErr, bridge.ErrInLoop) {
		t.Errorf("Read on the loop: %v", readErr)
	}
	if !errors.Is(acceptErr, bridge.ErrInLoop) {
		t.Errorf("Accept on the loop: %v", acceptErr)
	}
}

// TestNilLoop: blocking-style sockets and servers are refused.
func TestNilLoop(t *testing.T) {
	for name, f := range map[string]func(){
		"NewConn":     func() { bridge.NewConn(tcp.NewSocket(nil)) },
		"NewListener": func() { bridge.NewListener(server.NewTCPServer(nil)) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s with a nil loop did not panic", name)
				}
			}()
			f()
		}()
	}
}

// TestLoopClosed: after the loop is closed a Write fails with
// engine.ErrLoopClosed, a Read still ends at its deadline, and Close
// returns at once; a Conn made on a closed loop fails at once.
func TestLoopClosed(t *testing.T) {
	loop, err := engine.NewLoop()
	if err != nil {
		t.Fatal(err)
	}
	go loop.Run()
	defer loop.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	d := &bridge.Dialer{Loop: loop}
	c, peer := mustPair(t, ln, func() (net.Conn, error) { return d.Dial("tcp", ln.Addr().String()) })
	_ = peer
	loop.Close()
	if _, err := c.Write([]byte("x")); !errors.Is(err, engine.ErrLoopClosed) {
		t.Errorf("Write: %v", err)
	}
	c.SetReadDeadline(time.Now().Add(20 * time.Millisecond))
	if _, err := c.Read(make([]byte, 1)); err == nil {
		t.Errorf("Read returned no error")
	}
	if err := c.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	c2 := bridge.NewConn(tcp.NewSocket(loop))
	if _, err := c2.Read(make([]byte, 1)); !errors.Is(err, engine.ErrLoopClosed) {
		t.Errorf("Read on a Conn made on a closed loop: %v", err)
	}
	if _, err := d.Dial("tcp", ln.Addr().String()); !errors.Is(err, engine.ErrLoopClosed) {
		t.Errorf("Dial on a closed loop: %v", err)
	}
}

// TestDialErrors: a refused connection and an unknown network fail with
// a dial *net.OpError.
func TestDialErrors(t *testing.T) {
	loop := sockettest.RunLoop(t)
	d := &bridge.Dialer{Loop: loop}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	var oe *net.OpError
	if _, err := d.Dial("tcp", addr); !errors.As(err, &oe) || oe.Op != "dial" {
		t.Errorf("Dial to a closed port: %v", err)
	}
	if _, err := d.Dial("udp", addr); !errors.As(err, &oe) {
		t.Errorf("Dial udp: %v", err)
	}
	if _, err := d.Dial("unix", "/nonexistent/socket"); !errors.As(err, &oe) {
		t.Errorf("Dial to a missing path: %v", err)
	}
}
