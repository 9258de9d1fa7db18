package socket

import (
	"bytes"
	"math/bits"
	"sync"
)

// readBuffer is the socket's ring read buffer (Qt's QRingBuffer in
// QIODevicePrivate). Its storage comes from a pool and goes back when the
// buffer empties, so an idle connection holds no read memory: one nil
// pointer, the ring's offsets living in the block.
type readBuffer struct {
	blk *block
}

// block is pooled storage; the pointer wrapper keeps Put allocation-free.
// It also carries its buffer's bookkeeping, so that a socket with nothing
// buffered holds one pointer per direction: a read buffer's ring (head,
// pending), and in a write queue's first block the queue's (head, tail,
// pending, last). next links a write queue's blocks. Everything but b is
// zero whenever the block is in a pool.
type block struct {
	b       []byte
	next    *block
	last    *block // write queue, first block: the queue's last block
	pending int    // read: bytes buffered; write queue, first block: bytes queued
	head    int    // read: index of the first unread byte; write: of the first unsent byte in the first block
	tail    int    // write queue, first block: bytes used in the last block
}

const (
	// minBlock is the least contiguous room a read asks the kernel to fill.
	minBlock = 4 << 10
	// smallBlock is the smallest pooled block: a short write queued for
	// the loop's batched send takes one, so a turn that echoes a
	// thousand small messages touches a thousand short blocks, not a
	// thousand pages, and an idle server keeps little in its pools.
	smallBlock = 512
	maxPool    = 1 << 20
)

// blockPools holds one pool per power-of-two size from smallBlock to
// maxPool.
var blockPools [12]sync.Pool // 512 B … 1 MiB

// blockSize is the pooled size serving a request for size bytes.
func blockSize(size int) int {
	if size <= smallBlock {
		return smallBlock
	}
	return 1 << bits.Len(uint(size-1))
}

// poolIndex is the pool of a block of size bytes, a power of two.
func poolIndex(size int) int {
	return bits.TrailingZeros(uint(size)) - bits.TrailingZeros(smallBlock)
}

func getBlock(size int) *block {
	s := blockSize(size)
	if s <= maxPool {
		if b, ok := blockPools[poolIndex(s)].Get().(*block); ok {
			return b
		}
	}
	return &block{b: make([]byte, s)}
}

func putBlock(b *block) {
	if len(b.b) <= maxPool {
		blockPools[poolIndex(len(b.b))].Put(b)
	}
}

// Len returns the bytes buffered.
func (r *readBuffer) Len() int {
	if r.blk == nil {
		return 0
	}
	return r.blk.pending
}

// grow makes room for at least need more bytes.
func (r *readBuffer) grow(need int) {
	n := r.Len()
	if r.blk != nil && len(r.blk.b)-n >= need {
		return
	}
	r.moveTo(getBlock(n + need))
}

// moveTo moves the buffered bytes to the front of nb, which becomes the
// buffer's block, and returns the old one to its pool.
func (r *readBuffer) moveTo(nb *block) {
	if old := r.blk; old != nil {
		nb.pending = r.copyOut(nb.b, 0, old.pending)
		putBlock(released(old))
	}
	r.blk = nb
}

// released clears what a block carries besides its storage, for its pool.
func released(b *block) *block {
	*b = block{b: b.b}
	return b
}

// Write appends p.
func (r *readBuffer) Write(p []byte) {
	if len(p) == 0 {
		return
	}
	r.grow(len(p))
	b := r.blk
	size := len(b.b)
	tail := (b.head + b.pending) % size
	c := copy(b.b[tail:], p)
	copy(b.b, p[c:])
	b.pending += len(p)
}

// copyOut copies up to len(p) bytes starting off bytes into the buffer,
// without consuming them.
func (r *readBuffer) copyOut(p []byte, off, max int) int {
	b := r.blk
	if b == nil || off >= b.pending {
		return 0
	}
	n := min(b.pending-off, max, len(p))
	size := len(b.b)
	start := (b.head + off) % size
	c := copy(p[:n], b.b[start:])
	copy(p[c:n], b.b)
	return n
}

// Peek copies bytes from offset off without consuming them.
func (r *readBuffer) Peek(p []byte, off int) int { return r.copyOut(p, off, len(p)) }

// Discard drops the first n bytes and releases the storage when empty.
func (r *readBuffer) Discard(n int) {
	b := r.blk
	if b == nil || n >= b.pending {
		r.Reset()
		return
	}
	b.head = (b.head + n) % len(b.b)
	b.pending -= n
}

// Reset empties the buffer and returns its storage to the pool.
func (r *readBuffer) Reset() {
	if r.blk != nil {
		putBlock(released(r.blk))
		r.blk = nil
	}
}

// ByteAt returns the byte at offset off.
func (r *readBuffer) ByteAt(off int) byte {
	b := r.blk
	return b.b[(b.head+off)%len(b.b)]
}

// IndexByte returns the offset of the first c at or after off, or -1.
func (r *readBuffer) IndexByte(c byte, off int) int {
	b := r.blk
	if b == nil || off >= b.pending {
		return -1
	}
	size := len(b.b)
	start := (b.head + off) % size
	end := start + (b.pending - off)
	if end <= size {
		if i := bytes.IndexByte(b.b[start:end], c); i >= 0 {
			return off + i
		}
		return -1
	}
	if i := bytes.IndexByte(b.b[start:], c); i >= 0 {
		return off + i
	}
	if i := bytes.IndexByte(b.b[:end-size], c); i >= 0 {
		return off + size - start + i
	}
	return -1
}

// Prepend puts c in front of the buffered bytes (QIODevice::ungetChar).
func (r *readBuffer) Prepend(c byte) {
	r.grow(1)
	b := r.blk
	b.head = (b.head - 1 + len(b.b)) % len(b.b)
	b.b[b.head] = c
	b.pending++
}

// Tail returns contiguous free space of up to want bytes (at least one)
// after the buffered bytes, for a read to fill; Commit then counts what
// the read put there.
func (r *readBuffer) Tail(want int) []byte {
	b := r.blk
	if b == nil || b.pending == 0 {
		if b == nil || len(b.b) < want {
			r.Reset()
			b = getBlock(want)
			r.blk = b
		}
		b.head = 0
		return b.b[:want]
	}
	size, head, n := len(b.b), b.head, b.pending
	tail := head + n
	var free []byte
	if tail < size {
		free = b.b[tail:]
	} else {
		free = b.b[tail-size : head]
	}
	if len(free) >= want || len(free) >= minBlock {
		return free[:min(len(free), want)]
	}
	// The free space in one piece is short (it may be split around the
	// wrap even when there is enough in all): move the bytes to the front
	// of a block with want bytes of room after them.
	r.moveTo(getBlock(n + want))
	return r.blk.b[n : n+want]
}

// Commit counts n bytes written into the slice Tail returned.
func (r *readBuffer) Commit(n int) {
	if r.blk == nil {
		return
	}
	r.blk.pending += n
	if r.blk.pending == 0 {
		r.Reset()
	}
}
