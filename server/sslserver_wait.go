package server

import (
	"context"
	"time"

	"github.com/qsock/qsock/socket"
)

// handshakeSlice bounds how long a blocking-style wait drives one
// handshake before it looks at the others and the listener again.
const handshakeSlice = 5 * time.Millisecond

// WaitForNewConnection is QTcpServer::waitForNewConnection on a
// QSslServer. On a server with a loop it is TCPServer's: it returns once a
// client was accepted, and the handshake goes on in the loop. In blocking
// style (a nil loop), where no loop would ever finish a handshake, it
// accepts and drives the handshakes itself until a connection is
// encrypted and pending (ok), d passes (timedOut; d < 0: no limit), or
// the server stops listening with nothing in progress. The signals fire
// on the calling goroutine, and the handshake timeout is enforced here.
func (s *SSLServer) WaitForNewConnection(d time.Duration) (ok, timedOut bool) {
	if s.Loop() != nil {
		return s.TCPServer.WaitForNewConnection(d)
	}
	ok, timedOut, _ = s.waitEncrypted(context.Background(), d)
	if timedOut {
		s.l.SetErr(socket.SocketTimeoutError, "Network operation timed out")
	}
	return ok, timedOut
}

// WaitForNewConnectionContext is WaitForNewConnection until ctx is done:
// nil once a connection was accepted (with a loop) or is encrypted and
// pending (blocking style), ctx's error when it ended first, a
// *socket.Error (OperationError) when the server is not listening.
func (s *SSLServer) WaitForNewConnectionContext(ctx context.Context) error {
	if s.Loop() != nil {
		return s.TCPServer.WaitForNewConnectionContext(ctx)
	}
	_, _, err := s.waitEncrypted(ctx, -1)
	return err
}

func (s *SSLServer) waitEncrypted(ctx context.Context, d time.Duration) (ok, timedOut bool, err error) {
	var deadline time.Time
	if d >= 0 {
		deadline = time.Now().Add(d)
	}
	if dl, has := ctx.Deadline(); has && (deadline.IsZero() || dl.Before(deadline)) {
		deadline = dl
	}
	for !s.HasPendingConnections() {
		if err := ctx.Err(); err != nil {
			return false, false, err
		}
		left := time.Duration(-1)
		if !deadline.IsZero() {
			if left = time.Until(deadline); left <= 0 {
				return false, true, timeoutErr(ctx)
			}
		}
		if len(s.hs) == 0 {
			// Nothing to drive: block on the listener.
			_, to, err := s.l.Wait(ctx, left)
			if err != nil {
				return false, to, err
			}
			continue
		}
		if s.IsListening() {
			s.l.Wait(ctx, 0) // accept whoever is waiting, without blocking
		}
		s.driveHandshakes(left)
	}
	return true, false, nil
}

// driveHandshakes gives each handshake in progress a slice of at most
// left (< 0: a whole slice), and drops those whose time is up.
func (s *SSLServer) driveHandshakes(left time.Duration) {
	var hs []*handshake
	for _, h := range s.hs {
		hs = append(hs, h)
	}
	slice := handshakeSlice
	if left >= 0 {
		slice = min(slice, left)
	}
	for _, h := range hs {
		if s.hs[h.c] != h {
			continue
		}
		step := slice
		if !h.deadline.IsZero() {
			rest := time.Until(h.deadline)
			if rest <= 0 {
				h.timedOut()
				continue
			}
			step = min(step, rest)
		}
		c := h.c
		// WaitForEncrypted records a SocketTimeoutError when the slice
		// ends; that is the server's slicing, not the socket's error.
		code, text := c.Error(), c.ErrorString()
		if !c.WaitForEncrypted(step) && c.State() == socket.ConnectedState && c.Error() == socket.SocketTimeoutError {
			c.SetSocketError(code, text)
		}
	}
}

// timeoutErr is the error of a wait whose time is up: ctx's own error
// when it was ctx's deadline, else a SocketTimeoutError.
func timeoutErr(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if dl, ok := ctx.Deadline(); ok && !time.Now().Before(dl) {
		return context.DeadlineExceeded
	}
	return &socket.Error{Code: socket.SocketTimeoutError, Op: "waitForNewConnection"}
}
