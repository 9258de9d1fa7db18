package bridge

import (
	"net"
	"os"
	"sync"
	"time"

	"github.com/qsock/qsock/engine"
	"github.com/qsock/qsock/socket"
)

const (
	// WriteLimit bounds the bytes a Conn holds for its peer: accepted by
	// Write and not yet taken by the kernel, counting both the Conn's
	// own buffer and the socket's write buffer. Write blocks at the
	// limit until the socket reports BytesWritten, so a peer that does
	// not read holds the writer back instead of growing memory.
	WriteLimit = 256 << 10

	// ReadLimit is how many bytes a Conn holds ahead of Read before it
	// stops taking more from the socket; the socket then buffers up to
	// its read buffer limit, and the kernel the rest.
	ReadLimit = 64 << 10

	// SocketReadBufferSize is the read buffer limit NewConn gives a
	// socket that has none (socket.AbstractSocket.SetReadBufferSize):
	// when both it and the Conn's buffer are full the socket stops
	// reading from the kernel, and TCP flow control slows the peer down.
	// A limit the socket already has is kept.
	SocketReadBufferSize = 256 << 10

	// CloseLinger is how long a closed Conn's socket may keep sending
	// what was written before Close. A peer that has not taken it by
	// then is cut off (Abort), so a peer that stops reading cannot hold
	// the descriptor for ever.
	CloseLinger = 30 * time.Second
)

// conn is the net.Conn. Its user-facing methods run on any goroutine and
// meet the loop only through Post and Invoke; the loop side (conn_loop.go)
// moves bytes between the socket and the two buffers here, under mu.
type conn struct {
	loop *engine.Loop
	ep   endpoint

	readMu  sync.Mutex // one Read at a time, as net's poll.FD does
	writeMu sync.Mutex // one Write at a time, so writes do not interleave

	rdl, wdl deadline

	mu       sync.Mutex
	laddr    net.Addr
	raddr    net.Addr
	attached bool // attach ran on the loop
	closed   bool
	done     chan struct{} // closed by Close

	// Read side: bytes taken from the socket and not yet read.
	rbuf       []byte
	rhold      *buffer // where rbuf came from
	roff       int
	sockAvail  int64 // the socket's BytesAvailable after the last pull
	pullQueued bool
	rerr       error // after the buffered bytes: io.EOF or the error
	rwait      bool  // a Read waits for rsig
	rsig       chan struct{}

	// Write side: bytes accepted by Write and not yet given to the
	// socket.
	wbuf       []byte
	whold      *buffer // where wbuf came from
	sockQueued int64   // the socket's BytesToWrite as last seen
	moveQueued bool
	werr       error
	wwait      bool // a Write waits for wsig
	wsig       chan struct{}

	// On the loop only.
	sockErr error // the socket's last error, for the end of the stream
	slots   []socket.Connection
	pullFn  func()
	moveFn  func()
}

// NewConn returns a net.Conn over s, a connected (or still connecting)
// stream socket: a *tcp.Socket, *local.Socket or *sslsock.Socket. The
// Conn owns s from then on: do not call s's methods or connect its
// signals any more.
//
// s must belong to a loop that is running (a nil-loop, blocking-style
// socket cannot serve a Read and a Write from two goroutines at once;
// NewConn panics on one). NewConn may be called on any goroutine,
// including the loop's own (a slot); elsewhere it waits for the loop to
// run its set-up.
//
// Read blocks until bytes arrive, the stream ends (io.EOF once the peer
// closed and every byte was read), an error occurs, the read deadline
// passes (an error wrapping os.ErrDeadlineExceeded whose Timeout is
// true), or Close is called (net.ErrClosed). Write blocks until all of p
// is queued on the connection, not until the kernel took it: at most
// WriteLimit bytes wait for the peer at any time, beyond which Write
// waits for the socket's BytesWritten. Close sends what was written
// before it, then closes the socket (see CloseLinger); with received
// bytes nobody read it resets the connection instead, as the kernel
// does when such a socket is closed. A TLS socket's
// plaintext flows once its handshake is done; until then Read waits and
// Write queues.
//
// A call that would block on the loop's own goroutine fails with
// ErrInLoop instead of deadlocking. Close Conns before their loop:
// Loop.Close releases the socket without a signal, after which a Read
// waits for its deadline or Close, and a Write fails with
// engine.ErrLoopClosed once it needs the loop.
func NewConn[S Stream](s S) net.Conn {
	return newConn(endpointOf(s))
}

