package sslsock

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"time"

	"github.com/qsock/qsock/socket"
)

// verifier is what the handshake goroutine needs to check the peer.
type verifier struct {
	mode   PeerVerifyMode
	roots  []*x509.Certificate
	depth  int
	name   string
	server bool
}

// verify runs on the handshake goroutine (crypto/tls's VerifyConnection).
// Problems are reported on the socket's goroutine, where the user's slots
// decide; the handshake waits for that decision.
func (l *tlsLayer) verify(cs tls.ConnectionState, v verifier) error {
	if v.mode == VerifyNone || v.mode == QueryPeer {
		return nil
	}
	errs := verifyChain(cs.PeerCertificates, v.roots, v.name, v.server, v.depth, time.Now())
	if len(errs) == 0 {
		return nil
	}
	decision := make(chan error, 1)
	l.post(func() { l.s.reportErrors(l, errs, decision) })
	select {
	case err := <-decision:
		return err
	case <-l.ctx.Done():
		return errAborted
	}
}

// reportErrors is Qt's verification report: PeerVerifyError once per
// problem in the order found, then SSLErrors once with the list (host
// name mismatch first, as Qt lists it), then the decision: go on if every
// problem is ignored, wait for Resume under PauseOnSSLErrors, fail
// otherwise.
func (s *Socket) reportErrors(l *tlsLayer, errs []Error, decision chan error) {
	list := make([]Error, 0, len(errs))
	for _, e := range errs {
		if e.Code == HostNameMismatch {
			list = append(list, e)
		}
	}
	for _, e := range errs {
		if e.Code != HostNameMismatch {
			list = append(list, e)
		}
	}
	s.handshakeErrors = list
	for _, e := range errs {
		s.PeerVerifyError.Emit(e)
		if s.layer != l {
			decision <- errAborted
			return
		}
	}
	s.SSLErrors.Emit(append([]Error(nil), list...))
	if s.layer != l {
		decision <- errAborted
		return
	}
	if s.PauseMode()&socket.PauseOnSSLErrors != 0 && !s.ignored() {
		s.paused = decision
		return
	}
	decision <- s.decision()
}

func (s *Socket) decision() error {
	if s.ignored() {
		return nil
	}
	return s.handshakeErrors[0]
}

// ignored reports whether every problem of the handshake is ignored.
func (s *Socket) ignored() bool {
	if s.ignoreAll {
		return true
	}
	for _, e := range s.handshakeErrors {
		covered := false
		for _, ign := range s.ignoreList {
			if e.matches(ign) {
				covered = true
				break
			}
		}
		if !covered {
			return false
		}
	}
	return true
}

// WaitForEncrypted blocks until the handshake is done (true), fails, or d
// passes (QSslSocket::waitForEncrypted). It connects first when the
// socket is still looking up or connecting.
func (s *Socket) WaitForEncrypted(d time.Duration) bool {
	var deadline time.Time
	if d >= 0 {
		deadline = time.Now().Add(d)
	}
	return s.waitForEncrypted(context.Background(), deadline)
}

// WaitForEncryptedContext is WaitForEncrypted bounded by ctx.
func (s *Socket) WaitForEncryptedContext(ctx context.Context) error {
	deadline, _ := ctx.Deadline()
	if s.waitForEncrypted(ctx, deadline) {
		return nil
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := s.LastError(); err != nil {
		return err
	}
	return s.Error()
}

func (s *Socket) waitForEncrypted(ctx context.Context, deadline time.Time) bool {
	left := func() time.Duration {
		if ctx.Err() != nil {
			return 0
		}
		if deadline.IsZero() {
			return -1
		}
		return max(time.Until(deadline), 0)
	}
	if s.IsEncrypted() {
		return true
	}
	if st := s.State(); st == socket.HostLookupState || st == socket.ConnectingState {
		if !s.WaitForConnected(left()) {
			return false
		}
	}
	for s.layer != nil && !s.layer.ready {
		s.layer.drain()
		if s.layer == nil || s.layer.ready {
			break
		}
		r := left()
		if r == 0 {
			s.SetSocketError(socket.SocketTimeoutError, "Socket operation timed out")
			return false
		}
		if r < 0 || r > waitSlice {
			r = waitSlice
		}
		s.Flush()
		s.DriveTransport(r)
	}
	s.drainLayer()
	return s.IsEncrypted()
}

// drainLayer runs, in a blocking wait, what a layer queued for the
// socket's goroutine (its EncryptedBytesWritten, session tickets); on a
// loop the loop's turn runs it.
func (s *Socket) drainLayer() {
	if s.layer != nil && s.Loop() == nil {
		s.layer.drain()
	}
}

// beforeData finishes a handshake in progress inside a blocking wait and
// returns the time left of d.
func (s *Socket) beforeData(d time.Duration) (time.Duration, bool) {
	if s.layer == nil || s.layer.ready {
		return d, true
	}
	start := time.Now()
	if !s.WaitForEncrypted(d) {
		return 0, false
	}
	if d < 0 {
		return d, true
	}
	return max(d-time.Since(start), 0), true
}

// WaitForReadyRead waits for plaintext, finishing the handshake first.
func (s *Socket) WaitForReadyRead(d time.Duration) bool {
	d, ok := s.beforeData(d)
	ok = ok && s.Socket.WaitForReadyRead(d)
	s.drainLayer()
	return ok
}

// WaitForBytesWritten waits until plaintext was encrypted and sent,
// finishing the handshake first.
func (s *Socket) WaitForBytesWritten(d time.Duration) bool {
	d, ok := s.beforeData(d)
	ok = ok && s.Socket.WaitForBytesWritten(d)
	s.drainLayer()
	return ok
}
