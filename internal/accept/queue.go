package accept

// Ticket stands for one connection accepted but not yet queued; see Hold.
type Ticket struct{ session uint64 }

// Add queues v (addPendingConnection). It queues even when the listener is
// not listening, as Qt does; Close drops it then.
func (l *Listener[T]) Add(v T) {
	if l.head > 0 && l.head == len(l.queue) {
		// Reuse the array once drained instead of letting it creep.
		clear(l.queue)
		l.queue, l.head = l.queue[:0], 0
	}
	l.queue = append(l.queue, v)
}

// Take removes and returns the oldest queued connection
// (nextPendingConnection); ok is false when none is queued. Taking one
// re-enables accepting below the limit, even after Pause, as Qt's
// nextPendingConnection turns the notifier back on; a back-off after
// EMFILE still runs its course.
func (l *Listener[T]) Take() (v T, ok bool) {
	if l.head == len(l.queue) {
		return v, false
	}
	v = l.queue[l.head]
	var zero T
	l.queue[l.head] = zero
	l.head++
	if l.n != nil {
		l.paused = false
	}
	l.update()
	return v, true
}

// Len returns the number of queued connections.
func (l *Listener[T]) Len() int { return len(l.queue) - l.head }

// Has reports whether a connection is queued (hasPendingConnections).
func (l *Listener[T]) Has() bool { return l.head < len(l.queue) }

// Hold counts a connection accepted but not queued yet toward the pending
// limit: a socket being set up on another loop, or a TLS handshake in
// progress (Qt 6 counts those in totalPendingConnections). Give the
// ticket back with Release, whatever became of the connection.
func (l *Listener[T]) Hold() Ticket {
	l.inFlight++
	return Ticket{l.session}
}

// Release returns a ticket from Hold. It reports whether the listening
// session the ticket was taken in is still the current one; when it is
// not, the listener was closed meanwhile and the connection should be
// dropped, not queued.
func (l *Listener[T]) Release(t Ticket) (live bool) {
	if t.session != l.session || l.eng == nil {
		return false
	}
	if l.inFlight > 0 {
		l.inFlight--
	}
	l.update()
	return true
}

// total is Qt 6's totalPendingConnections.
func (l *Listener[T]) total() int { return l.Len() + l.inFlight }

// update sets the read notifier to what the policy says: watch while
// listening, not paused, not backing off and below the pending limit.
func (l *Listener[T]) update() {
	if l.n == nil {
		return
	}
	on := !l.paused && l.backoffUntil.IsZero() && l.total() < l.maxPending
	// An error here means the loop was closed; LoopClosed releases us.
	_ = l.n.SetReadEnabled(on)
}
