package tcp_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/qsock/qsock/tcp"
)

// A read buffer limited to 10 bytes, 30 bytes sent, a ReadyRead slot that
// reads chunk bytes: the sequence a Qt 6.4 event-loop probe printed. The
// buffer is refilled to the limit after every read, partial or not.
func TestReadBufferLimitAsQt(t *testing.T) {
	for _, tc := range []struct {
		chunk int
		want  []string
	}{
		{5, []string{"avail 10 read 5 left 5", "avail 10 read 5 left 5", "avail 10 read 5 left 5",
			"avail 10 read 5 left 5", "avail 10 read 5 left 5"}},
		{10, []string{"avail 10 read 10 left 0", "avail 10 read 10 left 0", "avail 10 read 10 left 0"}},
		{20, []string{"avail 10 read 10 left 0", "avail 10 read 10 left 0", "avail 10 read 10 left 0"}},
	} {
		t.Run(fmt.Sprint("read", tc.chunk), func(t *testing.T) {
			l := newLoop(t)
			ln, port := listener(t)
			var s *tcp.Socket
			var got []string
			total := 0
			l.Invoke(func() {
				s = tcp.NewSocket(l)
				s.SetReadBufferSize(10)
				s.ReadyRead.Connect(func() {
					before := s.BytesAvailable()
					b := s.ReadN(tc.chunk)
					total += len(b)
					got = append(got, fmt.Sprintf("avail %d read %d left %d", before, len(b), s.BytesAvailable()))
				})
				s.ConnectToHost("127.0.0.1", port)
			})
			peer := accept(t, ln)
			peer.Write(make([]byte, 30))
			until(t, l, "the reads", func() bool { return len(got) == len(tc.want) })
			time.Sleep(50 * time.Millisecond) // room for a readyRead too many
			l.Invoke(func() {
				if d := cmp.Diff(tc.want, got); d != "" {
					t.Errorf("(-want +got):\n%s", d)
				}
			})
		})
	}
}

// A read buffer limited to 4 bytes, 10 bytes sent by a peer that stays
// connected, and reads made from timers, outside ReadyRead: the sequence
// Qt 5.15 and Qt 6.4 probes printed alike. A full buffer stops reading
// until a read empties it (Qt's readData turns the read notifier back
// on); reading part of it only makes room.
func TestReadBufferResumesWhenEmptiedAsQt(t *testing.T) {
	l := newLoop(t)
	ln, port := listener(t)
	var s *tcp.Socket
	var got []string
	logf := func(format string, args ...any) { got = append(got, fmt.Sprintf(format, args...)) }
	l.Invoke(func() {
		s = tcp.NewSocket(l)
		s.SetReadBufferSize(4)
		s.ReadyRead.Connect(func() { logf("readyRead avail=%d", s.BytesAvailable()) })
		s.ConnectToHost("127.0.0.1", port)
	})
	peer := accept(t, ln)
	peer.Write([]byte("0123456789"))
	step := func(delay time.Duration, fn func()) {
		time.Sleep(delay)
		l.Invoke(fn)
	}
	step(200*time.Millisecond, func() { logf("read(3)=%q avail=%d", s.ReadN(3), s.BytesAvailable()) })
	step(200*time.Millisecond, func() { logf("readAll=%q", s.ReadAll()) })
	step(200*time.Millisecond, func() { logf("readAll=%q", s.ReadAll()) })
	step(200*time.Millisecond, func() { logf("avail=%d", s.BytesAvailable()); s.Abort() })
	want := []string{
		"readyRead avail=4",
		`read(3)="012" avail=1`,
		`readAll="3"`,
		"readyRead avail=4",
		`readAll="4567"`,
		"readyRead avail=2",
		"avail=2",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}
