package engine

import (
	"slices"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// ender records its EndOfTurn calls and panics once when asked.
type ender struct {
	name  string
	log   *[]string
	panic bool
}

func (e *ender) EndOfTurn() {
	*e.log = append(*e.log, "end "+e.name)
	if e.panic {
		e.panic = false
		panic("slot panicked")
	}
}

// sender is a BatchWriter with one byte to send on its descriptor.
type sender struct {
	ender
	fd   int
	sent bool
}

func (s *sender) PrepareWrite(iov [][]byte) (int, [][]byte, int, bool) {
	if s.sent {
		return 0, nil, 0, false
	}
	return s.fd, append(iov, []byte{'x'}), 0, true
}

func (s *sender) WriteResult(n int, err error, note int) { s.sent = n == 1 }

func (s *sender) WriteSettled(n int, err error, note int) {
	*s.log = append(*s.log, "settled "+s.name)
	if s.panic {
		s.panic = false
		panic("slot panicked")
	}
}

// closingLoop returns a new loop that the test closes at its end.
func closingLoop(t *testing.T) *Loop {
	t.Helper()
	l, err := NewLoop()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

// processAfterPanic runs one turn, expecting a slot's panic to come out
// of it, then another turn.
func processAfterPanic(t *testing.T, l *Loop) {
	t.Helper()
	func() {
		defer func() {
			if recover() == nil {
				t.Error("the slot's panic did not reach the caller")
			}
		}()
		l.ProcessEvents(0)
	}()
	if err := l.ProcessEvents(100 * time.Millisecond); err != nil {
		t.Fatal(err)
	}
}

// A panicking end-of-turn handler unwinds through the loop, and the
// handlers after it still run, at the next turn's end, once each: a
// socket whose flush was scheduled must not wait for ever.
func TestEndOfTurnAfterPanic(t *testing.T) {
	l := closingLoop(t)
	var log []string
	a, b, c := &ender{name: "a", log: &log}, &ender{name: "b", log: &log, panic: true}, &ender{name: "c", log: &log}
	l.EndOfTurn(a)
	l.EndOfTurn(b)
	l.EndOfTurn(c)
	processAfterPanic(t, l)
	slices.Sort(log)
	if want := []string{"end a", "end b", "end c"}; !slices.Equal(log, want) {
		t.Errorf("calls %q, want each once: %q", log, want)
	}
}

// The same with the sends batched: writers after a panicking WriteSettled
// are settled later (their bytes left), and plain handlers run later.
func TestBatchedSendsAfterPanic(t *testing.T) {
	l := closingLoop(t)
	if l.ring == nil {
		t.Skip("io_uring is not available here (old kernel, seccomp, or io_uring_disabled): sends are not batched")
	}
	var log []string
	mk := func(name string, boom bool) *sender {
		p, err := Socketpair(unix.AF_UNIX, unix.SOCK_STREAM)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { unix.Close(p[0]); unix.Close(p[1]) })
		return &sender{ender: ender{name: name, log: &log, panic: boom}, fd: p[0]}
	}
	s1, s2 := mk("s1", true), mk("s2", false)
	plain := &ender{name: "plain", log: &log}
	l.EndOfTurn(s1)
	l.EndOfTurn(s2)
	l.EndOfTurn(plain)
	processAfterPanic(t, l)
	slices.Sort(log)
	if want := []string{"end plain", "settled s1", "settled s2"}; !slices.Equal(log, want) {
		t.Errorf("calls %q, want %q", log, want)
	}
	if !s1.sent || !s2.sent {
		t.Errorf("sent: s1 %v, s2 %v", s1.sent, s2.sent)
	}
}
