package udp_test

import (
	"context"
	"errors"
	"net/netip"
	"runtime"
	"testing"
	"time"

	"github.com/qsock/qsock/socket"
	"github.com/qsock/qsock/udp"
)

// Blocking style (nil loop): waitForReadyRead times out with
// SocketTimeoutError and succeeds once a datagram is there, emitting
// readyRead; waitForBytesWritten is false, as nothing is ever buffered.
func TestBlockingWaits(t *testing.T) {
	s := bound(t, socket.LocalHost)
	ev := record(s)
	start := time.Now()
	if s.WaitForReadyRead(50 * time.Millisecond) {
		t.Fatal("WaitForReadyRead with nothing sent returned true")
	}
	if el := time.Since(start); el < 40*time.Millisecond {
		t.Fatalf("WaitForReadyRead returned after %v", el)
	}
	ev.Check(t, "time-out", "error:SocketTimeoutError")
	if s.State() != socket.BoundState {
		t.Fatalf("state after time-out %v", s.State())
	}
	ev.Reset()
	p := peer(t, "udp4", "127.0.0.1:0")
	go func() {
		time.Sleep(20 * time.Millisecond)
		p.WriteToUDPAddrPort([]byte("late"), netip.AddrPortFrom(socket.LocalHost, s.LocalPort()))
	}()
	if !s.WaitForReadyRead(5 * time.Second) {
		t.Fatal("WaitForReadyRead missed the datagram")
	}
	ev.Check(t, "arrival", "readyRead")
	// Announced and still unread: true again at once, no second readyRead.
	if !s.WaitForReadyRead(0) {
		t.Fatal("second WaitForReadyRead with a datagram unread returned false")
	}
	ev.Check(t, "unread", "readyRead")
	buf := make([]byte, 8)
	if n, _, _, err := s.ReadDatagram(buf); err != nil || string(buf[:n]) != "late" {
		t.Fatalf("ReadDatagram = %q, %v", buf[:n], err)
	}
	ev.Reset()
	if _, err := s.WriteDatagram([]byte("x"), socket.LocalHost, portOf(p)); err != nil {
		t.Fatal(err)
	}
	if s.WaitForBytesWritten(10 * time.Millisecond) {
		t.Fatal("WaitForBytesWritten true on an unbuffered socket")
	}
	ev.Check(t, "write", "bytesWritten:1")

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	if err := s.WaitForReadyReadContext(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("WaitForReadyReadContext = %v, want DeadlineExceeded", err)
	}
	sendTo(t, p, socket.LocalHost, s.LocalPort(), "ctx")
	if err := s.WaitForReadyReadContext(context.Background()); err != nil {
		t.Fatalf("WaitForReadyReadContext = %v", err)
	}
}

// Sockets used in blocking style from different goroutines do not
// interfere.
func TestBlockingParallel(t *testing.T) {
	const n = 8
	errs := make(chan error, n)
	for range n {
		go func() {
			r := udp.NewSocket(nil)
			defer r.Close()
			if err := r.Bind(socket.LocalHost, 0, 0); err != nil {
				errs <- err
				return
			}
			w := udp.NewSocket(nil)
			defer w.Close()
			for i := range 100 {
				if _, err := w.WriteDatagram([]byte{byte(i)}, socket.LocalHost, r.LocalPort()); err != nil {
					errs <- err
					return
				}
				if !r.WaitForReadyRead(5 * time.Second) {
					errs <- r.LastError()
					return
				}
				buf := make([]byte, 2)
				if n, _, _, err := r.ReadDatagram(buf); err != nil || n != 1 || buf[0] != byte(i) {
					errs <- errors.New("wrong datagram")
					return
				}
			}
			errs <- nil
		}()
	}
	for range n {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}

// No descriptor or goroutine leaks after 1,000 bind/close cycles, on a
// loop and in blocking style; a closed socket is garbage.
func TestNoLeaks(t *testing.T) {
	l := newLoop(t)
	fds, gs := openFDs(t), runtime.NumGoroutine()
	p := peer(t, "udp4", "127.0.0.1:0")
	fds++
	for i := range 1000 {
		var loop = l
		if i%2 == 1 {
			loop = nil
		}
		run := func(fn func()) {
			if loop == nil {
				fn()
			} else {
				l.Invoke(fn)
			}
		}
		run(func() {
			s := udp.NewSocket(loop)
			if err := s.Bind(socket.LocalHost, 0, socket.ShareAddress); err != nil {
				t.Error(err)
				return
			}
			s.WriteDatagram([]byte("x"), socket.LocalHost, portOf(p))
			if i%3 == 0 {
				s.Abort()
			} else {
				s.Close()
			}
		})
	}
	if got := openFDs(t); got > fds {
		t.Errorf("open descriptors: %d after, %d before", got, fds)
	}
	if got := settledGoroutines(gs); got > gs {
		t.Errorf("goroutines: %d after, %d before", got, gs)
	}
}
