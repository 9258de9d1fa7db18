package udp_test

import (
	"errors"
	"fmt"
	"net/netip"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/qsock/qsock/socket"
	"github.com/qsock/qsock/udp"
)

// writeDatagram on an unbound socket binds it first (Any, port 0):
// stateChanged(Bound) comes before bytesWritten and the state stays Bound.
func TestWriteDatagramAutoBind(t *testing.T) {
	l := newLoop(t)
	r := peer(t, "udp4", "127.0.0.1:0")
	var s *udp.Socket
	var ev *events
	l.Invoke(func() {
		s = udp.NewSocket(l)
		ev = record(s)
		n, err := s.WriteDatagram([]byte("hello"), socket.LocalHost, portOf(r))
		if n != 5 || err != nil {
			t.Errorf("WriteDatagram = %d, %v", n, err)
		}
		// Everything happened before WriteDatagram returned.
		ev.Check(t, "auto-bind", "state:BoundState", "bytesWritten:5")
		if s.State() != socket.BoundState || s.LocalAddress() != socket.Any || s.LocalPort() == 0 {
			t.Errorf("after auto-bind: %v %v:%d", s.State(), s.LocalAddress(), s.LocalPort())
		}
	})
	defer l.Invoke(s.Close)
	data, from := recvFrom(t, r)
	if string(data) != "hello" || from.Port() != s.LocalPort() {
		t.Fatalf("peer got %q from %v, want hello from port %d", data, from, s.LocalPort())
	}
	// The auto-bound socket receives the reply.
	sendTo(t, r, socket.LocalHost, s.LocalPort(), "reply")
	until(t, l, "reply", func() bool { return s.HasPendingDatagrams() })
	l.Invoke(func() {
		ev.Reset()
		n, err := s.WriteDatagram([]byte("again"), socket.LocalHost, portOf(r))
		if n != 5 || err != nil {
			t.Errorf("second WriteDatagram = %d, %v", n, err)
		}
		ev.Check(t, "second write", "bytesWritten:5")
	})
}

// BytesWritten comes once per datagram, with its size, before the call
// returns; also for an empty datagram.
func TestBytesWrittenPerDatagram(t *testing.T) {
	r := peer(t, "udp6", "[::1]:0")
	s := bound(t, socket.LocalHostIPv6)
	ev := record(s)
	for _, p := range []string{"a", "", "bcd"} {
		if _, err := s.WriteDatagram([]byte(p), socket.LocalHostIPv6, portOf(r)); err != nil {
			t.Fatal(err)
		}
	}
	ev.Check(t, "three datagrams", "bytesWritten:1", "bytesWritten:0", "bytesWritten:3")
	for _, want := range []string{"a", "", "bcd"} {
		if got, _ := recvFrom(t, r); string(got) != want {
			t.Fatalf("peer got %q, want %q", got, want)
		}
	}
}

// More than 65,507 bytes over IPv4: DatagramTooLargeError, emitted once
// and returned, no bytesWritten; 65,507 bytes go.
func TestDatagramTooLarge(t *testing.T) {
	r := peer(t, "udp4", "127.0.0.1:0")
	r.SetReadBuffer(1 << 20)
	s := bound(t, socket.AnyIPv4)
	s.SetSocketOption(socket.SendBufferSizeSocketOption, 1<<20)
	ev := record(s)
	n, err := s.WriteDatagram(make([]byte, 65508), socket.LocalHost, portOf(r))
	if n != 0 || !errors.Is(err, socket.DatagramTooLargeError) {
		t.Fatalf("WriteDatagram(65508) = %d, %v; want DatagramTooLargeError", n, err)
	}
	ev.Check(t, "too large", "error:DatagramTooLargeError")
	if s.Error() != socket.DatagramTooLargeError || s.State() != socket.BoundState {
		t.Fatalf("error %v state %v", s.Error(), s.State())
	}
	ev.Reset()
	n, err = s.WriteDatagram(make([]byte, 65507), socket.LocalHost, portOf(r))
	if n != 65507 || err != nil {
		t.Fatalf("WriteDatagram(65507) = %d, %v", n, err)
	}
	ev.Check(t, "largest", "bytesWritten:65507")
	if got, _ := recvFrom(t, r); len(got) != 65507 {
		t.Fatalf("peer got %d bytes", len(got))
	}
	// The same through SendDatagram, on an auto-bound socket.
	a := udp.NewSocket(nil)
	defer a.Close()
	ev = record(a)
	_, err = a.SendDatagram(udp.NewDatagram(make([]byte, 70000), socket.LocalHost, portOf(r)))
	if !errors.Is(err, socket.DatagramTooLargeError) {
		t.Fatalf("SendDatagram(70000) = %v", err)
	}
	ev.Check(t, "too large after auto-bind", "state:BoundState", "error:DatagramTooLargeError")
}

