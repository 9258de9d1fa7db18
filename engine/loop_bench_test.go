package engine_test

import (
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/qsock/qsock/engine"
)

// BenchmarkPost measures posting from another goroutine to a running loop.
func BenchmarkPost(b *testing.B) {
	l := newLoop(b)
	stop := runLoop(b, l)
	defer stop()
	fn := func() {}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		l.Post(fn)
	}
	l.Invoke(func() {})
}

// BenchmarkWakeLatency measures a round trip: post to a sleeping loop and
// wait until the function ran.
func BenchmarkWakeLatency(b *testing.B) {
	l := newLoop(b)
	stop := runLoop(b, l)
	defer stop()
	done := make(chan struct{}, 1)
	fn := func() { done <- struct{}{} }
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		l.Post(fn)
		<-done
	}
}

// BenchmarkTimerChurn arms and cancels timers, as connect and handshake
// time-outs do.
func BenchmarkTimerChurn(b *testing.B) {
	l := newLoop(b)
	fn := func() {}
	t := l.AfterFunc(time.Hour, fn)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t.Reset(time.Duration(i%1000) * time.Millisecond)
		t.Stop()
	}
}

type counter struct{ n int }

func (c *counter) Ready(engine.Events) { c.n++ }

// BenchmarkDispatch1000 runs one loop turn with 1,000 ready descriptors;
// one op is one turn, allocs/op must be 0.
func BenchmarkDispatch1000(b *testing.B) {
	l := newLoop(b)
	c := &counter{}
	const n = 1000
	for i := 0; i < n; i++ {
		p := socketpair(b)
		b.Cleanup(func() { unix.Close(p[0]); unix.Close(p[1]) })
		unix.Write(p[1], []byte{1}) // stays readable: level-triggered
		nt, err := l.NewNotifier(p[0], c)
		if err != nil {
			b.Fatal(err)
		}
		nt.SetReadEnabled(true)
	}
	for c.n < n {
		l.ProcessEvents(time.Second)
	}
	c.n = 0
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		l.ProcessEvents(time.Second)
	}
	b.StopTimer()
	b.ReportMetric(float64(c.n)/float64(b.N), "events/op")
}
