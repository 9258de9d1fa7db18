package accept

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"github.com/qsock/qsock/engine"
)

// openFDs returns n open descriptors (unbound datagram sockets, which
// every supported system makes alike).
func openFDs(t *testing.T, n int) []int {
	t.Helper()
	fds := make([]int, 0, n)
	for range n {
		fd, err := unix.Socket(unix.AF_UNIX, unix.SOCK_DGRAM, 0)
		if err != nil {
			t.Fatal(err)
		}
		fds = append(fds, fd)
	}
	return fds
}

func isOpen(fd int) bool {
	_, err := unix.FcntlInt(uintptr(fd), unix.F_GETFD, 0)
	return err == nil
}

func TestBatchHandsInOrderOnTarget(t *testing.T) {
	target := runLoop(t)
	fds := openFDs(t, 50)
	var got []int
	done := make(chan struct{})
	mk := func(l *engine.Loop, c Conn) (int, bool) {
		fd := c.FD
		if !l.InLoop() {
			t.Errorf("connection for %d made off its loop", fd)
		}
		return fd, true
	}
	h := func(fd int) {
		got = append(got, fd)
		unix.Close(fd)
		if len(got) == len(fds) {
			close(done)
		}
	}
	b := NewBatch[int](target)
	for _, fd := range fds {
		b.Hand(Conn{FD: fd}, mk, h)
	}
	<-done
	if diff := cmp.Diff(fds, got); diff != "" {
		t.Errorf("handed descriptors (-queued +handled):\n%s", diff)
	}
}

func TestBatchFailedMakeClosesDescriptor(t *testing.T) {
	target := runLoop(t)
	fds := openFDs(t, 2)
	handled := make(chan int, 2)
	mk := func(_ *engine.Loop, c Conn) (int, bool) { return c.FD, c.FD != fds[0] }
	b := NewBatch[int](target)
	for _, fd := range fds {
		b.Hand(Conn{FD: fd}, mk, func(fd int) { handled <- fd })
	}
	if fd := <-handled; fd != fds[1] {
		t.Fatalf("handled %d, want %d", fd, fds[1])
	}
	unix.Close(fds[1])
	target.Invoke(func() {})
	if isOpen(fds[0]) {
		t.Errorf("descriptor %d, whose connection could not be made, is still open", fds[0])
	}
}

func TestBatchToClosedLoopClosesDescriptors(t *testing.T) {
	target, err := engine.NewLoop()
	if err != nil {
		t.Fatal(err)
	}
	fds := openFDs(t, 3)
	b := NewBatch[int](target)
	mk := func(_ *engine.Loop, c Conn) (int, bool) { return c.FD, true }
	h := func(fd int) { t.Errorf("descriptor %d handled on a closed loop", fd) }
	b.Hand(Conn{FD: fds[0]}, mk, h) // queued on a loop nobody runs
	b.Hand(Conn{FD: fds[1]}, mk, h)
	target.Close()
	b.Hand(Conn{FD: fds[2]}, mk, h) // the loop is already closed
	for _, fd := range fds {
		if isOpen(fd) {
			t.Errorf("descriptor %d still open after its loop closed", fd)
			unix.Close(fd)
		}
	}
}

func TestBatchHandAllocatesNothing(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates on synchronisation")
	}
	target := runLoop(t)
	handled := make(chan struct{}, 1)
	mk := func(_ *engine.Loop, c Conn) (int, bool) { return c.FD, true }
	h := func(int) { handled <- struct{}{} }
	b := NewBatch[int](target)
	hand := func() {
		b.Hand(Conn{FD: -1}, mk, h) // never closed: mk succeeds and h keeps it
		<-handled
	}
	hand() // the queues' storage is made once
	if n := testing.AllocsPerRun(200, hand); n != 0 {
		t.Errorf("Hand allocates %v times per descriptor, want 0", n)
	}
}

// A handler that panics leaves the descriptors queued behind its own
// closed, not leaked, and the panic goes on to the loop's caller.
func TestBatchPanickingHandlerClosesTheRest(t *testing.T) {
	target, err := engine.NewLoop()
	if err != nil {
		t.Fatal(err)
	}
	defer target.Close()
	fds := openFDs(t, 3)
	defer unix.Close(fds[0]) // the handler got it before it panicked
	b := NewBatch[int](target)
	mk := func(_ *engine.Loop, c Conn) (int, bool) { return c.FD, true }
	h := func(int) { panic("handler failed") }
	for _, fd := range fds {
		b.Hand(Conn{FD: fd}, mk, h)
	}
	func() {
		defer func() {
			if r := recover(); r != "handler failed" {
				t.Errorf("recovered %v, want the handler's panic", r)
			}
		}()
		target.ProcessEvents(0)
	}()
	for _, fd := range fds[1:] {
		if isOpen(fd) {
			t.Errorf("descriptor %d, queued behind the panicking handler, is still open", fd)
			unix.Close(fd)
		}
	}
}

// A handler of one Batch that panics on a shared worker loop does not
// strand another Batch queued behind it in the same turn: the loop runs
// it the next turn, and later hand-offs to it are served too.
func TestBatchBehindAnotherBatchsPanic(t *testing.T) {
	target, err := engine.NewLoop()
	if err != nil {
		t.Fatal(err)
	}
	fds := openFDs(t, 3)
	mk := func(_ *engine.Loop, c Conn) (int, bool) { return c.FD, true }
	a, b := NewBatch[int](target), NewBatch[int](target)
	a.Hand(Conn{FD: fds[0]}, mk, func(fd int) { unix.Close(fd); panic("a's handler") })
	var handled []int
	h := func(fd int) { handled = append(handled, fd); unix.Close(fd) }
	b.Hand(Conn{FD: fds[1]}, mk, h) // queued behind a's batch
	func() {
		defer func() {
			if r := recover(); r != "a's handler" {
				t.Errorf("recovered %v, want a's handler's panic", r)
			}
		}()
		target.ProcessEvents(0)
	}()
	b.Hand(Conn{FD: fds[2]}, mk, h) // a later connection for b
	for range 3 {
		target.ProcessEvents(0)
	}
	target.Close()
	if diff := cmp.Diff(fds[1:], handled); diff != "" {
		t.Errorf("handled by b (-want +got):\n%s", diff)
	}
	for _, fd := range fds[1:] {
		if isOpen(fd) {
			t.Errorf("descriptor %d left open", fd)
			unix.Close(fd)
		}
	}
}
