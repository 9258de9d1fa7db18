package udp_test

import (
	"errors"
	"fmt"
	"net/netip"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/qsock/qsock/engine"
	"github.com/qsock/qsock/socket"
	"github.com/qsock/qsock/udp"
)

// Batching is invisible: datagrams queued together are read one per
// ReadyRead, in order, each with its sender, and ReadyRead comes once per
// read while any remain — although after the first read they all sit in
// the socket's ring, not in the kernel.
func TestBatchOneReadPerReadyRead(t *testing.T) {
	l := newLoop(t)
	w := peer(t, "udp4", "127.0.0.1:0")
	w.SetWriteBuffer(1 << 20)
	const total = 100
	var r *udp.Socket
	var got []string
	count := 0
	l.Invoke(func() {
		r = udp.NewSocket(l)
		r.SetSocketOption(socket.ReceiveBufferSizeSocketOption, 1<<20)
		r.ReadyRead.Connect(func() {
			count++
			buf := make([]byte, 16)
			n, addr, port, err := r.ReadDatagram(buf)
			if err != nil {
				t.Errorf("ReadDatagram after readyRead %d: %v", count, err)
				return
			}
			if addr != socket.LocalHost || port != portOf(w) {
				t.Errorf("sender %v:%d, want 127.0.0.1:%d", addr, port, portOf(w))
			}
			got = append(got, string(buf[:n]))
		})
		if err := r.Bind(socket.LocalHost, 0, 0); err != nil {
			t.Fatal(err)
		}
		// Queued before the loop looks: one notification finds them all.
		for i := range total {
			sendTo(t, w, socket.LocalHost, r.LocalPort(), fmt.Sprint(i))
		}
	})
	defer l.Invoke(r.Close)
	until(t, l, "all datagrams", func() bool { return len(got) == total })
	settle(l)
	l.Invoke(func() {
		if count != total {
			t.Errorf("readyRead %d times for %d datagrams read one per slot", count, total)
		}
		for i, s := range got {
			if s != fmt.Sprint(i) {
				t.Fatalf("datagram %d = %q: order lost", i, s)
			}
		}
	})
}

// After the first read of an announced batch the rest is served without
// the kernel: recvmsg failing does not fail those reads.
func TestBatchServedFromRing(t *testing.T) {
	r := bound(t, socket.LocalHost)
	w := peer(t, "udp4", "127.0.0.1:0")
	for i := range 10 {
		sendTo(t, w, socket.LocalHost, r.LocalPort(), fmt.Sprint(i))
	}
	time.Sleep(10 * time.Millisecond)
	if !r.WaitForReadyRead(5 * time.Second) {
		t.Fatal("no readyRead")
	}
	buf := make([]byte, 8)
	if n, _, _, err := r.ReadDatagram(buf); err != nil || string(buf[:n]) != "0" {
		t.Fatalf("first ReadDatagram = %q, %v", buf[:n], err)
	}
	restore := engine.InjectFault(engine.SysRecvmsg, unix.EIO, -1)
	for i := 1; i < 10; i++ {
		n, _, _, err := r.ReadDatagram(buf)
		if err != nil || string(buf[:n]) != fmt.Sprint(i) {
			restore()
			t.Fatalf("ReadDatagram %d with recvmsg failing = %q, %v; want it from the ring", i, buf[:n], err)
		}
	}
	// With the ring empty the next read goes to the kernel again.
	if _, _, _, err := r.ReadDatagram(buf); !errors.Is(err, unix.EIO) {
		t.Errorf("read after the batch = %v, want the injected EIO", err)
	}
	restore()
	if r.HasPendingDatagrams() {
		t.Error("HasPendingDatagrams with nothing left")
	}
}

