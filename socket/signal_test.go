package socket

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// slotRecorder collects the names of the slots called, in order.
type slotRecorder struct{ got []string }

func (r *slotRecorder) slot(name string) func() {
	return func() { r.got = append(r.got, name) }
}

// take returns what was recorded since the last take.
func (r *slotRecorder) take() []string {
	got := r.got
	r.got = nil
	return got
}

func checkSlots(t *testing.T, step string, got, want []string) {
	t.Helper()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("%s: slots called (-want +got):\n%s", step, diff)
	}
}

func TestSignalOrder(t *testing.T) {
	var s Signal
	var r slotRecorder
	s.Emit() // no slots: nothing to do, must not panic
	for _, n := range []string{"a", "b", "c", "a"} {
		s.Connect(r.slot(n))
	}
	if got := s.Len(); got != 4 {
		t.Fatalf("Len = %d, want 4", got)
	}
	s.Emit()
	s.Emit()
	checkSlots(t, "two emissions", r.take(), []string{"a", "b", "c", "a", "a", "b", "c", "a"})
}

func TestSignal1And2Arguments(t *testing.T) {
	var s1 Signal1[State]
	var s2 Signal2[string, int]
	var got []string
	s1.Connect(func(st State) { got = append(got, "1:"+st.String()) })
	s2.Connect(func(a string, b int) { got = append(got, fmt.Sprintf("2:%s=%d", a, b)) })
	s2.Connect(func(a string, b int) { got = append(got, fmt.Sprintf("2b:%s=%d", a, b)) })
	s1.Emit(ConnectedState)
	s2.Emit("x", 7)
	checkSlots(t, "arguments", got, []string{"1:ConnectedState", "2:x=7", "2b:x=7"})
	if s1.Len() != 1 || s2.Len() != 2 {
		t.Errorf("Len = %d, %d; want 1, 2", s1.Len(), s2.Len())
	}
	s1.DisconnectAll()
	s2.DisconnectAll()
	got = nil
	s1.Emit(UnconnectedState)
	s2.Emit("y", 8)
	checkSlots(t, "after DisconnectAll", got, nil)
}

func TestSignalConnectDuringEmit(t *testing.T) {
	var s Signal
	var r slotRecorder
	added := false
	s.Connect(func() {
		r.got = append(r.got, "a")
		if !added {
			added = true
			s.Connect(r.slot("new"))
		}
	})
	s.Connect(r.slot("b"))
	s.Emit()
	checkSlots(t, "emission that connected", r.take(), []string{"a", "b"})
	s.Emit()
	checkSlots(t, "next emission", r.take(), []string{"a", "b", "new"})
}

func TestSignalDisconnectSelfDuringEmit(t *testing.T) {
	var s Signal
	var r slotRecorder
	var self Connection
	s.Connect(r.slot("a"))
	self = s.Connect(func() {
		r.got = append(r.got, "once")
		self.Disconnect()
		self.Disconnect() // idempotent, even inside the emission
	})
	s.Connect(r.slot("c"))
	s.Emit()
	checkSlots(t, "first", r.take(), []string{"a", "once", "c"})
	if self.Connected() {
		t.Error("Connected() = true after Disconnect")
	}
	if s.Len() != 2 {
		t.Errorf("Len = %d, want 2", s.Len())
	}
	s.Emit()
	checkSlots(t, "second", r.take(), []string{"a", "c"})
}

func TestSignalDisconnectOthersDuringEmit(t *testing.T) {
	var s Signal
	var r slotRecorder
	var first, last Connection
	first = s.Connect(r.slot("first"))
	s.Connect(func() {
		r.got = append(r.got, "killer")
		first.Disconnect() // already called in this emission
		last.Disconnect()  // not reached yet: must not be called
	})
	last = s.Connect(r.slot("last"))
	s.Emit()
	checkSlots(t, "first emission", r.take(), []string{"first", "killer"})
	s.Emit()
	checkSlots(t, "second emission", r.take(), []string{"killer"})
}

func TestSignalDisconnectAllDuringEmit(t *testing.T) {
	var s Signal
	var r slotRecorder
	s.Connect(r.slot("a"))
	s.Connect(func() {
		r.got = append(r.got, "b")
		s.DisconnectAll()
		if s.Len() != 0 {
			t.Errorf("Len during emission after DisconnectAll = %d, want 0", s.Len())
		}
		s.Connect(r.slot("late")) // after DisconnectAll, within the emission
	})
	c := s.Connect(r.slot("c"))
	s.Emit()
	checkSlots(t, "emission that disconnected all", r.take(), []string{"a", "b"})
	if c.Connected() {
		t.Error("c still connected after DisconnectAll")
	}
	s.Emit()
	checkSlots(t, "next emission", r.take(), []string{"late"})
	if got := s.Len(); got != 1 {
		t.Errorf("slot list holds %d entries after the emission, want 1 (only the live slot)", got)
	}
}

