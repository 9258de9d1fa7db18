package engine_test

import (
	"testing"

	"github.com/qsock/qsock/engine"
)

// A ProcessEvents turn allocates nothing, idle or running a posted
// function: making its caller the loop's goroutine reuses the loop's
// scratch for the goroutine id.
func TestProcessEventsAllocatesNothing(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates on its own")
	}
	l, err := engine.NewLoop()
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if a := testing.AllocsPerRun(100, func() { l.ProcessEvents(0) }); a != 0 {
		t.Errorf("idle ProcessEvents: %v allocations per turn, want 0", a)
	}
	ran := 0
	fn := func() { ran++ }
	if a := testing.AllocsPerRun(100, func() { l.Post(fn); l.ProcessEvents(0) }); a != 0 {
		t.Errorf("ProcessEvents running a posted function: %v allocations per turn, want 0", a)
	}
	if ran < 100 {
		t.Errorf("posted function ran %d times, want at least 100", ran)
	}
}
