package engine_test

import (
	"os"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"github.com/qsock/qsock/engine"
)

// runLoop runs l on its own goroutine and returns a function that quits it
// and waits for Run to return.
func runLoop(t testing.TB, l *engine.Loop) (stop func()) {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- l.Run() }()
	return func() {
		l.Quit()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	}
}

func newLoop(t testing.TB) *engine.Loop {
	t.Helper()
	l, err := engine.NewLoop()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

func socketpair(t testing.TB) [2]int {
	t.Helper()
	p, err := engine.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// openFDs counts this process's descriptors.
func openFDs(t testing.TB) int {
	t.Helper()
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skipf("no /proc/self/fd: %v", err)
	}
	return len(ents)
}

// settledGoroutines waits briefly for exiting goroutines to finish.
func settledGoroutines(want int) int {
	n := runtime.NumGoroutine()
	for i := 0; i < 100 && n > want; i++ {
		time.Sleep(5 * time.Millisecond)
		n = runtime.NumGoroutine()
	}
	return n
}

func TestPostFIFOFromManyGoroutines(t *testing.T) {
	l := newLoop(t)
	stop := runLoop(t, l)
	const writers, per = 8, 2000
	var mu sync.Mutex
	got := make([][]int, writers)
	var wg sync.WaitGroup
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < per; i++ {
				l.Post(func() {
					mu.Lock()
					got[w] = append(got[w], i)
					mu.Unlock()
				})
			}
		}()
	}
	wg.Wait()
	l.Invoke(func() {}) // everything posted before is done
	stop()
	for w := range got {
		if len(got[w]) != per {
			t.Fatalf("writer %d: %d functions ran, want %d", w, len(got[w]), per)
		}
		for i, v := range got[w] {
			if v != i {
				t.Fatalf("writer %d: position %d ran %d: not FIFO", w, i, v)
			}
		}
	}
}

func TestInvokeFromOtherGoroutines(t *testing.T) {
	l := newLoop(t)
	stop := runLoop(t, l)
	defer stop()
	counter := 0 // touched only on the loop goroutine
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 100; i++ {
				ran := false
				l.Invoke(func() { counter++; ran = true })
				if !ran {
					t.Error("Invoke returned before fn ran")
					return
				}
			}
		}()
	}
	wg.Wait()
	var n int
	l.Invoke(func() {
		n = counter
		// Invoke from the loop's own goroutine runs at once.
		l.Invoke(func() { n += 1000 })
	})
	if n != 1400 {
		t.Fatalf("counter = %d, want 1400", n)
	}
}

func TestTimersFireInOrderAndCancel(t *testing.T) {
	l := newLoop(t)
	var got []string
	record := func(s string) func() { return func() { got = append(got, s) } }
	l.AfterFunc(30*time.Millisecond, record("30ms"))
	l.AfterFunc(10*time.Millisecond, record("10ms-a"))
	l.AfterFunc(10*time.Millisecond, record("10ms-b"))
	cancelled := l.AfterFunc(20*time.Millisecond, record("cancelled"))
	l.AfterFunc(0, record("0"))
	re := l.AfterFunc(5*time.Millisecond, record("reset-to-40ms"))
	if !re.Reset(40 * time.Millisecond) {
		t.Error("Reset of a pending timer reported false")
	}
	if !cancelled.Stop() {
		t.Error("Stop of a pending timer reported false")
	}
	if cancelled.Stop() {
		t.Error("second Stop reported true")
	}
	l.AfterFunc(50*time.Millisecond, l.Quit)
	if err := l.Run(); err != nil {
		t.Fatal(err)
	}
	want := []string{"0", "10ms-a", "10ms-b", "30ms", "reset-to-40ms"}
	if d := cmp.Diff(want, got); d != "" {
		t.Fatalf("timer order (-want +got):\n%s", d)
	}
}

func TestTimerResetInsideCallbackFiresNextTurn(t *testing.T) {
	l := newLoop(t)
	n := 0
	var tm *engine.Timer
	tm = l.AfterFunc(0, func() {
		n++
		if n < 5 {
			tm.Reset(0)
		} else {
			l.Quit()
		}
	})
	if err := l.Run(); err != nil {
		t.Fatal(err)
	}
	if n != 5 {
		t.Fatalf("fired %d times, want 5", n)
	}
}

