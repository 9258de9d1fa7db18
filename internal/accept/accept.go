package accept

import (
	"time"

	"github.com/qsock/qsock/engine"
)

// acceptBatch is QTcpServerPrivate::readNotification: accept until the
// queue is empty or the pending limit is reached, handing each descriptor
// to Incoming and then running Accepted. fromWait is set under the
// blocking Wait, which (as Qt's waitForNewConnection) accepts while paused.
func (l *Listener[T]) acceptBatch(fromWait bool) {
	sess := l.session
	limit := maxPerTurn
	if fromWait && l.waitLimit > 0 {
		limit = l.waitLimit
	}
	for range limit {
		if l.eng == nil || l.session != sess {
			return // closed by a hook, maybe listening again
		}
		if (l.paused && !fromWait) || l.backingOff() {
			l.update()
			return
		}
		if l.total() >= l.maxPending {
			// Qt disables the notifier here; the kernel backlog holds
			// the rest until Take makes room.
			l.update()
			return
		}
		fd, peer, err := l.eng.AcceptPeer()
		l.acceptCalls++
		if err != nil {
			if err == engine.ErrWouldBlock {
				return
			}
			if connErr(err) {
				continue
			}
			l.acceptFailed(err)
			return
		}
		l.backoff = 0
		l.hooks.Incoming(Conn{FD: fd, Peer: peer})
		if l.hooks.Accepted != nil {
			l.hooks.Accepted()
		}
	}
}

// acceptFailed handles an accept error that is the listener's own.
// Resource errors back off and retry by themselves (DESIGN §5; Qt would
// pause until resumeAccepting). Anything else pauses, as Qt does: it
// means the descriptor is unusable (EBADF, EINVAL after a shutdown) and
// retrying cannot help.
func (l *Listener[T]) acceptFailed(err error) {
	code, text := Code(unwrapOp(err))
	if resourceErr(err) {
		l.startBackoff()
	} else {
		l.paused = true
		l.update()
	}
	l.err, l.errStr = code, text
	if l.hooks.AcceptError != nil {
		l.hooks.AcceptError(code)
	}
}

func unwrapOp(err error) error {
	if oe, ok := err.(*engine.OpError); ok {
		return oe.Err
	}
	return err
}

// backingOff reports whether a resource back-off is running. With a loop
// the timer ends it; the blocking style has no timer and reads the clock.
func (l *Listener[T]) backingOff() bool {
	if l.backoffUntil.IsZero() {
		return false
	}
	if l.loop == nil && !time.Now().Before(l.backoffUntil) {
		l.backoffUntil = time.Time{}
		return false
	}
	return true
}

// startBackoff suspends accepting for the next back-off step: 10 ms after
// the first failure, doubling with each failure in a row up to 1 s. A
// successful accept starts the sequence over.
func (l *Listener[T]) startBackoff() {
	if l.backoff == 0 {
		l.backoff = minBackoff
	} else {
		l.backoff = min(2*l.backoff, maxBackoff)
	}
	l.backoffUntil = time.Now().Add(l.backoff)
	l.update()
	if l.loop == nil {
		return
	}
	if l.timer == nil {
		l.timer = l.loop.AfterFunc(l.backoff, l.endBackoff)
	} else {
		l.timer.Reset(l.backoff)
	}
}

// endBackoff is the back-off timer: the only thing that resumes accepting
// after a resource error.
func (l *Listener[T]) endBackoff() {
	if l.backoffUntil.IsZero() {
		return
	}
	l.backoffUntil = time.Time{}
	l.update()
}
