package bridge_test

import (
	"errors"
	"net"
	"os"
	"testing"
	"time"

	"github.com/qsock/qsock/bridge"
	"github.com/qsock/qsock/internal/sockettest"
	"github.com/qsock/qsock/socket"
	"github.com/qsock/qsock/tcp"
)

func checkTimeout(t *testing.T, err error) {
	t.Helper()
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() || !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("got %v; want a timeout net.Error wrapping os.ErrDeadlineExceeded", err)
	}
}

// TestReadDeadline: a blocked Read ends at its deadline, and the
// connection works on once the deadline is cleared.
func TestReadDeadline(t *testing.T) {
	for _, p := range pairs {
		t.Run(p.name, func(t *testing.T) {
			c1, c2 := p.make(t)
			start := time.Now()
			c1.SetReadDeadline(start.Add(50 * time.Millisecond))
			_, err := c1.Read(make([]byte, 8))
			checkTimeout(t, err)
			if d := time.Since(start); d < 45*time.Millisecond {
				t.Fatalf("timed out after %v; want 50ms", d)
			}
			c1.SetReadDeadline(time.Time{})
			c2.Write([]byte("x"))
			if n, err := c1.Read(make([]byte, 8)); n != 1 || err != nil {
				t.Fatalf("Read: %d, %v", n, err)
			}
		})
	}
}

// TestDeadlineExtended: moving the deadline later while Read waits makes
// it wait longer.
func TestDeadlineExtended(t *testing.T) {
	c1, _ := pairs[0].make(t)
	start := time.Now()
	c1.SetReadDeadline(start.Add(50 * time.Millisecond))
	time.AfterFunc(20*time.Millisecond, func() { c1.SetReadDeadline(start.Add(300 * time.Millisecond)) })
	_, err := c1.Read(make([]byte, 8))
	checkTimeout(t, err)
	if d := time.Since(start); d < 290*time.Millisecond {
		t.Fatalf("timed out after %v; want 300ms", d)
	}
}

// TestWriteBackPressure: against a peer that never reads, Write blocks
// once WriteLimit bytes wait in user space (beyond what the kernel
// holds) and ends at its deadline with the count it queued.
func TestWriteBackPressure(t *testing.T) {
	loop := sockettest.RunLoop(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	peer := make(chan net.Conn, 1)
	go func() {
		c, _ := ln.Accept()
		peer <- c
	}()
	s := tcp.NewSocket(loop)
	addr := ln.Addr().(*net.TCPAddr)
	loop.Invoke(func() { s.ConnectToHost("127.0.0.1", uint16(addr.Port)) })
	c := bridge.NewConn(s)
	defer c.Close()
	p := <-peer
	defer p.Close()
	// The deadline is for the back-pressure, not for a connect that a
	// loaded machine finishes late.
	sockettest.Until(t, loop, "connected", func() bool { return s.State() == socket.ConnectedState })

	// Made before the deadline starts: on a loaded machine where page
	// faults are dear, making 64 MiB alone can outlast it.
	const size = 64 << 20
	buf := make([]byte, size)
	c.SetWriteDeadline(time.Now().Add(300 * time.Millisecond))
	n, err := c.Write(buf)
	checkTimeout(t, err)
	if n <= 0 || n >= size {
		t.Fatalf("Write queued %d bytes; want some of %d", n, size)
	}
	var queued int64
	loop.Invoke(func() { queued = s.BytesToWrite() })
	if queued > bridge.WriteLimit {
		t.Fatalf("the socket holds %d bytes for the peer; the limit is %d", queued, bridge.WriteLimit)
	}
	t.Logf("queued %d bytes, %d in the socket", n, queued)
}