func TestSignalRecursiveEmit(t *testing.T) {
	var s Signal1[int]
	var got []string
	var inner Connection
	s.Connect(func(v int) {
		got = append(got, fmt.Sprint("a", v))
		if v == 2 {
			// Connected in the outer emission: not called by it, but called
			// by the nested emission that starts after it, as in Qt.
			inner = s.Connect(func(v int) { got = append(got, fmt.Sprint("n", v)) })
		}
		if v > 0 {
			s.Emit(v - 1)
		}
	})
	s.Connect(func(v int) {
		got = append(got, fmt.Sprint("b", v))
		if v == 1 {
			// In the middle emission, which has not reached inner yet
			// (the innermost one already called it).
			inner.Disconnect()
		}
	})
	s.Emit(2)
	checkSlots(t, "recursive", got, []string{"a2", "a1", "a0", "b0", "n0", "b1", "b2"})
	if s.Len() != 2 {
		t.Errorf("Len = %d, want 2 (the disconnected slot unlinked)", s.Len())
	}
}

func TestSignalCompactsWhenIdle(t *testing.T) {
	var s Signal
	for range 1000 {
		c := s.Connect(func() {})
		s.Connect(func() {}).Disconnect()
		c.Disconnect()
	}
	if s.Len() != 0 || s.c.head != nil {
		t.Errorf("Len = %d, head = %p; want 0, nil", s.Len(), s.c.head)
	}
}

func TestSignalPanickingSlot(t *testing.T) {
	var s Signal
	var r slotRecorder
	boom := s.Connect(func() { panic("boom") })
	func() {
		defer func() { _ = recover() }()
		s.Emit()
	}()
	// The emission ended by the panic must not leave the signal "emitting":
	// disconnecting now removes the slot at once.
	boom.Disconnect()
	if s.c.head != nil {
		t.Errorf("list = %d after the panic and Disconnect, want 0", s.Len())
	}
	s.Connect(r.slot("a"))
	s.Emit()
	checkSlots(t, "after panic", r.take(), []string{"a"})
}

func TestConnectionHandlesDoNotCrossSignals(t *testing.T) {
	var s1, s2 Signal
	var r slotRecorder
	c1 := s1.Connect(r.slot("s1"))
	c2 := s2.Connect(r.slot("s2"))
	if c1 == c2 {
		t.Fatal("handles of two signals compare equal")
	}
	if copied := c1; copied != c1 {
		t.Fatal("a copied handle does not compare equal")
	}
	c1.Disconnect()
	s1.Emit()
	s2.Emit()
	checkSlots(t, "after c1.Disconnect", r.take(), []string{"s2"})

	// A stale handle must not reach a slot connected later in its place.
	s2.DisconnectAll()
	s2.Connect(r.slot("s2 again"))
	c2.Disconnect()
	c1.Disconnect()
	s2.Emit()
	checkSlots(t, "stale handles", r.take(), []string{"s2 again"})

	var zero Connection
	zero.Disconnect()
	if zero.Connected() {
		t.Error("zero Connection is connected")
	}
}

func TestConnectNilPanics(t *testing.T) {
	for name, connect := range map[string]func(){
		"Signal":  func() { new(Signal).Connect(nil) },
		"Signal1": func() { new(Signal1[int]).Connect(nil) },
		"Signal2": func() { new(Signal2[int, int]).Connect(nil) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s.Connect(nil) did not panic", name)
				}
			}()
			connect()
		}()
	}
}

// emitters builds, for n slots, one emit function per signal type.
func signalEmitters(n int) map[string]func() {
	var (
		s0   Signal
		s1   Signal1[int]
		s2   Signal2[int, int]
		hits int
	)
	for range n {
		s0.Connect(func() { hits++ })
		s1.Connect(func(v int) { hits += v })
		s2.Connect(func(a, b int) { hits += a + b })
	}
	return map[string]func(){
		"Signal":  func() { s0.Emit() },
		"Signal1": func() { s1.Emit(1) },
		"Signal2": func() { s2.Emit(1, 2) },
	}
}

func TestEmitDoesNotAllocate(t *testing.T) {
	for _, n := range []int{1, 3} {
		for name, emit := range signalEmitters(n) {
			if a := testing.AllocsPerRun(1000, emit); a != 0 {
				t.Errorf("%s with %d slots: %v allocations per Emit, want 0", name, n, a)
			}
		}
	}
}

func BenchmarkEmit(b *testing.B) {
	for _, n := range []int{0, 1, 3} {
		for _, name := range []string{"Signal", "Signal1", "Signal2"} {
			emit := signalEmitters(n)[name]
			b.Run(fmt.Sprintf("%s/slots=%d", name, n), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					emit()
				}
			})
		}
	}
}
