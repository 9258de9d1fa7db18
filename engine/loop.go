package engine

import (
	"errors"
	"sync"
	"sync/atomic"
	"time"
)

// ErrLoopClosed is returned by operations on a Loop after Close.
var ErrLoopClosed = errors.New("engine: loop closed")

// ErrLoopRunning is returned by Run when the loop is already being run.
var ErrLoopRunning = errors.New("engine: loop already running")

// wakeToken marks the waker's own registration in a batch.
const wakeToken = ^uint64(0)

// Loop is an event loop: Qt's QEventDispatcherUNIX plus QEventLoop. One
// goroutine runs it (Run until Quit), and every notifier, timer and posted
// function it owns runs on that goroutine, like the objects living in a
// QThread. Post, Invoke, Quit, AfterFunc and Timer methods may be called from
// any goroutine; everything else belongs to the loop's goroutine (or to the
// owner while the loop is not running).
//
// One turn of the loop waits for readiness, dispatches the batch of ready
// notifiers, fires due timers, runs posted functions, then runs the
// end-of-turn handlers (see EndOfTurn) before it waits again.
type Loop struct {
	p      poller
	w      *waker
	pk     *parker // nil: block in the poller itself
	events []pollEvent

	regs []registration
	free []uint32

	mu      sync.Mutex   // guards posted, closed
	nposted atomic.Int32 // len(posted), readable without the lock
	posted  []postedFunc
	spare   []postedFunc

	closed      bool
	polling     atomic.Bool // the loop is (about to be) blocked in wait
	wakePending atomic.Bool // a wake-up was signalled and not yet drained
	quit        atomic.Bool
	running     atomic.Bool
	owner       atomic.Int64  // goroutine running the loop, 0 when none
	closing     chan struct{} // closed by Close
	// driving is held by the goroutine running the loop (Run, or one
	// ProcessEvents turn), so that a Close from elsewhere waits for it.
	driving sync.Mutex
	goidBuf [32]byte // the driver's scratch for reading its goroutine id

	timers timerHeap

	turnEnd     []EndOfTurner
	turnEndNext []EndOfTurner

	iov [][]byte // see IOVecs

	ring     *ioRing // the turn's batched reads and sends; nil when unavailable
	reads    *readBatch
	writers  []BatchWriter
	writeRes []int32
	notes    []int
	others   []EndOfTurner
	iovs     [][][]byte // per batched send, the buffers it points at
}

// registration is one slot of the notifier table. The generation changes
// every time the slot is reused, so a token from an old batch is stale.
type registration struct {
	n        *Notifier
	gen      uint32
	interest Events // the directions the poller watches for n
}

// token is the poller's name for the registration at idx.
func (r *registration) token(idx uint32) uint64 { return uint64(idx)<<32 | uint64(r.gen) }

// NewLoop creates a loop with its poller (epoll or kqueue) and wake-up
// descriptor.
func NewLoop() (*Loop, error) {
	p, err := newPoller()
	if err != nil {
		return nil, err
	}
	w, err := newWaker()
	if err != nil {
		p.close()
		return nil, err
	}
	if err := p.update(w.readFD(), wakeToken, 0, Readable); err != nil {
		w.close()
		p.close()
		return nil, err
	}
	l := &Loop{p: p, w: w, events: make([]pollEvent, 256), closing: make(chan struct{})}
	l.pk = newParker(p.fd(), func() (int, error) { return l.p.look(l.events) })
	// Made now rather than on first need, so that a loop's descriptors
	// are all there from the start.
	l.ring = newIORing()
	l.timers.loop = l
	return l, nil
}

// Run dispatches events until Quit is called (QEventLoop::exec). A Quit that
// comes before Run makes Run return at once, so a Quit from another
// goroutine is never lost. A panic in a callback is not recovered: it
// unwinds through Run, and the loop may be run again afterwards.
func (l *Loop) Run() error {
	if err := l.begin(true); err != nil {
		return err
	}
	defer func() {
		l.quit.Store(false)
		l.end()
	}()
	for !l.quit.Load() {
		if err := l.turn(l.timeout()); err != nil {
			return err
		}
	}
	return nil
}

// ProcessEvents runs one turn of the loop, waiting at most timeout for
// something to happen (QEventLoop::processEvents with WaitForMoreEvents
// when timeout != 0). It is for the loop's owner while Run is not active.
// During the turn the caller is the loop's goroutine (InLoop), and a Close
// from another goroutine waits for the turn to end, as it waits for Run.
func (l *Loop) ProcessEvents(timeout time.Duration) error {
	if err := l.begin(false); err != nil {
		return err
	}
	defer l.end()
	if t := l.timeout(); t >= 0 && (timeout < 0 || t < timeout) {
		timeout = t
	}
	return l.turn(timeout)
}

