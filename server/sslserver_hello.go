package server

import (
	"errors"
	"fmt"

	"github.com/qsock/qsock/engine"
	"github.com/qsock/qsock/socket"
)

// tlsHandshakeRecord is the content type of a TLS handshake record, the
// first byte of every ClientHello.
const tlsHandshakeRecord = 0x16

// errNotTLS ends a connection whose client did not start with a TLS
// handshake record: the socket reports SSLHandshakeFailedError.
var errNotTLS = fmt.Errorf("the client did not start a TLS handshake: %w", socket.SSLHandshakeFailedError)

// helloLayer sits over a server socket's TLS layer until the client's
// first bytes arrive, to see the first one: what Qt's QSslServer does
// with a readyRead slot and peek before it starts the handshake. Here
// the handshake starts at accept (the TLS layer must see every byte), so
// the first byte is observed on its way in instead. The layer takes
// itself out after the first read.
type helloLayer struct {
	socket.Layer
	s *SSLServer
	h *handshake
}

// ReadTransport passes the read on, noting its first byte.
func (hl *helloLayer) ReadTransport(t socket.Transport, plain socket.PlaintextSink) error {
	pt := firstByte{Transport: t}
	err := hl.Layer.ReadTransport(&pt, plain)
	if !pt.seen {
		if pt.err != nil && !errors.Is(pt.err, engine.ErrWouldBlock) {
			// The client left without a word (a TCP health check, a port
			// scan): the remote-close sequence, RemoteHostClosedError as
			// in Qt, not a failed handshake.
			return pt.err
		}
		return err
	}
	c := hl.h.c
	if c.Layer() == socket.Layer(hl) {
		c.SetLayer(hl.Layer)
	}
	// The handshake goroutine's results reach the socket through its
	// loop, after this returns: StartedEncryptionHandshake comes first.
	if serr := hl.s.started(hl.h, pt.first); serr != nil {
		return serr
	}
	return err
}

// firstByte is a Transport that remembers the first byte read through it.
type firstByte struct {
	socket.Transport
	first byte
	seen  bool
	err   error
}

func (f *firstByte) Read(p []byte) (int, error) {
	n, err := f.Transport.Read(p)
	if n > 0 && !f.seen {
		f.first, f.seen = p[0], true
	}
	f.err = err
	return n, err
}
