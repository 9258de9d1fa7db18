package tcp_test

import (
	"bytes"
	"errors"
	"io"
	"net"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/qsock/qsock/engine"
	"github.com/qsock/qsock/socket"
	"github.com/qsock/qsock/tcp"
)

// connectLiteral connects a new socket on a new loop to a loopback
// listener named by host, and returns what the recorder logged before
// ConnectToHost returned; it waits for ConnectedState.
func connectLiteral(t *testing.T, host string) (l *engine.Loop, s *tcp.Socket, ev *events, port uint16, syncPart []string) {
	t.Helper()
	l = newLoop(t)
	ln, port := listener(t)
	l.Invoke(func() {
		s = tcp.NewSocket(l)
		ev = record(s)
		s.ConnectToHost(host, port)
		syncPart = append(syncPart, ev.Log...)
	})
	accept(t, ln)
	until(t, l, "connected", func() bool { return s.State() == socket.ConnectedState })
	return l, s, ev, port, syncPart
}

func TestConnectSuccessSequence(t *testing.T) {
	l, s, ev, port, syncPart := connectLiteral(t, "127.0.0.1")
	// A literal address skips the lookup: Connecting and hostFound come
	// before ConnectToHost returns.
	if len(syncPart) != 3 {
		t.Errorf("before ConnectToHost returned: %v", syncPart)
	}
	l.Invoke(func() {
		ev.Check(t, "connect", "state:HostLookupState", "state:ConnectingState", "hostFound",
			"state:ConnectedState", "connected")
		if s.PeerPort() != port || s.PeerAddress().String() != "127.0.0.1" || s.PeerName() != "127.0.0.1" {
			t.Errorf("peer = %v:%d name %q", s.PeerAddress(), s.PeerPort(), s.PeerName())
		}
		if s.LocalPort() == 0 || !s.IsValid() || s.OpenMode() != socket.ReadWrite {
			t.Errorf("local port %d valid %v mode %v", s.LocalPort(), s.IsValid(), s.OpenMode())
		}
		s.Abort()
	})
}

// Qt takes any string QHostAddress parses as a literal, short IPv4 forms
// included: "127.1" connects to 127.0.0.1 without a lookup, and PeerName
// stays what the caller gave.
func TestConnectShortIPv4Literal(t *testing.T) {
	l, s, _, _, syncPart := connectLiteral(t, "127.1")
	if len(syncPart) != 3 {
		t.Errorf("before ConnectToHost returned: %v, want a literal's three signals", syncPart)
	}
	l.Invoke(func() {
		if s.PeerAddress() != socket.LocalHost || s.PeerName() != "127.1" {
			t.Errorf("peer = %v name %q, want 127.0.0.1 named \"127.1\"", s.PeerAddress(), s.PeerName())
		}
		s.Abort()
	})
}

func TestConnectByNameSequence(t *testing.T) {
	l := newLoop(t)
	ln, port := listener(t)
	var s *tcp.Socket
	var ev *events
	var afterCall []string
	l.Invoke(func() {
		s = tcp.NewSocket(l)
		ev = record(s)
		s.ConnectToHostMode("localhost", port, socket.ReadWrite, socket.IPv4Protocol)
		afterCall = append(afterCall, ev.Log...)
	})
	accept(t, ln)
	until(t, l, "connected", func() bool { return s.State() == socket.ConnectedState })
	if len(afterCall) != 1 || afterCall[0] != "state:HostLookupState" {
		t.Errorf("when ConnectToHost returned: %v, want only HostLookupState", afterCall)
	}
	l.Invoke(func() {
		ev.Check(t, "connect by name", "state:HostLookupState", "state:ConnectingState", "hostFound",
			"state:ConnectedState", "connected")
		if s.PeerName() != "localhost" {
			t.Errorf("PeerName = %q", s.PeerName())
		}
		s.Abort()
	})
}

