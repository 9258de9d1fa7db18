package engine

import "time"

// Events is a set of readiness conditions reported for a descriptor.
type Events uint8

const (
	// Readable: data, a pending connection or end-of-file can be read
	// without blocking (QSocketNotifier::Read).
	Readable Events = 1 << iota
	// Writable: a write would not block, or a non-blocking connect has
	// finished (QSocketNotifier::Write).
	Writable
	// Hangup: the peer closed or the descriptor is in error. It is only
	// ever delivered together with the enabled directions, so a handler
	// that reads until EOF or an error needs no special case for it.
	Hangup
)

// String returns the set as "Readable|Writable|Hangup".
func (e Events) String() string {
	if e == 0 {
		return "0"
	}
	s := ""
	for _, f := range [...]struct {
		bit  Events
		name string
	}{{Readable, "Readable"}, {Writable, "Writable"}, {Hangup, "Hangup"}} {
		if e&f.bit != 0 {
			if s != "" {
				s += "|"
			}
			s += f.name
		}
	}
	return s
}

// pollEvent is one readiness report translated out of the mechanism's own
// record. It carries the registration's token, never the raw descriptor,
// so that a descriptor closed and reused within one batch cannot receive
// the events of the registration it replaced.
type pollEvent struct {
	token  uint64
	events Events
}

// poller is the readiness mechanism behind a Loop: epoll on Linux, kqueue
// on darwin and the BSDs. It is used by one goroutine only.
type poller interface {
	// update changes the interest of fd from old to new (both may be 0):
	// the mechanism adds, modifies or removes the registration as needed.
	update(fd int, token uint64, old, new Events) error
	// wait blocks until at least one event is ready or timeout passes
	// (timeout < 0: forever; 0: do not block) and fills evs.
	wait(evs []pollEvent, timeout time.Duration) (int, error)
	// look is wait(evs, 0) for the moment before the loop parks: it is
	// made through the runtime's system-call bookkeeping even where the
	// zero-timeout wait is not (see epoller.look).
	look(evs []pollEvent) (int, error)
	close() error
	// fd is the mechanism's own descriptor (epoll or kqueue), which is
	// itself pollable.
	fd() int
}

// timeoutMillis rounds a wait up to whole milliseconds, so that a timer due
// in 0.4 ms does not make the loop spin with zero-timeout waits.
func timeoutMillis(d time.Duration) int {
	if d < 0 {
		return -1
	}
	ms := (d + time.Millisecond - 1) / time.Millisecond
	if ms > 1<<30 {
		ms = 1 << 30
	}
	return int(ms)
}
