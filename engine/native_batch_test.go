package engine_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/qsock/qsock/engine"
	"golang.org/x/sys/unix"
)

// batchBufs returns n receive buffers of size bytes, their headers and
// sizes.
func batchBufs(n, size int) ([][]byte, []engine.DatagramHeader, []int) {
	bufs := make([][]byte, n)
	for i := range bufs {
		bufs[i] = make([]byte, size)
	}
	return bufs, make([]engine.DatagramHeader, n), make([]int, n)
}

// TestDatagramBatch sends more than one batch's worth with WriteDatagrams
// and reads them back with ReadDatagrams: order, sizes, per-datagram hop
// limits and metadata are those of the single calls.
func TestDatagramBatch(t *testing.T) {
	checkLeaks(t)
	lo := loIndex(t)
	for _, f := range ipFamilies {
		t.Run(f.name, func(t *testing.T) {
			a, b := udpPair(t, f.domain)
			enableMeta(t, b)
			if err := b.SetOption(engine.ReceiveBufferOption, 1<<20); err != nil {
				t.Fatal(err)
			}
			to := localAddr(t, b)
			const total = engine.BatchMax + 36
			out := make([][]byte, total)
			oh := make([]engine.DatagramHeader, total)
			for i := range out {
				out[i] = []byte(fmt.Sprintf("datagram %d", i))
				oh[i] = engine.DatagramHeader{Addr: to, HopLimit: 1 + i%50}
			}
			out[5] = nil // an empty datagram travels too
			n, err := a.WriteDatagrams(out, oh)
			if n != total || err != nil {
				t.Fatalf("WriteDatagrams = %d, %v; want %d, nil", n, err, total)
			}
			waitReadable(t, b)
			bufs, hdrs, sizes := batchBufs(total, 64)
			got := 0
			for got < total {
				n, err := b.ReadDatagrams(bufs[got:], hdrs[got:], sizes[got:])
				if err != nil {
					t.Fatalf("ReadDatagrams after %d: %v", got, err)
				}
				if n > engine.BatchMax {
					t.Fatalf("ReadDatagrams = %d, more than BatchMax", n)
				}
				got += n
			}
			from := localAddr(t, a)
			for i := range total {
				if string(bufs[i][:sizes[i]]) != string(out[i]) {
					t.Fatalf("datagram %d = %q, want %q", i, bufs[i][:sizes[i]], out[i])
				}
				want := engine.DatagramHeader{Addr: from, Dst: to.Addr(), HopLimit: 1 + i%50, IfIndex: lo}
				if hdrs[i] != want {
					t.Fatalf("header %d = %+v, want %+v", i, hdrs[i], want)
				}
			}
			if n, err := b.ReadDatagrams(bufs, hdrs, sizes); n != 0 || err != engine.ErrWouldBlock {
				t.Errorf("ReadDatagrams with nothing queued = %d, %v; want 0, ErrWouldBlock", n, err)
			}
		})
	}
}

// TestDatagramBatchTruncatedAndBare: a datagram longer than its buffer
// is cut and marked; nil headers read payloads only; the connected peer
// is the destination when there are no headers.
func TestDatagramBatchTruncatedAndBare(t *testing.T) {
	a, b := udpPair(t, unix.AF_INET)
	if err := a.Connect(localAddr(t, b)); err != nil {
		t.Fatal(err)
	}
	if n, err := a.WriteDatagrams([][]byte{[]byte("0123456789"), []byte("ab")}, nil); n != 2 || err != nil {
		t.Fatalf("WriteDatagrams to the connected peer = %d, %v", n, err)
	}
	waitReadable(t, b)
	bufs, hdrs, sizes := batchBufs(2, 4)
	n, err := b.ReadDatagrams(bufs, hdrs, sizes)
	if n != 2 || err != nil {
		t.Fatalf("ReadDatagrams = %d, %v", n, err)
	}
	if string(bufs[0][:sizes[0]]) != "0123" || !hdrs[0].Truncated || string(bufs[1][:sizes[1]]) != "ab" || hdrs[1].Truncated {
		t.Errorf("got %q (truncated %v), %q (truncated %v)", bufs[0][:sizes[0]], hdrs[0].Truncated, bufs[1][:sizes[1]], hdrs[1].Truncated)
	}
	a.WriteDatagrams([][]byte{[]byte("xyz")}, nil)
	waitReadable(t, b)
	if n, err := b.ReadDatagrams(bufs, nil, sizes); n != 1 || err != nil || string(bufs[0][:sizes[0]]) != "xyz" {
		t.Errorf("ReadDatagrams without headers = %d %q, %v", n, bufs[0][:sizes[0]], err)
	}
	if n, err := b.ReadDatagrams(nil, nil, nil); n != 0 || err != nil {
		t.Errorf("ReadDatagrams of nothing = %d, %v", n, err)
	}
}

