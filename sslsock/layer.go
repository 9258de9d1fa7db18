package sslsock

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"sync"

	"github.com/qsock/qsock/engine"
	"github.com/qsock/qsock/socket"
)

// tlsLayer is the socket.Layer of a Socket: a crypto/tls Conn over a
// bufConn. The handshake runs on a goroutine of its own (crypto/tls cannot
// suspend a handshake half-way), blocked on bufConn until the loop feeds
// it; everything it wants done on the socket — send ciphertext, report
// verification problems, finish — is queued and run on the socket's
// goroutine. After the handshake, records are processed on the loop with
// non-blocking reads. One goroutine per handshake in flight, gone when
// the handshake ends.
type tlsLayer struct {
	s      *Socket
	bc     *bufConn
	conn   *tls.Conn
	ctx    context.Context
	cancel context.CancelFunc
	ready  bool
	done   bool // the handshake goroutine finished (or was abandoned)

	// encWritten is ciphertext the kernel took whose
	// EncryptedBytesWritten is still to come: it follows the plaintext
	// BytesWritten of the same write, at the next turn, as Qt's comes
	// when its plain socket flushes.
	encWritten int64
	encPosted  bool
	emitEnc    func() // emitEncryptedBytesWritten, bound once

	mu    sync.Mutex
	queue []func()

	iov [1][]byte
	out []byte // what Encode handed to a batched send, until Sent
}

// post queues fn for the socket's goroutine: the loop runs it at its next
// turn, a blocking wait when it drains the queue.
func (l *tlsLayer) post(fn func()) {
	l.mu.Lock()
	l.queue = append(l.queue, fn)
	l.mu.Unlock()
	if loop := l.s.Loop(); loop != nil {
		loop.Post(l.drain)
	}
}

// drain runs what the handshake goroutine queued.
func (l *tlsLayer) drain() {
	for {
		l.mu.Lock()
		q := l.queue
		l.queue = nil
		l.mu.Unlock()
		if len(q) == 0 {
			return
		}
		for _, fn := range q {
			fn()
		}
	}
}

func (l *tlsLayer) start(server bool, cfg *tls.Config) {
	l.bc = newBufConn()
	l.bc.onWrite = l.wantFlush
	if server {
		l.conn = tls.Server(l.bc, cfg)
	} else {
		l.conn = tls.Client(l.bc, cfg)
	}
	ctx, cancel := context.WithCancel(context.Background())
	l.ctx, l.cancel = ctx, cancel
	conn := l.conn
	go func() {
		err := conn.HandshakeContext(ctx)
		l.post(func() { l.finished(err) })
	}()
}

// wantFlush asks the socket to send a flight that the handshake
// goroutine released.
func (l *tlsLayer) wantFlush() {
	l.post(func() {
		if _, out := l.bc.pending(); out > 0 {
			l.s.Flush()
		}
	})
}

func (l *tlsLayer) finished(err error) {
	if l.done {
		return
	}
	l.done = true
	l.cancel()
	l.s.handshakeFinished(err)
}

// Ready reports whether the handshake is done.
func (l *tlsLayer) Ready() bool { return l.ready }

// ReadTransport reads ciphertext. While the handshake runs it only feeds
// the handshake goroutine; afterwards it decrypts on the spot.
func (l *tlsLayer) ReadTransport(t socket.Transport, plain socket.PlaintextSink) error {
	scratch := scratchPool.Get().(*[scratchSize]byte)
	defer scratchPool.Put(scratch)
	n, err := t.Read(scratch[:])
	if n > 0 {
		l.bc.feed(scratch[:n])
	}
	var end error
	switch {
	case err == nil, errors.Is(err, engine.ErrWouldBlock):
	default:
		end = err
		l.bc.endInput(err)
	}
	if !l.ready {
		if end != nil && l.done {
			return end
		}
		// The handshake goroutine hears of the end through bufConn
		// and fails the handshake itself.
		return nil
	}
	return l.decrypt(plain, end, scratch)
}

// scratchSize holds the largest TLS record's plaintext.
const scratchSize = 16 << 10

// scratchPool holds the arrays ReadTransport reads ciphertext into and
// decrypt reads plaintext into: in use only during one call, so an idle
// connection holds none.
var scratchPool = sync.Pool{New: func() any { return new([scratchSize]byte) }}