func TestQuitInsideCallbackAndBeforeRun(t *testing.T) {
	l := newLoop(t)
	ran := 0
	l.Post(func() { ran++; l.Quit() })
	l.Post(func() { ran++ }) // same turn: still runs
	if err := l.Run(); err != nil {
		t.Fatal(err)
	}
	if ran != 2 {
		t.Fatalf("%d posted functions ran, want 2", ran)
	}
	l.Quit()
	done := make(chan error)
	go func() { done <- l.Run() }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("a Quit before Run was lost")
	}
}

type recorder struct {
	calls []engine.Events
	fn    func(ev engine.Events)
}

func (r *recorder) Ready(ev engine.Events) {
	r.calls = append(r.calls, ev)
	if r.fn != nil {
		r.fn(ev)
	}
}

func TestNotifierEnableDisable(t *testing.T) {
	l := newLoop(t)
	p := socketpair(t)
	defer unix.Close(p[0])
	defer unix.Close(p[1])
	r := &recorder{}
	n, err := l.NewNotifier(p[0], r)
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	turn := func() {
		t.Helper()
		if err := l.ProcessEvents(20 * time.Millisecond); err != nil {
			t.Fatal(err)
		}
	}
	turn()
	if len(r.calls) != 0 {
		t.Fatalf("events while disabled: %v", r.calls)
	}
	n.SetWriteEnabled(true)
	turn()
	if d := cmp.Diff([]engine.Events{engine.Writable}, r.calls); d != "" {
		t.Fatalf("write enabled (-want +got):\n%s", d)
	}
	n.SetWriteEnabled(false)
	n.SetReadEnabled(true)
	r.calls = nil
	turn()
	if len(r.calls) != 0 {
		t.Fatalf("readable with nothing to read: %v", r.calls)
	}
	unix.Write(p[1], []byte("x"))
	turn()
	turn() // level-triggered: still readable, reported again
	if d := cmp.Diff([]engine.Events{engine.Readable, engine.Readable}, r.calls); d != "" {
		t.Fatalf("read enabled (-want +got):\n%s", d)
	}
	n.SetReadEnabled(false)
	r.calls = nil
	turn()
	if len(r.calls) != 0 {
		t.Fatalf("events after disabling: %v", r.calls)
	}
	if n.Enabled() != 0 || n.ReadEnabled() || n.WriteEnabled() {
		t.Fatalf("Enabled() = %v after disabling both", n.Enabled())
	}
}

func TestNotifierHangup(t *testing.T) {
	l := newLoop(t)
	p := socketpair(t)
	defer unix.Close(p[0])
	r := &recorder{}
	n, _ := l.NewNotifier(p[0], r)
	defer n.Close()
	n.SetReadEnabled(true)
	unix.Close(p[1])
	l.ProcessEvents(time.Second)
	if len(r.calls) != 1 || r.calls[0]&engine.Readable == 0 {
		t.Fatalf("peer close gave %v, want Readable", r.calls)
	}
}

// A handler that closes another registration's descriptor and makes a new
// descriptor with the same number inside one batch must not let the new
// registration see the old one's event.
func TestDescriptorReuseInOneBatch(t *testing.T) {
	l := newLoop(t)
	a, b := socketpair(t), socketpair(t)
	unix.Write(a[1], []byte("a"))
	unix.Write(b[1], []byte("b"))
	var na, nb *engine.Notifier
	fresh := &recorder{}
	var freshN *engine.Notifier
	var freshPair [2]int
	reused := false
	victim := func(self *engine.Notifier) (*engine.Notifier, [2]int) {
		if self == na {
			return nb, b
		}
		return na, a
	}
	first := func(self **engine.Notifier) func(engine.Events) {
		return func(engine.Events) {
			if freshN != nil {
				return
			}
			vn, vp := victim(*self)
			vn.Close()
			unix.Close(vp[0])
			unix.Close(vp[1])
			freshPair = socketpair(t)
			reused = freshPair[0] == vp[0] || freshPair[1] == vp[0]
			fd := vp[0]
			freshN, _ = l.NewNotifier(fd, fresh)
			freshN.SetReadEnabled(true) // nothing is readable on it
		}
	}
	ra, rb := &recorder{}, &recorder{}
	ra.fn = first(&na)
	rb.fn = first(&nb)
	na, _ = l.NewNotifier(a[0], ra)
	nb, _ = l.NewNotifier(b[0], rb)
	na.SetReadEnabled(true)
	nb.SetReadEnabled(true)
	if err := l.ProcessEvents(time.Second); err != nil {
		t.Fatal(err)
	}
	if !reused {
		t.Skip("the kernel did not reuse the descriptor number")
	}
	if len(ra.calls)+len(rb.calls) != 1 {
		t.Fatalf("old handlers called %d+%d times, want 1 in all", len(ra.calls), len(rb.calls))
	}
	if len(fresh.calls) != 0 {
		t.Fatalf("new registration got the stale event: %v", fresh.calls)
	}
	freshN.Close()
	unix.Close(freshPair[0])
	unix.Close(freshPair[1])
	for _, n := range []*engine.Notifier{na, nb} {
		n.Close()
	}
	unix.Close(a[0])
	unix.Close(a[1])
	unix.Close(b[0])
	unix.Close(b[1])
}

