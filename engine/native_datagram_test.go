package engine_test

import (
	"errors"
	"net"
	"net/netip"
	"testing"

	"github.com/qsock/qsock/engine"
	"golang.org/x/sys/unix"
)

func loIndex(t testing.TB) int {
	t.Helper()
	ifi, err := net.InterfaceByName("lo")
	if err != nil {
		t.Skipf("no loopback interface named lo: %v", err)
	}
	return ifi.Index
}

// enableMeta turns on the per-datagram metadata a QUdpSocket asks for.
func enableMeta(t testing.TB, e *engine.NativeEngine) {
	t.Helper()
	for _, o := range []engine.Option{engine.ReceivePacketInfoOption, engine.ReceiveHopLimitOption} {
		if err := e.SetOption(o, 1); err != nil {
			t.Fatalf("SetOption(%v): %v", o, err)
		}
	}
}

func TestDatagramMetadata(t *testing.T) {
	checkLeaks(t)
	lo := loIndex(t)
	for _, f := range ipFamilies {
		t.Run(f.name, func(t *testing.T) {
			a, b := udpPair(t, f.domain)
			enableMeta(t, b)
			to := localAddr(t, b)
			for _, hop := range []int{-1, 7} {
				n, err := a.WriteDatagram([]byte("hello"), &engine.DatagramHeader{Addr: to, HopLimit: hop})
				if n != 5 || err != nil {
					t.Fatalf("WriteDatagram = %d, %v", n, err)
				}
				waitReadable(t, b)
				var h engine.DatagramHeader
				buf := make([]byte, 64)
				n, err = b.ReadDatagram(buf, &h)
				if n != 5 || err != nil || string(buf[:n]) != "hello" {
					t.Fatalf("ReadDatagram = %d %q, %v", n, buf[:n], err)
				}
				want := engine.DatagramHeader{Addr: localAddr(t, a), Dst: to.Addr(), HopLimit: hop, IfIndex: lo}
				if hop < 0 {
					want.HopLimit = 64 // Linux's default TTL and hop limit
				}
				if h != want {
					t.Errorf("header = %+v, want %+v", h, want)
				}
			}
			if _, err := b.ReadDatagram(make([]byte, 10), nil); err != engine.ErrWouldBlock {
				t.Errorf("ReadDatagram with nothing queued: %v, want ErrWouldBlock", err)
			}
		})
	}
}

// TestDatagramSourceAddress sends from a chosen source address: Linux's
// loopback holds all of 127/8, so 127.0.0.2 is a real, distinct source.
func TestDatagramSourceAddress(t *testing.T) {
	checkLeaks(t)
	lo := loIndex(t)
	a := newTestEngine(t, unix.AF_INET, unix.SOCK_DGRAM)
	if err := a.Bind(netip.AddrPort{}); err != nil { // 0.0.0.0:port
		t.Fatal(err)
	}
	_, b := udpPair(t, unix.AF_INET)
	src := netip.MustParseAddr("127.0.0.2")
	h := engine.DatagramHeader{Addr: localAddr(t, b), Dst: src, IfIndex: lo, HopLimit: 3}
	if _, err := a.WriteDatagram([]byte("x"), &h); err != nil {
		t.Fatal(err)
	}
	waitReadable(t, b)
	if _, err := b.ReadDatagram(make([]byte, 4), &h); err != nil {
		t.Fatal(err)
	}
	if want := netip.AddrPortFrom(src, localAddr(t, a).Port()); h.Addr != want {
		t.Errorf("sender = %v, want %v", h.Addr, want)
	}
}

// TestDatagramDualStack: an AF_INET6 socket bound to :: receives IPv4 with
// v4-mapped metadata, and sends IPv4 with a per-datagram TTL.
func TestDatagramDualStack(t *testing.T) {
	checkLeaks(t)
	d := newTestEngine(t, unix.AF_INET6, unix.SOCK_DGRAM)
	if err := d.Bind(netip.AddrPort{}); err != nil {
		t.Fatal(err)
	}
	enableMeta(t, d)
	v4 := newTestEngine(t, unix.AF_INET, unix.SOCK_DGRAM)
	if err := v4.Bind(netip.AddrPortFrom(loopbackAddr(unix.AF_INET), 0)); err != nil {
		t.Fatal(err)
	}
	enableMeta(t, v4)
	port := localAddr(t, d).Port()
	if _, err := v4.WriteDatagram([]byte("in"), &engine.DatagramHeader{Addr: netip.AddrPortFrom(loopbackAddr(unix.AF_INET), port), HopLimit: 9}); err != nil {
		t.Fatal(err)
	}
	waitReadable(t, d)
	var h engine.DatagramHeader
	if _, err := d.ReadDatagram(make([]byte, 4), &h); err != nil {
		t.Fatal(err)
	}
	mapped := netip.MustParseAddr("::ffff:127.0.0.1")
	if h.Addr != netip.AddrPortFrom(mapped, localAddr(t, v4).Port()) || h.Dst != mapped || h.HopLimit != 9 {
		t.Errorf("dual-stack receive header = %+v", h)
	}
	// Reply to the plain IPv4 address (mapped by the engine) with a TTL.
	if _, err := d.WriteDatagram([]byte("out"), &engine.DatagramHeader{Addr: localAddr(t, v4), HopLimit: 5}); err != nil {
		t.Fatal(err)
	}
	waitReadable(t, v4)
	if _, err := v4.ReadDatagram(make([]byte, 4), &h); err != nil {
		t.Fatal(err)
	}
	if h.HopLimit != 5 || h.Addr.Port() != port {
		t.Errorf("IPv4 receive from dual-stack socket: header %+v, want TTL 5 from port %d", h, port)
	}
}

