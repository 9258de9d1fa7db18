package tcp_test

import (
	"fmt"
	"net"
	"testing"
	"time"

	"github.com/qsock/qsock/internal/sockettest"
	"github.com/qsock/qsock/tcp"
)

type events = sockettest.Recorder

func record(s *tcp.Socket) *events {
	return sockettest.RecordSocket(&events{}, s.AbstractSocket)
}

var (
	newLoop           = sockettest.RunLoop
	until             = sockettest.Until
	openFDs           = sockettest.OpenFDs
	settledGoroutines = sockettest.SettledGoroutines
)

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

func addr(port uint16) string { return fmt.Sprintf("127.0.0.1:%d", port) }
