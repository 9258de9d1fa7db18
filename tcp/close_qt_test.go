package tcp_test

import (
	"errors"
	"testing"

	"github.com/qsock/qsock/socket"
	"github.com/qsock/qsock/tcp"
)

// After the peer closed, Qt's socket is still open for reading: isValid()
// is true (no engine, but open), peerName() is kept, and write() fails
// with UnknownSocketError "Socket is not connected", without
// errorOccurred.
func TestStateAfterPeerClose(t *testing.T) {
	l := newLoop(t)
	ln, port := listener(t)
	var s *tcp.Socket
	l.Invoke(func() {
		s = tcp.NewSocket(l)
		s.ConnectToHost("localhost", port)
	})
	peer := accept(t, ln)
	until(t, l, "connected", func() bool { return s.State() == socket.ConnectedState })
	peer.Close()
	until(t, l, "peer close", func() bool { return s.State() == socket.UnconnectedState })
	l.Invoke(func() {
		ev := record(s)
		if !s.IsValid() {
			t.Error("IsValid after the peer closed = false; Qt: true while still open")
		}
		if got := s.PeerName(); got != "localhost" {
			t.Errorf("PeerName after the peer closed = %q, want localhost", got)
		}
		n, err := s.Write([]byte("late"))
		if n != 0 || !errors.Is(err, socket.ErrNotConnected) {
			t.Errorf("Write after the peer closed = %d, %v; want 0, ErrNotConnected", n, err)
		}
		if s.Error() != socket.UnknownSocketError || s.ErrorString() != "Socket is not connected" {
			t.Errorf("after the refused Write: %v %q", s.Error(), s.ErrorString())
		}
		ev.Check(t, "refused write") // no errorOccurred
		s.Close()
		if s.IsValid() || s.PeerName() != "localhost" {
			t.Errorf("after Close: IsValid %v, PeerName %q; want false, localhost", s.IsValid(), s.PeerName())
		}
	})
}

// Qt 6: abort() on a socket that is Unconnected but still open (the peer
// closed it) closes the device: aboutToClose, and it is no longer open.
func TestAbortClosesOpenUnconnectedSocket(t *testing.T) {
	s, ev, peer, on := connected(t)
	peer.Close()
	until(t, s.Loop(), "peer close", func() bool { return s.State() == socket.UnconnectedState })
	on(func() {
		ev.Reset()
		s.Abort()
		ev.Check(t, "abort after peer close", "aboutToClose")
		if s.IsOpen() {
			t.Error("still open after Abort")
		}
		ev.Reset()
		s.Abort() // not open any more: nothing
		ev.Check(t, "second abort")
	})
}