func TestConnectRefusedSequence(t *testing.T) {
	l := newLoop(t)
	port := closedPort(t)
	var s *tcp.Socket
	var ev *events
	l.Invoke(func() {
		s = tcp.NewSocket(l)
		ev = record(s)
		s.ConnectToHost("127.0.0.1", port)
	})
	until(t, l, "refused", func() bool { return s.State() == socket.UnconnectedState })
	l.Invoke(func() {
		ev.Check(t, "refused", "state:HostLookupState", "state:ConnectingState", "hostFound",
			"state:UnconnectedState", "error:ConnectionRefusedError")
		if s.Error() != socket.ConnectionRefusedError || s.ErrorString() != "Connection refused" {
			t.Errorf("Error() = %v %q", s.Error(), s.ErrorString())
		}
		if !errors.Is(s.LastError(), unix.ECONNREFUSED) || !errors.Is(s.LastError(), socket.ConnectionRefusedError) {
			t.Errorf("LastError() = %v, want ECONNREFUSED and ConnectionRefusedError in its chain", s.LastError())
		}
		if s.SocketDescriptor() != -1 {
			t.Errorf("descriptor %d kept after a failed connect", s.SocketDescriptor())
		}
	})
}

func TestConnectUnknownHostSequence(t *testing.T) {
	l := newLoop(t)
	var s *tcp.Socket
	var ev *events
	l.Invoke(func() {
		s = tcp.NewSocket(l)
		ev = record(s)
		s.ConnectToHost("no-such-host.invalid", 80)
	})
	until(t, l, "lookup failure", func() bool { return s.State() == socket.UnconnectedState })
	l.Invoke(func() {
		ev.Check(t, "host not found", "state:HostLookupState", "state:UnconnectedState", "error:HostNotFoundError")
		if s.ErrorString() != "Host not found" {
			t.Errorf("ErrorString = %q", s.ErrorString())
		}
	})
}

// blackhole returns a loopback port whose SYNs are dropped: a listener
// with a full accept queue that never accepts.
func blackhole(t *testing.T) uint16 {
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { unix.Close(fd) })
	if err := unix.Bind(fd, &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	if err := unix.Listen(fd, 0); err != nil {
		t.Fatal(err)
	}
	sa, _ := unix.Getsockname(fd)
	port := uint16(sa.(*unix.SockaddrInet4).Port)
	for i := 0; i < 8; i++ {
		c, err := net.DialTimeout("tcp4", addr(port), 200*time.Millisecond)
		if err != nil {
			return port // the queue is full: SYNs are dropped now
		}
		t.Cleanup(func() { c.Close() })
	}
	t.Skip("could not fill the accept queue")
	return 0
}

func TestConnectTimeoutSequence(t *testing.T) {
	port := blackhole(t)
	l := newLoop(t)
	var s *tcp.Socket
	var ev *events
	l.Invoke(func() {
		s = tcp.NewSocket(l)
		ev = record(s)
		s.SetConnectTimeout(150 * time.Millisecond)
		s.ConnectToHost("127.0.0.1", port)
	})
	until(t, l, "connect time-out", func() bool { return s.State() == socket.UnconnectedState })
	l.Invoke(func() {
		ev.Check(t, "connect timeout", "state:HostLookupState", "state:ConnectingState", "hostFound",
			"state:UnconnectedState", "error:SocketTimeoutError")
		if s.SocketDescriptor() != -1 {
			t.Error("descriptor kept after the time-out")
		}
	})
}

func connected(t *testing.T) (*tcp.Socket, *events, net.Conn, func(func())) {
	l := newLoop(t)
	ln, port := listener(t)
	var s *tcp.Socket
	var ev *events
	l.Invoke(func() {
		s = tcp.NewSocket(l)
		s.ConnectToHost("127.0.0.1", port)
	})
	peer := accept(t, ln)
	until(t, l, "connected", func() bool { return s.State() == socket.ConnectedState })
	l.Invoke(func() { ev = record(s) })
	return s, ev, peer, l.Invoke
}

func TestPeerCloseSequence(t *testing.T) {
	s, ev, peer, on := connected(t)
	l := s.Loop()
	on(func() { s.ReadyRead.Connect(func() { ev.Add("readyRead") }) })
	peer.Write([]byte("last words"))
	peer.Close()
	until(t, l, "peer close", func() bool { return s.State() == socket.UnconnectedState })
	on(func() {
		ev.Check(t, "peer close", "readyRead", "error:RemoteHostClosedError", "state:ClosingState",
			"state:UnconnectedState", "readChannelFinished", "disconnected")
		if !s.IsOpen() {
			t.Error("a socket the peer closed must stay open for reading")
		}
		if got := string(s.ReadAll()); got != "last words" {
			t.Errorf("buffered bytes after close: %q", got)
		}
		if n, err := s.Read(make([]byte, 10)); n != 0 || err != io.EOF {
			t.Errorf("Read after everything was read = %d, %v; want 0, io.EOF", n, err)
		}
		if s.Error() != socket.RemoteHostClosedError {
			t.Errorf("Error() = %v", s.Error())
		}
	})
}

