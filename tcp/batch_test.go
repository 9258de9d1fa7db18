package tcp_test

import (
	"io"
	"net"
	"testing"

	"github.com/qsock/qsock/socket"
	"github.com/qsock/qsock/tcp"
)

// Writes made in one turn on several sockets leave together (batched on
// Linux). A BytesWritten slot of one socket that aborts another, whose
// bytes went out in the same batch, must find it consistent: no panic, no
// second BytesWritten, the abort's usual signals, and every byte of the
// others delivered.
func TestBatchedWritesWithAbortInSlot(t *testing.T) {
	l := newLoop(t)
	ln, port := listener(t)
	const n = 4
	socks := make([]*tcp.Socket, n)
	peers := make([]net.Conn, n)
	for i := range socks {
		l.Invoke(func() {
			socks[i] = tcp.NewSocket(l)
			socks[i].ConnectToHost("127.0.0.1", port)
		})
		peers[i] = accept(t, ln)
	}
	until(t, l, "connected", func() bool {
		for _, s := range socks {
			if s.State() != socket.ConnectedState {
				return false
			}
		}
		return true
	})
	written := make([]int64, n)
	victim := socks[n-1]
	l.Invoke(func() {
		for i, s := range socks {
			s.BytesWritten.Connect(func(b int64) {
				written[i] += b
				if i == 0 {
					victim.Abort()
				}
			})
		}
		// All four writes in one turn: one batch at its end.
		for i, s := range socks {
			s.Write([]byte{'a' + byte(i), 'b' + byte(i), 'c' + byte(i)})
		}
	})
	until(t, l, "written", func() bool { return written[0] == 3 && written[1] == 3 && written[2] == 3 })
	l.Invoke(func() {
		if victim.State() != socket.UnconnectedState || victim.IsOpen() {
			t.Errorf("victim after Abort: %v open %v", victim.State(), victim.IsOpen())
		}
		if written[n-1] > 3 {
			t.Errorf("victim BytesWritten total %d", written[n-1])
		}
	})
	for i := 0; i < n-1; i++ {
		buf := make([]byte, 3)
		if _, err := io.ReadFull(peers[i], buf); err != nil || string(buf) != string([]byte{'a' + byte(i), 'b' + byte(i), 'c' + byte(i)}) {
			t.Errorf("peer %d got %q, %v", i, buf, err)
		}
	}
}
