package udp_test

import (
	"errors"
	"net/netip"
	"testing"

	"github.com/qsock/qsock/socket"
	"github.com/qsock/qsock/udp"
)

// WriteDatagrams is a loop of SendDatagram in fewer system calls: auto-
// bind first, BytesWritten per datagram in order, each to its own
// destination, more than one system call's worth.
func TestWriteDatagrams(t *testing.T) {
	r := peer(t, "udp4", "127.0.0.1:0")
	r.SetReadBuffer(1 << 20)
	s := udp.NewSocket(nil)
	defer s.Close()
	ev := record(s)
	var ds []udp.Datagram
	var want []string
	for i := range 100 {
		p := make([]byte, i%7)
		ds = append(ds, udp.NewDatagram(p, socket.LocalHost, portOf(r)))
		want = append(want, "bytesWritten:"+itoa(len(p)))
	}
	n, err := s.WriteDatagrams(ds)
	if n != len(ds) || err != nil {
		t.Fatalf("WriteDatagrams = %d, %v", n, err)
	}
	ev.Check(t, "batch", append([]string{"state:BoundState"}, want...)...)
	for i := range ds {
		if got, from := recvFrom(t, r); len(got) != i%7 || from.Port() != s.LocalPort() {
			t.Fatalf("peer got %d bytes from %v, want %d from port %d", len(got), from, i%7, s.LocalPort())
		}
	}
}

// The first datagram that cannot go ends the batch with its error,
// emitted once; the ones before it were sent and announced.
func TestWriteDatagramsStopsAtError(t *testing.T) {
	r := peer(t, "udp4", "127.0.0.1:0")
	r.SetReadBuffer(1 << 20)
	s := bound(t, socket.AnyIPv4)
	ev := record(s)
	to := netip.AddrPortFrom(socket.LocalHost, portOf(r))
	ds := []udp.Datagram{{Data: []byte("ok"), Destination: to}, {Data: make([]byte, 65508), Destination: to}, {Data: []byte("never"), Destination: to}}
	n, err := s.WriteDatagrams(ds)
	if n != 1 || !errors.Is(err, socket.DatagramTooLargeError) {
		t.Fatalf("WriteDatagrams = %d, %v; want 1, DatagramTooLargeError", n, err)
	}
	ev.Check(t, "too large", "bytesWritten:2", "error:DatagramTooLargeError")
	if got, _ := recvFrom(t, r); string(got) != "ok" {
		t.Fatalf("peer got %q", got)
	}
	// No destination and no peer: refused before anything is sent.
	ev.Reset()
	if n, err := s.WriteDatagrams([]udp.Datagram{{Data: []byte("x"), Destination: to}, {Data: []byte("y")}}); n != 0 || err == nil {
		t.Errorf("WriteDatagrams without a destination = %d, %v", n, err)
	}
	// Connected: an unset destination is the peer.
	c := udp.NewSocket(nil)
	defer c.Close()
	c.ConnectToAddress(socket.LocalHost, portOf(r))
	if n, err := c.WriteDatagrams([]udp.Datagram{{Data: []byte("p1")}, {Data: []byte("p2")}}); n != 2 || err != nil {
		t.Fatalf("connected WriteDatagrams = %d, %v", n, err)
	}
	for _, want := range []string{"p1", "p2"} {
		if got, _ := recvFrom(t, r); string(got) != want {
			t.Fatalf("peer got %q, want %q", got, want)
		}
	}
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + itoa(n%10)
}
