//go:build darwin || freebsd || netbsd || openbsd

package engine

import (
	"os"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// kpoller is kqueue with one filter per direction. kqueue's user-data field
// has a different type on every BSD, so tokens are kept in a table indexed
// by descriptor and translated when the batch is read, before any handler
// runs: a descriptor reused inside the batch still maps its events to the
// old token.
type kpoller struct {
	kq      int
	tokens  []uint64
	changes []unix.Kevent_t
	raw     []unix.Kevent_t
}

func newPoller() (poller, error) {
	syscall.ForkLock.RLock()
	kq, err := unix.Kqueue()
	if err == nil {
		unix.CloseOnExec(kq)
	}
	syscall.ForkLock.RUnlock()
	if err != nil {
		return nil, os.NewSyscallError("kqueue", err)
	}
	return &kpoller{kq: kq, raw: make([]unix.Kevent_t, 256)}, nil
}

func (p *kpoller) update(fd int, token uint64, old, new Events) error {
	old &^= Hangup
	new &^= Hangup
	if old == new {
		return nil
	}
	for fd >= len(p.tokens) {
		p.tokens = append(p.tokens, 0)
	}
	p.tokens[fd] = token
	p.changes = p.changes[:0]
	add := func(filter int, was, is bool) {
		if was == is {
			return
		}
		var k unix.Kevent_t
		flags := unix.EV_ADD
		if !is {
			flags = unix.EV_DELETE
		}
		unix.SetKevent(&k, fd, filter, flags)
		p.changes = append(p.changes, k)
	}
	add(unix.EVFILT_READ, old&Readable != 0, new&Readable != 0)
	add(unix.EVFILT_WRITE, old&Writable != 0, new&Writable != 0)
	for {
		_, err := unix.Kevent(p.kq, p.changes, nil, nil)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return os.NewSyscallError("kevent", err)
		}
		return nil
	}
}

// look is wait(evs, 0): kevent already goes through the runtime's
// system-call bookkeeping (see epoller.look for why that matters).
func (p *kpoller) look(evs []pollEvent) (int, error) { return p.wait(evs, 0) }

func (p *kpoller) wait(evs []pollEvent, timeout time.Duration) (int, error) {
	if len(p.raw) < len(evs) {
		p.raw = make([]unix.Kevent_t, len(evs))
	}
	raw := p.raw[:len(evs)]
	var ts *unix.Timespec
	var t unix.Timespec
	if timeout >= 0 {
		t = unix.NsecToTimespec(int64(timeout))
		ts = &t
	}
	n, err := unix.Kevent(p.kq, nil, raw, ts)
	if err == unix.EINTR {
		return 0, nil
	}
	if err != nil {
		return 0, os.NewSyscallError("kevent", err)
	}
	for i := 0; i < n; i++ {
		r := &raw[i]
		var e Events
		switch r.Filter {
		case unix.EVFILT_READ:
			e = Readable
		case unix.EVFILT_WRITE:
			e = Writable
		}
		if r.Flags&(unix.EV_EOF|unix.EV_ERROR) != 0 {
			e |= Hangup
		}
		var tok uint64
		if fd := int(r.Ident); fd < len(p.tokens) {
			tok = p.tokens[fd]
		}
		evs[i] = pollEvent{token: tok, events: e}
	}
	return n, nil
}

func (p *kpoller) fd() int { return p.kq }

func (p *kpoller) close() error {
	return unix.Close(p.kq)
}