func TestDisconnectFromHostFlushesEverything(t *testing.T) {
	s, ev, peer, on := connected(t)
	const size = 10 << 20
	payload := bytes.Repeat([]byte("0123456789abcdef"), size/16)
	got := make(chan []byte)
	go func() {
		b, _ := io.ReadAll(peer)
		got <- b
	}()
	on(func() {
		s.Write(payload)
		s.DisconnectFromHost()
		if s.State() != socket.ClosingState {
			t.Errorf("state after DisconnectFromHost with pending data = %v", s.State())
		}
	})
	b := <-got
	if !bytes.Equal(b, payload) {
		t.Fatalf("peer received %d bytes, want %d identical", len(b), size)
	}
	until(t, s.Loop(), "disconnected", func() bool { return s.State() == socket.UnconnectedState })
	on(func() {
		ev.Check(t, "disconnect", "state:ClosingState", "state:UnconnectedState", "readChannelFinished", "disconnected")
		if s.BytesToWrite() != 0 {
			t.Errorf("BytesToWrite = %d", s.BytesToWrite())
		}
	})
}

func TestAbortSequence(t *testing.T) {
	s, ev, peer, on := connected(t)
	on(func() {
		s.Write(make([]byte, 1<<20))
		s.Abort()
		ev.Check(t, "abort", "aboutToClose", "state:UnconnectedState", "readChannelFinished", "disconnected")
		if s.BytesToWrite() != 0 || s.IsOpen() || s.SocketDescriptor() != -1 {
			t.Errorf("after Abort: BytesToWrite %d open %v fd %d", s.BytesToWrite(), s.IsOpen(), s.SocketDescriptor())
		}
		s.Abort() // harmless
	})
	peer.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.ReadAll(peer); err != nil && !errors.Is(err, unix.ECONNRESET) {
		t.Fatalf("peer read: %v", err)
	}
}

func TestCloseSequence(t *testing.T) {
	s, ev, peer, on := connected(t)
	peer.Write([]byte("unread"))
	until(t, s.Loop(), "data", func() bool { return s.BytesAvailable() == 6 })
	on(func() {
		s.Write([]byte("bye"))
		s.Close()
		if s.BytesAvailable() != 0 {
			t.Error("Close must discard the read buffer")
		}
	})
	peer.SetReadDeadline(time.Now().Add(5 * time.Second))
	b, _ := io.ReadAll(peer)
	if string(b) != "bye" {
		t.Errorf("peer got %q, want the bytes written before Close", b)
	}
	until(t, s.Loop(), "closed", func() bool { return s.State() == socket.UnconnectedState })
	on(func() {
		ev.Check(t, "close", "aboutToClose", "state:ClosingState", "state:UnconnectedState",
			"readChannelFinished", "disconnected")
	})
}

// DisconnectFromHost while still connecting only marks the close: the
// socket connects, sends what was written before, then closes (Qt).
func TestDisconnectWhileConnectingIsPending(t *testing.T) {
	l := newLoop(t)
	ln, port := listener(t)
	var s *tcp.Socket
	var ev *events
	l.Invoke(func() {
		s = tcp.NewSocket(l)
		ev = record(s)
		s.ConnectToHost("127.0.0.1", port)
		s.Write([]byte("sent before the close"))
		s.DisconnectFromHost()
		if st := s.State(); st != socket.ConnectingState {
			t.Errorf("state right after DisconnectFromHost while connecting = %v", st)
		}
	})
	peer := accept(t, ln)
	peer.SetReadDeadline(time.Now().Add(5 * time.Second))
	b, err := io.ReadAll(peer)
	if err != nil || string(b) != "sent before the close" {
		t.Fatalf("peer read %q, %v", b, err)
	}
	until(t, l, "closed", func() bool { return s.State() == socket.UnconnectedState })
	l.Invoke(func() {
		ev.Check(t, "pending close", "state:HostLookupState", "state:ConnectingState", "hostFound",
			"state:ConnectedState", "connected", "state:ClosingState", "state:UnconnectedState",
			"readChannelFinished", "disconnected")
	})
}