// begin makes the caller the goroutine running the loop, for Run or one
// ProcessEvents turn; end undoes it and lets a waiting Close go on. Run
// claims the loop for InLoop at once; a ProcessEvents turn does once it
// has something to run (see claim).
func (l *Loop) begin(claim bool) error {
	if !l.running.CompareAndSwap(false, true) {
		return ErrLoopRunning
	}
	// Held before closed is read: a Close that comes later waits.
	l.driving.Lock()
	if l.isClosed() {
		l.driving.Unlock()
		l.running.Store(false)
		return ErrLoopClosed
	}
	if claim {
		l.claim()
	}
	return nil
}

// claim makes the driving goroutine the loop's for InLoop, so that Close
// and Invoke from a callback know they are on it. Reading a goroutine's id
// costs a couple of microseconds, so a ProcessEvents turn that finds
// nothing to run does not.
func (l *Loop) claim() {
	if l.owner.Load() == 0 {
		l.owner.Store(goidInto(&l.goidBuf))
	}
}

func (l *Loop) end() {
	l.owner.Store(0)
	l.driving.Unlock()
	l.running.Store(false)
}

// timeout says how long the next wait may block: not at all when work is
// queued, until the next timer otherwise.
func (l *Loop) timeout() time.Duration {
	l.polling.Store(true)
	if l.nposted.Load() > 0 || l.quit.Load() || len(l.turnEnd) > 0 {
		return 0
	}
	return l.timers.untilNext()
}

func (l *Loop) turn(timeout time.Duration) error {
	if l.p == nil {
		return ErrLoopClosed
	}
	if timeout != 0 {
		l.polling.Store(true)
	}
	var n int
	var err error
	if l.pk != nil && timeout != 0 {
		n, err = l.pk.park(timeout)
	} else {
		n, err = l.p.wait(l.events, timeout)
	}
	l.polling.Store(false)
	if err != nil {
		return err
	}
	if n > 0 || len(l.turnEnd) > 0 {
		l.claim() // timers and posted functions claim as they run
	}
	l.dispatch(l.events[:n])
	if n == len(l.events) && n < 4096 {
		l.events = make([]pollEvent, 2*n)
	}
	l.timers.fire()
	l.runPosted()
	l.runEndOfTurn()
	return nil
}

func (l *Loop) dispatch(evs []pollEvent) {
	var reads *readBatch // the batch's reads, made together (BatchReader)
	if len(evs) > 1 {
		if reads = l.readBatched(evs); reads != nil {
			defer l.finishReads(reads, evs)
		}
	}
	for i := range evs {
		if l.p == nil {
			break // released by Close inside a callback
		}
		if reads != nil {
			reads.next = i + 1
		}
		if evs[i].token == wakeToken {
			l.drainWake()
			continue
		}
		r := l.registrationOf(evs[i].token)
		if r == nil {
			continue // closed earlier in this batch, maybe reused since
		}
		if reads == nil || !reads.settle(i) {
			r.n.deliver(r, evs[i].events)
		}
	}
	if reads != nil {
		reads.next = len(evs)
	}
}

// registrationOf returns the live registration a batch's token names, or
// nil for the waker's token and for a notifier closed since (its slot may
// have been reused: the generation tells). The pointer is good until the
// next NewNotifier, which may grow the table.
func (l *Loop) registrationOf(token uint64) *registration {
	idx := uint32(token >> 32)
	if token == wakeToken || int(idx) >= len(l.regs) {
		return nil
	}
	r := &l.regs[idx]
	if r.n == nil || r.gen != uint32(token) {
		return nil
	}
	return r
}

// notifierOf returns the notifier a batch's token names; see
// registrationOf.
func (l *Loop) notifierOf(token uint64) *Notifier {
	if r := l.registrationOf(token); r != nil {
		return r.n
	}
	return nil
}

func (l *Loop) drainWake() {
	l.w.drain()
	l.wakePending.Store(false)
}

// postedFunc is a function queued by Post, Invoke or PostOr; dropped,
// PostOr's, runs instead of fn when the loop closes first.
type postedFunc struct {
	fn, dropped func()
}

