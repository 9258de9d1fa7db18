package bridge

import (
	"net"
	"sync"

	"github.com/qsock/qsock/engine"
	"github.com/qsock/qsock/socket"
)

// listener is the net.Listener. Accept counts itself as a waiter and asks
// the loop to take connections for the waiters (pump); the loop takes no
// more than that, so connections nobody accepts stay in the server's
// pending queue, whose limit (SetMaxPendingConnections) holds further
// clients back in the kernel's backlog.
type listener struct {
	acc    acceptor
	addr   net.Addr
	pumpFn func()

	mu       sync.Mutex
	cond     sync.Cond // signalled when ready grows or the listener closes
	waiters  int       // Accept calls in progress
	inflight int       // connections taken and being set up
	ready    []*conn
	closed   bool
	err      error // why no connection will come

	slot socket.Connection // on the loop only
}

// NewListener returns a net.Listener over srv, a server that is
// listening: a *server.TCPServer, *server.SSLServer or *local.Server on a
// running loop (a nil-loop server makes NewListener panic). The listener
// owns srv from then on: it connects to its signals and takes its pending
// connections, and Close closes it.
//
// Accept blocks until a connection is pending and returns it as a
// net.Conn made by NewConn (an SSLServer's once it is encrypted). A
// server serving on a LoopGroup hands out sockets on the group's loops:
// each Conn is set up on its socket's own loop. Connections not yet
// accepted stay queued in the server, within its
// MaxPendingConnections. Close makes pending and later Accept calls
// return net.ErrClosed and closes the server, which aborts the
// connections nobody accepted; accepted ones stay open.
func NewListener[S Server](srv S) net.Listener {
	acc := acceptorOf(srv)
	if acc.loop == nil {
		panic("bridge: NewListener needs a server on a running loop, not a blocking-style one")
	}
	l := &listener{acc: acc}
	l.cond.L = &l.mu
	l.pumpFn = l.pump
	set := false
	acc.loop.Invoke(func() {
		set = true
		l.slot = acc.ready.Connect(l.pump)
		l.addr = acc.addr()
	})
	if !set {
		l.addr = &net.TCPAddr{}
		l.err = l.opError(engine.ErrLoopClosed)
	}
	return l
}

// Accept implements net.Listener.
func (l *listener) Accept() (net.Conn, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.waiters++
	defer func() { l.waiters-- }()
	asked := false
	for {
		switch {
		case l.closed:
			return nil, l.opError(net.ErrClosed)
		case len(l.ready) > 0:
			c := l.ready[0]
			l.ready[0] = nil
			l.ready = l.ready[1:]
			return c, nil
		case l.err != nil:
			return nil, l.err
		case !asked:
			asked = true
			l.mu.Unlock()
			ok := l.acc.loop.TryPost(l.pumpFn)
			l.mu.Lock()
			if !ok && l.err == nil {
				l.err = l.opError(engine.ErrLoopClosed)
			}
			continue
		}
		if l.acc.loop.InLoop() {
			return nil, l.opError(ErrInLoop)
		}
		l.cond.Wait()
	}
}

// Close implements net.Listener: it closes the server on its loop and
// waits for that.
func (l *listener) Close() error {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return l.opError(net.ErrClosed)
	}
	l.closed = true
	ready := l.ready
	l.ready = nil
	l.cond.Broadcast()
	l.mu.Unlock()
	for _, c := range ready {
		c.Close()
	}
	l.acc.loop.Invoke(func() {
		l.slot.Disconnect()
		l.acc.close()
	})
	return nil
}

// Addr implements net.Listener: a *net.TCPAddr ([::] for a dual-stack
// server) or a *net.UnixAddr.
func (l *listener) Addr() net.Addr { return l.addr }

func (l *listener) opError(err error) error {
	return &net.OpError{Op: "accept", Net: l.addr.Network(), Addr: l.addr, Err: err}
}

// pump takes pending connections for the Accept calls waiting; it runs
// on the server's loop.
func (l *listener) pump() {
	for {
		l.mu.Lock()
		if l.closed || l.waiters-len(l.ready)-l.inflight <= 0 {
			l.mu.Unlock()
			return
		}
		if !l.acc.listening() {
			l.err = l.opError(errNotListening)
			l.cond.Broadcast()
			l.mu.Unlock()
			return
		}
		// Reserved before taking: taking may resume accepting and run
		// pump again from inside.
		l.inflight++
		l.mu.Unlock()
		ep, ok := l.acc.take()
		if !ok {
			l.deliver(nil)
			return
		}
		l.setUp(ep)
	}
}

// setUp makes the Conn on the socket's own loop: the server's, or a
// LoopGroup's.
func (l *listener) setUp(ep endpoint) {
	sl := ep.base.Loop()
	if sl == l.acc.loop || sl.InLoop() {
		l.deliver(newConn(ep))
		return
	}
	if !sl.TryPost(func() { l.deliver(newConn(ep)) }) {
		l.deliver(nil) // that loop is closed, and its sockets with it
	}
}

// deliver hands c to a waiting Accept; nil gives the reservation back.
func (l *listener) deliver(c *conn) {
	l.mu.Lock()
	l.inflight--
	if c == nil {
		l.mu.Unlock()
		return
	}
	if l.closed {
		l.mu.Unlock()
		c.Close()
		return
	}
	l.ready = append(l.ready, c)
	l.cond.Signal()
	l.mu.Unlock()
}
