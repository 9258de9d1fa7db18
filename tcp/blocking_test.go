package tcp_test

import (
	"context"
	"errors"
	"io"
	"sync"
	"testing"
	"time"

	"github.com/qsock/qsock/socket"
	"github.com/qsock/qsock/tcp"
)

func TestBlockingStyleRoundTrip(t *testing.T) {
	ln, port := listener(t)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		buf := make([]byte, 5)
		io.ReadFull(c, buf)
		c.Write(append([]byte("echo:"), buf...))
	}()
	s := tcp.NewSocket(nil)
	ev := record(s)
	s.ConnectToHost("localhost", port)
	if s.State() != socket.HostLookupState {
		t.Fatalf("a name on a nil-loop socket returns in HostLookup, got %v", s.State())
	}
	if !s.WaitForConnected(5 * time.Second) {
		t.Fatalf("WaitForConnected: %v", s.ErrorString())
	}
	s.Write([]byte("hello"))
	if !s.WaitForBytesWritten(5 * time.Second) {
		t.Fatal("WaitForBytesWritten after Write returned false")
	}
	var got []byte
	for len(got) < 10 && s.WaitForReadyRead(5*time.Second) {
		got = append(got, s.ReadAll()...)
	}
	if string(got) != "echo:hello" {
		t.Fatalf("got %q", got)
	}
	if !s.WaitForDisconnected(5 * time.Second) {
		t.Fatal("WaitForDisconnected after the peer closed returned false")
	}
	ev.Check(t, "blocking", "state:HostLookupState", "state:ConnectingState", "hostFound",
		"state:ConnectedState", "connected", "error:RemoteHostClosedError", "state:ClosingState",
		"state:UnconnectedState", "readChannelFinished", "disconnected")
}

func TestBlockingWaitTimeouts(t *testing.T) {
	ln, port := listener(t)
	s := tcp.NewSocket(nil)
	s.ConnectToHost("127.0.0.1", port)
	if !s.WaitForConnected(5 * time.Second) {
		t.Fatal(s.ErrorString())
	}
	peer := accept(t, ln)
	defer peer.Close()
	var errs []socket.SocketError
	s.ErrorOccurred.Connect(func(e socket.SocketError) { errs = append(errs, e) })
	start := time.Now()
	if s.WaitForReadyRead(50 * time.Millisecond) {
		t.Fatal("WaitForReadyRead with nothing sent returned true")
	}
	if time.Since(start) < 40*time.Millisecond {
		t.Error("WaitForReadyRead returned before its time-out")
	}
	// Qt reports the time-out but keeps the connection.
	if s.Error() != socket.SocketTimeoutError || s.State() != socket.ConnectedState {
		t.Fatalf("after time-out: %v in %v", s.Error(), s.State())
	}
	if len(errs) != 1 || errs[0] != socket.SocketTimeoutError {
		t.Errorf("ErrorOccurred = %v", errs)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	if err := s.WaitForReadyReadContext(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("WaitForReadyReadContext = %v, want DeadlineExceeded", err)
	}
	ctx2, cancel2 := context.WithCancel(context.Background())
	time.AfterFunc(30*time.Millisecond, cancel2)
	if err := s.WaitForDisconnectedContext(ctx2); !errors.Is(err, context.Canceled) {
		t.Errorf("WaitForDisconnectedContext = %v, want Canceled", err)
	}
	peer.Write([]byte("x"))
	if err := s.WaitForReadyReadContext(context.Background()); err != nil {
		t.Errorf("WaitForReadyReadContext with data = %v", err)
	}
	s.Abort()
}

func TestBlockingConnectTimeout(t *testing.T) {
	port := blackhole(t)
	s := tcp.NewSocket(nil)
	ev := record(s)
	s.ConnectToHost("127.0.0.1", port)
	if s.WaitForConnected(100 * time.Millisecond) {
		t.Fatal("connected to a black hole")
	}
	// Qt: SocketTimeoutError, back to Unconnected, no errorOccurred.
	ev.Check(t, "waitForConnected time-out", "state:HostLookupState", "state:ConnectingState", "hostFound",
		"state:UnconnectedState")
	if s.Error() != socket.SocketTimeoutError || s.SocketDescriptor() != -1 {
		t.Fatalf("Error() = %v, fd %d", s.Error(), s.SocketDescriptor())
	}
}

func TestBlockingRefused(t *testing.T) {
	s := tcp.NewSocket(nil)
	s.ConnectToHost("127.0.0.1", closedPort(t))
	if s.WaitForConnected(5 * time.Second) {
		t.Fatal("connected to a closed port")
	}
	if s.Error() != socket.ConnectionRefusedError {
		t.Fatalf("Error() = %v", s.Error())
	}
	if err := s.WaitForConnectedContext(context.Background()); !errors.Is(err, socket.ConnectionRefusedError) {
		t.Fatalf("WaitForConnectedContext on a refused socket = %v", err)
	}
}

// Sockets used in blocking style from different goroutines do not
// interfere.
func TestBlockingSocketsOnManyGoroutines(t *testing.T) {
	ln, port := listener(t)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() { defer c.Close(); io.Copy(c, c) }()
		}
	}()
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := tcp.NewSocket(nil)
			s.ConnectToHost("127.0.0.1", port)
			if !s.WaitForConnected(5 * time.Second) {
				t.Error(s.ErrorString())
				return
			}
			defer s.Abort()
			for i := 0; i < 50; i++ {
				s.Write([]byte("ping"))
				s.Flush()
				got := 0
				for got < 4 && s.WaitForReadyRead(5*time.Second) {
					got += len(s.ReadAll())
				}
				if got != 4 {
					t.Errorf("round %d: %d bytes back", i, got)
					return
				}
			}
		}()
	}
	wg.Wait()
}

// A WaitFor* inside a callback blocks the loop for its duration and still
// works, as in Qt; its time-out reports SocketTimeoutError and keeps the
// connection.
func TestWaitInsideCallbackOnRunningLoop(t *testing.T) {
	s, _, peer, on := connected(t)
	var timedOut, gotData bool
	var state socket.State
	on(func() {
		start := time.Now()
		timedOut = !s.WaitForReadyRead(30*time.Millisecond) && time.Since(start) >= 25*time.Millisecond
		state = s.State()
		go func() {
			time.Sleep(20 * time.Millisecond)
			peer.Write([]byte("late"))
		}()
		gotData = s.WaitForReadyRead(5*time.Second) && string(s.ReadAll()) == "late"
	})
	if !timedOut || state != socket.ConnectedState || !gotData {
		t.Fatalf("timed out %v (state %v), then data %v", timedOut, state, gotData)
	}
}
