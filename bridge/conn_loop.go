package bridge

import (
	"io"
	"math"
	"slices"

	"github.com/qsock/qsock/socket"
)

// The loop side of a conn: everything here runs on the socket's loop.
//
// It calls the socket's Read and Write while holding c.mu: those only
// copy between buffers and never emit a signal (a stream socket's Write
// flushes at the end of the loop's turn, and its BytesWritten comes from
// there), so no slot of the conn can run inside them and take c.mu again.

// attach connects the conn to the socket's signals and takes what is
// already buffered.
func (c *conn) attach() {
	b := c.ep.base
	if b.ReadBufferSize() == 0 {
		b.SetReadBufferSize(SocketReadBufferSize)
	}
	// The Channel* signals come for every event, even while a slot of
	// the plain ReadyRead or BytesWritten runs (Qt does not re-emit
	// those from inside their own slots).
	c.slots = []socket.Connection{
		b.ChannelReadyRead.Connect(func(int) { c.pull() }),
		b.ChannelBytesWritten.Connect(func(int, int64) { c.written() }),
		b.ErrorOccurred.Connect(c.failed),
		b.StateChanged.Connect(c.stateChanged),
	}
	laddr, raddr := c.ep.addrs()
	c.mu.Lock()
	c.attached = true
	c.laddr, c.raddr = laddr, raddr
	c.sockQueued = b.BytesToWrite()
	c.mu.Unlock()
	if b.State() == socket.UnconnectedState {
		c.finish()
		return
	}
	c.pull()
}

// pull is the socket's ReadyRead: it takes the socket's bytes unless
// ReadLimit bytes already wait for Read.
func (c *conn) pull() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return
	}
	c.pullLocked(ReadLimit)
}

// pulled is pull as posted by Read.
func (c *conn) pulled() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.pullQueued = false
	if c.closed {
		return
	}
	c.pullLocked(ReadLimit)
}

// pullLocked takes everything the socket buffers when fewer than limit
// bytes wait here. Taking all or nothing leaves the socket's ring buffer
// empty after every pull, so it never wraps (its Tail mishandles a
// wrapped ring with little contiguous room).
func (c *conn) pullLocked(limit int) {
	b := c.ep.base
	if avail := int(b.BytesAvailable()); avail > 0 && len(c.rbuf)-c.roff < limit {
		if c.roff > 0 {
			c.rbuf = c.rbuf[:copy(c.rbuf, c.rbuf[c.roff:])]
			c.roff = 0
		}
		if c.rhold == nil {
			c.rhold = getBuf(avail)
			c.rbuf = c.rhold.b
		}
		c.rbuf = slices.Grow(c.rbuf, avail)
		end := len(c.rbuf)
		n, _ := b.Read(c.rbuf[end : end+avail])
		c.rbuf = c.rbuf[:end+n]
		if n > 0 {
			c.wakeReader()
		}
	}
	c.sockAvail = b.BytesAvailable()
}

// move hands what Write queued to the socket, which sends it at the end
// of the loop's turn.
func (c *conn) move() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.moveQueued = false
	if c.closed || c.werr != nil || len(c.wbuf) == 0 {
		return
	}
	b := c.ep.base
	if _, err := b.Write(c.wbuf); err != nil {
		c.werr = c.errLocked("write", err)
		c.wakeWriter()
		return
	}
	putBuf(c.whold, c.wbuf)
	c.whold, c.wbuf = nil, nil
	c.sockQueued = b.BytesToWrite()
}

// written is the socket's BytesWritten: room for the writer.
func (c *conn) written() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sockQueued = c.ep.base.BytesToWrite()
	c.wakeWriter()
}

// failed records the socket's error for the end of the stream. A
// WaitFor* time-out on a connected socket leaves the connection alone
// (as in Qt), so it is not an end.
func (c *conn) failed(code socket.SocketError) {
	b := c.ep.base
	if code == socket.SocketTimeoutError && b.State() == socket.ConnectedState {
		return
	}
	if c.sockErr = b.LastError(); c.sockErr == nil {
		c.sockErr = code
	}
}

func (c *conn) stateChanged(st socket.State) {
	switch st {
	case socket.ConnectedState:
		laddr, raddr := c.ep.addrs()
		c.mu.Lock()
		c.laddr, c.raddr = laddr, raddr
		c.mu.Unlock()
	case socket.UnconnectedState:
		c.finish()
	}
}

// finish is the end of the socket: every byte it still buffers is taken
// (it stays readable after the close, as in Qt), then Read reports the
// end and Write fails.
func (c *conn) finish() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed || c.rerr != nil {
		return
	}
	c.pullLocked(math.MaxInt)
	if err := readEnd(c.sockErr); err == io.EOF {
		c.rerr = io.EOF
	} else {
		c.rerr = c.errLocked("read", err)
	}
	if c.werr == nil {
		c.werr = c.errLocked("write", writeEnd(c.sockErr))
	}
	c.wakeReader()
	c.wakeWriter()
}

// closeOnLoop is Close's part on the loop: the conn lets go of the
// socket's signals, hands the socket what Write accepted, and closes it
// gracefully; a socket still sending is aborted after CloseLinger.
//
// With bytes received and never read it aborts instead, as the kernel
// resets a socket closed with unread data. A graceful close would not do
// here: a closing socket stops reading, so two ends that close while
// each still has bytes for the other would wait on each other's full
// buffers until CloseLinger.
func (c *conn) closeOnLoop() {
	for _, s := range c.slots {
		s.Disconnect()
	}
	c.slots = nil
	b := c.ep.base
	c.mu.Lock()
	pending, hold := c.wbuf, c.whold
	unread := c.roff < len(c.rbuf)
	putBuf(c.rhold, c.rbuf)
	c.wbuf, c.whold, c.rbuf, c.rhold, c.roff = nil, nil, nil, nil, 0
	werr := c.werr
	c.mu.Unlock()
	if unread || b.BytesAvailable() > 0 {
		putBuf(hold, pending)
		c.ep.abort()
		return
	}
	if len(pending) > 0 && werr == nil {
		b.Write(pending) // the socket is ending anyway if this fails
	}
	putBuf(hold, pending)
	c.ep.close()
	if b.State() == socket.UnconnectedState {
		return
	}
	var watch socket.Connection
	t := c.loop.AfterFunc(CloseLinger, func() {
		watch.Disconnect()
		c.ep.abort()
	})
	watch = b.StateChanged.Connect(func(st socket.State) {
		if st == socket.UnconnectedState {
			t.Stop()
			watch.Disconnect()
		}
	})
}
