package engine_test

import (
	"errors"
	"sync"
	"testing"

	"github.com/qsock/qsock/engine"
	"golang.org/x/sys/unix"
)

func TestInjectFaultAccept(t *testing.T) {
	checkLeaks(t)
	l, ap := tcpListener(t, unix.AF_INET)
	c := newTestEngine(t, unix.AF_INET, unix.SOCK_STREAM)
	if err := connectWait(t, c, ap); err != nil {
		t.Fatal(err)
	}
	waitReadable(t, l)

	restore := engine.InjectFault(engine.SysAccept, unix.EMFILE, 3)
	defer restore()
	for i := range 3 {
		fd, err := l.Accept()
		var op *engine.OpError
		if fd != -1 || !errors.Is(err, unix.EMFILE) || !errors.As(err, &op) || op.Op != "accept4" {
			t.Fatalf("Accept %d under fault = %d, %v; want EMFILE from accept4", i, fd, err)
		}
	}
	// The connection waited in the kernel's queue all along.
	fd, err := l.Accept()
	if err != nil {
		t.Fatalf("Accept after the fault ran out: %v", err)
	}
	unix.Close(fd)
	if _, err := l.Accept(); err != engine.ErrWouldBlock {
		t.Fatalf("Accept on the drained queue = %v", err)
	}
}

func TestInjectFaultUntilRestore(t *testing.T) {
	checkLeaks(t)
	a, b := udpPair(t, unix.AF_INET)
	h := &engine.DatagramHeader{Addr: localAddr(t, b)}

	// EAGAIN storms come out as the shared sentinel.
	restore := engine.InjectFault(engine.SysSendmsg, unix.EAGAIN, -1)
	for range 5 {
		if _, err := a.WriteDatagram([]byte("x"), h); err != engine.ErrWouldBlock {
			t.Fatalf("WriteDatagram under EAGAIN fault = %v", err)
		}
	}
	// Other calls are untouched, and EINTR is retried, never returned.
	restoreIntr := engine.InjectFault(engine.SysWrite, unix.EINTR, 2)
	if err := a.Connect(localAddr(t, b)); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Write([]byte("w")); err != nil {
		t.Fatalf("Write after two injected EINTRs = %v", err)
	}
	restoreIntr()
	restore()
	restore() // idempotent
	if _, err := a.WriteDatagram([]byte("x"), nil); err != nil {
		t.Fatalf("WriteDatagram after restore = %v", err)
	}

	// The newest fault for a call is consumed first.
	r1 := engine.InjectFault(engine.SysSetsockopt, unix.ENOBUFS, -1)
	r2 := engine.InjectFault(engine.SysSetsockopt, unix.EPERM, 1)
	if err := a.SetOption(engine.BroadcastOption, 1); !errors.Is(err, unix.EPERM) {
		t.Errorf("first = %v, want EPERM", err)
	}
	if err := a.SetOption(engine.BroadcastOption, 1); !errors.Is(err, unix.ENOBUFS) {
		t.Errorf("second = %v, want ENOBUFS", err)
	}
	r2()
	r1()
	if err := a.SetOption(engine.BroadcastOption, 1); err != nil {
		t.Errorf("after restore = %v", err)
	}
}

func TestInjectFaultSocketAndPoll(t *testing.T) {
	checkLeaks(t)
	restore := engine.InjectFault(engine.SysSocket, unix.ENFILE, 1)
	if _, err := engine.NewNativeEngine(unix.AF_INET, unix.SOCK_STREAM); !errors.Is(err, unix.ENFILE) {
		t.Errorf("NewNativeEngine under fault = %v", err)
	}
	restore()
	e := newTestEngine(t, unix.AF_INET, unix.SOCK_DGRAM)
	restore = engine.InjectFault(engine.SysPoll, unix.ENOMEM, 1)
	if _, _, err := e.Wait(false, true, 0); !errors.Is(err, unix.ENOMEM) {
		t.Errorf("Wait under fault = %v", err)
	}
	restore()
	if engine.SysAccept.String() != "accept" || engine.SysPoll.String() != "poll" || engine.Syscall(99).String() != "Syscall(99)" {
		t.Error("Syscall.String")
	}
}

func TestInjectFaultConcurrent(t *testing.T) {
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 100 {
				engine.InjectFault(engine.SysClose, unix.EIO, 0)()
				engine.InjectFault(engine.SysShutdown, unix.EIO, 5)()
			}
		})
	}
	wg.Wait()
	e := newTestEngine(t, unix.AF_INET, unix.SOCK_STREAM)
	if err := e.Close(); err != nil {
		t.Fatalf("Close with every fault restored = %v", err)
	}
}
