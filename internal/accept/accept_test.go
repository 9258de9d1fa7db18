package accept

import (
	"context"
	"errors"
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/qsock/qsock/engine"
	"github.com/qsock/qsock/socket"
	"golang.org/x/sys/unix"
)

// fdListener is a Listener whose connections are the bare descriptors,
// with a log of the hooks' calls.
type fdListener struct {
	*Listener[int]
	log     []string
	dropped []int
}

func newFDListener(loop *engine.Loop) *fdListener {
	f := &fdListener{}
	f.Listener = New(loop, Hooks[int]{
		Incoming:    func(c Conn) { f.log = append(f.log, "incoming"); f.Add(c.FD) },
		Accepted:    func() { f.log = append(f.log, "accepted") },
		AcceptError: func(c socket.SocketError) { f.log = append(f.log, "error:"+c.String()) },
		Drop: func(fd int, _ bool) {
			f.dropped = append(f.dropped, fd)
			unix.Close(fd)
		},
	})
	return f
}

func runLoop(t *testing.T) *engine.Loop {
	t.Helper()
	l, err := engine.NewLoop()
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { defer close(done); l.Run() }()
	t.Cleanup(func() { l.Close(); <-done })
	return l
}

func dial(t *testing.T, port uint16) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", "127.0.0.1:"+strconv.Itoa(int(port)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// eventually polls cond on the loop until it holds or 5 s pass.
func eventually(t *testing.T, loop *engine.Loop, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		var ok bool
		loop.Invoke(func() { ok = cond() })
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestPendingLimitAndTake(t *testing.T) {
	loop := runLoop(t)
	f := newFDListener(loop)
	var port uint16
	loop.Invoke(func() {
		f.SetMaxPending(2)
		if err := f.ListenIP(socket.LocalHost, 0); err != nil {
			t.Fatal(err)
		}
		port = f.Addr().Port()
	})
	for range 5 {
		dial(t, port)
	}
	eventually(t, loop, "2 pending", func() bool { return f.Len() == 2 })
	time.Sleep(50 * time.Millisecond)
	loop.Invoke(func() {
		if f.Len() != 2 {
			t.Errorf("pending = %d past the limit of 2", f.Len())
		}
		for range 2 {
			fd, _ := f.Take()
			unix.Close(fd)
		}
	})
	eventually(t, loop, "2 more pending", func() bool { return f.Len() == 2 })
	loop.Invoke(func() {
		fd, _ := f.Take()
		unix.Close(fd)
	})
	eventually(t, loop, "the last one", func() bool { return f.Len() == 2 })
	loop.Invoke(func() { f.Close() })
	if len(f.dropped) != 2 {
		t.Errorf("Close dropped %d, want 2", len(f.dropped))
	}
}

func TestBackoffOnEMFILE(t *testing.T) {
	loop := runLoop(t)
	f := newFDListener(loop)
	var port uint16
	loop.Invoke(func() {
		if err := f.ListenIP(socket.LocalHost, 0); err != nil {
			t.Fatal(err)
		}
		port = f.Addr().Port()
	})
	restore := engine.InjectFault(engine.SysAccept, unix.EMFILE, 3)
	defer restore()
	start := time.Now()
	dial(t, port)
	eventually(t, loop, "the connection", func() bool { return f.Len() == 1 })
	elapsed := time.Since(start)
	var calls, ready int
	loop.Invoke(func() { calls, ready = f.Stats() })
	errs := 0
	for _, e := range f.log {
		if e == "error:SocketResourceError" {
			errs++
		}
	}
	if errs != 3 {
		t.Errorf("log %v: want 3 SocketResourceError", f.log)
	}
	// 10 + 20 + 40 ms of back-off.
	if elapsed < 70*time.Millisecond {
		t.Errorf("accepted after %v; the back-off should take 70 ms", elapsed)
	}
	// 3 failures, 1 success, 1 EAGAIN; a spinning listener makes thousands.
	if calls > 8 || ready > 8 {
		t.Errorf("%d accept calls in %d readiness events: spinning", calls, ready)
	}
	loop.Invoke(func() { f.Close() })
}

func TestTakeDoesNotCutBackoff(t *testing.T) {
	loop := runLoop(t)
	f := newFDListener(loop)
	var port uint16
	loop.Invoke(func() {
		if err := f.ListenIP(socket.LocalHost, 0); err != nil {
			t.Fatal(err)
		}
		port = f.Addr().Port()
	})
	dial(t, port)
	eventually(t, loop, "first", func() bool { return f.Len() == 1 })
	restore := engine.InjectFault(engine.SysAccept, unix.EMFILE, -1)
	dial(t, port)
	eventually(t, loop, "back-off", func() bool { return f.BackingOff() })
	loop.Invoke(func() {
		fd, _ := f.Take()
		unix.Close(fd)
		f.Resume()
		if f.n.ReadEnabled() {
			t.Error("Take/Resume re-enabled accepting during a back-off")
		}
	})
	restore()
	eventually(t, loop, "second after back-off", func() bool { return f.Len() == 1 })
	loop.Invoke(func() { f.Close() })
}

func TestListenErrors(t *testing.T) {
	f := newFDListener(nil)
	if err := f.ListenIP(socket.LocalHost, 0); err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	err := f.ListenIP(socket.LocalHost, 0)
	if !errors.Is(err, socket.OperationError) {
		t.Errorf("second listen: %v, want OperationError", err)
	}
	g := newFDListener(nil)
	err = g.ListenIP(socket.LocalHost, f.Addr().Port())
	if !errors.Is(err, socket.AddressInUseError) || !errors.Is(err, unix.EADDRINUSE) {
		t.Errorf("port in use: %v", err)
	}
	if g.Err() != socket.AddressInUseError || g.ErrString() != "The bound address is already in use" {
		t.Errorf("Err = %v %q", g.Err(), g.ErrString())
	}
	if g.FD() != -1 || g.IsListening() {
		t.Error("a failed listen holds a descriptor")
	}
}

func TestWaitBlocking(t *testing.T) {
	f := newFDListener(nil)
	if err := f.ListenIP(socket.LocalHost, 0); err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ok, timedOut, err := f.Wait(context.Background(), 20*time.Millisecond)
	if ok || !timedOut || !errors.Is(err, socket.SocketTimeoutError) {
		t.Errorf("Wait on nothing = %v %v %v", ok, timedOut, err)
	}
	dial(t, f.Addr().Port())
	ok, timedOut, err = f.Wait(context.Background(), 5*time.Second)
	if !ok || timedOut || err != nil || f.Len() != 1 {
		t.Errorf("Wait = %v %v %v, pending %d", ok, timedOut, err, f.Len())
	}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(20*time.Millisecond, cancel)
	if _, _, err := f.Wait(ctx, -1); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled Wait: %v", err)
	}
	// EMFILE under Wait: one error, then a back-off Wait sleeps out.
	restore := engine.InjectFault(engine.SysAccept, unix.EMFILE, 1)
	defer restore()
	dial(t, f.Addr().Port())
	f.Wait(context.Background(), time.Second)
	if !f.BackingOff() {
		t.Fatal("no back-off after EMFILE")
	}
	start := time.Now()
	ok, _, _ = f.Wait(context.Background(), time.Second)
	if !ok || f.Len() != 2 || time.Since(start) < 5*time.Millisecond {
		t.Errorf("Wait after back-off: ok %v pending %d after %v", ok, f.Len(), time.Since(start))
	}
}

func TestLoopClosedReleases(t *testing.T) {
	loop, err := engine.NewLoop()
	if err != nil {
		t.Fatal(err)
	}
	f := newFDListener(loop)
	if err := f.ListenIP(socket.LocalHost, 0); err != nil {
		t.Fatal(err)
	}
	fd := f.FD()
	loop.Close()
	if f.IsListening() {
		t.Error("still listening after Loop.Close")
	}
	if _, err := unix.FcntlInt(uintptr(fd), unix.F_GETFD, 0); err == nil {
		// The number may have been reused meanwhile only by this test.
		t.Error("listening descriptor still open")
	}
}

func TestWaitLimit(t *testing.T) {
	f := newFDListener(nil)
	if err := f.ListenIP(socket.LocalHost, 0); err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	f.SetWaitLimit(1)
	dial(t, f.Addr().Port())
	dial(t, f.Addr().Port())
	time.Sleep(20 * time.Millisecond)
	for want := 1; want <= 2; want++ {
		if ok, _, _ := f.Wait(context.Background(), time.Second); !ok || f.Len() != want {
			t.Fatalf("Wait %d: ok %v, pending %d", want, ok, f.Len())
		}
	}
}