// An invalid destination is refused before anything is bound.
func TestWriteDatagramNoDestination(t *testing.T) {
	s := udp.NewSocket(nil)
	defer s.Close()
	ev := record(s)
	if _, err := s.WriteDatagram([]byte("x"), netip.Addr{}, 1); err == nil {
		t.Fatal("WriteDatagram to the zero Addr succeeded")
	}
	if _, err := s.SendDatagram(udp.Datagram{Data: []byte("x")}); err == nil {
		t.Fatal("SendDatagram without destination on an unconnected socket succeeded")
	}
	if s.State() != socket.UnconnectedState {
		t.Fatalf("state %v", s.State())
	}
	ev.Check(t, "no destination", "error:SocketAddressNotAvailableError", "error:SocketAddressNotAvailableError")
}

// sendDatagram honours the hop limit, the source address and the
// interface, which the receiver sees in its metadata.
func TestSendDatagramMetadata(t *testing.T) {
	lo := loopbackIndex(t)
	for _, tc := range []struct {
		name      string
		bind, dst netip.Addr
	}{
		{"IPv4", socket.AnyIPv4, netip.MustParseAddr("127.0.0.2")},
		{"DualStackToIPv4", socket.Any, netip.MustParseAddr("127.0.0.2")},
		{"IPv6", socket.AnyIPv6, socket.LocalHostIPv6},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := bound(t, tc.bind)
			s := bound(t, tc.bind)
			src := socket.LocalHost
			if tc.dst.Is6() {
				src = socket.LocalHostIPv6
			}
			d := udp.NewDatagram([]byte("hop"), tc.dst, r.LocalPort())
			d.HopLimit = 7
			d.InterfaceIndex = lo
			d.Sender = netip.AddrPortFrom(src, 0)
			if n, err := s.SendDatagram(d); n != 3 || err != nil {
				t.Fatalf("SendDatagram = %d, %v", n, err)
			}
			waitPending(t, r)
			got, err := r.ReceiveDatagram(-1)
			if err != nil {
				t.Fatal(err)
			}
			if got.HopLimit != 7 || got.Sender.Addr().Unmap() != src || got.Sender.Port() != s.LocalPort() ||
				got.Destination.Addr().Unmap() != tc.dst || got.InterfaceIndex != lo {
				t.Fatalf("received %+v; want hop limit 7 from %v:%d to %v on %d", got, src, s.LocalPort(), tc.dst, lo)
			}
			// makeReply goes back to the sender, from the address the
			// request reached.
			reply := got.MakeReply([]byte("back"))
			if _, err := r.SendDatagram(reply); err != nil {
				t.Fatal(err)
			}
			waitPending(t, s)
			back, err := s.ReceiveDatagram(-1)
			if err != nil || string(back.Data) != "back" || back.Sender.Addr().Unmap() != tc.dst {
				t.Fatalf("reply %+v, %v; want back from %v", back, err, tc.dst)
			}
		})
	}
}

// A datagram without its own hop limit leaves with the system's default.
func TestDefaultHopLimit(t *testing.T) {
	r := bound(t, socket.LocalHost)
	s := bound(t, socket.LocalHost)
	s.WriteDatagram([]byte("x"), socket.LocalHost, r.LocalPort())
	waitPending(t, r)
	d, _ := r.ReceiveDatagram(-1)
	if d.HopLimit != 64 {
		t.Fatalf("default TTL %d, want 64", d.HopLimit)
	}
}

