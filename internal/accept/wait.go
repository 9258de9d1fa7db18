package accept

import (
	"context"
	"errors"
	"time"

	"github.com/qsock/qsock/socket"
)

// cancelSlice bounds one poll while a cancellable context is watched:
// the engine's Wait watches one descriptor, so a cancellation is noticed
// between slices.
const cancelSlice = 50 * time.Millisecond

// errNotListening is the cause of Wait's OperationError.
var errNotListening = errors.New("not listening")

// Wait blocks until a connection can be accepted, d passes (d < 0: no
// limit) or ctx is done, then accepts what is there: Qt's
// waitForNewConnection, whose signals therefore fire on the calling
// goroutine. It accepts while paused, as Qt does, but not during a
// resource back-off: it sleeps that out first (within d), so a caller
// looping on Wait cannot spin on EMFILE either. On a running loop it
// blocks the loop for its duration, as Qt's does.
//
// ok is true once the descriptor was readable and accepting ran, even if
// what it accepted went elsewhere; timedOut reports that d passed; err is
// ctx's error, a poll failure, or an OperationError when not listening.
func (l *Listener[T]) Wait(ctx context.Context, d time.Duration) (ok, timedOut bool, err error) {
	if l.eng == nil {
		return false, false, &socket.Error{Code: socket.OperationError, Op: "waitForNewConnection", Err: errNotListening}
	}
	var deadline time.Time
	if d >= 0 {
		deadline = time.Now().Add(d)
	}
	if dl, has := ctx.Deadline(); has && (deadline.IsZero() || dl.Before(deadline)) {
		deadline = dl
	}
	cancellable := ctx.Done() != nil
	// left returns how long the next sleep or poll may take (-1: no limit)
	// and whether the time is up.
	left := func() (time.Duration, bool) {
		w := time.Duration(-1)
		if !deadline.IsZero() {
			w = time.Until(deadline)
			if w <= 0 {
				return 0, true
			}
		}
		if cancellable && (w < 0 || w > cancelSlice) {
			w = cancelSlice
		}
		return w, false
	}
	for !l.backoffUntil.IsZero() {
		rest := time.Until(l.backoffUntil)
		if rest <= 0 {
			l.endWaitBackoff()
			break
		}
		w, up := left()
		if up {
			return false, true, timeoutErr(ctx)
		}
		if w >= 0 && w < rest {
			rest = w
		}
		time.Sleep(rest)
		if err := ctx.Err(); err != nil {
			return false, false, err
		}
	}
	sess := l.session
	for {
		w, up := left()
		if up && d != 0 {
			return false, true, timeoutErr(ctx)
		}
		readable, _, werr := l.eng.Wait(true, false, w)
		if werr != nil {
			code, text := Code(unwrapOp(werr))
			l.err, l.errStr = code, text
			return false, false, &socket.Error{Code: code, Op: "waitForNewConnection", Err: unwrapOp(werr)}
		}
		if readable {
			break
		}
		if err := ctx.Err(); err != nil {
			return false, false, err
		}
		if _, up := left(); up || d == 0 {
			return false, true, timeoutErr(ctx)
		}
	}
	if l.session == sess {
		l.acceptBatch(true)
	}
	return true, false, nil
}

// endWaitBackoff ends a back-off whose time is up while Wait blocks the
// loop that would have run its timer.
func (l *Listener[T]) endWaitBackoff() {
	if l.timer != nil {
		l.timer.Stop()
	}
	l.endBackoff()
}

// timeoutErr is Wait's error when the time is up: ctx's own error when it
// was ctx's deadline, else a SocketTimeoutError.
func timeoutErr(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if dl, ok := ctx.Deadline(); ok && !time.Now().Before(dl) {
		return context.DeadlineExceeded
	}
	return &socket.Error{Code: socket.SocketTimeoutError, Op: "waitForNewConnection"}
}
