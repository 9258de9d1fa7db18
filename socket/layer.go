package socket

import "time"

// Layer transforms the byte stream between the transport and the
// socket's buffers, both ways: how QSslSocket sits on QTcpSocket. A TLS
// layer turns records into plaintext on the way in and plaintext into
// records on the way out, and holds plaintext back (no ReadyRead, queued
// writes stay queued) until its handshake is done. The state machine,
// buffers and signals stay the socket's; the layer only moves bytes.
//
// All methods run on the socket's loop goroutine (or the goroutine
// driving a blocking-style socket).
type Layer interface {
	// ReadTransport reads what t has, decodes it, and appends plaintext
	// to plain. It returns nil while the stream goes on, io.EOF when it
	// ended cleanly, or the error that broke it.
	ReadTransport(t Transport, plain PlaintextSink) error
	// WriteTransport encodes plaintext from bufs (nil while the layer is
	// not Ready) and writes it, with anything the layer itself must send,
	// to t. It returns the plaintext bytes it consumed and whether encoded
	// bytes are still waiting for the kernel to take them.
	WriteTransport(t Transport, bufs [][]byte) (taken int, pending bool, err error)
	// Ready reports whether plaintext may flow.
	Ready() bool
	// Shutdown sends the layer's goodbye (a TLS close_notify) before a
	// graceful close; errors are not reported, the socket closes anyway.
	Shutdown(t Transport)
	// Release tells the layer the transport is gone (closed, aborted,
	// failed, or its loop closed), so it can stop any work of its own.
	Release()
}

// PlaintextSink receives the plaintext a layer decoded.
type PlaintextSink interface {
	WritePlaintext(p []byte)
}

type plainSink AbstractSocket

func (p *plainSink) WritePlaintext(b []byte) { p.rbuf.Write(b) }

// SetLayer puts l between the transport and the buffers (nil removes it).
// Socket classes call it; sslsock.Socket installs its TLS layer here.
func (s *AbstractSocket) SetLayer(l Layer) {
	if l != nil || s.x != nil {
		s.extra().layer = l
	}
}

// Layer returns the installed layer, nil for a plain socket.
func (s *AbstractSocket) Layer() Layer {
	if s.x == nil {
		return nil
	}
	return s.x.layer
}

// SetConnectedHook sets fn to run when the socket becomes connected,
// after StateChanged(ConnectedState) and before Connected is emitted —
// where QSslSocket emits modeChanged and starts its handshake.
func (s *AbstractSocket) SetConnectedHook(fn func()) { s.extra().connectedHook = fn }

// EmitReadyRead emits ReadyRead for plaintext a layer made available
// outside a read notification (after its handshake), keeping Qt's rule that
// ReadyRead does not recurse.
func (s *AbstractSocket) EmitReadyRead() {
	if s.avail() > 0 {
		s.emitReadyRead()
	}
}

// DriveTransport waits up to timeout for the transport to become readable
// (or writable, when bytes are pending) and runs the socket's read and
// write handling, as a loop turn would: for socket classes whose layer
// must make progress inside their own blocking waits (sslsock's
// WaitForEncrypted). It reports whether the transport was ready.
func (s *AbstractSocket) DriveTransport(timeout time.Duration) bool {
	if s.tr == nil {
		return false
	}
	pending := s.wbuf.Len() > 0 || (s.notifier != nil && s.notifier.WriteEnabled())
	rd, wr, err := s.tr.Wait(s.readWanted(), pending, timeout)
	if err != nil {
		return false
	}
	if wr {
		s.canWrite()
	}
	if rd && s.tr != nil && s.readWanted() {
		s.canRead()
	}
	return rd || wr
}

// Plaintext returns where a layer puts the plaintext it decoded outside
// ReadTransport (after its handshake, from bytes that came with it).
func (s *AbstractSocket) Plaintext() PlaintextSink { return (*plainSink)(s) }