type closer struct {
	recorder
	fd     int
	closed bool
}

func (c *closer) LoopClosed() {
	c.closed = true
	unix.Close(c.fd)
}

func TestCloseReleasesEverything(t *testing.T) {
	fds := openFDs(t)
	gs := runtime.NumGoroutine()
	l, err := engine.NewLoop()
	if err != nil {
		t.Fatal(err)
	}
	var cs []*closer
	var peers []int
	for i := 0; i < 10; i++ {
		p := socketpair(t)
		c := &closer{fd: p[0]}
		n, _ := l.NewNotifier(p[0], c)
		n.SetReadEnabled(true)
		cs = append(cs, c)
		peers = append(peers, p[1])
	}
	fired := false
	l.AfterFunc(time.Hour, func() { fired = true })
	stop := runLoop(t, l)
	l.Invoke(func() {})
	stop()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	for _, fd := range peers {
		unix.Close(fd)
	}
	for i, c := range cs {
		if !c.closed {
			t.Errorf("handler %d was not told the loop closed", i)
		}
	}
	if fired {
		t.Error("timer fired")
	}
	if got := openFDs(t); got != fds {
		t.Errorf("descriptors: %d before, %d after Close", fds, got)
	}
	if got := settledGoroutines(gs); got > gs {
		t.Errorf("goroutines: %d before, %d after Close", gs, got)
	}
	// Harmless afterwards.
	l.Post(func() { t.Error("posted function ran after Close") })
	l.AfterFunc(0, func() { t.Error("timer ran after Close") })
	l.Invoke(func() { t.Error("invoked function ran after Close") })
	if err := l.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if err := l.Run(); err != engine.ErrLoopClosed {
		t.Errorf("Run after Close = %v, want ErrLoopClosed", err)
	}
	if _, err := l.NewNotifier(0, &recorder{}); err != engine.ErrLoopClosed {
		t.Errorf("NewNotifier after Close = %v, want ErrLoopClosed", err)
	}
}

func TestCloseFromOtherGoroutineStopsRun(t *testing.T) {
	l, err := engine.NewLoop()
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- l.Run() }()
	l.Invoke(func() {})
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after Close")
	}
}

func TestCloseInsideCallback(t *testing.T) {
	l, err := engine.NewLoop()
	if err != nil {
		t.Fatal(err)
	}
	p := socketpair(t)
	defer unix.Close(p[1])
	c := &closer{fd: p[0]}
	n, _ := l.NewNotifier(p[0], c)
	n.SetReadEnabled(true)
	l.Post(func() { l.Close() })
	if err := l.Run(); err != nil {
		t.Fatal(err)
	}
	if !c.closed {
		t.Fatal("Close inside a callback did not release the handler")
	}
}

func TestPanicIsNotSwallowed(t *testing.T) {
	l := newLoop(t)
	l.Post(func() { panic("boom") })
	func() {
		defer func() {
			if r := recover(); r != "boom" {
				t.Fatalf("recovered %v, want boom", r)
			}
		}()
		l.Run()
		t.Fatal("Run returned normally")
	}()
	// The loop is usable afterwards.
	l.Post(l.Quit)
	if err := l.Run(); err != nil {
		t.Fatal(err)
	}
}

type turnEnder struct {
	l     *engine.Loop
	order *[]string
}

func (e *turnEnder) EndOfTurn() { *e.order = append(*e.order, "end") }

func TestEndOfTurnRunsBeforeSleeping(t *testing.T) {
	l := newLoop(t)
	var order []string
	e := &turnEnder{l: l, order: &order}
	l.Post(func() {
		order = append(order, "posted")
		l.EndOfTurn(e)
		l.Post(func() { order = append(order, "next turn"); l.Quit() })
	})
	if err := l.Run(); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]string{"posted", "end", "next turn"}, order); d != "" {
		t.Fatalf("order (-want +got):\n%s", d)
	}
}

