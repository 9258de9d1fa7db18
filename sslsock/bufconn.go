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
	mu    sync.Mutex
	cond  sync.Cond
	in    []byte // ciphertext fed; in[inOff:] not read yet
	inOff int
	// recLeft is how much of the record crypto/tls is reading it has
	// not been given yet; 0 at a record boundary.
	recLeft int
	inEOF   error // io.EOF or the transport's error, once input ended
	out     []byte
	// stage holds what the handshake goroutine wrote since it last
	// waited for the peer: a flight goes out whole when the handshake
	// needs an answer to it, and the last one only once the handshake is
	// over, after Encrypted, or never when it failed — as Qt's plain
	// socket sends it.
	stage    []byte
	blocking bool
	closed   bool
	// onWrite runs when the handshake goroutine waits for the peer with
	// a flight released, so the loop sends it.
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
	for !c.readable() {
		if c.inEOF != nil {
			if len(c.in) > c.inOff {
				break // a truncated record: crypto/tls reports it
			}
			return 0, c.inEOF
		}
		if c.closed {
			return 0, net.ErrClosed
		}
		if !c.blocking {
			return 0, errWouldBlock
		}
		if len(c.stage) > 0 && c.onWrite != nil {
			// The handshake waits for an answer: its flight goes out.
			c.releaseLocked()
			c.mu.Unlock()
			c.onWrite()
			c.mu.Lock()
			continue
		}
		c.cond.Wait()
	}
	avail := c.in[c.inOff:]
	if c.recLeft == 0 && len(avail) >= recordHeaderLen {
		c.recLeft = recordHeaderLen + (int(avail[3])<<8 | int(avail[4]))
	}
	if c.recLeft > 0 && len(avail) > c.recLeft {
		// Never past the end of the record: crypto/tls then holds
		// nothing beyond the record it works on, so hasRecord says
		// exactly when a Read would make progress.
		avail = avail[:c.recLeft]
	}
	n := copy(p, avail)
	c.inOff += n
	c.recLeft = max(c.recLeft-n, 0)
	if c.inOff == len(c.in) {
		// Drained: keep the array for the next feed.
		c.in, c.inOff = c.in[:0], 0
	}
	return n, nil
}

func (c *bufConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return 0, net.ErrClosed
	}
	if c.blocking {
		c.stage = append(c.stage, p...)
	} else {
		c.out = append(c.out, p...)
	}
	return len(p), nil
}

// releaseLocked queues the staged flight for sending. Called with mu
// held.
func (c *bufConn) releaseLocked() {
	if len(c.out) == 0 {
		c.out, c.stage = c.stage, nil
		return
	}
	c.out = append(c.out, c.stage...)
	c.stage = nil
}

// endHandshake switches to the loop's non-blocking reads once the
// handshake succeeded and queues its last flight for sending.
func (c *bufConn) endHandshake() {
	c.mu.Lock()
	c.blocking = false
	c.releaseLocked()
	c.mu.Unlock()
	c.cond.Broadcast()
}

// dropStage forgets the flight of a failed handshake (a fatal alert):
// Qt's socket sends nothing more once the handshake failed.
func (c *bufConn) dropStage() {
	c.mu.Lock()
	c.stage = nil
	c.mu.Unlock()
}

const recordHeaderLen = 5

// readable reports whether Read can hand crypto/tls something: the rest
// of the record it is reading, or a whole header to start the next.
// Called with mu held.
func (c *bufConn) readable() bool {
	n := len(c.in) - c.inOff
	return n > 0 && (c.recLeft > 0 || n >= recordHeaderLen)
}

// hasRecord reports whether the bytes buffered complete the record
// crypto/tls is reading, or hold a whole next one: whether conn.Read on
// the loop would make progress rather than find nothing to do.
func (c *bufConn) hasRecord() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	avail := c.in[c.inOff:]
	if c.recLeft > 0 {
		return len(avail) >= c.recLeft
	}
	return len(avail) >= recordHeaderLen && len(avail) >= recordHeaderLen+(int(avail[3])<<8|int(avail[4]))
}

// feed adds ciphertext read from the transport.
func (c *bufConn) feed(p []byte) {
	c.mu.Lock()
	if c.inOff > 0 && len(c.in)+len(p) > cap(c.in) {
		n := copy(c.in, c.in[c.inOff:])
		c.in, c.inOff = c.in[:n], 0
	}
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

// takeOut returns the ciphertext waiting to be sent and empties the
// queue; the caller puts back what the kernel did not take with unshift.
func (c *bufConn) takeOut() []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	b := c.out
	c.out = nil
	return b
}

// unshift puts back what the kernel did not take of b, which takeOut
// returned; when it took everything, b's array is kept for the next
// Write.
func (c *bufConn) unshift(b []byte, n int) {
	c.mu.Lock()
	switch {
	case n < len(b):
		c.out = append(b[n:], c.out...)
	case c.out == nil && cap(b) <= maxKeptOut:
		c.out = b[:0]
	}
	c.mu.Unlock()
}

// maxKeptOut bounds the ciphertext array a connection keeps between
// writes.
const maxKeptOut = 16 << 10

func (c *bufConn) pending() (in, out int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.in) - c.inOff, len(c.out) + len(c.stage)
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
