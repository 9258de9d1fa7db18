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
