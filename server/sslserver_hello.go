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

// helloLayer sits over a server socket's TLS layer while the server
// watches its handshake. It sees the client's first byte: what Qt's
// QSslServer does with a readyRead slot and peek before it starts the
// handshake. Here the handshake starts at accept (the TLS layer must see
// every byte), so the first byte is observed on its way in instead. It
// also notices the socket's loop closing under a handshake (Release),
// which emits no signal. The server takes it out when the handshake ends.
type helloLayer struct {
	socket.Layer
	h    *handshake
	seen bool
}

// ReadTransport passes the read on, noting its first byte.
func (hl *helloLayer) ReadTransport(t socket.Transport, plain socket.PlaintextSink) error {
	if hl.seen {
		return hl.Layer.ReadTransport(t, plain)
	}
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
	hl.seen = true
	if pt.first != tlsHandshakeRecord {
		return errNotTLS
	}
	// The handshake goroutine's results reach the socket through its
	// loop, after this returns: StartedEncryptionHandshake comes first.
	hl.h.started()
	return err
}

// Release passes the release on. The socket releases its layer when it
// closes, before it reports why; only a release by Loop.Close, which
// reports nothing, ends the watch here. Posting to a closed loop fails, which
// is how that case is told apart; otherwise the posted check finds the
// watch already ended by the socket's own signals.
func (hl *helloLayer) Release() {
	hl.Layer.Release()
	h := hl.h
	if h.local {
		return // the server's loop is the one closing: it goes too
	}
	if l := h.c.Loop(); l != nil && !l.TryPost(h.gone) {
		h.gone()
	}
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
