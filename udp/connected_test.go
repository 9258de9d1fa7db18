package udp_test

import (
	"errors"
	"io"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/qsock/qsock/socket"
	"github.com/qsock/qsock/udp"
)

// connectToHost on a UDP socket sets the default peer synchronously; then
// read() and write() move one datagram each.
func TestConnectedReadWrite(t *testing.T) {
	for _, tc := range []struct{ network, host string }{{"udp4", "127.0.0.1"}, {"udp6", "::1"}} {
		t.Run(tc.network, func(t *testing.T) {
			l := newLoop(t)
			p := peer(t, tc.network, ":0")
			var s *udp.Socket
			var ev *events
			got := make(chan string, 4)
			l.Invoke(func() {
				s = udp.NewSocket(l)
				ev = record(s)
				s.ReadyRead.Connect(func() {
					buf := make([]byte, 64)
					n, err := s.Read(buf)
					if err != nil {
						t.Errorf("Read: %v", err)
					}
					got <- string(buf[:n])
				})
				s.ConnectToHost(tc.host, portOf(p))
				ev.Check(t, "ConnectToHost", "state:HostLookupState", "state:ConnectingState", "hostFound", "state:ConnectedState", "connected")
				if s.State() != socket.ConnectedState || s.PeerPort() != portOf(p) || s.PeerAddress().String() != tc.host {
					t.Errorf("after ConnectToHost: %v peer %v:%d", s.State(), s.PeerAddress(), s.PeerPort())
				}
				ev.Reset()
				if n, err := s.Write([]byte("ping")); n != 4 || err != nil {
					t.Errorf("Write = %d, %v", n, err)
				}
				ev.Check(t, "Write", "bytesWritten:4")
			})
			defer l.Invoke(s.Close)
			data, from := recvFrom(t, p)
			if string(data) != "ping" {
				t.Fatalf("peer got %q", data)
			}
			if _, err := p.WriteToUDPAddrPort([]byte("pong"), from); err != nil {
				t.Fatal(err)
			}
			select {
			case g := <-got:
				if g != "pong" {
					t.Fatalf("Read %q, want pong", g)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("no reply")
			}
			l.Invoke(func() {
				// Nothing pending: Qt's read returns 0.
				if n, err := s.Read(make([]byte, 4)); n != 0 || err != nil {
					t.Errorf("Read with nothing = %d, %v", n, err)
				}
				// SendDatagram without a destination goes to the peer.
				if _, err := s.SendDatagram(udp.Datagram{Data: []byte("dgram"), HopLimit: -1}); err != nil {
					t.Errorf("SendDatagram to the peer: %v", err)
				}
			})
			if data, _ := recvFrom(t, p); string(data) != "dgram" {
				t.Fatalf("peer got %q", data)
			}
			l.Invoke(func() {
				ev.Reset()
				s.Close()
				if _, err := s.Read(make([]byte, 4)); !errors.Is(err, socket.ErrNotOpen) {
					t.Errorf("Read after Close: %v", err)
				}
				ev.Check(t, "Close", "aboutToClose", "state:ClosingState", "state:UnconnectedState", "readChannelFinished", "disconnected")
			})
		})
	}
}

// Read after the peer closed its side of a Bound socket reports io.EOF only
// once the socket is gone; a closed socket is not open.
func TestReadAfterDisconnect(t *testing.T) {
	p := peer(t, "udp4", "127.0.0.1:0")
	s := udp.NewSocket(nil)
	s.ConnectToHost("127.0.0.1", portOf(p))
	s.DisconnectFromHost()
	if s.State() != socket.UnconnectedState {
		t.Fatalf("state %v", s.State())
	}
	if _, err := s.Read(make([]byte, 4)); err != io.EOF {
		t.Fatalf("Read after DisconnectFromHost: %v, want io.EOF", err)
	}
	s.Close()
}

// When nobody listens at the peer's port, the kernel's ICMP
// port-unreachable makes a later call fail with ConnectionRefusedError
// (ECONNREFUSED); the socket stays connected.
func TestConnectedRefused(t *testing.T) {
	p := peer(t, "udp4", "127.0.0.1:0")
	port := portOf(p)
	p.Close()
	s := udp.NewSocket(nil)
	defer s.Close()
	s.ConnectToHost("127.0.0.1", port)
	if s.State() != socket.ConnectedState {
		t.Fatalf("state %v", s.State())
	}
	ev := record(s)
	var err error
	for i := 0; i < 100 && err == nil; i++ {
		_, err = s.Write([]byte("anyone?"))
		time.Sleep(time.Millisecond)
	}
	if !errors.Is(err, socket.ConnectionRefusedError) || !errors.Is(err, unix.ECONNREFUSED) {
		t.Fatalf("Write to a closed port: %v, want ConnectionRefusedError", err)
	}
	if s.State() != socket.ConnectedState || s.Error() != socket.ConnectionRefusedError {
		t.Fatalf("state %v error %v", s.State(), s.Error())
	}
	want := 0
	for _, e := range ev.Log {
		if e == "error:ConnectionRefusedError" {
			want++
		}
	}
	if want != 1 {
		t.Fatalf("signals %v, want one ConnectionRefusedError", ev.Log)
	}
	// The same through Read.
	s.Write([]byte("again"))
	for i := 0; i < 100; i++ {
		if _, err = s.Read(make([]byte, 8)); err != nil {
			break
		}
		time.Sleep(time.Millisecond)
	}
	if !errors.Is(err, socket.ConnectionRefusedError) {
		t.Fatalf("Read after a refused datagram: %v", err)
	}
}