// Sizes and payloads come through the ring exactly, from empty to the
// largest IPv4 datagram; reads into short buffers cut as Qt's do.
func TestBatchSizesAndMetadata(t *testing.T) {
	r := bound(t, socket.LocalHost)
	r.SetSocketOption(socket.ReceiveBufferSizeSocketOption, 1<<20)
	w := peer(t, "udp4", "127.0.0.1:0")
	w.SetWriteBuffer(1 << 20)
	sizes := []int{3, 0, 1, 1400, 60000, 65507, 5}
	for i, n := range sizes {
		p := make([]byte, n)
		for j := range p {
			p[j] = byte(i + j)
		}
		if _, err := w.WriteToUDPAddrPort(p, netip.AddrPortFrom(socket.LocalHost, r.LocalPort())); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(10 * time.Millisecond)
	if !r.WaitForReadyRead(5 * time.Second) {
		t.Fatal("no readyRead")
	}
	lo := loopbackIndex(t)
	// The first read takes the batch and serves a cut copy of datagram 0.
	small := make([]byte, 2)
	if n, _, _, err := r.ReadDatagram(small); n != 2 || err != nil || small[1] != 1 {
		t.Fatalf("cut ReadDatagram = %d %v, %v", n, small, err)
	}
	for i, want := range sizes[1:] {
		i++
		if got := r.PendingDatagramSize(); got != int64(want) {
			t.Fatalf("PendingDatagramSize before datagram %d = %d, want %d", i, got, want)
		}
		d, err := r.ReceiveDatagram(-1)
		if err != nil || len(d.Data) != want {
			t.Fatalf("ReceiveDatagram %d = %d bytes, %v; want %d", i, len(d.Data), err, want)
		}
		for j, b := range d.Data {
			if b != byte(i+j) {
				t.Fatalf("datagram %d byte %d = %d, want %d", i, j, b, byte(i+j))
			}
		}
		wantMeta := udp.Datagram{Data: d.Data, Sender: netip.AddrPortFrom(socket.LocalHost, portOf(w)),
			Destination: netip.AddrPortFrom(socket.LocalHost, r.LocalPort()), HopLimit: 64, InterfaceIndex: lo}
		if !equalDatagram(d, wantMeta) {
			t.Fatalf("datagram %d metadata = %+v, want %+v", i, d, wantMeta)
		}
	}
	if r.HasPendingDatagrams() || r.PendingDatagramSize() != -1 {
		t.Error("datagrams pending after all were read")
	}
}

// Blocking style: a wait with datagrams buffered in the ring returns at
// once and emits ReadyRead for them, once per read, as Qt's wait does for
// datagrams queued in the kernel; with nothing left it times out.
func TestBatchBlockingWaits(t *testing.T) {
	r := bound(t, socket.LocalHost)
	ev := record(r)
	w := peer(t, "udp4", "127.0.0.1:0")
	sendTo(t, w, socket.LocalHost, r.LocalPort(), "a", "b", "c")
	time.Sleep(10 * time.Millisecond)
	buf := make([]byte, 8)
	for i, want := range []string{"a", "b", "c"} {
		if !r.WaitForReadyRead(5 * time.Second) {
			t.Fatalf("wait %d: no readyRead", i)
		}
		if !r.WaitForReadyRead(time.Second) {
			t.Fatalf("wait %d again, unread: false", i)
		}
		ev.Check(t, fmt.Sprintf("wait %d", i), "readyRead")
		ev.Reset()
		if n, _, _, err := r.ReadDatagram(buf); err != nil || string(buf[:n]) != want {
			t.Fatalf("read %d = %q, %v", i, buf[:n], err)
		}
	}
	if r.WaitForReadyRead(50 * time.Millisecond) {
		t.Error("wait with nothing left returned true")
	}
}

// Close drops what the ring buffered; a new binding starts empty.
func TestBatchDroppedOnClose(t *testing.T) {
	r := udp.NewSocket(nil)
	defer r.Close()
	if err := r.Bind(socket.LocalHost, 0, 0); err != nil {
		t.Fatal(err)
	}
	w := peer(t, "udp4", "127.0.0.1:0")
	sendTo(t, w, socket.LocalHost, r.LocalPort(), "a", "b", "c")
	time.Sleep(10 * time.Millisecond)
	r.WaitForReadyRead(5 * time.Second)
	buf := make([]byte, 8)
	if _, _, _, err := r.ReadDatagram(buf); err != nil {
		t.Fatal(err)
	}
	r.Close()
	if r.HasPendingDatagrams() {
		t.Error("HasPendingDatagrams after Close")
	}
	var se *socket.Error
	if _, _, _, err := r.ReadDatagram(buf); !errors.As(err, &se) || se.Code != socket.OperationError {
		t.Errorf("ReadDatagram after Close = %v, want OperationError", err)
	}
	if err := r.Bind(socket.LocalHost, 0, 0); err != nil {
		t.Fatal(err)
	}
	if r.HasPendingDatagrams() {
		t.Error("a new binding sees the old one's datagrams")
	}
}

// Batched reads allocate nothing in steady state.
func TestBatchZeroAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items on purpose under -race")
	}
	r := bound(t, socket.LocalHost)
	r.SetSocketOption(socket.ReceiveBufferSizeSocketOption, 1<<20)
	s := bound(t, socket.LocalHost)
	ds := make([]udp.Datagram, 32)
	for i := range ds {
		ds[i] = udp.NewDatagram(make([]byte, 64), socket.LocalHost, r.LocalPort())
	}
	buf := make([]byte, 2048)
	allocs := testing.AllocsPerRun(100, func() {
		if n, err := s.WriteDatagrams(ds); n != len(ds) || err != nil {
			t.Fatal(n, err)
		}
		if !r.WaitForReadyRead(5 * time.Second) {
			t.Fatal("no readyRead")
		}
		for range ds {
			if _, _, _, err := r.ReadDatagram(buf); err != nil {
				t.Fatal(err)
			}
		}
	})
	if allocs != 0 {
		t.Fatalf("WriteDatagrams + batched ReadDatagram: %v allocations per batch, want 0", allocs)
	}
}

