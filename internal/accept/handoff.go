package accept

import (
	"sync/atomic"

	"golang.org/x/sys/unix"

	"github.com/qsock/qsock/engine"
)

// HandOff makes the connection for ac on target, whose goroutine must
// create it (its notifier belongs to that loop), and passes it to queue on
// home, the listener's loop (nil: a blocking-style caller, which waits).
// Until then the connection counts toward the pending limit; if the
// listener closed meanwhile, drop gets it instead. mk leaves the
// descriptor open when it fails; HandOff then closes it, as it does when a
// loop is gone.
func (l *Listener[T]) HandOff(home, target *engine.Loop, ac Conn,
	mk func(*engine.Loop, Conn) (T, bool), queue, drop func(T)) {
	t := l.Hold()
	done := func(c T, ok bool) {
		live := l.Release(t)
		switch {
		case !ok:
		case !live:
			drop(c) // closed meanwhile: Qt's close deletes pending ones
		default:
			queue(c)
		}
	}
	if home == nil {
		// Whoever claims fd first owns it: the function on target, or this
		// goroutine when Invoke gave up because target was closed.
		type made struct {
			c  T
			ok bool
		}
		var claimed atomic.Bool
		ch := make(chan made, 1)
		target.Invoke(func() {
			if claimed.CompareAndSwap(false, true) {
				c, ok := make1(mk, target, ac)
				ch <- made{c, ok}
			}
		})
		select {
		case m := <-ch:
			done(m.c, m.ok)
		default:
			if claimed.CompareAndSwap(false, true) {
				unix.Close(ac.FD)
			}
			l.Release(t)
		}
		return
	}
	target.PostOr(func() {
		c, ok := make1(mk, target, ac)
		home.PostOr(func() { done(c, ok) }, func() {
			if ok {
				drop(c) // the listener's loop is gone
			}
		})
	}, func() {
		unix.Close(ac.FD) // the worker loop is gone
		l.Release(t)
	})
}

func make1[T any](mk func(*engine.Loop, Conn) (T, bool), loop *engine.Loop, ac Conn) (T, bool) {
	c, ok := mk(loop, ac)
	if !ok {
		unix.Close(ac.FD)
	}
	return c, ok
}
