package socket

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

func TestBlockSizes(t *testing.T) {
	for _, tc := range []struct{ ask, size, pool int }{
		{0, smallBlock, 0},
		{1, smallBlock, 0},
		{smallBlock, smallBlock, 0},
		{smallBlock + 1, 2 * smallBlock, 1},
		{minBlock, minBlock, 3},
		{writeBlock, writeBlock, 5},
		{maxPool, maxPool, len(blockPools) - 1},
	} {
		if got := blockSize(tc.ask); got != tc.size {
			t.Errorf("blockSize(%d) = %d, want %d", tc.ask, got, tc.size)
		}
		if got := poolIndex(tc.size); got != tc.pool {
			t.Errorf("poolIndex(%d) = %d, want %d", tc.size, got, tc.pool)
		}
	}
	if got := len(getBlock(maxPool + 1).b); got != 2*maxPool {
		t.Errorf("a block past the pools has %d bytes, want %d", got, 2*maxPool)
	}
}

// A short write takes a short block; a backlog grows in writeBlock steps
// and keeps its bytes in order.
func TestWriteBufferBlocks(t *testing.T) {
	var w writeBuffer
	w.Write(make([]byte, 64))
	if got := len(w.blocks()[0].b); got != smallBlock {
		t.Fatalf("a 64-byte write took a %d-byte block, want %d", got, smallBlock)
	}
	var want []byte
	want = append(want, make([]byte, 64)...)
	for i := range 100 {
		p := bytes.Repeat([]byte{byte(i)}, 700)
		w.Write(p)
		want = append(want, p...)
	}
	for i, b := range w.blocks()[1:] {
		if len(b.b) != writeBlock {
			t.Fatalf("block %d has %d bytes, want %d", i+1, len(b.b), writeBlock)
		}
	}
	var got []byte
	for _, b := range w.AppendBuffers(nil, 1024) {
		got = append(got, b...)
	}
	if !bytes.Equal(got, want) || w.Len() != len(want) {
		t.Fatalf("buffer holds %d bytes (Len %d), want %d in write order", len(got), w.Len(), len(want))
	}
	w.Discard(w.Len())
	if w.Len() != 0 || len(w.blocks()) != 0 {
		t.Fatalf("after discarding everything: Len %d, %d blocks", w.Len(), len(w.blocks()))
	}
	big := make([]byte, 3*writeBlock)
	w.Write(big)
	if got := len(w.blocks()[0].b); got != writeBlock {
		t.Fatalf("a large first write took a %d-byte first block, want %d", got, writeBlock)
	}
	w.Reset()
}

// A write larger than the largest pooled block is split into pooled
// blocks, so block offsets stay within 32 bits, and its bytes stay in
// order across them.
func TestWriteBufferHugeWrite(t *testing.T) {
	var w writeBuffer
	w.Write([]byte("head"))
	huge := make([]byte, 3*maxPool+5)
	for i := range huge {
		huge[i] = byte(i * 7)
	}
	w.Write(huge)
	for i, b := range w.blocks() {
		if len(b.b) > maxPool {
			t.Fatalf("block %d has %d bytes, more than the largest pooled %d", i, len(b.b), maxPool)
		}
	}
	w.Discard(4 + maxPool + 3) // into the middle of the third block
	var got []byte
	for _, b := range w.AppendBuffers(nil, 1024) {
		got = append(got, b...)
	}
	if !bytes.Equal(got, huge[maxPool+3:]) || w.Len() != len(huge)-maxPool-3 {
		t.Fatalf("after a partial discard: %d bytes (Len %d), want the last %d of the write",
			len(got), w.Len(), len(huge)-maxPool-3)
	}
	w.Reset()
}

// blocks returns the buffer's blocks in order.
func (w *writeBuffer) blocks() []*block {
	var bs []*block
	for b := w.first; b != nil; b = b.next {
		bs = append(bs, b)
	}
	return bs
}

// Random writes, partial discards and resets keep the buffer equal to a
// plain byte slice holding the same queue: Len, the bytes AppendBuffers
// hands out (also when capped at a few buffers), and the bookkeeping the
// first block carries.
func TestWriteBufferMatchesModel(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var w writeBuffer
	var model []byte
	next := byte(0)
	for step := range 5000 {
		switch op := rng.IntN(10); {
		case op < 5:
			size := rng.IntN(3 * writeBlock)
			if rng.IntN(4) == 0 {
				size = rng.IntN(64)
			}
			p := make([]byte, size)
			for i := range p {
				p[i] = next
				next++
			}
			w.Write(p)
			model = append(model, p...)
		case op < 9:
			n := rng.IntN(len(model) + 1)
			w.Discard(n)
			model = model[n:]
		default:
			w.Reset()
			model = model[:0]
		}
		if w.Len() != len(model) {
			t.Fatalf("step %d: Len %d, want %d", step, w.Len(), len(model))
		}
		var got []byte
		for _, b := range w.AppendBuffers(nil, iovMaxForTest) {
			got = append(got, b...)
		}
		if !bytes.Equal(got, model) {
			t.Fatalf("step %d: pending bytes differ from the model (%d against %d bytes)", step, len(got), len(model))
		}
		if capped := w.AppendBuffers(nil, 2); len(model) > 0 && (len(capped) == 0 || len(capped) > 2 || !bytes.HasPrefix(model, capped[0])) {
			t.Fatalf("step %d: AppendBuffers capped at 2 gave %d buffers", step, len(capped))
		}
		if w.first == nil {
			if len(model) != 0 {
				t.Fatalf("step %d: no blocks for %d pending bytes", step, len(model))
			}
			continue
		}
		last := w.first
		for last.next != nil {
			if n := last.next; n.last != nil || n.pending != 0 || n.head != 0 || n.tail != 0 {
				t.Fatalf("step %d: a block after the first carries list bookkeeping", step)
			}
			last = last.next
		}
		if w.first.last != last {
			t.Fatalf("step %d: the first block's last is not the list's last block", step)
		}
	}
}

// iovMaxForTest is more buffers than any step of the model test queues.
const iovMaxForTest = 1 << 16