func TestLoopGroup(t *testing.T) {
	gs := runtime.NumGoroutine()
	g, err := engine.NewLoopGroup(3)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[*engine.Loop]int{}
	for i := 0; i < 6; i++ {
		seen[g.Next()]++
	}
	if len(seen) != 3 {
		t.Fatalf("Next spread over %d loops, want 3", len(seen))
	}
	for l, n := range seen {
		if n != 2 {
			t.Fatalf("loop %p chosen %d times, want 2", l, n)
		}
	}
	var wg sync.WaitGroup
	for i := 0; i < g.Len(); i++ {
		wg.Add(1)
		l := g.Loop(i)
		l.Post(func() {
			defer wg.Done()
			if !l.InLoop() {
				t.Error("posted function not on its loop's goroutine")
			}
		})
	}
	wg.Wait()
	if err := g.Close(); err != nil {
		t.Fatal(err)
	}
	if got := settledGoroutines(gs); got > gs {
		t.Fatalf("goroutines: %d before, %d after Close", gs, got)
	}
	if _, err := engine.NewLoopGroup(0); err == nil {
		t.Fatal("NewLoopGroup(0) succeeded")
	}
}

// PostOr runs exactly one of fn and dropped, whether the loop closes
// before, during or after the hand-off.
func TestPostOrRunsExactlyOne(t *testing.T) {
	l, err := engine.NewLoop()
	if err != nil {
		t.Fatal(err)
	}
	var ran, dropped int
	l.PostOr(func() { ran++ }, func() { dropped++ })
	l.ProcessEvents(0)
	l.PostOr(func() { ran++ }, func() { dropped++ }) // still queued at Close
	l.Close()
	l.PostOr(func() { ran++ }, func() { dropped++ }) // after Close
	if ran != 1 || dropped != 2 {
		t.Fatalf("ran %d, dropped %d; want 1 and 2", ran, dropped)
	}
}

// A PostOr queued behind a function that closes the loop left the queue
// with that function's batch, before Close could drop it: the batch drops
// it itself, so its resource is still released and fn never runs on the
// closed loop.
func TestPostOrDroppedWhenBatchClosesLoop(t *testing.T) {
	l, err := engine.NewLoop()
	if err != nil {
		t.Fatal(err)
	}
	var log []string
	l.Post(func() { log = append(log, "close"); l.Close() })
	l.PostOr(func() { log = append(log, "ran") }, func() { log = append(log, "dropped") })
	l.ProcessEvents(0)
	if diff := cmp.Diff([]string{"close", "dropped"}, log); diff != "" {
		t.Fatalf("order (-want +got):\n%s", diff)
	}
}

// A posted function that panics leaves the ones queued behind it in the
// queue: the next turn runs them in order (the loop may be run again after
// a panic), so a PostOr's hand-over is neither lost nor run twice.
func TestPostedAfterPanicRunNextTurn(t *testing.T) {
	l, err := engine.NewLoop()
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	var log []string
	l.Post(func() { log = append(log, "a"); panic("a") })
	l.Post(func() { log = append(log, "b") })
	l.PostOr(func() { log = append(log, "c") }, func() { log = append(log, "c dropped") })
	if r := processRecovering(l); r != "a" {
		t.Fatalf("first turn: recovered %v, want the panic of a", r)
	}
	l.Post(func() { log = append(log, "d") }) // posted after the panic: runs after b and c
	if r := processRecovering(l); r != nil {
		t.Fatalf("second turn panicked: %v", r)
	}
	l.Close()
	if diff := cmp.Diff([]string{"a", "b", "c", "d"}, log); diff != "" {
		t.Fatalf("order (-want +got):\n%s", diff)
	}
}

// If the loop is closed instead of run again, the PostOr behind the panic
// is dropped; and if the panicking function closed the loop itself, it is
// dropped at once.
func TestPostOrAfterPanicDropped(t *testing.T) {
	for _, closeInside := range []bool{false, true} {
		l, err := engine.NewLoop()
		if err != nil {
			t.Fatal(err)
		}
		var ran, dropped int
		l.Post(func() {
			if closeInside {
				l.Close()
			}
			panic("boom")
		})
		l.PostOr(func() { ran++ }, func() { dropped++ })
		processRecovering(l)
		l.Close()
		if ran != 0 || dropped != 1 {
			t.Errorf("close inside %v: ran %d, dropped %d; want 0 and 1", closeInside, ran, dropped)
		}
	}
}