func newConn(ep endpoint) *conn {
	loop := ep.base.Loop()
	if loop == nil {
		panic("bridge: NewConn needs a socket on a running loop, not a blocking-style one")
	}
	c := &conn{
		loop: loop,
		ep:   ep,
		done: make(chan struct{}),
		rsig: make(chan struct{}, 1),
		wsig: make(chan struct{}, 1),
	}
	c.rdl.init()
	c.wdl.init()
	c.pullFn, c.moveFn = c.pulled, c.move
	loop.Invoke(c.attach)
	c.mu.Lock()
	if !c.attached {
		c.laddr, c.raddr = ep.addrs()
		c.setLoopGone()
	}
	c.mu.Unlock()
	return c
}

// Read implements net.Conn.
func (c *conn) Read(p []byte) (int, error) {
	c.readMu.Lock()
	defer c.readMu.Unlock()
	for {
		c.mu.Lock()
		switch {
		case c.closed:
			err := c.errLocked("read", net.ErrClosed)
			c.mu.Unlock()
			return 0, err
		case len(p) == 0:
			c.mu.Unlock()
			return 0, nil
		case isClosed(c.rdl.wait()):
			err := c.errLocked("read", os.ErrDeadlineExceeded)
			c.mu.Unlock()
			return 0, err
		case c.roff < len(c.rbuf):
			n := copy(p, c.rbuf[c.roff:])
			c.roff += n
			if c.roff == len(c.rbuf) {
				putBuf(c.rhold, c.rbuf)
				c.rhold, c.rbuf, c.roff = nil, nil, 0
			}
			post := c.wantPullLocked()
			c.mu.Unlock()
			if post {
				c.post(c.pullFn)
			}
			return n, nil
		case c.rerr != nil:
			err := c.rerr
			c.mu.Unlock()
			return 0, err
		}
		post := c.wantPullLocked()
		c.rwait = true
		c.mu.Unlock()
		if post {
			c.post(c.pullFn)
		}
		if c.loop.InLoop() {
			return 0, c.err("read", ErrInLoop)
		}
		select {
		case <-c.rsig:
		case <-c.done:
		case <-c.rdl.wait():
		}
	}
}

// wantPullLocked reports whether the reader should ask the loop for more:
// the socket holds bytes the last pull left there and the buffer has
// drained to half.
func (c *conn) wantPullLocked() bool {
	if c.pullQueued || c.sockAvail == 0 || c.rerr != nil || len(c.rbuf)-c.roff > ReadLimit/2 {
		return false
	}
	c.pullQueued = true
	return true
}

