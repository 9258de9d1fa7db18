package socket

import (
	"bytes"
	"math/bits"
	"sync"
)

// readBuffer is the socket's ring read buffer (Qt's QRingBuffer in
// QIODevicePrivate). Its storage comes from a pool and goes back when the
// buffer empties, so an idle connection holds no read memory.
type readBuffer struct {
	blk *block
	// 32 bits each keep an idle socket one size class smaller; the socket
	// never buffers more than maxReadBuffered (see readRoom).
	head uint32 // index of the first unread byte
	n    uint32 // bytes buffered
}

// maxReadBuffered bounds the read buffer when ReadBufferSize is 0
// (unlimited): reading pauses there, as at a set size, until the
// application reads. A variable so that tests can lower it.
var maxReadBuffered = 1 << 31

// block is pooled storage; the pointer wrapper keeps Put allocation-free.
// next links a write buffer's blocks, and the first block of a write
// buffer also keeps the list's last block and the bytes pending, so that
// a socket with nothing to send holds one pointer for its write queue.
// Those fields are zero whenever the block is in a pool or holds read
// data.
type block struct {
	b       []byte
	next    *block
	last    *block // first block of a write buffer: the list's last block
	pending int    // first block of a write buffer: the bytes queued
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

func (r *readBuffer) Len() int { return int(r.n) }

// grow makes room for at least need more bytes.
func (r *readBuffer) grow(need int) {
	n := int(r.n)
	if r.blk != nil && len(r.blk.b)-n >= need {
		return
	}
	nb := getBlock(n + need)
	if r.blk != nil {
		r.copyOut(nb.b, 0, n)
		putBlock(r.blk)
	}
	r.blk, r.head = nb, 0
}

// Write appends p.
func (r *readBuffer) Write(p []byte) {
	if len(p) == 0 {
		return
	}
	r.grow(len(p))
	size := len(r.blk.b)
	tail := (int(r.head) + int(r.n)) % size
	c := copy(r.blk.b[tail:], p)
	copy(r.blk.b, p[c:])
	r.n += uint32(len(p))
}

// copyOut copies up to len(p) bytes starting off bytes into the buffer,
// without consuming them.
func (r *readBuffer) copyOut(p []byte, off, max int) int {
	if off >= int(r.n) {
		return 0
	}
	n := int(r.n) - off
	if n > max {
		n = max
	}
	if n > len(p) {
		n = len(p)
	}
	size := len(r.blk.b)
	start := (int(r.head) + off) % size
	c := copy(p[:n], r.blk.b[start:])
	copy(p[c:n], r.blk.b)
	return n
}

// Peek copies bytes from offset off without consuming them.
func (r *readBuffer) Peek(p []byte, off int) int { return r.copyOut(p, off, len(p)) }

// Discard drops the first n bytes and releases the storage when empty.
func (r *readBuffer) Discard(n int) {
	if n >= int(r.n) {
		r.Reset()
		return
	}
	r.head = uint32((int(r.head) + n) % len(r.blk.b))
	r.n -= uint32(n)
}

// Reset empties the buffer and returns its storage to the pool.
func (r *readBuffer) Reset() {
	if r.blk != nil {
		putBlock(r.blk)
	}
	*r = readBuffer{}
}

// ByteAt returns the byte at offset off.
func (r *readBuffer) ByteAt(off int) byte {
	return r.blk.b[(int(r.head)+off)%len(r.blk.b)]
}

// IndexByte returns the offset of the first c at or after off, or -1.
func (r *readBuffer) IndexByte(c byte, off int) int {
	if off >= int(r.n) {
		return -1
	}
	size := len(r.blk.b)
	start := (int(r.head) + off) % size
	end := start + (int(r.n) - off)
	if end <= size {
		if i := bytes.IndexByte(r.blk.b[start:end], c); i >= 0 {
			return off + i
		}
		return -1
	}
	if i := bytes.IndexByte(r.blk.b[start:], c); i >= 0 {
		return off + i
	}
	if i := bytes.IndexByte(r.blk.b[:end-size], c); i >= 0 {
		return off + size - start + i
	}
	return -1
}

// Prepend puts c in front of the buffered bytes (QIODevice::ungetChar).
func (r *readBuffer) Prepend(c byte) {
	r.grow(1)
	r.head = uint32((int(r.head) - 1 + len(r.blk.b)) % len(r.blk.b))
	r.blk.b[r.head] = c
	r.n++
}

// Tail returns contiguous free space of up to want bytes (at least one)
// after the buffered bytes, for a read to fill; Commit then counts what
// the read put there.
func (r *readBuffer) Tail(want int) []byte {
	if r.blk == nil || r.n == 0 {
		if r.blk == nil || len(r.blk.b) < want {
			if r.blk != nil {
				putBlock(r.blk)
			}
			r.blk = getBlock(want)
		}
		r.head = 0
		return r.blk.b[:want]
	}
	size, head, n := len(r.blk.b), int(r.head), int(r.n)
	tail := head + n
	var free []byte
	if tail < size {
		free = r.blk.b[tail:]
	} else {
		free = r.blk.b[tail-size : head]
	}
	if len(free) >= want || len(free) >= minBlock {
		return free[:min(len(free), want)]
	}
	// The free space in one piece is short (it may be split around the
	// wrap even when there is enough in all): move the bytes to the front
	// of a block with want bytes of room after them.
	nb := getBlock(n + want)
	r.copyOut(nb.b, 0, n)
	putBlock(r.blk)
	r.blk, r.head = nb, 0
	return nb.b[n : n+want]
}

// Commit counts n bytes written into the slice Tail returned.
func (r *readBuffer) Commit(n int) {
	r.n += uint32(n)
	if r.n == 0 {
		r.Reset()
	}
}
