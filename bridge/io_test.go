package bridge_test

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"io"
	"math/rand"
	"net"
	"syscall"
	"testing"
	"time"

	"github.com/qsock/qsock/bridge"
	"github.com/qsock/qsock/internal/sockettest"
)

// pairs are the connection kinds the I/O tests run over; c1 is always a
// bridged Conn, c2 a bridged Conn or a Go net one.
var pairs = []struct {
	name string
	make func(t *testing.T) (c1, c2 net.Conn)
}{
	{"QsockTCP", func(t *testing.T) (net.Conn, net.Conn) {
		l1, l2 := sockettest.RunLoop(t), sockettest.RunLoop(t)
		ln := listenTCP(t, l2)
		d := &bridge.Dialer{Loop: l1}
		return mustPair(t, ln, func() (net.Conn, error) { return d.Dial("tcp", ln.Addr().String()) })
	}},
	{"GoPeer", func(t *testing.T) (net.Conn, net.Conn) {
		ln := listenTCP(t, sockettest.RunLoop(t))
		c2, c1 := mustPair(t, ln, func() (net.Conn, error) { return net.Dial("tcp", ln.Addr().String()) })
		return c1, c2
	}},
	{"Unix", func(t *testing.T) (net.Conn, net.Conn) {
		loop := sockettest.RunLoop(t)
		ln := listenLocal(t, loop)
		d := &bridge.Dialer{Loop: loop}
		return mustPair(t, ln, func() (net.Conn, error) { return d.Dial("unix", ln.Addr().String()) })
	}},
}

func mustPair(t *testing.T, ln net.Listener, dial func() (net.Conn, error)) (c1, c2 net.Conn) {
	t.Helper()
	c1, c2, err := pair(ln, dial)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c1.Close(); c2.Close() })
	return c1, c2
}

// TestLargeTransfer sends 8 MiB each way at once and checks both
// streams, then that the end that did not close sees io.EOF.
func TestLargeTransfer(t *testing.T) {
	const size = 8 << 20
	for _, p := range pairs {
		t.Run(p.name, func(t *testing.T) {
			c1, c2 := p.make(t)
			a, b := randomBytes(size, 1), randomBytes(size, 2)
			errs := make(chan error, 4)
			send := func(c net.Conn, data []byte) {
				_, err := c.Write(data)
				errs <- err
			}
			recv := func(c net.Conn, want []byte) {
				got := make([]byte, len(want))
				_, err := io.ReadFull(c, got)
				if err == nil && sha256.Sum256(got) != sha256.Sum256(want) {
					err = errors.New("the bytes differ")
				}
				errs <- err
			}
			go send(c1, a)
			go send(c2, b)
			go recv(c1, b)
			go recv(c2, a)
			for range 4 {
				if err := <-errs; err != nil {
					t.Fatal(err)
				}
			}
			c1.Close()
			if n, err := c2.Read(make([]byte, 1)); n != 0 || err != io.EOF {
				t.Fatalf("Read after the peer closed: %d, %v", n, err)
			}
		})
	}
}

// TestEOF: the bytes written before the peer closed are all read, then
// io.EOF, every time Read is called again.
func TestEOF(t *testing.T) {
	for _, p := range pairs {
		t.Run(p.name, func(t *testing.T) {
			for _, size := range []int{5, 3 << 20} {
				c1, c2 := p.make(t)
				data := randomBytes(size, 3)
				go func() {
					if _, err := c2.Write(data); err != nil {
						t.Error(err)
					}
					c2.Close()
				}()
				got, err := io.ReadAll(c1)
				if err != nil || !bytes.Equal(got, data) {
					t.Fatalf("ReadAll: %d of %d bytes, err %v", len(got), size, err)
				}
				for range 3 {
					if n, err := c1.Read(make([]byte, 10)); n != 0 || err != io.EOF {
						t.Fatalf("Read after EOF: %d, %v; want 0, io.EOF", n, err)
					}
				}
			}
		})
	}
}

// TestWriteAfterPeerClosed: a write to a connection the peer closed
// fails, and does not block.
func TestWriteAfterPeerClosed(t *testing.T) {
	for _, p := range pairs {
		t.Run(p.name, func(t *testing.T) {
			c1, c2 := p.make(t)
			c2.Close()
			if _, err := c1.Read(make([]byte, 1)); err != io.EOF {
				t.Fatalf("Read: %v; want io.EOF", err)
			}
			c1.SetWriteDeadline(time.Now().Add(10 * time.Second))
			_, err := c1.Write([]byte("late"))
			var oe *net.OpError
			if !errors.As(err, &oe) || oe.Op != "write" || oe.Timeout() {
				t.Fatalf("Write: %v; want a write *net.OpError", err)
			}
		})
	}
}

// TestReset: a peer that resets the connection makes Read fail with
// ECONNRESET in the chain, not io.EOF, after the bytes sent before it.
func TestReset(t *testing.T) {
	ln := listenTCP(t, sockettest.RunLoop(t))
	goSide, c := mustPair(t, ln, func() (net.Conn, error) { return net.Dial("tcp", ln.Addr().String()) })
	goSide.Write([]byte("last words"))
	time.Sleep(50 * time.Millisecond) // let them arrive before the reset
	goSide.(*net.TCPConn).SetLinger(0)
	goSide.Close()
	buf := make([]byte, 64)
	n, err := io.ReadAtLeast(c, buf, len("last words"))
	if err != nil || string(buf[:n]) != "last words" {
		t.Fatalf("Read: %q, %v", buf[:n], err)
	}
	_, err = c.Read(buf)
	if err == io.EOF || !errors.Is(err, syscall.ECONNRESET) {
		t.Fatalf("Read after reset: %v; want ECONNRESET", err)
	}
}

func randomBytes(n int, seed int64) []byte {
	b := make([]byte, n)
	rand.New(rand.NewSource(seed)).Read(b)
	return b
}