// Qt's multicastreceiver drains both of its sockets from one slot
// connected to both. When both are readable in the same loop turn, the
// second socket's ReadyRead comes after the first slot already read its
// datagram: nothing is left to read, so nothing is unread, and the
// socket must not stay deaf to later datagrams.
func TestSharedSlotSpuriousReadyRead(t *testing.T) {
	l := newLoop(t)
	w := peer(t, "udp4", "127.0.0.1:0")
	var a, b *udp.Socket
	var got []string
	l.Invoke(func() {
		a, b = udp.NewSocket(l), udp.NewSocket(l)
		drain := func() {
			for _, s := range []*udp.Socket{a, b} {
				for s.HasPendingDatagrams() {
					d, err := s.ReceiveDatagram(-1)
					if err == nil {
						got = append(got, string(d.Data))
					}
				}
			}
		}
		a.ReadyRead.Connect(drain)
		b.ReadyRead.Connect(drain)
		a.Bind(socket.LocalHost, 0, 0)
		b.Bind(socket.LocalHost, 0, 0)
	})
	defer l.Invoke(func() { a.Close(); b.Close() })
	for round := range 20 {
		// Both queued before the loop's next look: one turn finds both.
		l.Invoke(func() {
			sendTo(t, w, socket.LocalHost, a.LocalPort(), fmt.Sprint("a", round))
			sendTo(t, w, socket.LocalHost, b.LocalPort(), fmt.Sprint("b", round))
			time.Sleep(time.Millisecond)
		})
		until(t, l, fmt.Sprint("round ", round), func() bool { return len(got) == 3*round+2 })
		// Then one for b alone: only b's own ReadyRead can bring it.
		sendTo(t, w, socket.LocalHost, b.LocalPort(), fmt.Sprint("b", round, "-alone"))
		until(t, l, fmt.Sprint("b alone, round ", round), func() bool { return len(got) == 3*round+3 })
	}
}