// Write implements net.Conn.
func (c *conn) Write(p []byte) (int, error) {
	c.writeMu.Lock()
	defer c.writeMu.Unlock()
	if len(p) == 0 {
		c.mu.Lock()
		defer c.mu.Unlock()
		if c.closed {
			return 0, c.errLocked("write", net.ErrClosed)
		}
		return 0, nil
	}
	n := 0
	for len(p) > 0 {
		c.mu.Lock()
		switch {
		case c.closed:
			err := c.errLocked("write", net.ErrClosed)
			c.mu.Unlock()
			return n, err
		case c.werr != nil:
			err := c.werr
			c.mu.Unlock()
			return n, err
		case isClosed(c.wdl.wait()):
			err := c.errLocked("write", os.ErrDeadlineExceeded)
			c.mu.Unlock()
			return n, err
		}
		if room := WriteLimit - len(c.wbuf) - int(c.sockQueued); room > 0 {
			k := min(room, len(p))
			if c.whold == nil {
				c.whold = getBuf(WriteLimit)
				c.wbuf = c.whold.b
			}
			c.wbuf = append(c.wbuf, p[:k]...)
			p, n = p[k:], n+k
			post := !c.moveQueued
			c.moveQueued = true
			c.mu.Unlock()
			if post && !c.post(c.moveFn) {
				return n - k, c.werrNow()
			}
			continue
		}
		c.wwait = true
		c.mu.Unlock()
		if c.loop.InLoop() {
			return n, c.err("write", ErrInLoop)
		}
		select {
		case <-c.wsig:
		case <-c.done:
		case <-c.wdl.wait():
		}
	}
	return n, nil
}

// Close implements net.Conn: pending Read and Write calls return
// net.ErrClosed, what was written is still sent, and the socket is
// closed on its loop. Close waits until the loop has done that (unless
// the loop is closed); a second Close returns net.ErrClosed.
func (c *conn) Close() error {
	c.mu.Lock()
	if c.closed {
		err := c.errLocked("close", net.ErrClosed)
		c.mu.Unlock()
		return err
	}
	c.closed = true
	close(c.done)
	c.rdl.stop()
	c.wdl.stop()
	c.mu.Unlock()
	c.loop.Invoke(c.closeOnLoop)
	return nil
}

// LocalAddr implements net.Conn: a *net.TCPAddr or *net.UnixAddr.
func (c *conn) LocalAddr() net.Addr {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.laddr
}

// RemoteAddr implements net.Conn: a *net.TCPAddr or *net.UnixAddr.
func (c *conn) RemoteAddr() net.Addr {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.raddr
}

// SetDeadline implements net.Conn.
func (c *conn) SetDeadline(t time.Time) error {
	return c.setDeadline(t, true, true)
}

// SetReadDeadline implements net.Conn.
func (c *conn) SetReadDeadline(t time.Time) error {
	return c.setDeadline(t, true, false)
}

// SetWriteDeadline implements net.Conn.
func (c *conn) SetWriteDeadline(t time.Time) error {
	return c.setDeadline(t, false, true)
}

func (c *conn) setDeadline(t time.Time, read, write bool) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return c.errLocked("set", net.ErrClosed)
	}
	if read {
		c.rdl.set(t)
	}
	if write {
		c.wdl.set(t)
	}
	return nil
}

// post queues fn on the loop; a closed loop ends the connection.
func (c *conn) post(fn func()) bool {
	if c.loop.TryPost(fn) {
		return true
	}
	c.mu.Lock()
	c.setLoopGone()
	c.mu.Unlock()
	return false
}

func (c *conn) werrNow() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.werr
}

// setLoopGone ends both directions after the loop was closed.
func (c *conn) setLoopGone() {
	if c.rerr == nil {
		c.rerr = c.errLocked("read", engine.ErrLoopClosed)
	}
	if c.werr == nil {
		c.werr = c.errLocked("write", engine.ErrLoopClosed)
	}
	c.wakeReader()
	c.wakeWriter()
}

// wakeReader wakes a Read waiting for bytes or the end of the stream.
func (c *conn) wakeReader() {
	if c.rwait {
		c.rwait = false
		select {
		case c.rsig <- struct{}{}:
		default:
		}
	}
}

// wakeWriter wakes a Write waiting for room.
func (c *conn) wakeWriter() {
	if c.wwait {
		c.wwait = false
		select {
		case c.wsig <- struct{}{}:
		default:
		}
	}
}

func (c *conn) err(op string, err error) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.errLocked(op, err)
}

func (c *conn) errLocked(op string, err error) error {
	return opError(op, c.ep.network(), c.laddr, c.raddr, err)
}