func (l *Loop) runPosted() {
	if l.nposted.Load() == 0 {
		return
	}
	l.claim()
	l.mu.Lock()
	fns := l.posted
	l.posted, l.spare = l.spare[:0], nil
	l.nposted.Store(0)
	l.mu.Unlock()
	next := 0
	defer func() {
		if next < len(fns) {
			l.requeuePosted(fns[next:]) // a function panicked
			return
		}
		// The two slices alternate, so steady-state posting does not
		// allocate.
		l.mu.Lock()
		l.spare = fns[:0]
		l.mu.Unlock()
	}()
	for next < len(fns) {
		p := fns[next]
		fns[next] = postedFunc{}
		next++
		if l.isClosing() {
			// Close ran in an earlier function of this batch, or on
			// another goroutine: the batch left the queue before Close
			// could drop it, so it is dropped here, as Close drops what
			// is still queued.
			if p.dropped != nil {
				p.dropped()
			}
			continue
		}
		p.fn()
	}
}

// requeuePosted puts the functions a panic left unrun back at the head of the
// queue, so that the next turn runs them (the loop may be run again after
// a panic) or Close drops them: a PostOr's hand-over is never lost. If
// Close has already emptied the queue, they are dropped here.
func (l *Loop) requeuePosted(rest []postedFunc) {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		for _, p := range rest {
			if p.dropped != nil {
				p.dropped()
			}
		}
		return
	}
	q := make([]postedFunc, 0, len(rest)+len(l.posted))
	q = append(append(q, rest...), l.posted...)
	clear(l.posted)
	l.posted = q
	l.nposted.Store(int32(len(q)))
	l.mu.Unlock()
	l.wakeup()
}

// IOVecs returns the loop's gather list: scratch space for the buffers of
// one vectored write (writev, sendmsg), shared by everything on the loop so
// that no socket keeps its own. It belongs to the loop's goroutine and is
// free again when the write returns; store the grown slice back through
// the pointer, emptied and cleared, so it holds no buffers while unused.
func (l *Loop) IOVecs() *[][]byte { return &l.iov }

// Quit makes Run return after the current turn. It may be called from any
// goroutine, including a callback on the loop.
func (l *Loop) Quit() {
	l.quit.Store(true)
	l.wakeup()
}

// Post queues fn to run on the loop's goroutine (Qt::QueuedConnection).
// Functions run in the order they were posted, from any mix of goroutines.
// After Close, Post does nothing.
func (l *Loop) Post(fn func()) { l.TryPost(fn) }

// TryPost is Post that reports whether fn was queued: false once the loop
// is closed, so a caller handing a resource (a descriptor) to fn can
// release it itself. A queued fn is dropped only if Close comes before
// the loop runs it.
func (l *Loop) TryPost(fn func()) bool {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return false
	}
	l.posted = append(l.posted, postedFunc{fn: fn})
	l.nposted.Add(1)
	l.mu.Unlock()
	l.wakeup()
	return true
}

// PostOr is Post for a function that hands over a resource (an accepted
// descriptor): if the loop is closed before fn runs — already, or later
// with fn still queued — dropped is called instead, so the resource can be
// released: on the caller's goroutine when the loop is already closed,
// otherwise on the goroutine that closes the loop or on the loop's own
// (when Close came while fn's batch was being run). Exactly one of fn and
// dropped runs, and PostOr allocates nothing of its own.
func (l *Loop) PostOr(fn, dropped func()) {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		dropped()
		return
	}
	l.posted = append(l.posted, postedFunc{fn, dropped})
	l.nposted.Add(1)
	l.mu.Unlock()
	l.wakeup()
}

// Invoke runs fn on the loop's goroutine and returns after it ran
// (Qt::BlockingQueuedConnection). Called from the loop's own goroutine it
// runs fn at once instead of deadlocking. It waits for the loop to run, so
// calling it on a loop that nobody runs blocks; after Close it returns
// without running fn.
func (l *Loop) Invoke(fn func()) {
	if l.InLoop() {
		fn()
		return
	}
	done := make(chan struct{})
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return
	}
	l.posted = append(l.posted, postedFunc{fn: func() { defer close(done); fn() }})
	l.nposted.Add(1)
	l.mu.Unlock()
	l.wakeup()
	select {
	case <-done:
	case <-l.closing:
	}
}

// isClosing reports whether Close has been called.
func (l *Loop) isClosing() bool {
	select {
	case <-l.closing:
		return true
	default:
		return false
	}
}

