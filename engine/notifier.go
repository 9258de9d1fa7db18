package engine

import (
	"math"

	"golang.org/x/sys/unix"
)

// Handler receives a notifier's readiness events on the loop's goroutine.
// Ready gets only the directions currently enabled (plus Hangup), so a
// handler that disabled reading earlier in the same batch is not told that
// the descriptor is readable.
type Handler interface {
	Ready(ev Events)
}

// Notifier watches one descriptor for readiness on a Loop (QSocketNotifier,
// with the read and write notifiers of one socket folded into one
// registration). Enabling and disabling a direction is cheap: it changes the
// poller's interest only when the set actually changes, and a notifier with
// nothing enabled is not in the poller at all.
//
// A Notifier belongs to its loop's goroutine. It never closes the
// descriptor: the owner closes the notifier first, then the descriptor.
type Notifier struct {
	// An idle connection holds one notifier, so it is kept to 32 bytes:
	// the interest and the generation live in the loop's registration
	// table, and a notifier is closed once its entry names another.
	loop *Loop
	h    Handler
	fd   int32
	idx  uint32
}

// NewNotifier registers fd with the loop. Both directions start disabled.
// A negative descriptor gives an error wrapping unix.EBADF.
func (l *Loop) NewNotifier(fd int, h Handler) (*Notifier, error) {
	if l.p == nil {
		return nil, ErrLoopClosed
	}
	if fd < 0 || fd > math.MaxInt32 {
		return nil, opErr("notifier", unix.EBADF)
	}
	var idx uint32
	if n := len(l.free); n > 0 {
		idx = l.free[n-1]
		l.free = l.free[:n-1]
	} else {
		idx = uint32(len(l.regs))
		l.regs = append(l.regs, registration{})
	}
	r := &l.regs[idx]
	r.gen++
	nt := &Notifier{loop: l, fd: int32(fd), h: h, idx: idx}
	r.n, r.interest = nt, 0
	return nt, nil
}

// reg returns the notifier's registration, or nil once it is closed.
func (n *Notifier) reg() *registration {
	regs := n.loop.regs
	if int(n.idx) < len(regs) {
		if r := &regs[n.idx]; r.n == n {
			return r
		}
	}
	return nil
}

// interest returns the directions being watched; none once closed.
func (n *Notifier) interest() Events {
	if r := n.reg(); r != nil {
		return r.interest
	}
	return 0
}

// FD returns the watched descriptor.
func (n *Notifier) FD() int { return int(n.fd) }

// Loop returns the loop the notifier is registered on.
func (n *Notifier) Loop() *Loop { return n.loop }

// SetEnabled sets the directions to watch (Readable, Writable or both).
func (n *Notifier) SetEnabled(ev Events) error {
	ev &= Readable | Writable
	r := n.reg()
	if r == nil || ev == r.interest {
		return nil
	}
	if n.loop.p == nil {
		return ErrLoopClosed
	}
	if err := n.loop.p.update(int(n.fd), r.token(n.idx), r.interest, ev); err != nil {
		return err
	}
	r.interest = ev
	return nil
}

// SetReadEnabled turns read readiness notification on or off
// (QSocketNotifier::setEnabled on the Read notifier).
func (n *Notifier) SetReadEnabled(on bool) error {
	return n.SetEnabled(with(n.interest(), Readable, on))
}

// SetWriteEnabled turns write readiness notification on or off.
func (n *Notifier) SetWriteEnabled(on bool) error {
	return n.SetEnabled(with(n.interest(), Writable, on))
}

// Enabled returns the directions being watched.
func (n *Notifier) Enabled() Events { return n.interest() }

// ReadEnabled reports whether read readiness is watched.
func (n *Notifier) ReadEnabled() bool { return n.interest()&Readable != 0 }

// WriteEnabled reports whether write readiness is watched.
func (n *Notifier) WriteEnabled() bool { return n.interest()&Writable != 0 }

func with(set, bit Events, on bool) Events {
	if on {
		return set | bit
	}
	return set &^ bit
}

// Close removes the registration. Events for it that are already in the
// batch being dispatched are dropped, even if the descriptor number is
// reused by a new notifier before the batch ends. Close is idempotent and
// does not close the descriptor.
func (n *Notifier) Close() {
	r := n.reg()
	if r == nil {
		return
	}
	l := n.loop
	if r.interest != 0 && l.p != nil {
		// Errors are ignored: the descriptor may already be closed, in
		// which case the kernel dropped the registration itself.
		_ = l.p.update(int(n.fd), r.token(n.idx), r.interest, 0)
	}
	r.n, r.interest = nil, 0
	l.free = append(l.free, n.idx)
}

// deliver hands ev, cut to the directions r (the notifier's registration)
// watches, to the handler.
func (n *Notifier) deliver(r *registration, ev Events) {
	ev &= r.interest | Hangup
	if ev&(Readable|Writable) == 0 {
		// A hang-up on a direction nobody watches is reported when the
		// handler next enables one.
		return
	}
	n.h.Ready(ev)
}
