package udp_test

import (
	"errors"
	"net/netip"
	"testing"
	"time"

	"github.com/qsock/qsock/internal/sockettest"
	"github.com/qsock/qsock/socket"
	"github.com/qsock/qsock/udp"
)

// QUdpSocket through a SOCKS5 proxy (Qt's QSocks5SocketEngine in
// UdpAssociateMode), against a real Dante: Bind asks for a relay and
// blocks until it has one; the socket is Bound with no local address or
// port, as in Qt; datagrams reach the peer from the relay, and the peer's
// replies come back with the peer as their sender.
func TestDatagramsThroughSocks5(t *testing.T) {
	dante := sockettest.StartDante(t, false)
	peer := peer(t, "udp4", "127.0.0.1:0")

	s := udp.NewSocket(nil)
	defer s.Close()
	s.SetProxy(socket.NewProxy(socket.Socks5Proxy, "127.0.0.1", dante, "", ""))
	ev := record(s)
	if err := s.Bind(socket.Any, 0, socket.DefaultForPlatform); err != nil {
		t.Fatalf("Bind through SOCKS5: %v", err)
	}
	ev.Check(t, "Bind", "state:BoundState")
	if s.LocalPort() != 0 || s.LocalAddress().IsValid() {
		t.Errorf("bound through SOCKS5: local %v:%d, want none (Qt clears them)", s.LocalAddress(), s.LocalPort())
	}

	if n, err := s.WriteDatagram([]byte("via the relay"), socket.LocalHost, portOf(peer)); n != 13 || err != nil {
		t.Fatalf("WriteDatagram = %d, %v", n, err)
	}
	got, relay := recvFrom(t, peer)
	if string(got) != "via the relay" {
		t.Fatalf("peer got %q", got)
	}
	sendTo(t, peer, relay.Addr(), relay.Port(), "answer", "")

	for _, want := range []string{"answer", ""} {
		if !s.HasPendingDatagrams() && !s.WaitForReadyRead(5*time.Second) {
			t.Fatalf("no reply through the relay: %v", s.ErrorString())
		}
		if size := s.PendingDatagramSize(); size != int64(len(want)) {
			t.Errorf("PendingDatagramSize = %d, want %d (the payload, without the SOCKS5 header)", size, len(want))
		}
		d, err := s.ReceiveDatagram(-1)
		if err != nil || string(d.Data) != want {
			t.Fatalf("ReceiveDatagram = %q, %v; want %q", d.Data, err, want)
		}
		if d.Sender != netip.AddrPortFrom(socket.LocalHost, portOf(peer)) {
			t.Errorf("sender %v, want the peer 127.0.0.1:%d", d.Sender, portOf(peer))
		}
	}
}

// A connected QUdpSocket through SOCKS5 (Qt's connectInternal): Connected
// at once, and Read and Write move datagrams to and from the peer through
// the relay, on a loop.
func TestConnectedThroughSocks5(t *testing.T) {
	dante := sockettest.StartDante(t, false)
	peer := peer(t, "udp4", "127.0.0.1:0")
	l := newLoop(t)
	var s *udp.Socket
	var got []string
	l.Invoke(func() {
		s = udp.NewSocket(l)
		s.SetProxy(socket.NewProxy(socket.Socks5Proxy, "127.0.0.1", dante, "", ""))
		s.ReadyRead.Connect(func() {
			buf := make([]byte, 64)
			for s.HasPendingDatagrams() {
				n, err := s.Read(buf)
				if err != nil {
					t.Error(err)
					return
				}
				got = append(got, string(buf[:n]))
			}
		})
		s.ConnectToHost("127.0.0.1", portOf(peer))
		if s.State() != socket.ConnectedState {
			t.Errorf("after ConnectToHost through SOCKS5: %v (%v)", s.State(), s.ErrorString())
		}
		if _, err := s.Write([]byte("hello")); err != nil {
			t.Error(err)
		}
	})
	defer l.Invoke(func() { s.Close() })
	msg, relay := recvFrom(t, peer)
	if string(msg) != "hello" {
		t.Fatalf("peer got %q", msg)
	}
	sendTo(t, peer, relay.Addr(), relay.Port(), "one", "two")
	until(t, l, "both replies read", func() bool { return len(got) == 2 })
	if got[0] != "one" || got[1] != "two" {
		t.Errorf("read %q, want [one two]", got)
	}
}

// A SOCKS5 proxy that is not there fails the bind with Qt's code for it,
// and the socket stays Unconnected.
func TestBindThroughAbsentSocks5(t *testing.T) {
	s := udp.NewSocket(nil)
	defer s.Close()
	s.SetProxy(socket.NewProxy(socket.Socks5Proxy, "127.0.0.1", sockettest.FreePort(t), "", ""))
	ev := record(s)
	err := s.Bind(socket.AnyIPv4, 0, socket.DefaultForPlatform)
	if !errors.Is(err, socket.ProxyConnectionRefusedError) {
		t.Fatalf("Bind through an absent proxy = %v, want ProxyConnectionRefusedError", err)
	}
	ev.Check(t, "Bind", "error:ProxyConnectionRefusedError")
	if s.State() != socket.UnconnectedState || s.SocketDescriptor() != -1 {
		t.Errorf("after the failed bind: %v, descriptor %d", s.State(), s.SocketDescriptor())
	}
}

// Closing a socket bound through SOCKS5 closes both its descriptors: the
// local datagram socket and the association's control connection.
func TestSocks5AssociationNoLeaks(t *testing.T) {
	dante := sockettest.StartDante(t, false)
	proxy := socket.NewProxy(socket.Socks5Proxy, "127.0.0.1", dante, "", "")
	cycle := func() {
		s := udp.NewSocket(nil)
		s.SetProxy(proxy)
		if err := s.Bind(socket.AnyIPv4, 0, socket.DefaultForPlatform); err != nil {
			t.Fatal(err)
		}
		s.Close()
	}
	cycle() // let anything made once be made
	before := sockettest.OpenFDs(t)
	for range 20 {
		cycle()
	}
	if after := sockettest.OpenFDs(t); after != before {
		t.Errorf("descriptors: %d before 20 bind/close cycles through SOCKS5, %d after", before, after)
	}
}
