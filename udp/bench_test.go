package udp_test

import (
	"net/netip"
	"testing"

	"github.com/qsock/qsock/socket"
)

// WriteDatagram and ReadDatagram into the caller's buffer allocate nothing
// once warm.
func TestZeroAllocs(t *testing.T) {
	r := bound(t, socket.LocalHost)
	s := bound(t, socket.LocalHost)
	msg, buf := make([]byte, 64), make([]byte, 2048)
	to := r.LocalPort()
	allocs := testing.AllocsPerRun(1000, func() {
		if _, err := s.WriteDatagram(msg, socket.LocalHost, to); err != nil {
			t.Fatal(err)
		}
		if _, _, _, err := r.ReadDatagram(buf); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Fatalf("WriteDatagram+ReadDatagram: %v allocations per datagram, want 0", allocs)
	}
	allocs = testing.AllocsPerRun(1000, func() {
		s.WriteDatagram(msg, socket.LocalHost, to)
		if _, err := r.ReceiveDatagramInto(buf); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Fatalf("ReceiveDatagramInto: %v allocations per datagram, want 0", allocs)
	}
}

var sizes = []struct {
	name string
	n    int
}{{"64B", 64}, {"1400B", 1400}}

// BenchmarkPingPong sends one datagram and reads it back, on one
// goroutine: the cost of one WriteDatagram plus one ReadDatagram, against
// Go's WriteToUDPAddrPort plus ReadMsgUDPAddrPort.
func BenchmarkPingPong(b *testing.B) {
	for _, sz := range sizes {
		b.Run("qsock/"+sz.name, func(b *testing.B) {
			r := bound(b, socket.LocalHost)
			s := bound(b, socket.LocalHost)
			msg, buf := make([]byte, sz.n), make([]byte, 2048)
			b.ReportAllocs()
			b.SetBytes(int64(sz.n))
			for b.Loop() {
				s.WriteDatagram(msg, socket.LocalHost, r.LocalPort())
				r.ReadDatagram(buf)
			}
		})
		b.Run("net/"+sz.name, func(b *testing.B) {
			r := peer(b, "udp4", "127.0.0.1:0")
			s := peer(b, "udp4", "127.0.0.1:0")
			to := netip.AddrPortFrom(socket.LocalHost, portOf(r))
			msg, buf, oob := make([]byte, sz.n), make([]byte, 2048), make([]byte, 64)
			b.ReportAllocs()
			b.SetBytes(int64(sz.n))
			for b.Loop() {
				s.WriteToUDPAddrPort(msg, to)
				r.ReadMsgUDPAddrPort(buf, oob)
			}
		})
	}
}