// processRecovering runs one turn of l and returns what it panicked with.
func processRecovering(l *engine.Loop) (r any) {
	defer func() { r = recover() }()
	l.ProcessEvents(0)
	return nil
}

// A Close from another goroutine waits for the ProcessEvents turn that is
// running, as it waits for Run: nothing is released under a callback.
func TestCloseWaitsForProcessEventsTurn(t *testing.T) {
	l, err := engine.NewLoop()
	if err != nil {
		t.Fatal(err)
	}
	started := make(chan struct{})
	var ended atomic.Bool
	l.Post(func() {
		close(started)
		time.Sleep(50 * time.Millisecond)
		ended.Store(true)
	})
	turn := make(chan error, 1)
	go func() { turn <- l.ProcessEvents(0) }()
	<-started
	l.Close()
	if !ended.Load() {
		t.Fatal("Close returned while a ProcessEvents turn was still running a callback")
	}
	if err := <-turn; err != nil {
		t.Fatalf("ProcessEvents: %v", err)
	}
	if err := l.ProcessEvents(0); err != engine.ErrLoopClosed {
		t.Fatalf("ProcessEvents after Close: %v, want ErrLoopClosed", err)
	}
}

// During a ProcessEvents turn its caller is the loop's goroutine: InLoop
// holds in callbacks, and Invoke from one runs at once instead of waiting
// for a loop nobody else runs.
func TestProcessEventsCallerIsInLoop(t *testing.T) {
	l, err := engine.NewLoop()
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	var log []string
	l.Post(func() {
		log = append(log, "in loop "+strconv.FormatBool(l.InLoop()))
		l.Invoke(func() { log = append(log, "invoked") })
		log = append(log, "after invoke")
	})
	done := make(chan struct{})
	go func() { defer close(done); l.ProcessEvents(0) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Invoke from a ProcessEvents callback blocked")
	}
	if diff := cmp.Diff([]string{"in loop true", "invoked", "after invoke"}, log); diff != "" {
		t.Fatalf("(-want +got):\n%s", diff)
	}
	if l.InLoop() {
		t.Error("InLoop still true after the turn")
	}
}

// Whatever a ProcessEvents turn runs runs with InLoop true, however late
// another goroutine posted it or armed its timer.
func TestProcessEventsLateWorkRunsInLoop(t *testing.T) {
	l, err := engine.NewLoop()
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	var notIn, ran, inflight atomic.Int64
	check := func() {
		ran.Add(1)
		inflight.Add(-1)
		if !l.InLoop() {
			notIn.Add(1)
		}
	}
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if inflight.Load() >= 4 {
				runtime.Gosched()
				continue
			}
			inflight.Add(1)
			if i%2 == 0 {
				l.Post(check)
			} else {
				l.AfterFunc(0, check)
			}
		}
	}()
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline) && notIn.Load() == 0; {
		l.ProcessEvents(0)
	}
	close(stop)
	<-done
	if n := notIn.Load(); n > 0 {
		t.Fatalf("%d of %d functions ran with InLoop false", n, ran.Load())
	}
	if ran.Load() == 0 {
		t.Fatal("nothing ran")
	}
}

// Timers armed and stopped from another goroutine while the loop runs
// (run with -race).
func TestTimersFromAnotherGoroutineWhileRunning(t *testing.T) {
	l, err := engine.NewLoop()
	if err != nil {
		t.Fatal(err)
	}
	stop := runLoop(t, l)
	for range 5000 {
		l.AfterFunc(time.Hour, func() {}).Stop()
		l.Post(func() {})
	}
	stop()
	l.Close()
}

// A plain posted function behind one that closes the loop is dropped with
// the rest of the queue, not run on the closed loop.
func TestPostDroppedWhenBatchClosesLoop(t *testing.T) {
	l, err := engine.NewLoop()
	if err != nil {
		t.Fatal(err)
	}
	var log []string
	l.Post(func() { log = append(log, "close"); l.Close() })
	l.Post(func() { log = append(log, "ran after close") })
	l.ProcessEvents(0)
	if diff := cmp.Diff([]string{"close"}, log); diff != "" {
		t.Fatalf("(-want +got):\n%s", diff)
	}
}

func TestLoopDone(t *testing.T) {
	l, err := engine.NewLoop()
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-l.Done():
		t.Fatal("Done closed before Close")
	default:
	}
	l.Close()
	select {
	case <-l.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("Done not closed by Close")
	}
}