// decrypt moves every complete record's plaintext into the socket.
func (l *tlsLayer) decrypt(plain socket.PlaintextSink, end error, scratch *[scratchSize]byte) error {
	for l.bc.hasRecord() || end != nil {
		n, err := l.conn.Read(scratch[:])
		if n > 0 {
			plain.WritePlaintext(scratch[:n])
		}
		if err == nil {
			continue
		}
		if err == errWouldBlock {
			return end // no complete record buffered: wait for more
		}
		if err == io.EOF && end == nil {
			return io.EOF // close_notify
		}
		if end != nil {
			return end
		}
		return err
	}
	return nil
}

// WriteTransport encrypts plaintext (once the handshake is done) and sends
// ciphertext, keeping what the kernel did not take.
func (l *tlsLayer) WriteTransport(t socket.Transport, bufs [][]byte) (taken int, pending bool, err error) {
	if l.ready {
		for _, b := range bufs {
			if _, err := l.conn.Write(b); err != nil {
				return taken, true, err
			}
			taken += len(b)
		}
	}
	out := l.bc.takeOut()
	if len(out) == 0 {
		return taken, false, nil
	}
	l.iov[0] = out
	n, werr := t.Writev(l.iov[:])
	l.iov[0] = nil
	l.wrote(n)
	l.bc.unshift(out, max(n, 0))
	if werr != nil && !errors.Is(werr, engine.ErrWouldBlock) {
		return taken, true, werr
	}
	return taken, n < len(out), nil
}

var _ socket.BatchLayer = (*tlsLayer)(nil)

// Encode is WriteTransport's first half, for the loop's batched sends
// (socket.BatchLayer): it encrypts bufs and returns the plaintext taken and
// the ciphertext waiting to be sent.
func (l *tlsLayer) Encode(bufs [][]byte) (taken int, out []byte, err error) {
	for _, b := range bufs {
		if _, err := l.conn.Write(b); err != nil {
			return taken, nil, err
		}
		taken += len(b)
	}
	l.out = l.bc.takeOut()
	return taken, l.out, nil
}

// Sent is WriteTransport's second half: the kernel took n bytes of what
// Encode returned.
func (l *tlsLayer) Sent(n int) {
	out := l.out
	l.out = nil
	l.wrote(n)
	l.bc.unshift(out, n)
}

// Pending reports whether ciphertext is still waiting for the kernel.
func (l *tlsLayer) Pending() bool {
	_, out := l.bc.pending()
	return out > 0
}

// wrote counts ciphertext the kernel took, for EncryptedBytesWritten,
// which is emitted from the loop afterwards (only when a slot listens).
func (l *tlsLayer) wrote(n int) {
	if n > 0 && l.s.EncryptedBytesWritten.Len() > 0 {
		l.encWritten += int64(n)
		if !l.encPosted {
			l.encPosted = true
			if l.emitEnc == nil {
				l.emitEnc = l.emitEncryptedBytesWritten
			}
			l.post(l.emitEnc)
		}
	}
}

// emitEncryptedBytesWritten reports the ciphertext written since the
// last report, unless the layer was released meanwhile.
func (l *tlsLayer) emitEncryptedBytesWritten() {
	n := l.encWritten
	l.encWritten, l.encPosted = 0, false
	if n > 0 && l.s.layer == l {
		l.s.EncryptedBytesWritten.Emit(n)
	}
}

// Shutdown sends close_notify after everything queued, and reports it
// (with any ciphertext not reported yet) before the socket becomes
// Unconnected, as Qt does.
func (l *tlsLayer) Shutdown(t socket.Transport) {
	if !l.ready {
		return
	}
	l.conn.CloseWrite()
	if out := l.bc.takeOut(); len(out) > 0 {
		l.iov[0] = out
		n, _ := t.Writev(l.iov[:])
		l.iov[0] = nil
		if l.s.EncryptedBytesWritten.Len() > 0 {
			l.encWritten += int64(max(n, 0))
		}
	}
	l.emitEncryptedBytesWritten()
}

// Release stops the handshake goroutine when the transport goes away.
func (l *tlsLayer) Release() {
	if l.cancel != nil {
		l.cancel()
	}
	if l.bc != nil {
		l.bc.Close()
	}
	l.done = true
}