// TestDatagramBatchFaults: the batched calls go through the fault seam as
// recvmsg and sendmsg; EINTR is retried, anything else returned wrapped.
func TestDatagramBatchFaults(t *testing.T) {
	a, b := udpPair(t, unix.AF_INET)
	to := []engine.DatagramHeader{{Addr: localAddr(t, b)}, {Addr: localAddr(t, b)}}
	msgs := [][]byte{[]byte("one"), []byte("two")}
	restore := engine.InjectFault(engine.SysSendmsg, unix.EPERM, 1)
	n, err := a.WriteDatagrams(msgs, to)
	restore()
	if n != 0 || !errors.Is(err, unix.EPERM) {
		t.Fatalf("WriteDatagrams with EPERM injected = %d, %v", n, err)
	}
	restore = engine.InjectFault(engine.SysSendmsg, unix.EINTR, 1)
	n, err = a.WriteDatagrams(msgs, to)
	restore()
	if n != 2 || err != nil {
		t.Fatalf("WriteDatagrams after EINTR = %d, %v", n, err)
	}
	waitReadable(t, b)
	bufs, hdrs, sizes := batchBufs(4, 16)
	restore = engine.InjectFault(engine.SysRecvmsg, unix.EIO, 1)
	n, err = b.ReadDatagrams(bufs, hdrs, sizes)
	restore()
	if n != 0 || !errors.Is(err, unix.EIO) {
		t.Fatalf("ReadDatagrams with EIO injected = %d, %v", n, err)
	}
	restore = engine.InjectFault(engine.SysRecvmsg, unix.EINTR, 1)
	n, err = b.ReadDatagrams(bufs, hdrs, sizes)
	restore()
	if n != 2 || err != nil {
		t.Fatalf("ReadDatagrams after EINTR = %d, %v", n, err)
	}
	// A bad header stops the batch before it: the ones ahead are sent.
	bad := append(to[:1:1], engine.DatagramHeader{Addr: localAddr(t, b), IfIndex: 1 << 30, Dst: localAddr(t, b).Addr()})
	if n, err := a.WriteDatagrams(msgs, bad); n != 1 || err == nil {
		t.Errorf("WriteDatagrams with an impossible interface = %d, %v; want 1 and an error", n, err)
	}
}

// TestDatagramBatchZeroAlloc: steady-state batches allocate nothing.
func TestDatagramBatchZeroAlloc(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items on purpose under -race")
	}
	a, b := udpPair(t, unix.AF_INET)
	enableMeta(t, b)
	to := localAddr(t, b)
	out := make([][]byte, 8)
	oh := make([]engine.DatagramHeader, 8)
	for i := range out {
		out[i], oh[i] = make([]byte, 100), engine.DatagramHeader{Addr: to, HopLimit: 3}
	}
	bufs, hdrs, sizes := batchBufs(8, 256)
	allocs := testing.AllocsPerRun(200, func() {
		if n, err := a.WriteDatagrams(out, oh); n != 8 || err != nil {
			t.Fatal(n, err)
		}
		for got := 0; got < 8; {
			n, err := b.ReadDatagrams(bufs, hdrs, sizes)
			if err != nil && err != engine.ErrWouldBlock {
				t.Fatal(err)
			}
			got += n
		}
	})
	if allocs != 0 {
		t.Errorf("WriteDatagrams+ReadDatagrams: %v allocations per batch, want 0", allocs)
	}
}

// BenchmarkReadDatagrams reads queued 64-byte datagrams one recvmsg at a
// time and in batches, with and without metadata: the receive cost per
// datagram that batching and sender-only reads save.
func BenchmarkReadDatagrams(b *testing.B) {
	for _, c := range []struct {
		name  string
		batch int
		meta  bool
	}{{"single/meta", 1, true}, {"single/bare", 1, false}, {"batch32/meta", 32, true}, {"batch32/bare", 32, false}} {
		b.Run(c.name, func(b *testing.B) {
			x, y := udpPair(b, unix.AF_INET)
			enableMeta(b, y)
			y.SetOption(engine.ReceiveBufferOption, 4<<20)
			to := localAddr(b, y)
			out := make([][]byte, 32)
			oh := make([]engine.DatagramHeader, 32)
			for i := range out {
				out[i], oh[i] = make([]byte, 64), engine.DatagramHeader{Addr: to}
			}
			bufs, hdrs, sizes := batchBufs(32, 2048)
			if !c.meta {
				hdrs = nil
			}
			var h engine.DatagramHeader
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i += 32 {
				b.StopTimer()
				if n, err := x.WriteDatagrams(out, oh); n != 32 || err != nil {
					b.Fatal(n, err)
				}
				b.StartTimer()
				for got := 0; got < 32; {
					if c.batch == 1 {
						hp := &h
						if !c.meta {
							hp = nil
						}
						if _, err := y.ReadDatagram(bufs[0], hp); err != nil {
							b.Fatal(err)
						}
						got++
						continue
					}
					n, err := y.ReadDatagrams(bufs, hdrs, sizes)
					if err != nil {
						b.Fatal(err)
					}
					got += n
				}
			}
		})
	}
}