// Qt 6: writeDatagram emits bytesWritten only; a connected socket's write
// emits bytesWritten then channelBytesWritten(0, n) (QAbstractSocket::
// writeData); the receiver gets readyRead then channelReadyRead(0).
func TestChannelSignalsAsQt(t *testing.T) {
	r := bound(t, socket.LocalHost)
	u := udp.NewSocket(nil)
	defer u.Close()
	var log []string
	u.BytesWritten.Connect(func(n int64) { log = append(log, fmt.Sprint("bytesWritten ", n)) })
	u.ChannelBytesWritten.Connect(func(ch int, n int64) { log = append(log, fmt.Sprint("channelBytesWritten ", ch, " ", n)) })
	r.ReadyRead.Connect(func() { log = append(log, "r readyRead") })
	r.ChannelReadyRead.Connect(func(ch int) { log = append(log, fmt.Sprint("r channelReadyRead ", ch)) })
	if _, err := u.WriteDatagram([]byte("abc"), socket.LocalHost, r.LocalPort()); err != nil {
		t.Fatal(err)
	}
	u.ConnectToAddress(socket.LocalHost, r.LocalPort())
	if _, err := u.Write([]byte("de")); err != nil {
		t.Fatal(err)
	}
	if !r.WaitForReadyRead(5 * time.Second) {
		t.Fatal("nothing arrived")
	}
	want := []string{"bytesWritten 3", "bytesWritten 2", "channelBytesWritten 0 2", "r readyRead", "r channelReadyRead 0"}
	if d := cmp.Diff(want, log); d != "" {
		t.Errorf("signals (-want +got):\n%s", d)
	}
	if u.ReadChannelCount() != 1 || u.WriteChannelCount() != 1 || u.OpenMode() != socket.ReadWrite|socket.Unbuffered {
		t.Errorf("connected UDP: rc=%d wc=%d mode %v; want 1, 1, ReadWrite|Unbuffered", u.ReadChannelCount(), u.WriteChannelCount(), u.OpenMode())
	}
	if r.ReadChannelCount() != 0 || r.WriteChannelCount() != 0 {
		t.Errorf("bound UDP: rc=%d wc=%d; want 0, 0", r.ReadChannelCount(), r.WriteChannelCount())
	}
}

// A writeDatagram the kernel refuses for any reason but size or a reset
// is NetworkError "Unable to send a message", as Qt's nativeSendDatagram
// reports it (Qt 5.15 and 6.4 probes): port 0, an IPv6 destination on an
// IPv4 socket, and the ICMP of a closed port met by the next send.
func TestWriteDatagramFailuresAreNetworkError(t *testing.T) {
	s := bound(t, socket.AnyIPv4)
	closed := peer(t, "udp4", "127.0.0.1:0")
	closedPort := portOf(closed)
	closed.Close()
	c := udp.NewSocket(nil)
	t.Cleanup(c.Close)
	c.ConnectToHost("127.0.0.1", closedPort)
	if !c.WaitForConnected(5 * time.Second) {
		t.Fatalf("connect: %v", c.ErrorString())
	}
	c.Write([]byte("x1")) // draws the ICMP port unreachable
	time.Sleep(50 * time.Millisecond)
	for _, tc := range []struct {
		name string
		s    *udp.Socket
		addr netip.Addr
		port uint16
	}{
		{"port 0", s, socket.LocalHost, 0},
		{"IPv6 destination on an IPv4 socket", s, socket.LocalHostIPv6, 9},
		{"after a port unreachable", c, socket.LocalHost, closedPort},
	} {
		ev := record(tc.s)
		n, err := tc.s.WriteDatagram([]byte("x"), tc.addr, tc.port)
		if n != 0 || !errors.Is(err, socket.NetworkError) {
			t.Errorf("%s: WriteDatagram = %d, %v; want NetworkError", tc.name, n, err)
		}
		if tc.s.Error() != socket.NetworkError || tc.s.ErrorString() != "Unable to send a message" {
			t.Errorf("%s: error %v %q, want NetworkError \"Unable to send a message\"", tc.name, tc.s.Error(), tc.s.ErrorString())
		}
		ev.Check(t, tc.name, "error:NetworkError")
	}
}
