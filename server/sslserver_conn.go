package server

import (
	"sync/atomic"
	"time"

	"github.com/qsock/qsock/engine"
	"github.com/qsock/qsock/internal/accept"
	"github.com/qsock/qsock/socket"
	"github.com/qsock/qsock/sslsock"
	"github.com/qsock/qsock/tcp"
	"golang.org/x/sys/unix"
)

// handshake is what the server keeps of a socket between accept and the
// end of its handshake: QSslServerPrivate's SocketData. Its fields are
// split by the goroutine that owns them, since with a LoopGroup the socket
// lives on another loop than the server: the two sides talk only through
// Post (toServer, onSocketLoop), which orders their writes and reads.
type handshake struct {
	s *SSLServer
	// local: the socket lives on the server's loop (or both have none),
	// so the server's side runs synchronously inside the socket's
	// signals, as in Qt. Set at accept, never changed.
	local bool
	// What the server was set to at accept, read on the socket's loop.
	cfg     sslsock.Configuration
	timeout time.Duration
	handler func(*sslsock.Socket)
	before  func(*sslsock.Socket)

	// c is set on the socket's loop by setUp, before the server's side
	// hears of the socket.
	c *sslsock.Socket
	// How setUp ended, written by it and read once by the server's side
	// in the hand-off: setupOK (handshake started), or failed with
	// setupErr (StartServerEncryption refused), or neither (the
	// SetBeforeHandshake function dropped the socket).
	setupOK, setupFailed bool
	setupErr             socket.SocketError

	// The server's side, on the server's loop: the hold on the pending
	// count, while the handshake is in s.hs.
	ticket accept.Ticket

	// The socket's side, on the socket's loop.
	timer    *engine.Timer // nil in blocking style, which watches deadline
	deadline time.Time     // when the handshake times out; zero: never
	conns    [5]socket.Connection
	hello    *helloLayer
	over     bool // the server stopped watching: encrypted, failed, timed out or cancelled
	handed   bool // given to the handler, which owns it now

	// cancelled is set on the server's loop by Close (or a hand-off that
	// found the server closed) and read on the socket's loop before the
	// socket goes to the handler.
	cancelled atomic.Bool
}

// incomingConnection is QSslServer::incomingConnection: a socket adopts
// fd (on a group loop with SetLoopGroup), the server's slots are
// connected, and the server handshake starts.
func (s *SSLServer) incomingConnection(ac accept.Conn) {
	if s.incoming != nil {
		s.incoming(ac.FD)
		return
	}
	fd := ac.FD
	h := &handshake{s: s, cfg: s.config, timeout: s.timeout, handler: s.handler, before: s.before}
	target := s.loop
	if s.group != nil && s.loop != nil {
		target = s.group.Next()
	}
	if target != s.loop {
		// The socket is made on target; the listener counts it as pending
		// until it is (HandOff's ticket), then handed returns here and
		// holds its own ticket until the handshake ends.
		s.l.HandOff(s.loop, target, ac, h.make, h.handedOff, h.dropped)
		return
	}
	h.local = true
	t := s.l.Hold()
	if !h.setUp(target, fd) {
		unix.Close(fd) // on failure fd is still ours
		s.l.Release(t)
		return
	}
	if !h.setupOK {
		s.l.Release(t)
		if h.setupFailed {
			s.ErrorOccurred.Emit(h.c, h.setupErr)
		}
		return
	}
	h.ticket = t
	s.hs[h.c] = h
}

// make is HandOff's constructor, on the socket's loop.
func (h *handshake) make(loop *engine.Loop, ac accept.Conn) (*tcp.Socket, bool) {
	if !h.setUp(loop, ac.FD) {
		return nil, false
	}
	return h.c.Socket, true
}

