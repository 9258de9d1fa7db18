package tcp_test

import (
	"bytes"
	"io"
	"net"
	"runtime"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/qsock/qsock/engine"
	"github.com/qsock/qsock/socket"
	"github.com/qsock/qsock/tcp"
)

func TestReadBufferSizeBoundsMemoryAndResumes(t *testing.T) {
	s, _, peer, on := connected(t)
	const limit = 64 << 10
	const total = 8 << 20
	var max int64
	readyReads := 0
	on(func() {
		s.SetReadBufferSize(limit)
		s.ReadyRead.Connect(func() {
			readyReads++
			if n := s.BytesAvailable(); n > max {
				max = n
			}
		})
	})
	go func() {
		peer.Write(bytes.Repeat([]byte{'x'}, total))
	}()
	// Without reading, the buffer fills to the limit and stays there.
	until(t, s.Loop(), "buffer at its limit", func() bool { return s.BytesAvailable() == limit })
	time.Sleep(50 * time.Millisecond)
	on(func() {
		if s.BytesAvailable() != limit {
			t.Errorf("BytesAvailable = %d, want the limit %d", s.BytesAvailable(), limit)
		}
	})
	// Draining resumes reading; every byte arrives, never more than the
	// limit buffered at once.
	got := 0
	for got < total {
		on(func() { got += len(s.ReadAll()) })
		time.Sleep(time.Millisecond)
	}
	on(func() {
		if max > limit {
			t.Errorf("buffer grew to %d, past the limit %d", max, limit)
		}
		if readyReads < 2 {
			t.Errorf("%d ReadyRead signals; reading must resume with a new ReadyRead", readyReads)
		}
		if got != total {
			t.Errorf("read %d bytes, want %d", got, total)
		}
	})
}

func TestTransactionsReplayExactly(t *testing.T) {
	s, _, peer, on := connected(t)
	peer.Write([]byte("hello world\nsecond"))
	until(t, s.Loop(), "data", func() bool { return s.BytesAvailable() == 18 })
	on(func() {
		s.StartTransaction()
		if got := string(s.ReadN(5)); got != "hello" {
			t.Fatalf("read %q", got)
		}
		c, _ := s.GetChar()
		if c != ' ' || s.BytesAvailable() != 12 {
			t.Fatalf("GetChar %q, available %d", c, s.BytesAvailable())
		}
		s.UngetChar('!') // ignored inside a transaction, as Qt
		s.RollbackTransaction()
		if s.BytesAvailable() != 18 {
			t.Fatalf("after rollback %d available, want 18", s.BytesAvailable())
		}
		s.StartTransaction()
		line := string(s.ReadLine(0))
		s.CommitTransaction()
		if line != "hello world\n" || s.BytesAvailable() != 6 {
			t.Fatalf("ReadLine %q, %d left", line, s.BytesAvailable())
		}
		if s.CanReadLine() {
			t.Error("CanReadLine with no newline buffered")
		}
		if got := string(s.Peek(3)); got != "sec" || s.BytesAvailable() != 6 {
			t.Errorf("Peek = %q", got)
		}
		s.UngetChar('>')
		if got := string(s.ReadAll()); got != ">second" {
			t.Errorf("after UngetChar: %q", got)
		}
		if !s.AtEnd() {
			t.Error("AtEnd is true whenever nothing is buffered")
		}
		if n, err := s.Read(make([]byte, 4)); n != 0 || err != nil {
			t.Errorf("Read with nothing buffered = %d, %v; want 0, nil", n, err)
		}
	})
}

func TestWritesCoalesceAndBytesWrittenAfterFlush(t *testing.T) {
	s, _, peer, on := connected(t)
	var written []int64
	var toWriteInsideWrite int64
	on(func() {
		s.BytesWritten.Connect(func(n int64) { written = append(written, n) })
		s.Write([]byte("a"))
		s.Write([]byte("bc"))
		s.Write([]byte("def"))
		toWriteInsideWrite = s.BytesToWrite()
		if len(written) != 0 {
			t.Error("BytesWritten emitted from inside Write")
		}
	})
	buf := make([]byte, 6)
	peer.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.ReadFull(peer, buf); err != nil || string(buf) != "abcdef" {
		t.Fatalf("peer read %q, %v", buf, err)
	}
	until(t, s.Loop(), "BytesWritten", func() bool { return len(written) > 0 })
	on(func() {
		if toWriteInsideWrite != 6 {
			t.Errorf("BytesToWrite before the flush = %d, want 6", toWriteInsideWrite)
		}
		if len(written) != 1 || written[0] != 6 {
			t.Errorf("BytesWritten = %v, want one emission of 6 (writes of one turn coalesce)", written)
		}
	})
}

