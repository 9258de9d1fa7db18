package accept

import (
	"net/netip"
	"time"

	"github.com/qsock/qsock/engine"
	"github.com/qsock/qsock/socket"
)

// Qt's defaults: QTcpServerPrivate::maxConnections and listenBacklog.
const (
	DefaultMaxPending = 30
	DefaultBacklog    = 50
)

// maxPerTurn bounds the accepts of one readiness event. Qt accepts until
// EAGAIN; under a connection storm that starves every other descriptor on
// the loop. The notifier is level-triggered, so what is left is reported
// again on the next turn.
const maxPerTurn = 64

// The back-off after a resource error (EMFILE, ENFILE, ...): long enough
// that a process out of descriptors is not woken thousands of times a
// second, short enough that service resumes soon after one is freed.
const (
	minBackoff = 10 * time.Millisecond
	maxBackoff = time.Second
)

// Hooks are what differs per server.
type Hooks[T any] struct {
	// Incoming takes ownership of one accepted descriptor, given with its
	// peer's address: Qt's virtual incomingConnection. It queues what it
	// made of it with Add, hands the descriptor elsewhere, or closes it.
	// Required.
	Incoming func(c Conn)
	// Accepted runs once per accepted descriptor after Incoming returned,
	// even if Incoming closed the listener: QTcpServer emits newConnection
	// there (QSslServer too, before its handshake). May be nil.
	Accepted func()
	// AcceptError reports a failed accept after ServerError and
	// ErrorString were set (Qt's acceptError). May be nil.
	AcceptError func(code socket.SocketError)
	// Drop releases a queued connection nobody took, when the listener
	// closes: Qt deletes those. loopClosing is true when the cause is
	// Loop.Close, which releases objects on that loop by itself and wants
	// no signal emitted. May be nil.
	Drop func(v T, loopClosing bool)
}

// Listener is the listening half of a server: the descriptor, its
// notifier, the pending queue and the accept policy. The zero value is not
// usable; call New.
type Listener[T any] struct {
	loop  *engine.Loop
	hooks Hooks[T]

	eng  *engine.NativeEngine
	n    *engine.Notifier
	addr netip.AddrPort // what ServerAddress/ServerPort report
	// session changes whenever the descriptor is released, so that a hand-off
	// or a callback that outlives its listening session can tell.
	session uint64

	backlog    int
	maxPending int
	queue      []T
	head       int
	inFlight   int // accepted, not queued yet (Hold)

	waitLimit int // accepts per Wait; 0: as many as a turn allows

	paused       bool
	backoff      time.Duration // the last back-off; 0 after a successful accept
	backoffUntil time.Time     // zero when not backing off
	timer        *engine.Timer

	err    socket.SocketError
	errStr string

	acceptCalls int
	readyCalls  int
}

// New returns a Listener for a server on loop (nil: the blocking style,
// driven by Wait). hooks.Incoming is required.
func New[T any](loop *engine.Loop, hooks Hooks[T]) *Listener[T] {
	if hooks.Incoming == nil {
		panic("accept: New without an Incoming hook")
	}
	return &Listener[T]{
		loop:       loop,
		hooks:      hooks,
		backlog:    DefaultBacklog,
		maxPending: DefaultMaxPending,
		err:        socket.UnknownSocketError,
	}
}

// SetHooks replaces the hooks, for a server type that embeds another and
// overrides what it does per connection (SSLServer over TCPServer).
func (l *Listener[T]) SetHooks(h Hooks[T]) {
	if h.Incoming == nil {
		panic("accept: SetHooks without an Incoming hook")
	}
	l.hooks = h
}

// Loop returns the loop the listener notifies on (nil: blocking style).
func (l *Listener[T]) Loop() *engine.Loop { return l.loop }

// IsListening reports whether a descriptor is held (isListening).
func (l *Listener[T]) IsListening() bool { return l.eng != nil }

// FD returns the listening descriptor, or -1 (socketDescriptor).
func (l *Listener[T]) FD() int {
	if l.eng == nil {
		return -1
	}
	return l.eng.FD()
}

