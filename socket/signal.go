package socket

import (
	"sync/atomic"
	"unsafe"
)

// Signals are Qt's signals and slots reduced to what sockets need.
//
// Every signal here behaves like a Qt signal whose slots were all connected
// with Qt::DirectConnection: Emit calls the slots synchronously, on the
// emitting goroutine (the object's loop), in the order they were connected,
// and returns when the last one has returned. Qt's other connection types
// map to the loop: Qt::QueuedConnection is engine.Loop.Post called from a
// slot, Qt::BlockingQueuedConnection is engine.Loop.Invoke.
//
// As in Qt, a signal may be emitted again from inside one of its slots, and
// a slot may connect or disconnect slots (itself included) while the signal
// is being emitted: a slot connected during an emission is first called by
// the next emission, and a slot disconnected during an emission that has not
// reached it yet is not called by it.
//
// Signals need no locks because an object and its signals belong to one
// goroutine at a time (DESIGN §2). The Go type of the arguments replaces
// Qt's signal signature: Signal has none, Signal1 one, Signal2 two.

// Connection is a handle to one connected slot, returned by Connect; it is
// QMetaObject::Connection. It is a small comparable value (two Connections
// are equal when they are handles to the same connection); the zero
// Connection is connected to nothing.
type Connection struct {
	s    slotHandle
	list unsafe.Pointer // the *slots[F] the node was connected to, F being s's
}

// slotHandle is implemented by *slot[F] for every slot type F, so that a
// Connection need not be generic and can only reach the slot it was made
// for: a handle from one signal can never disconnect another signal's slot.
type slotHandle interface {
	disconnect(list unsafe.Pointer)
	connected() bool
}

// Disconnect disconnects the slot from its signal, like
// QObject::disconnect(const QMetaObject::Connection &). Calling it again, or
// on the zero Connection, does nothing. It is safe during an emission of the
// signal: if that emission has not called the slot yet, it will not.
func (c Connection) Disconnect() {
	if c.s != nil {
		c.s.disconnect(c.list)
	}
}

// Connected reports whether the slot is still connected, like
// QMetaObject::Connection's operator bool.
func (c Connection) Connected() bool {
	return c.s != nil && c.s.connected()
}

// noCopySignal makes go vet's copylocks check report copies of a signal
// after use: a copy would share slots with the original while keeping its
// own count of them.
type noCopySignal struct{}

// Lock and Unlock exist only for go vet; they do nothing.
func (*noCopySignal) Lock()   {}
func (*noCopySignal) Unlock() {}

// slot is one connected function, a node of its signal's list. Emit walks
// the list; its Connection reaches the node directly.
//
// A disconnected node is unlinked at once but keeps its next pointer, so an
// emission standing on it (the slot disconnected itself, or an earlier slot
// disconnected it) walks on to the same successors it would have reached.
// Nodes connected during an emission carry a later sequence number than
// the emission started with, and the emission stops before them, as Qt's
// does. No emission state lives in the signal: a panicking slot leaves
// nothing to undo, and one connected slot costs one 24-byte node (its
// Connection, not the node, knows the list, so a server's idle
// connections do not pay for it).
type slot[F any] struct {
	fn   F
	next *slot[F]
	seq  uint64 // connection order; 0 once disconnected
}

// lastSeq numbers connections in the order they were made. It is global so
// that a signal needs no counter of its own; only its order matters.
var lastSeq atomic.Uint64

func (sl *slot[F]) connected() bool { return sl.seq != 0 }

func (sl *slot[F]) disconnect(list unsafe.Pointer) {
	if sl.seq == 0 {
		return
	}
	sl.seq = 0
	var zero F
	sl.fn = zero // let the closure be collected at once
	for p := &(*slots[F])(list).head; *p != nil; p = &(*p).next {
		if *p == sl {
			*p = sl.next
			return
		}
	}
}

// slots is the list shared by Signal, Signal1 and Signal2; F is the slot's
// function type. The zero value is an empty list.
type slots[F any] struct {
	head *slot[F]
}

func (c *slots[F]) len() int {
	n := 0
	for sl := c.head; sl != nil; sl = sl.next {
		n++
	}
	return n
}