func TestReadyReadNotReemittedRecursively(t *testing.T) {
	s, _, peer, on := connected(t)
	depth, maxDepth, calls := 0, 0, 0
	waited := false
	on(func() {
		s.ReadyRead.Connect(func() {
			calls++
			depth++
			defer func() { depth-- }()
			maxDepth = max(maxDepth, depth)
			if !waited {
				waited = true
				// More data arrives while the slot waits: the wait
				// reports it without re-emitting ReadyRead.
				go peer.Write([]byte("second"))
				if !s.WaitForReadyRead(5 * time.Second) {
					t.Error("WaitForReadyRead inside the slot failed")
				}
			}
		})
	})
	peer.Write([]byte("first"))
	until(t, s.Loop(), "both chunks", func() bool { return s.BytesAvailable() == 11 })
	on(func() {
		if maxDepth != 1 {
			t.Errorf("ReadyRead nested %d deep", maxDepth)
		}
	})
}

func TestReentrantCloseInsideEverySignal(t *testing.T) {
	for _, sig := range []string{"connected", "readyRead", "stateChanged", "bytesWritten"} {
		for _, action := range []string{"Close", "Abort", "DisconnectFromHost"} {
			t.Run(sig+"/"+action, func(t *testing.T) {
				l := newLoop(t)
				ln, port := listener(t)
				var s *tcp.Socket
				do := func() {
					switch action {
					case "Close":
						s.Close()
					case "Abort":
						s.Abort()
					default:
						s.DisconnectFromHost()
					}
				}
				l.Invoke(func() {
					s = tcp.NewSocket(l)
					switch sig {
					case "connected":
						s.Connected.Connect(do)
					case "readyRead":
						s.ReadyRead.Connect(do)
					case "stateChanged":
						s.StateChanged.Connect(func(st socket.State) {
							if st == socket.ConnectedState {
								do()
							}
						})
					case "bytesWritten":
						s.Connected.Connect(func() { s.Write([]byte("x")) })
						s.BytesWritten.Connect(func(int64) { do() })
					}
					s.ConnectToHost("127.0.0.1", port)
				})
				peer := accept(t, ln)
				peer.Write([]byte("data"))
				until(t, l, "closed", func() bool { return s.State() == socket.UnconnectedState })
				l.Invoke(func() {
					if s.SocketDescriptor() != -1 {
						t.Error("descriptor left open")
					}
				})
			})
		}
	}
}

func TestWrongStateCalls(t *testing.T) {
	l := newLoop(t)
	ln, port := listener(t)
	l.Invoke(func() {
		s := tcp.NewSocket(l)
		if n, err := s.Write([]byte("x")); n != 0 || err == nil {
			t.Errorf("Write before connect = %d, %v; want an error", n, err)
		}
		if _, err := s.Read(make([]byte, 1)); err == nil {
			t.Error("Read on a never-opened socket succeeded")
		}
		if s.WaitForReadyRead(0) || s.WaitForBytesWritten(0) || s.WaitForDisconnected(0) || s.WaitForConnected(0) {
			t.Error("a WaitFor* on an unconnected socket reported true")
		}
		s.DisconnectFromHost()
		s.Close()
		s.Abort()
		ev := record(s)
		s.ConnectToHost("127.0.0.1", port)
		s.ConnectToHost("127.0.0.1", port) // connect twice
		if s.Error() != socket.OperationError {
			t.Errorf("second ConnectToHost: Error() = %v, want OperationError", s.Error())
		}
		if ev.Log[len(ev.Log)-1] != "error:OperationError" {
			t.Errorf("second ConnectToHost signals: %v", ev.Log)
		}
		s.Abort()
		if _, err := s.Read(make([]byte, 1)); err == nil {
			t.Error("Read after Abort succeeded")
		}
		if s.SetSocketDescriptor(-5, socket.ConnectedState) == nil || s.Error() != socket.UnsupportedSocketOperationError {
			t.Errorf("SetSocketDescriptor(-5): Error() = %v", s.Error())
		}
	})
	_ = ln
}