// handedOff is HandOff's queue, on the server's loop once the socket
// exists and the server still listens: the handshake is watched from now
// on. Everything the socket's loop posted about it comes after this.
func (h *handshake) handedOff(*tcp.Socket) {
	s := h.s
	switch {
	case h.setupFailed:
		s.ErrorOccurred.Emit(h.c, h.setupErr) // the socket is aborted already
	case h.setupOK:
		h.ticket = s.l.Hold()
		s.hs[h.c] = h
	}
}

// dropped is HandOff's drop: the server closed while the socket was being
// made (on the server's loop), or the server's loop is gone (on the
// socket's).
func (h *handshake) dropped(*tcp.Socket) {
	h.cancelled.Store(true)
	h.onSocketLoop(h.cancel)
}

// setUp makes the socket for fd on loop, its own: it adopts fd, the
// server's slots are connected, the SetBeforeHandshake function runs, and
// the server handshake starts. It reports false, with fd still open, when
// the socket could not adopt it.
func (h *handshake) setUp(loop *engine.Loop, fd int) bool {
	c := sslsock.NewSocket(loop)
	c.SetSSLConfiguration(h.cfg)
	if err := c.SetSocketDescriptor(fd, socket.ConnectedState); err != nil {
		return false
	}
	h.c = c
	s := h.s
	// The server's slots come first, so that the handler runs before the
	// socket's own Encrypted slots. What they report before the server
	// watches the socket (a failed start) is dropped by report, and
	// reported from setupErr instead.
	h.conns = [...]socket.Connection{
		c.PeerVerifyError.Connect(func(e sslsock.Error) { h.report(func() { s.PeerVerifyError.Emit(c, e) }) }),
		c.SSLErrors.Connect(func(errs []sslsock.Error) { h.report(func() { s.SSLErrors.Emit(c, errs) }) }),
		c.ErrorOccurred.Connect(func(e socket.SocketError) { h.report(func() { s.ErrorOccurred.Emit(c, e) }) }),
		c.Encrypted.Connect(h.encrypted),
		c.StateChanged.Connect(func(st socket.State) {
			if st == socket.UnconnectedState {
				h.gone()
			}
		}),
	}
	if h.before != nil {
		h.before(c)
		if h.over || c.State() != socket.ConnectedState {
			h.end()
			c.Abort()
			return true
		}
	}
	c.StartServerEncryption()
	if c.Mode() != sslsock.SSLServerMode {
		// No certificate or key, or an unusable protocol: the socket
		// reported it and is useless.
		h.setupFailed, h.setupErr = true, c.Error()
		h.end()
		c.Abort()
		return true
	}
	h.setupOK = true
	if h.timeout > 0 {
		h.deadline = time.Now().Add(h.timeout)
		if loop != nil {
			h.timer = loop.AfterFunc(h.timeout, h.timedOut)
		}
	}
	h.hello = &helloLayer{Layer: c.Layer(), h: h}
	c.SetLayer(h.hello)
	return true
}

// toServer runs fn on the server's loop: at once when the socket lives
// there, else posted. It reports false when the server's loop is gone.
func (h *handshake) toServer(fn func()) bool {
	if h.local {
		fn()
		return true
	}
	return h.s.loop.TryPost(fn)
}

// onSocketLoop runs fn on the socket's loop: at once when the caller is
// there, else posted (a closed loop released the socket already).
func (h *handshake) onSocketLoop(fn func()) {
	if l := h.c.Loop(); h.local || l == nil || l.InLoop() {
		fn()
	} else {
		l.Post(fn)
	}
}

// report emits one of the server's signals for the socket, on the
// server's loop, if the server still watches it there. When the server's
// loop is gone nobody will ever take the socket: it is aborted.
func (h *handshake) report(emit func()) {
	s, c := h.s, h.c
	if !h.toServer(func() {
		if s.hs[c] == h {
			emit()
		}
	}) && h.end() {
		c.Abort()
	}
}

// started is the client's first byte, a TLS handshake record, arriving:
// StartedEncryptionHandshake.
func (h *handshake) started() {
	if !h.over {
		h.report(func() { h.s.StartedEncryptionHandshake.Emit(h.c) })
	}
}

