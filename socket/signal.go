package socket

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
	s slotHandle
}

// slotHandle is implemented by *slot[F] for every slot type F, so that a
// Connection need not be generic and can only reach the slot it was made
// for: a handle from one signal can never disconnect another signal's slot.
type slotHandle interface {
	disconnect()
	connected() bool
}

// Disconnect disconnects the slot from its signal, like
// QObject::disconnect(const QMetaObject::Connection &). Calling it again, or
// on the zero Connection, does nothing. It is safe during an emission of the
// signal: if that emission has not called the slot yet, it will not.
func (c Connection) Disconnect() {
	if c.s != nil {
		c.s.disconnect()
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

// slot is one connected function. Emit reaches it through slots.list; its
// Connection reaches it directly, which is how Disconnect costs Emit nothing.
type slot[F any] struct {
	fn    F
	owner *slots[F]
	alive bool
}

func (sl *slot[F]) connected() bool { return sl.alive }

func (sl *slot[F]) disconnect() {
	if !sl.alive {
		return
	}
	sl.alive = false
	var zero F
	sl.fn = zero // let the closure be collected even while the slot waits for compaction
	o := sl.owner
	o.live--
	if o.depth > 0 {
		// The running emission indexes list by position; removing now would
		// make it skip a slot, so compaction waits until it ends.
		o.dirty = true
		return
	}
	o.remove(sl)
}

// slots is the implementation shared by Signal, Signal1 and Signal2; F is
// the slot's function type.
type slots[F any] struct {
	list  []*slot[F]
	live  int  // connected slots in list
	depth int  // emissions in progress (an emission may nest in a slot)
	dirty bool // list holds disconnected slots to drop when depth is 0
}

func (c *slots[F]) len() int {
	if c == nil {
		return 0
	}
	return c.live
}

func (c *slots[F]) connect(fn F) Connection {
	sl := &slot[F]{fn: fn, owner: c, alive: true}
	c.list = append(c.list, sl)
	c.live++
	return Connection{sl}
}

// begin starts an emission and returns how many slots it may call: those
// connected before it began, as Qt (slots appended later sit past n).
func (c *slots[F]) begin() int {
	c.depth++
	return len(c.list)
}

// end finishes an emission; the outermost one drops disconnected slots.
func (c *slots[F]) end() {
	c.depth--
	if c.depth == 0 && c.dirty {
		c.compact()
	}
}

func (c *slots[F]) remove(sl *slot[F]) {
	for i, s := range c.list {
		if s == sl {
			n := copy(c.list[i:], c.list[i+1:])
			c.list[i+n] = nil
			c.list = c.list[:i+n]
			return
		}
	}
}

func (c *slots[F]) compact() {
	kept := c.list[:0]
	for _, s := range c.list {
		if s.alive {
			kept = append(kept, s)
		}
	}
	clear(c.list[len(kept):])
	c.list = kept
	c.dirty = false
}

func (c *slots[F]) disconnectAll() {
	var zero F
	for _, s := range c.list {
		s.alive = false
		s.fn = zero
	}
	c.live = 0
	if c.depth > 0 {
		c.dirty = true
		return
	}
	clear(c.list)
	c.list = c.list[:0]
}

// Signal is a signal without arguments, such as QAbstractSocket::connected()
// or QIODevice::readyRead(). The zero value is ready to use; a Signal must
// not be copied after first use.
type Signal struct {
	_ noCopySignal
	c *slots[func()] // allocated by the first Connect: an unused signal costs one word
}

// Connect connects fn to the signal and returns its handle; like
// QObject::connect with Qt::DirectConnection. Connecting the same function
// twice makes two connections, called twice per emission, as in Qt. A nil
// fn panics here rather than later in Emit.
func (s *Signal) Connect(fn func()) Connection {
	if fn == nil {
		panic("socket: Signal.Connect with nil func")
	}
	if s.c == nil {
		s.c = new(slots[func()])
	}
	return s.c.connect(fn)
}

// Emit calls the connected slots in connection order (Qt's emit). It does
// not allocate.
func (s *Signal) Emit() {
	if s.c == nil || s.c.live == 0 {
		return
	}
	n := s.c.begin()
	defer s.c.end() // a panicking slot must not leave the signal "emitting" forever
	for i := 0; i < n; i++ {
		// Read s.c.list afresh: a slot may have appended to it and moved it.
		if sl := s.c.list[i]; sl.alive {
			sl.fn()
		}
	}
}

// DisconnectAll disconnects every slot, like QObject::disconnect(sender,
// signal, nullptr, nullptr). During an emission, the slots it has not yet
// reached are not called.
func (s *Signal) DisconnectAll() {
	if s.c != nil {
		s.c.disconnectAll()
	}
}

// Len returns the number of connected slots, like QObject::receivers; an
// emitter can skip preparing arguments nobody will see.
func (s *Signal) Len() int { return s.c.len() }

// Signal1 is a signal with one argument of type T, such as
// QAbstractSocket::stateChanged(SocketState). The zero value is ready to
// use; a Signal1 must not be copied after first use.
type Signal1[T any] struct {
	_ noCopySignal
	c *slots[func(T)] // allocated by the first Connect: an unused signal costs one word
}

// Connect connects fn to the signal; see Signal.Connect.
func (s *Signal1[T]) Connect(fn func(T)) Connection {
	if fn == nil {
		panic("socket: Signal1.Connect with nil func")
	}
	if s.c == nil {
		s.c = new(slots[func(T)])
	}
	return s.c.connect(fn)
}

// Emit calls the connected slots with v in connection order; see
// Signal.Emit.
func (s *Signal1[T]) Emit(v T) {
	if s.c == nil || s.c.live == 0 {
		return
	}
	n := s.c.begin()
	defer s.c.end()
	for i := 0; i < n; i++ {
		if sl := s.c.list[i]; sl.alive {
			sl.fn(v)
		}
	}
}

// DisconnectAll disconnects every slot; see Signal.DisconnectAll.
func (s *Signal1[T]) DisconnectAll() {
	if s.c != nil {
		s.c.disconnectAll()
	}
}

// Len returns the number of connected slots; see Signal.Len.
func (s *Signal1[T]) Len() int { return s.c.len() }

// Signal2 is a signal with two arguments, such as QSslServer::errorOccurred(
// QSslSocket *, QAbstractSocket::SocketError). The zero value is ready to
// use; a Signal2 must not be copied after first use.
type Signal2[A, B any] struct {
	_ noCopySignal
	c *slots[func(A, B)] // allocated by the first Connect: an unused signal costs one word
}

// Connect connects fn to the signal; see Signal.Connect.
func (s *Signal2[A, B]) Connect(fn func(A, B)) Connection {
	if fn == nil {
		panic("socket: Signal2.Connect with nil func")
	}
	if s.c == nil {
		s.c = new(slots[func(A, B)])
	}
	return s.c.connect(fn)
}

// Emit calls the connected slots with a and b in connection order; see
// Signal.Emit.
func (s *Signal2[A, B]) Emit(a A, b B) {
	if s.c == nil || s.c.live == 0 {
		return
	}
	n := s.c.begin()
	defer s.c.end()
	for i := 0; i < n; i++ {
		if sl := s.c.list[i]; sl.alive {
			sl.fn(a, b)
		}
	}
}

// DisconnectAll disconnects every slot; see Signal.DisconnectAll.
func (s *Signal2[A, B]) DisconnectAll() {
	if s.c != nil {
		s.c.disconnectAll()
	}
}

// Len returns the number of connected slots; see Signal.Len.
func (s *Signal2[A, B]) Len() int { return s.c.len() }