// Done returns a channel closed when Close is called, so that goroutines
// waiting for something only the loop would do can stop waiting.
func (l *Loop) Done() <-chan struct{} { return l.closing }

// InLoop reports whether the caller is the goroutine running this loop.
func (l *Loop) InLoop() bool {
	o := l.owner.Load()
	return o != 0 && o == goid()
}

// wakeup interrupts the wait when the loop sleeps or is about to; the
// eventfd is written at most once until the loop drains it.
func (l *Loop) wakeup() {
	if l.polling.Load() && l.wakePending.CompareAndSwap(false, true) {
		l.w.signal()
	}
}

// EndOfTurner is implemented by objects that want a call once the current
// turn's events, timers and posted functions are done, before the loop
// waits again: buffered sockets flush there, so that every write made
// during a turn leaves in one system call.
type EndOfTurner interface {
	EndOfTurn()
}

// EndOfTurn schedules h.EndOfTurn for the end of the current turn (or of
// the next one when called outside a turn). The caller schedules an object
// once per turn; handlers scheduled while end-of-turn handlers run are
// called in the same phase, before the loop waits.
func (l *Loop) EndOfTurn(h EndOfTurner) {
	l.turnEnd = append(l.turnEnd, h)
}

func (l *Loop) runEndOfTurn() {
	for len(l.turnEnd) > 0 {
		batch := l.turnEnd
		l.turnEnd = l.turnEndNext[:0]
		// Nil while batch runs: if a handler panics, the two lists
		// must not end up sharing an array.
		l.turnEndNext = nil
		if len(batch) < 2 || !l.sendBatched(batch) {
			l.endEach(batch)
		}
		clear(batch)
		l.turnEndNext = batch[:0]
	}
}

// endEach calls every handler of batch. If one panics, the panic unwinds
// through Run as always, and the handlers after it are kept for the end
// of the next turn, so that none of them waits for ever (a socket whose
// flush was scheduled would never schedule another).
func (l *Loop) endEach(batch []EndOfTurner) {
	i := 0
	defer func() {
		if i < len(batch) {
			l.requeue(batch[i+1:])
		}
	}()
	for ; i < len(batch); i++ {
		h := batch[i]
		batch[i] = nil
		h.EndOfTurn()
	}
}

// requeue keeps the handlers not yet run for the next turn's end.
func (l *Loop) requeue(hs []EndOfTurner) {
	for _, h := range hs {
		if h != nil {
			l.turnEnd = append(l.turnEnd, h)
		}
	}
}

func (l *Loop) isClosed() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.closed
}

// LoopCloser is implemented by notifier handlers that own a descriptor:
// Loop.Close calls LoopClosed so they release it without emitting signals.
type LoopCloser interface {
	LoopClosed()
}

// Close releases the loop: every notifier still registered is told
// (LoopCloser) and removed, timers stop, posted functions are dropped, and
// the poller and wake-up descriptors are closed. If the loop is running on
// another goroutine, Close stops it and waits for Run (or the current
// ProcessEvents turn) to return, so it must not be called from a goroutine
// the loop's callback is waiting for (through Invoke, say); called from a
// callback, it finishes when the current callback returns to the loop.
// Close is idempotent.
func (l *Loop) Close() error {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return nil
	}
	l.closed = true
	var drops []func()
	for _, p := range l.posted {
		if p.dropped != nil {
			drops = append(drops, p.dropped)
		}
	}
	l.posted = nil
	l.nposted.Store(0)
	close(l.closing)
	l.mu.Unlock()
	// From inside a callback the release happens now: the rest of the
	// batch is read only through the registration table, which release
	// empties, and Run stops at the end of the turn. From elsewhere it
	// waits for Run, or a ProcessEvents turn, to end.
	if !l.InLoop() {
		l.Quit()
		l.driving.Lock()
		l.driving.Unlock()
	}
	l.Quit()
	err := l.release()
	for _, dropped := range drops {
		dropped()
	}
	return err
}

func (l *Loop) release() error {
	for i := range l.regs {
		if n := l.regs[i].n; n != nil {
			if c, ok := n.h.(LoopCloser); ok {
				c.LoopClosed()
			}
			n.Close()
		}
	}
	l.timers.stopAll()
	l.turnEnd = nil
	if l.ring != nil {
		l.ring.close()
		l.ring = nil
	}
	if l.p == nil {
		return nil
	}
	if l.pk != nil {
		l.pk.close()
	}
	err := l.p.close()
	if err2 := l.w.close(); err == nil {
		err = err2
	}
	l.p = nil
	return err
}
