package engine

import (
	"container/heap"
	"sync"
	"time"
)

// Timer is a one-shot timer on a Loop (QTimer::singleShot, or a QTimer that
// Reset re-arms). Its function runs on the loop's goroutine. Stop and Reset
// may be called from any goroutine.
type Timer struct {
	h    *timerHeap
	when time.Time
	seq  uint64
	fn   func()
	idx  int // position in the heap, -1 when not scheduled
}

// timerHeap orders timers by deadline, then by creation, so timers due at
// the same instant fire in the order they were set.
type timerHeap struct {
	loop    *Loop
	mu      sync.Mutex
	q       []*Timer
	seq     uint64
	stopped bool
}

func (h *timerHeap) Len() int { return len(h.q) }
func (h *timerHeap) Less(i, j int) bool {
	a, b := h.q[i], h.q[j]
	if !a.when.Equal(b.when) {
		return a.when.Before(b.when)
	}
	return a.seq < b.seq
}
func (h *timerHeap) Swap(i, j int) {
	h.q[i], h.q[j] = h.q[j], h.q[i]
	h.q[i].idx = i
	h.q[j].idx = j
}
func (h *timerHeap) Push(x any) {
	t := x.(*Timer)
	t.idx = len(h.q)
	h.q = append(h.q, t)
}
func (h *timerHeap) Pop() any {
	n := len(h.q) - 1
	t := h.q[n]
	h.q[n] = nil
	h.q = h.q[:n]
	t.idx = -1
	return t
}

// AfterFunc calls fn on the loop's goroutine once d has passed
// (QTimer::singleShot). A non-positive d fires on the next turn. After
// Close the returned timer never fires.
func (l *Loop) AfterFunc(d time.Duration, fn func()) *Timer {
	t := &Timer{h: &l.timers, fn: fn, idx: -1}
	t.Reset(d)
	return t
}

// Stop cancels the timer. It reports whether the call stopped it, false
// when it had already fired or been stopped.
func (t *Timer) Stop() bool {
	h := t.h
	h.mu.Lock()
	defer h.mu.Unlock()
	if t.idx < 0 {
		return false
	}
	heap.Remove(h, t.idx)
	return true
}

// Reset re-arms the timer to fire after d, whether or not it already fired
// or was stopped. It reports whether the timer had been pending.
func (t *Timer) Reset(d time.Duration) bool {
	h := t.h
	h.mu.Lock()
	if h.stopped {
		h.mu.Unlock()
		return false
	}
	was := t.idx >= 0
	t.when = time.Now().Add(d)
	h.seq++
	t.seq = h.seq
	if was {
		heap.Fix(h, t.idx)
	} else {
		heap.Push(h, t)
	}
	first := t.idx == 0
	h.mu.Unlock()
	if first {
		// The loop may be asleep with a later deadline.
		h.loop.wakeup()
	}
	return was
}

// untilNext returns the time left until the earliest timer, 0 when one is
// due, -1 when none is set.
func (h *timerHeap) untilNext() time.Duration {
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.q) == 0 {
		return -1
	}
	d := time.Until(h.q[0].when)
	if d < 0 {
		d = 0
	}
	return d
}

// fire runs the timers that were due when it started. A timer re-armed by a
// callback gets a new sequence number, so it cannot fire twice in one turn
// even when the clock has not moved.
func (h *timerHeap) fire() {
	h.mu.Lock()
	if len(h.q) == 0 {
		h.mu.Unlock()
		return
	}
	now := time.Now()
	limit := h.seq
	h.mu.Unlock()
	for {
		h.mu.Lock()
		if len(h.q) == 0 {
			h.mu.Unlock()
			return
		}
		t := h.q[0]
		if t.when.After(now) || t.seq > limit {
			h.mu.Unlock()
			return
		}
		heap.Pop(h)
		h.mu.Unlock()
		h.loop.claim()
		t.fn()
	}
}

func (h *timerHeap) stopAll() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.stopped = true
	for _, t := range h.q {
		t.idx = -1
	}
	h.q = nil
}
