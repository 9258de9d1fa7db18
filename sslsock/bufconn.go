package sslsock

import (
	"io"
	"net"
	"sync"
	"time"
)

// bufConn is the net.Conn under crypto/tls: ciphertext the loop read
// from the transport goes in, ciphertext crypto/tls produced comes out,
// and nothing touches the descriptor. While the handshake runs on its
// goroutine, Read blocks until the loop feeds bytes; afterwards Read never
// blocks: with nothing buffered it returns a temporary error, which
// crypto/tls returns without breaking the connection, so record
// processing runs on the loop and resumes when more bytes arrive.
type bufConn struct {
	mu       sync.Mutex
	cond     sync.Cond
	in       []byte
	inEOF    error // io.EOF or the transport's error, once input ended
	out      []byte
	blocking bool
	closed   bool
	// onWrite runs after the handshake goroutine wrote ciphertext, so
	// the loop sends it.
	onWrite func()
}

func newBufConn() *bufConn {
	c := &bufConn{blocking: true}
	c.cond.L = &c.mu
	return c
}

// wouldBlock is crypto/tls's cue to stop reading for now.
type wouldBlock struct{}

func (wouldBlock) Error() string   { return "sslsock: no ciphertext buffered" }
func (wouldBlock) Timeout() bool   { return true }
func (wouldBlock) Temporary() bool { return true }

var errWouldBlock net.Error = wouldBlock{}

func (c *bufConn) Read(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for len(c.in) == 0 {
		if c.inEOF != nil {
			return 0, c.inEOF
		}
		if c.closed {
			return 0, net.ErrClosed
		}
		if !c.blocking {
			return 0, errWouldBlock
		}
		c.cond.Wait()
	}
	n := copy(p, c.in)
	c.in = c.in[n:]
	if len(c.in) == 0 {
		c.in = c.in[:0:0]
	}
	return n, nil
}

func (c *bufConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return 0, net.ErrClosed
	}
	c.out = append(c.out, p...)
	notify := c.blocking && c.onWrite != nil
	c.mu.Unlock()
	if notify {
		c.onWrite()
	}
	c.mu.Lock()
	return len(p), nil
}

// feed adds ciphertext read from the transport.
func (c *bufConn) feed(p []byte) {
	c.mu.Lock()
	c.in = append(c.in, p...)
	c.mu.Unlock()
	c.cond.Broadcast()
}

// endInput records that the transport's input ended.
func (c *bufConn) endInput(err error) {
	c.mu.Lock()
	if c.inEOF == nil {
		c.inEOF = err
	}
	c.mu.Unlock()
	c.cond.Broadcast()
}

// setBlocking switches between the handshake's blocking reads and the
// loop's non-blocking ones.
func (c *bufConn) setBlocking(b bool) {
	c.mu.Lock()
	c.blocking = b
	c.mu.Unlock()
	c.cond.Broadcast()
}

// takeOut returns the ciphertext waiting to be sent and empties the
// queue; the caller puts back what the kernel did not take with unshift.
func (c *bufConn) takeOut() []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	b := c.out
	c.out = nil
	return b
}

func (c *bufConn) unshift(b []byte) {
	if len(b) == 0 {
		return
	}
	c.mu.Lock()
	c.out = append(b, c.out...)
	c.mu.Unlock()
}

func (c *bufConn) pending() (in, out int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.in), len(c.out)
}

func (c *bufConn) Close() error {
	c.mu.Lock()
	c.closed = true
	c.mu.Unlock()
	c.cond.Broadcast()
	return nil
}

func (c *bufConn) LocalAddr() net.Addr                { return bufAddr{} }
func (c *bufConn) RemoteAddr() net.Addr               { return bufAddr{} }
func (c *bufConn) SetDeadline(t time.Time) error      { return nil }
func (c *bufConn) SetReadDeadline(t time.Time) error  { return nil }
func (c *bufConn) SetWriteDeadline(t time.Time) error { return nil }

type bufAddr struct{}

func (bufAddr) Network() string { return "qsock" }
func (bufAddr) String() string  { return "qsock" }

var _ io.ReadWriteCloser = (*bufConn)(nil)
