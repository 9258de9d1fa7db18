package udp_test

import (
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/qsock/qsock/socket"
	"github.com/qsock/qsock/udp"
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

// flood sends datagrams of size n to port from two goroutines until stop
// is closed.
func flood(b *testing.B, port uint16, n int) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	for range 2 {
		c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
		if err != nil {
			b.Fatal(err)
		}
		to := netip.AddrPortFrom(socket.LocalHost, port)
		msg := make([]byte, n)
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer c.Close()
			for {
				select {
				case <-done:
					return
				default:
				}
				for range 64 {
					c.WriteToUDPAddrPort(msg, to)
				}
			}
		}()
	}
	return func() { close(done); wg.Wait() }
}

// BenchmarkFloodReceive is a receiver under a flood: qsock reads in its
// ReadyRead slot on a loop until nothing is pending; Go's net reads with
// ReadMsgUDPAddrPort on its goroutine. One op is one datagram received.
func BenchmarkFloodReceive(b *testing.B) {
	for _, sz := range sizes {
		b.Run("qsock-loop/"+sz.name, func(b *testing.B) {
			l := newLoop(b)
			var r *udp.Socket
			var got atomic.Int64
			target := int64(b.N)
			finished := make(chan struct{})
			buf := make([]byte, 2048)
			l.Invoke(func() {
				r = udp.NewSocket(l)
				r.SetSocketOption(socket.ReceiveBufferSizeSocketOption, 4<<20)
				r.ReadyRead.Connect(func() {
					for {
						if _, _, _, err := r.ReadDatagram(buf); err != nil {
							return
						}
						if got.Add(1) == target {
							close(finished)
						}
					}
				})
				if err := r.Bind(socket.LocalHost, 0, 0); err != nil {
					b.Error(err)
				}
			})
			// Draining with ReadDatagram until TemporaryError emits
			// ErrorOccurred once per turn; nobody listens here.
			stop := flood(b, r.LocalPort(), sz.n)
			b.ReportAllocs()
			b.ResetTimer()
			start := time.Now()
			select {
			case <-finished:
			case <-time.After(60 * time.Second):
				b.Fatal("flood receiver stalled")
			}
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "dgrams/s")
			b.StopTimer()
			stop()
			l.Invoke(r.Close)
		})
		b.Run("net/"+sz.name, func(b *testing.B) {
			r := peer(b, "udp4", "127.0.0.1:0")
			r.SetReadBuffer(4 << 20)
			stop := flood(b, portOf(r), sz.n)
			buf, oob := make([]byte, 2048), make([]byte, 64)
			b.ReportAllocs()
			b.ResetTimer()
			start := time.Now()
			for range b.N {
				if _, _, _, _, err := r.ReadMsgUDPAddrPort(buf, oob); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "dgrams/s")
			b.StopTimer()
			stop()
		})
	}
}