// end stops the socket's side of the watch: the timer, the server's slots
// and the hello layer. It reports whether the watch was still on.
func (h *handshake) end() bool {
	if h.over {
		return false
	}
	h.over = true
	if h.timer != nil {
		h.timer.Stop()
	}
	for _, cn := range h.conns {
		cn.Disconnect()
	}
	if hl := h.hello; hl != nil && h.c.Layer() == socket.Layer(hl) {
		h.c.SetLayer(hl.Layer)
	}
	return true
}

// encrypted is the socket's Encrypted: the connection is queued on the
// server's loop, or handed to the handler on its own, unless the server
// closed meanwhile.
func (h *handshake) encrypted() {
	if !h.end() {
		return
	}
	s, c := h.s, h.c
	if h.local {
		live := s.hs[c] == h && s.forget(h)
		switch {
		case !live:
			c.Abort() // the server closed meanwhile
		case h.handler != nil:
			h.handed = true
			h.handler(c)
		default:
			s.AddPendingConnection(c)
		}
		return
	}
	if h.handler != nil {
		if h.cancelled.Load() || !h.toServer(func() { s.release(h) }) {
			c.Abort()
			return
		}
		h.handed = true
		h.handler(c)
		return
	}
	if !h.toServer(func() { s.queueEncrypted(h) }) {
		c.Abort() // the server's loop is gone
	}
}

// queueEncrypted queues a socket of another loop that is encrypted, on
// the server's loop. A socket Close dropped meanwhile is not: the abort
// Close posted is on its way.
func (s *SSLServer) queueEncrypted(h *handshake) {
	if s.hs[h.c] != h {
		return
	}
	if s.forget(h) {
		s.AddPendingConnection(h.c)
	} else {
		h.cancelled.Store(true)
		h.onSocketLoop(h.cancel)
	}
}

// gone is the socket becoming unconnected during its handshake, or being
// released with its loop: the server stops counting it.
func (h *handshake) gone() {
	if h.end() {
		s := h.s
		h.toServer(func() { s.release(h) })
	}
}

// timedOut is QSslServerPrivate::handleHandshakeTimedOut, on the socket's
// loop (or in blocking style from driveHandshakes): the server reports the
// timeout with the socket, then the socket is aborted. When the socket
// lives on the server's loop it is still connected in the slot, as in Qt.
func (h *handshake) timedOut() {
	if !h.end() {
		return
	}
	s, c := h.s, h.c
	h.toServer(func() {
		if s.hs[c] == h {
			s.ErrorOccurred.Emit(c, socket.SocketTimeoutError)
			s.forget(h)
		}
	})
	c.Abort()
}

// cancel aborts a socket whose handshake Close (or a hand-off after
// Close) ended, on the socket's loop; one the handler owns is left alone.
func (h *handshake) cancel() {
	if h.handed {
		return
	}
	h.end()
	h.c.Abort()
}

// release forgets h if the server still watches it, on the server's loop.
func (s *SSLServer) release(h *handshake) {
	if s.hs[h.c] == h {
		s.forget(h)
	}
}

// forget drops the server's hold on a socket in s.hs: the pending count
// goes down. It reports whether the listening session the socket was
// accepted in still runs.
func (s *SSLServer) forget(h *handshake) (live bool) {
	delete(s.hs, h.c)
	return s.l.Release(h.ticket)
}

// drop aborts a queued socket nobody took when the server closes, on its
// own loop. On Loop.Close the loop releases its own sockets by itself.
func (s *SSLServer) drop(tc *tcp.Socket, loopClosing bool) {
	c := s.queued[tc]
	delete(s.queued, tc)
	if c == nil {
		return
	}
	switch cl := c.Loop(); {
	case cl == s.loop && loopClosing:
	case cl == s.loop || cl == nil || cl.InLoop():
		c.Abort()
	default:
		cl.Post(c.Abort)
	}
}
