package accept

import (
	"sync"

	"golang.org/x/sys/unix"

	"github.com/qsock/qsock/engine"
)

// Batch hands accepted descriptors to one worker loop, which makes each
// connection and gives it to its handler: the serve-on-a-worker mode,
// where nothing comes back to the listener. The listener's goroutine
// queues; the worker takes whatever is queued in one posted function, so
// a burst of connections costs one wake-up and one post, not one per
// connection, and handing over allocates nothing of its own.
type Batch[T any] struct {
	target *engine.Loop
	// serve and drop are bound once, so that posting them allocates
	// nothing.
	serve, drop func()

	mu     sync.Mutex
	items  []handed[T]
	spare  []handed[T]
	posted bool // serve or drop is queued and has not taken items yet
}

// handed is one queued descriptor with what makes its connection (mk
// leaves fd open when it fails) and the handler that gets it.
type handed[T any] struct {
	c  Conn
	mk func(*engine.Loop, Conn) (T, bool)
	h  func(T)
}

// NewBatch returns a Batch handing connections to target.
func NewBatch[T any](target *engine.Loop) *Batch[T] {
	b := &Batch[T]{target: target}
	b.serve, b.drop = b.serveAll, b.dropAll
	return b
}

// Hand queues c for target, where mk makes its connection and h gets it.
// If target is closed, already or before it takes c, c's descriptor is
// closed.
func (b *Batch[T]) Hand(c Conn, mk func(*engine.Loop, Conn) (T, bool), h func(T)) {
	b.mu.Lock()
	b.items = append(b.items, handed[T]{c, mk, h})
	post := !b.posted
	b.posted = true
	b.mu.Unlock()
	if post {
		b.target.PostOr(b.serve, b.drop)
	}
}

// take empties the queue.
func (b *Batch[T]) take() []handed[T] {
	b.mu.Lock()
	items := b.items
	b.items, b.spare = b.spare[:0], nil
	b.posted = false
	b.mu.Unlock()
	return items
}

// giveBack keeps items' storage for the next batch, holding nothing.
func (b *Batch[T]) giveBack(items []handed[T]) {
	clear(items)
	b.mu.Lock()
	if b.spare == nil {
		b.spare = items[:0]
	}
	b.mu.Unlock()
}

// serveAll runs on target: it makes and hands over every queued
// connection. If a handler panics, the descriptors not yet reached are
// closed rather than leaked, and the panic goes on.
func (b *Batch[T]) serveAll() {
	items := b.take()
	next := 0
	defer func() {
		for _, it := range items[next:] {
			unix.Close(it.c.FD)
		}
		b.giveBack(items)
	}()
	for next < len(items) {
		it := items[next]
		next++
		if c, ok := make1(it.mk, b.target, it.c); ok {
			it.h(c)
		}
	}
}

// dropAll runs instead of serveAll when target is closed: the queued
// descriptors are closed.
func (b *Batch[T]) dropAll() {
	items := b.take()
	for _, it := range items {
		unix.Close(it.c.FD)
	}
	b.giveBack(items)
}