// Engine returns the listening engine, or nil, for the servers' own
// address queries (local.Server's path).
func (l *Listener[T]) Engine() *engine.NativeEngine { return l.eng }

// Addr returns the address and port being listened on; the address is
// socket.Any for a dual-stack listener, and the whole value is zero when
// not listening (serverAddress/serverPort).
func (l *Listener[T]) Addr() netip.AddrPort { return l.addr }

// Session identifies the current listening session; it changes on Close.
func (l *Listener[T]) Session() uint64 { return l.session }

// SetBacklog sets the listen(2) backlog for the next listen
// (setListenBacklogSize).
func (l *Listener[T]) SetBacklog(n int) { l.backlog = n }

// Backlog returns the listen(2) backlog (listenBacklogSize).
func (l *Listener[T]) Backlog() int { return l.backlog }

// SetMaxPending sets how many accepted connections may wait to be taken
// (setMaxPendingConnections). Unlike Qt, raising it resumes accepting at
// once rather than at the next Take.
func (l *Listener[T]) SetMaxPending(n int) {
	l.maxPending = n
	l.update()
}

// MaxPending returns the pending limit (maxPendingConnections).
func (l *Listener[T]) MaxPending() int { return l.maxPending }

// Err returns the last error's code (serverError); UnknownSocketError
// when there was none.
func (l *Listener[T]) Err() socket.SocketError { return l.err }

// ErrString returns the last error's text (errorString).
func (l *Listener[T]) ErrString() string { return l.errStr }

// SetErr records an error the server itself raised.
func (l *Listener[T]) SetErr(code socket.SocketError, s string) {
	l.err, l.errStr = code, s
}

// Pause stops accepting (pauseAccepting): connections wait in the kernel
// backlog. Wait still accepts, as Qt's waitForNewConnection does.
func (l *Listener[T]) Pause() {
	l.paused = true
	l.update()
}

// Resume undoes Pause (resumeAccepting). It does not cut a resource
// back-off short.
func (l *Listener[T]) Resume() {
	l.paused = false
	l.update()
}

// SetWaitLimit bounds how many connections one Wait accepts (0: as many
// as are there, up to the per-turn bound). QLocalServer's
// waitForNewConnection takes exactly one per call: local.Server sets 1.
func (l *Listener[T]) SetWaitLimit(n int) { l.waitLimit = n }

// Paused reports whether Pause is in effect.
func (l *Listener[T]) Paused() bool { return l.paused }

// BackingOff reports whether accepting is suspended after a resource
// error.
func (l *Listener[T]) BackingOff() bool { return !l.backoffUntil.IsZero() }

// Stats reports how many accept calls and readiness events the listener
// has seen, for tests that prove it does not spin.
func (l *Listener[T]) Stats() (acceptCalls, readyEvents int) {
	return l.acceptCalls, l.readyCalls
}

// Close stops listening: the notifier and the descriptor are released,
// a back-off timer stops, and the queued connections go to Drop (Qt's
// close deletes them). Connections already taken are not affected. Close
// is idempotent.
func (l *Listener[T]) Close() { l.shutdown(false) }

// LoopClosed implements engine.LoopCloser: Loop.Close releases the
// listener like Close, without signals.
func (l *Listener[T]) LoopClosed() { l.shutdown(true) }

func (l *Listener[T]) shutdown(loopClosing bool) {
	if l.eng == nil && l.n == nil && len(l.queue) == l.head {
		return
	}
	l.session++
	if l.timer != nil {
		l.timer.Stop()
		l.timer = nil
	}
	l.backoff, l.backoffUntil = 0, time.Time{}
	l.inFlight = 0
	if l.n != nil {
		l.n.Close()
		l.n = nil
	}
	if l.eng != nil {
		_ = l.eng.Close()
		l.eng = nil
	}
	l.addr = netip.AddrPort{}
	q := l.queue[l.head:]
	l.queue, l.head = nil, 0
	if l.hooks.Drop != nil {
		for _, v := range q {
			l.hooks.Drop(v, loopClosing)
		}
	}
}