func (c *slots[F]) connect(fn F) Connection {
	sl := &slot[F]{fn: fn, seq: lastSeq.Add(1)}
	p := &c.head
	for *p != nil {
		p = &(*p).next
	}
	*p = sl
	return Connection{sl, unsafe.Pointer(c)}
}

// begin returns the first node and the last sequence number an emission
// starting now may call.
func (c *slots[F]) begin() (*slot[F], uint64) {
	return c.head, lastSeq.Load()
}

func (c *slots[F]) disconnectAll() {
	var zero F
	for sl := c.head; sl != nil; sl = sl.next {
		sl.seq = 0
		sl.fn = zero
	}
	c.head = nil
}

// Signal is a signal without arguments, such as QAbstractSocket::connected()
// or QIODevice::readyRead(). The zero value is ready to use; a Signal must
// not be copied after first use.
type Signal struct {
	_ noCopySignal
	c slots[func()] // an unused signal costs one word
}

// Connect connects fn to the signal and returns its handle; like
// QObject::connect with Qt::DirectConnection. Connecting the same function
// twice makes two connections, called twice per emission, as in Qt. A nil
// fn panics here rather than later in Emit.
func (s *Signal) Connect(fn func()) Connection {
	if fn == nil {
		panic("socket: Signal.Connect with nil func")
	}
	return s.c.connect(fn)
}

// Emit calls the connected slots in connection order (Qt's emit). It does
// not allocate.
func (s *Signal) Emit() {
	sl, last := s.c.begin()
	for ; sl != nil && sl.seq <= last; sl = sl.next {
		if sl.seq != 0 {
			sl.fn()
		}
	}
}

// DisconnectAll disconnects every slot, like QObject::disconnect(sender,
// signal, nullptr, nullptr). During an emission, the slots it has not yet
// reached are not called.
func (s *Signal) DisconnectAll() {
	s.c.disconnectAll()
}

// Len returns the number of connected slots, like QObject::receivers; an
// emitter can skip preparing arguments nobody will see.
func (s *Signal) Len() int { return s.c.len() }

// Signal1 is a signal with one argument of type T, such as
// QAbstractSocket::stateChanged(SocketState). The zero value is ready to
// use; a Signal1 must not be copied after first use.
type Signal1[T any] struct {
	_ noCopySignal
	c slots[func(T)] // an unused signal costs one word
}

// Connect connects fn to the signal; see Signal.Connect.
func (s *Signal1[T]) Connect(fn func(T)) Connection {
	if fn == nil {
		panic("socket: Signal1.Connect with nil func")
	}
	return s.c.connect(fn)
}

// Emit calls the connected slots with v in connection order; see
// Signal.Emit.
func (s *Signal1[T]) Emit(v T) {
	sl, last := s.c.begin()
	for ; sl != nil && sl.seq <= last; sl = sl.next {
		if sl.seq != 0 {
			sl.fn(v)
		}
	}
}

// DisconnectAll disconnects every slot; see Signal.DisconnectAll.
func (s *Signal1[T]) DisconnectAll() {
	s.c.disconnectAll()
}

// Len returns the number of connected slots; see Signal.Len.
func (s *Signal1[T]) Len() int { return s.c.len() }

// Signal2 is a signal with two arguments, such as QSslServer::errorOccurred(
// QSslSocket *, QAbstractSocket::SocketError). The zero value is ready to
// use; a Signal2 must not be copied after first use.
type Signal2[A, B any] struct {
	_ noCopySignal
	c slots[func(A, B)] // an unused signal costs one word
}

// Connect connects fn to the signal; see Signal.Connect.
func (s *Signal2[A, B]) Connect(fn func(A, B)) Connection {
	if fn == nil {
		panic("socket: Signal2.Connect with nil func")
	}
	return s.c.connect(fn)
}

// Emit calls the connected slots with a and b in connection order; see
// Signal.Emit.
func (s *Signal2[A, B]) Emit(a A, b B) {
	sl, last := s.c.begin()
	for ; sl != nil && sl.seq <= last; sl = sl.next {
		if sl.seq != 0 {
			sl.fn(a, b)
		}
	}
}

// DisconnectAll disconnects every slot; see Signal.DisconnectAll.
func (s *Signal2[A, B]) DisconnectAll() {
	s.c.disconnectAll()
}

// Len returns the number of connected slots; see Signal.Len.
func (s *Signal2[A, B]) Len() int { return s.c.len() }