func TestPendingDatagramSizeAndTruncation(t *testing.T) {
	checkLeaks(t)
	for _, f := range ipFamilies {
		t.Run(f.name, func(t *testing.T) {
			a, b := udpPair(t, f.domain)
			if _, err := b.PendingDatagramSize(); err != engine.ErrWouldBlock || !errors.Is(err, unix.EAGAIN) {
				t.Fatalf("PendingDatagramSize with none queued: %v, want ErrWouldBlock", err)
			}
			to := &engine.DatagramHeader{Addr: localAddr(t, b)}
			for _, size := range []int{0, 1000} {
				if _, err := a.WriteDatagram(make([]byte, size), to); err != nil {
					t.Fatal(err)
				}
				waitReadable(t, b)
				if n, err := b.PendingDatagramSize(); n != size || err != nil {
					t.Errorf("PendingDatagramSize = %d, %v; want %d", n, err, size)
				}
				var h engine.DatagramHeader
				if n, err := b.ReadDatagram(make([]byte, 2000), &h); n != size || err != nil || h.Truncated {
					t.Errorf("ReadDatagram = %d, %v, truncated %v; want %d", n, err, h.Truncated, size)
				}
			}
			if _, err := a.WriteDatagram(make([]byte, 100), to); err != nil {
				t.Fatal(err)
			}
			waitReadable(t, b)
			var h engine.DatagramHeader
			if n, err := b.ReadDatagram(make([]byte, 10), &h); n != 10 || err != nil || !h.Truncated {
				t.Errorf("ReadDatagram of 100 into 10 = %d, %v, truncated %v; want 10, truncated", n, err, h.Truncated)
			}
		})
	}
}

func TestConnectedDatagram(t *testing.T) {
	checkLeaks(t)
	a, b := udpPair(t, unix.AF_INET)
	if err := a.Connect(localAddr(t, b)); err != nil {
		t.Fatal(err)
	}
	if _, err := a.WriteDatagram([]byte("c"), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Write([]byte("w")); err != nil {
		t.Fatal(err)
	}
	// PathMTU is known only on a connected socket.
	if mtu, err := a.Option(engine.PathMTUOption); err != nil || mtu < 1280 {
		t.Errorf("PathMTUOption = %d, %v", mtu, err)
	}
	for _, want := range []string{"c", "w"} {
		waitReadable(t, b)
		var h engine.DatagramHeader
		buf := make([]byte, 4)
		n, err := b.ReadDatagram(buf, &h)
		if string(buf[:n]) != want || err != nil || h.Addr != localAddr(t, a) {
			t.Errorf("ReadDatagram = %q %v from %v", buf[:n], err, h.Addr)
		}
	}
}

// TestDatagramZeroAlloc proves the steady state of the UDP path allocates
// nothing, in the test run itself rather than only under -bench.
func TestDatagramZeroAlloc(t *testing.T) {
	a, b := udpPair(t, unix.AF_INET6)
	enableMeta(t, b)
	send := &engine.DatagramHeader{Addr: localAddr(t, b), HopLimit: 9}
	var h engine.DatagramHeader
	buf := make([]byte, 256)
	allocs := testing.AllocsPerRun(200, func() {
		if _, err := a.WriteDatagram(buf[:100], send); err != nil {
			t.Fatal(err)
		}
		if _, err := b.ReadDatagram(buf, &h); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("WriteDatagram+ReadDatagram: %v allocations per datagram, want 0", allocs)
	}
	c, s := tcpPair(t, unix.AF_INET)
	bufs := [][]byte{buf[:10], buf[10:50], buf[50:]}
	allocs = testing.AllocsPerRun(200, func() {
		if _, err := c.Writev(bufs); err != nil {
			t.Fatal(err)
		}
		for n := 0; n < 256; {
			m, err := s.Read(buf)
			if err == engine.ErrWouldBlock {
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			n += m
		}
	})
	if allocs != 0 {
		t.Errorf("Writev+Read: %v allocations per call, want 0", allocs)
	}
}

func BenchmarkWritev(b *testing.B) {
	c, s := tcpPair(b, unix.AF_INET)
	payload := make([]byte, 1024)
	bufs := [][]byte{payload[:16], payload[16:512], payload[512:]}
	rbuf := make([]byte, 64<<10)
	b.ReportAllocs()
	b.SetBytes(int64(len(payload)))
	for b.Loop() {
		if _, err := c.Writev(bufs); err != nil {
			b.Fatal(err)
		}
		for n := 0; n < len(payload); {
			m, err := s.Read(rbuf)
			if err == engine.ErrWouldBlock {
				continue
			}
			if err != nil {
				b.Fatal(err)
			}
			n += m
		}
	}
}

func BenchmarkReadDatagram(b *testing.B) {
	x, y := udpPair(b, unix.AF_INET)
	enableMeta(b, y)
	to := &engine.DatagramHeader{Addr: localAddr(b, y), HopLimit: -1}
	buf := make([]byte, 512)
	var h engine.DatagramHeader
	b.ReportAllocs()
	b.SetBytes(int64(len(buf)))
	for b.Loop() {
		if _, err := x.WriteDatagram(buf, to); err != nil {
			b.Fatal(err)
		}
		if _, err := y.ReadDatagram(buf, &h); err != nil {
			b.Fatal(err)
		}
	}
}
