package local

import (
	"context"
	"time"

	"github.com/qsock/qsock/socket"
)

// The WaitFor* calls are AbstractSocket's, after finishing a connect that
// is waiting for room in the server's backlog (the only way a local socket
// can be Connecting when one is called).

// WaitForConnected blocks until the socket is connected or d passes (d <
// 0: no limit) and reports whether it is connected
// (QLocalSocket::waitForConnected). A connect is normally over when
// ConnectToServer returns, so this only waits for a server whose backlog
// is full; when d passes the socket is still Connecting, as in Qt.
func (s *Socket) WaitForConnected(d time.Duration) bool {
	s.waitPending(context.Background(), deadlineOf(d))
	return s.State() == socket.ConnectedState
}

// WaitForConnectedContext is WaitForConnected bounded by ctx: nil once
// connected, ctx's error when it ended first, else the socket's error.
func (s *Socket) WaitForConnectedContext(ctx context.Context) error {
	s.waitPending(ctx, time.Time{})
	if s.State() == socket.ConnectedState {
		return nil
	}
	return s.waitErr(ctx)
}

// WaitForReadyRead blocks until new data is buffered (true), the
// connection closes, or d passes (QLocalSocket::waitForReadyRead).
func (s *Socket) WaitForReadyRead(d time.Duration) bool {
	dl := deadlineOf(d)
	if !s.waitPending(context.Background(), dl) {
		return false
	}
	return s.AbstractSocket.WaitForReadyRead(left(d, dl))
}

// WaitForReadyReadContext is WaitForReadyRead bounded by ctx.
func (s *Socket) WaitForReadyReadContext(ctx context.Context) error {
	if !s.waitPending(ctx, time.Time{}) {
		return s.waitErr(ctx)
	}
	return s.AbstractSocket.WaitForReadyReadContext(ctx)
}

// WaitForBytesWritten blocks until queued bytes were written (true), the
// connection closes, or d passes (QLocalSocket::waitForBytesWritten).
func (s *Socket) WaitForBytesWritten(d time.Duration) bool {
	dl := deadlineOf(d)
	if !s.waitPending(context.Background(), dl) {
		return false
	}
	return s.AbstractSocket.WaitForBytesWritten(left(d, dl))
}

// WaitForBytesWrittenContext is WaitForBytesWritten bounded by ctx.
func (s *Socket) WaitForBytesWrittenContext(ctx context.Context) error {
	if !s.waitPending(ctx, time.Time{}) {
		return s.waitErr(ctx)
	}
	return s.AbstractSocket.WaitForBytesWrittenContext(ctx)
}

// WaitForDisconnected blocks until the socket is Unconnected (true) or d
// passes (QLocalSocket::waitForDisconnected). On an Unconnected socket it
// returns false at once.
func (s *Socket) WaitForDisconnected(d time.Duration) bool {
	dl := deadlineOf(d)
	if !s.waitPending(context.Background(), dl) {
		return false
	}
	return s.AbstractSocket.WaitForDisconnected(left(d, dl))
}

// WaitForDisconnectedContext is WaitForDisconnected bounded by ctx.
func (s *Socket) WaitForDisconnectedContext(ctx context.Context) error {
	if !s.waitPending(ctx, time.Time{}) {
		return s.waitErr(ctx)
	}
	return s.AbstractSocket.WaitForDisconnectedContext(ctx)
}

// waitPending retries a connect waiting for the server until it is over,
// the deadline (zero: none) passes or ctx ends. It reports whether the
// socket is past connecting.
func (s *Socket) waitPending(ctx context.Context, deadline time.Time) bool {
	for s.pending != nil {
		p := s.pending
		if p.timer != nil {
			p.timer.Stop() // this call drives the retries now
			p.timer = nil
		}
		wait := retryInterval
		if !deadline.IsZero() {
			rest := time.Until(deadline)
			if rest <= 0 {
				s.resumeRetries(p)
				return false
			}
			wait = min(wait, rest)
		}
		select {
		case <-ctx.Done():
			s.resumeRetries(p)
			return false
		case <-time.After(wait):
		}
		if s.pending == p {
			s.tryConnect()
		}
	}
	return s.State() != socket.ConnectingState
}

// resumeRetries gives the retries back to the loop after a wait gave up.
func (s *Socket) resumeRetries(p *pendingConnect) {
	if p.timer == nil && s.pending == p {
		s.retryLater(p)
	}
}

func (s *Socket) waitErr(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := s.LastError(); err != nil {
		return err
	}
	return s.Error()
}

func deadlineOf(d time.Duration) time.Time {
	if d < 0 {
		return time.Time{}
	}
	return time.Now().Add(d)
}

// left is the time a wait bounded by d has after part of it was spent.
func left(d time.Duration, deadline time.Time) time.Duration {
	if d < 0 {
		return d
	}
	return max(time.Until(deadline), 0)
}
