package tcp_test

import (
	"fmt"
	"io"
	"net"
	"testing"
	"time"

	"github.com/qsock/qsock/engine"
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
	const n = 4
	socks, peers := connectedSockets(t, l, n)
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

// Reads that become ready in one turn are made together (batched on
// Linux), then announced socket by socket. Each socket reads its own
// bytes; a ReadyRead slot that aborts the others leaves them as Abort
// does — no ReadyRead after it, nothing left to read — even though their
// bytes were already read from the kernel in the same batch.
func TestBatchedReadsWithAbortInSlot(t *testing.T) {
	l := newLoop(t)
	const n = 8
	socks, peers := connectedSockets(t, l, n)
	got := make([]string, n)
	readyReads := make([]int, n)
	abortOthers := false
	aborted := false
	l.Invoke(func() {
		for i, s := range socks {
			s.ReadyRead.Connect(func() {
				readyReads[i]++
				got[i] += string(s.ReadAll())
				if abortOthers && !aborted {
					aborted = true
					for j, o := range socks {
						if j != i {
							o.Abort()
						}
					}
				}
			})
		}
	})
	// The peers write while the loop is held, so that every socket is
	// readable at its next wait.
	sendAll := func(round int) {
		l.Invoke(func() {
			for i, p := range peers {
				fmt.Fprintf(p, "r%d s%d;", round, i)
			}
			time.Sleep(20 * time.Millisecond)
		})
	}
	sendAll(1)
	until(t, l, "every socket read", func() bool {
		for i := range socks {
			if got[i] != fmt.Sprintf("r1 s%d;", i) {
				return false
			}
		}
		return true
	})
	l.Invoke(func() {
		abortOthers = true
		clear(readyReads)
		clear(got)
	})
	sendAll(2)
	until(t, l, "one ReadyRead", func() bool { return aborted })
	time.Sleep(20 * time.Millisecond)
	l.Invoke(func() {
		survivors := 0
		for i, s := range socks {
			switch {
			case s.State() == socket.ConnectedState:
				survivors++
				if readyReads[i] != 1 || got[i] != fmt.Sprintf("r2 s%d;", i) {
					t.Errorf("survivor %d: %d ReadyRead, read %q", i, readyReads[i], got[i])
				}
			case readyReads[i] != 0 || s.BytesAvailable() != 0 || got[i] != "":
				t.Errorf("aborted socket %d: %d ReadyRead, read %q, %d bytes available",
					i, readyReads[i], got[i], s.BytesAvailable())
			}
		}
		if survivors != 1 {
			t.Errorf("%d sockets still connected, want 1", survivors)
		}
	})
}

// connectedSockets connects n sockets on l to loopback peers.
func connectedSockets(t *testing.T, l *engine.Loop, n int) ([]*tcp.Socket, []net.Conn) {
	t.Helper()
	ln, port := listener(t)
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
	return socks, peers
}
