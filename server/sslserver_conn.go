package server

import (
	"time"

	"github.com/qsock/qsock/engine"
	"github.com/qsock/qsock/internal/accept"
	"github.com/qsock/qsock/socket"
	"github.com/qsock/qsock/sslsock"
	"github.com/qsock/qsock/tcp"
	"golang.org/x/sys/unix"
)

// handshake is what the server keeps of a socket between accept and
// Encrypted: QSslServerPrivate's SocketData.
type handshake struct {
	c      *sslsock.Socket
	ticket accept.Ticket
	timer  *engine.Timer // nil in blocking style, which watches deadline
	// deadline is when the handshake times out; zero: never.
	deadline time.Time
	conns    [5]socket.Connection
}

// incomingConnection is QSslServer::incomingConnection: a socket adopts
// fd, the server's slots are connected, and the server handshake starts.
func (s *SSLServer) incomingConnection(fd int) {
	if s.incoming != nil {
		s.incoming(fd)
		return
	}
	c := sslsock.NewSocket(s.Loop())
	c.SetSSLConfiguration(s.config)
	if err := c.SetSocketDescriptor(fd, socket.ConnectedState); err != nil {
		unix.Close(fd) // on failure fd is still ours
		return
	}
	h := &handshake{c: c, ticket: s.l.Hold()}
	h.conns = [...]socket.Connection{
		c.PeerVerifyError.Connect(func(e sslsock.Error) { s.PeerVerifyError.Emit(c, e) }),
		c.SSLErrors.Connect(func(errs []sslsock.Error) { s.SSLErrors.Emit(c, errs) }),
		c.ErrorOccurred.Connect(func(e socket.SocketError) { s.ErrorOccurred.Emit(c, e) }),
		c.Encrypted.Connect(func() { s.encrypted(h) }),
		c.StateChanged.Connect(func(st socket.State) {
			if st == socket.UnconnectedState {
				s.forget(h)
			}
		}),
	}
	s.hs[c] = h
	if s.timeout > 0 {
		h.deadline = time.Now().Add(s.timeout)
		if loop := s.Loop(); loop != nil {
			h.timer = loop.AfterFunc(s.timeout, func() { s.timedOut(h) })
		}
	}
	c.StartServerEncryption()
	if c.Mode() != sslsock.SSLServerMode {
		// No certificate or key, or an unusable protocol: the socket
		// reported it (forwarded as ErrorOccurred) and is useless.
		c.Abort()
		return
	}
	hl := &helloLayer{Layer: c.Layer(), s: s, h: h}
	c.SetLayer(hl)
}

// encrypted is the socket's Encrypted: the connection is queued, or
// handed to the handler, unless the server closed meanwhile.
func (s *SSLServer) encrypted(h *handshake) {
	if s.hs[h.c] != h {
		return
	}
	live := s.forget(h)
	c := h.c
	switch {
	case !live:
		c.Abort() // the server closed meanwhile
	case s.handler != nil:
		s.handler(c)
	default:
		s.AddPendingConnection(c)
	}
}

// forget drops the server's hold on a socket that is encrypted or gone:
// the timer stops, the server's slots are disconnected and the pending
// count goes down. It reports whether the listening session the socket
// was accepted in still runs.
func (s *SSLServer) forget(h *handshake) (live bool) {
	if s.hs[h.c] != h {
		return false
	}
	delete(s.hs, h.c)
	if h.timer != nil {
		h.timer.Stop()
	}
	for _, cn := range h.conns {
		cn.Disconnect()
	}
	return s.l.Release(h.ticket)
}

// timedOut is QSslServerPrivate::handleHandshakeTimedOut: the server
// reports the timeout with the socket, which is still connected in the
// slot, then aborts it.
func (s *SSLServer) timedOut(h *handshake) {
	if s.hs[h.c] != h {
		return
	}
	s.ErrorOccurred.Emit(h.c, socket.SocketTimeoutError)
	s.forget(h)
	h.c.Abort()
}

// drop aborts a queued socket nobody took when the server closes; on
// Loop.Close the loop releases it by itself.
func (s *SSLServer) drop(tc *tcp.Socket, loopClosing bool) {
	c := s.queued[tc]
	delete(s.queued, tc)
	if !loopClosing && c != nil {
		c.Abort()
	}
}

// started runs when the client's first byte arrived: a TLS handshake
// record goes on with StartedEncryptionHandshake, anything else is
// dropped (QSslServerPrivate::checkClientHelloAndContinue). It returns
// the error that ends the connection, or nil.
func (s *SSLServer) started(h *handshake, first byte) error {
	if first != tlsHandshakeRecord {
		return errNotTLS
	}
	if s.hs[h.c] == h {
		s.StartedEncryptionHandshake.Emit(h.c)
	}
	return nil
}
