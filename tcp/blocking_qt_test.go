package tcp_test

import (
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/qsock/qsock/socket"
	"github.com/qsock/qsock/tcp"
)

// connectedPair returns a blocking-style socket connected to a Go peer.
func connectedPair(t *testing.T) (*tcp.Socket, io.ReadWriteCloser) {
	t.Helper()
	ln, port := listener(t)
	s := tcp.NewSocket(nil)
	s.ConnectToHost("127.0.0.1", port)
	if !s.WaitForConnected(5 * time.Second) {
		t.Fatal(s.ErrorString())
	}
	peer := accept(t, ln)
	t.Cleanup(func() { peer.Close(); s.Abort() })
	return s, peer
}

// Qt: a zero time-out polls once; it does not give up before looking.
func TestWaitZeroTimeoutPollsOnce(t *testing.T) {
	s, peer := connectedPair(t)
	peer.Write([]byte("x"))
	time.Sleep(50 * time.Millisecond) // in the kernel's buffer by now
	if !s.WaitForReadyRead(0) {
		t.Fatalf("WaitForReadyRead(0) with a byte waiting = false (%v)", s.ErrorString())
	}
	if got := string(s.ReadAll()); got != "x" {
		t.Fatalf("read %q, want x", got)
	}
	s.Write([]byte("y"))
	if !s.WaitForBytesWritten(0) {
		t.Fatalf("WaitForBytesWritten(0) with a byte queued = false (%v)", s.ErrorString())
	}
	if s.WaitForReadyRead(0) {
		t.Fatal("WaitForReadyRead(0) with nothing sent = true")
	}
	if s.Error() != socket.SocketTimeoutError || s.State() != socket.ConnectedState {
		t.Fatalf("after WaitForReadyRead(0) found nothing: %v in %v", s.Error(), s.State())
	}
}

// Qt's engine words every waitFor* time-out "Network operation timed
// out"; only waitForConnected says "Socket operation timed out".
func TestWaitTimeoutTexts(t *testing.T) {
	s, _ := connectedPair(t)
	if s.WaitForReadyRead(10 * time.Millisecond) {
		t.Fatal("WaitForReadyRead with nothing sent = true")
	}
	if got, want := s.ErrorString(), "Network operation timed out"; got != want {
		t.Errorf("WaitForReadyRead time-out: ErrorString = %q, want %q", got, want)
	}
	if s.WaitForDisconnected(10 * time.Millisecond) {
		t.Fatal("WaitForDisconnected on a live connection = true")
	}
	if got, want := s.ErrorString(), "Network operation timed out"; got != want {
		t.Errorf("WaitForDisconnected time-out: ErrorString = %q, want %q", got, want)
	}

	c := tcp.NewSocket(nil)
	c.ConnectToHost("127.0.0.1", blackhole(t))
	if c.WaitForConnected(50 * time.Millisecond) {
		t.Fatal("connected to a black hole")
	}
	if got, want := c.ErrorString(), "Socket operation timed out"; got != want {
		t.Errorf("WaitForConnected time-out: ErrorString = %q, want %q", got, want)
	}
}

// Qt: connectToHost resets error() to UnknownSocketError and
// errorString() to "Unknown error".
func TestConnectToHostResetsError(t *testing.T) {
	s := tcp.NewSocket(nil)
	s.ConnectToHost("127.0.0.1", closedPort(t))
	if s.WaitForConnected(5*time.Second) || s.Error() != socket.ConnectionRefusedError {
		t.Fatalf("refused connect: %v", s.Error())
	}
	ln, port := listener(t)
	s.ConnectToHost("127.0.0.1", port)
	if s.Error() != socket.UnknownSocketError || s.ErrorString() != "Unknown error" || s.LastError() != nil {
		t.Errorf("after ConnectToHost: %v %q %v; want UnknownSocketError \"Unknown error\" nil",
			s.Error(), s.ErrorString(), s.LastError())
	}
	if !s.WaitForConnected(5 * time.Second) {
		t.Fatal(s.ErrorString())
	}
	accept(t, ln).Close()
	s.Abort()
}

// Qt, without an event loop: write then disconnectFromHost leaves the
// socket Closing with the bytes queued; waitForDisconnected sends them
// and returns true (the threaded fortune server's pattern).
func TestBlockingDisconnectLeavesClosing(t *testing.T) {
	s, peer := connectedPair(t)
	ev := record(s)
	s.BytesWritten.Connect(func(n int64) { ev.Add(fmt.Sprint("bytesWritten:", n)) })
	s.Write([]byte("fortune"))
	s.DisconnectFromHost()
	if s.State() != socket.ClosingState {
		t.Fatalf("after Write and DisconnectFromHost: %v, want ClosingState", s.State())
	}
	if !s.WaitForDisconnected(5 * time.Second) {
		t.Fatalf("WaitForDisconnected = false (%v)", s.ErrorString())
	}
	got, err := io.ReadAll(peer)
	if err != nil || string(got) != "fortune" {
		t.Fatalf("peer read %q, %v", got, err)
	}
	ev.Check(t, "blocking disconnect", "state:ClosingState", "bytesWritten:7",
		"state:UnconnectedState", "readChannelFinished", "disconnected")
}

// Qt's readLine(maxSize) reads at most maxSize-1 bytes.
func TestReadLineLimit(t *testing.T) {
	s, peer := connectedPair(t)
	peer.Write([]byte("abcdefgh\nrest"))
	for s.BytesAvailable() < 13 && s.WaitForReadyRead(5*time.Second) {
	}
	for _, tc := range []struct {
		max  int
		want string
	}{{1, ""}, {4, "abc"}, {0, "defgh\n"}, {-1, ""}, {100, "rest"}} {
		if got := string(s.ReadLine(tc.max)); got != tc.want {
			t.Errorf("ReadLine(%d) = %q, want %q", tc.max, got, tc.want)
		}
	}
}