func TestNoLeaksAfterManyConnectCloseCycles(t *testing.T) {
	l := newLoop(t)
	ln, port := listener(t)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	time.Sleep(10 * time.Millisecond)
	fds := openFDs(t)
	gs := runtime.NumGoroutine()
	const cycles = 1000
	done := 0
	var next func()
	finished := make(chan struct{})
	next = func() {
		if done == cycles {
			close(finished)
			return
		}
		done++
		s := tcp.NewSocket(l)
		s.Connected.Connect(func() {
			if done%2 == 0 {
				s.Close()
			} else {
				s.Abort()
			}
		})
		s.StateChanged.Connect(func(st socket.State) {
			if st == socket.UnconnectedState {
				l.Post(next)
			}
		})
		s.ConnectToHost("127.0.0.1", port)
	}
	l.Post(next)
	select {
	case <-finished:
	case <-time.After(60 * time.Second):
		t.Fatalf("only %d cycles finished", done)
	}
	// The peer's side is closed by its own goroutine: give it a moment.
	got := openFDs(t)
	for i := 0; i < 100 && got > fds; i++ {
		time.Sleep(10 * time.Millisecond)
		got = openFDs(t)
	}
	if got > fds {
		t.Errorf("descriptors: %d before, %d after %d cycles", fds, got, cycles)
	}
	if got := settledGoroutines(gs); got > gs {
		t.Errorf("goroutines: %d before, %d after", gs, got)
	}
}

func TestLoopCloseReleasesSockets(t *testing.T) {
	ln, port := listener(t)
	fds := openFDs(t)
	l, err := engine.NewLoop()
	if err != nil {
		t.Fatal(err)
	}
	s := tcp.NewSocket(l)
	signals := 0
	s.ConnectToHost("127.0.0.1", port)
	for s.State() != socket.ConnectedState {
		l.ProcessEvents(time.Second)
	}
	peer := accept(t, ln)
	s.StateChanged.Connect(func(socket.State) { signals++ })
	s.Disconnected.Connect(func() { signals++ })
	s.Write([]byte("pending"))
	l.Close()
	if s.SocketDescriptor() != -1 || signals != 0 {
		t.Fatalf("after Loop.Close: fd %d, %d signals", s.SocketDescriptor(), signals)
	}
	s.Abort() // harmless afterwards
	s.Close()
	peer.Close()
	if got := openFDs(t); got > fds+1 { // +1: the accepted peer until its cleanup
		t.Fatalf("descriptors: %d before, %d after Loop.Close", fds, got)
	}
}

// An adopted descriptor is Connected without the connected signal, as Qt
// (network-chat relies on that).
func TestSetSocketDescriptorAdopts(t *testing.T) {
	ln, port := listener(t)
	conn, err := net.Dial("tcp4", addr(port))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	peer := accept(t, ln)
	f, err := peer.(*net.TCPConn).File()
	if err != nil {
		t.Fatal(err)
	}
	fd, _ := unix.Dup(int(f.Fd()))
	f.Close()
	s := tcp.NewSocket(nil)
	ev := record(s)
	if err := s.SetSocketDescriptor(fd, socket.ConnectedState); err != nil {
		t.Fatal(err)
	}
	ev.Check(t, "adopt", "state:ConnectedState")
	if s.PeerPort() != uint16(conn.LocalAddr().(*net.TCPAddr).Port) || s.LocalPort() != port || s.OpenMode() != socket.ReadWrite {
		t.Fatalf("addresses %v:%d -> %d, mode %v", s.PeerAddress(), s.PeerPort(), s.LocalPort(), s.OpenMode())
	}
	conn.Write([]byte("hi"))
	if !s.WaitForReadyRead(5*time.Second) || string(s.ReadAll()) != "hi" {
		t.Fatal("no data through the adopted descriptor")
	}
	s.Abort()
}
