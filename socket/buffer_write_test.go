package socket

import (
	"bytes"
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
