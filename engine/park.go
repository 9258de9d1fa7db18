package engine

import (
	"errors"
	"os"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// parker lets an idle loop wait inside Go's own netpoller instead of in a
// blocking epoll_wait/kevent: the poller's descriptor is itself pollable,
// so a duplicate of it is handed to the runtime, and the loop goroutine
// parks on it like any goroutine reading a socket. Blocking a thread in a
// system call instead costs a scheduler hand-off on every wake-up (sysmon
// retakes the processor after 20 µs and another thread must be woken),
// which dominated the cost of a lightly loaded loop.
//
// The runtime watches the duplicate edge-triggered, and it forgets
// readiness it saw before the park began (RawConn.Read resets it). So the
// non-blocking look at the poller is made inside the park, after that
// reset: what was ready before is found by the look, and what becomes
// ready after it adds to the poller's ready list, which wakes the
// runtime's watch.
type parker struct {
	f        *os.File
	rc       syscall.RawConn
	deadline bool // a read deadline is set on f
	look     func() (int, error)
	n        int
	err      error
	wait     func(fd uintptr) bool
}

// newParker returns nil when the runtime cannot poll the descriptor; the
// loop then blocks in the poller as before.
func newParker(fd int, look func() (int, error)) *parker {
	d, err := unix.FcntlInt(uintptr(fd), unix.F_DUPFD_CLOEXEC, 0)
	if err != nil {
		return nil
	}
	if err := unix.SetNonblock(d, true); err != nil {
		unix.Close(d)
		return nil
	}
	f := os.NewFile(uintptr(d), "qsock-poller")
	if err := f.SetReadDeadline(time.Time{}); errors.Is(err, os.ErrNoDeadline) {
		f.Close() // not in the runtime's poller: RawConn.Read would spin
		return nil
	}
	rc, err := f.SyscallConn()
	if err != nil {
		f.Close()
		return nil
	}
	pk := &parker{f: f, rc: rc, look: look}
	// One closure for the parker's life: parking allocates nothing.
	pk.wait = func(uintptr) bool {
		pk.n, pk.err = pk.look()
		return pk.n > 0 || pk.err != nil
	}
	return pk
}

// park looks at the poller and, while nothing is ready, blocks the
// goroutine until something is or timeout passes (timeout < 0: no limit).
// It returns what the last look found.
func (pk *parker) park(timeout time.Duration) (int, error) {
	switch {
	case timeout >= 0:
		pk.f.SetReadDeadline(time.Now().Add(timeout))
		pk.deadline = true
	case pk.deadline:
		pk.f.SetReadDeadline(time.Time{})
		pk.deadline = false
	}
	pk.n, pk.err = 0, nil
	pk.rc.Read(pk.wait) // a deadline ends it with nothing found
	return pk.n, pk.err
}

func (pk *parker) close() error { return pk.f.Close() }
