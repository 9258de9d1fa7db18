package socket

// writeBuffer queues bytes written by the user until the kernel takes them
// (Qt's write QRingBuffer). It is a list of pooled blocks, so a large
// backlog never moves bytes around, and the pending bytes can be handed to
// writev as one iovec per block.
type writeBuffer struct {
	blks []*block
	head uint32 // offset of the first unsent byte in blks[0]
	tail uint32 // bytes used in the last block
	n    int
}

const writeBlock = 16 << 10

func (w *writeBuffer) Len() int { return w.n }

// Write appends a copy of p.
func (w *writeBuffer) Write(p []byte) {
	w.n += len(p)
	for len(p) > 0 {
		if len(w.blks) == 0 || int(w.tail) == len(w.blks[len(w.blks)-1].b) {
			// The first block fits the write (at least smallBlock): most
			// queued writes are short and leave with the turn's batched
			// send. A backlog grows in writeBlock steps, or by a larger
			// write's own size up to the largest pooled block, so every
			// block is pooled and offsets fit 32 bits.
			size := writeBlock
			if len(w.blks) == 0 {
				size = min(len(p), writeBlock)
			} else if len(p) > size {
				size = min(len(p), maxPool)
			}
			w.blks = append(w.blks, getBlock(size))
			w.tail = 0
		}
		last := w.blks[len(w.blks)-1]
		c := copy(last.b[w.tail:], p)
		w.tail += uint32(c)
		p = p[c:]
	}
}

// AppendBuffers appends the pending bytes to iov as slices, at most max of
// them, and returns the extended iov. The slices stay valid until the next
// Write, Discard or Reset.
func (w *writeBuffer) AppendBuffers(iov [][]byte, max int) [][]byte {
	for i, b := range w.blks {
		if len(iov) == max {
			break
		}
		start, end := 0, len(b.b)
		if i == 0 {
			start = int(w.head)
		}
		if i == len(w.blks)-1 {
			end = int(w.tail)
		}
		if end > start {
			iov = append(iov, b.b[start:end])
		}
	}
	return iov
}

// Discard drops the first n pending bytes (those the kernel took).
func (w *writeBuffer) Discard(n int) {
	w.n -= n
	for n > 0 && len(w.blks) > 0 {
		b := w.blks[0]
		end := len(b.b)
		if len(w.blks) == 1 {
			end = int(w.tail)
		}
		avail := end - int(w.head)
		if n < avail {
			w.head += uint32(n)
			return
		}
		n -= avail
		w.popFront()
	}
	if w.n == 0 {
		w.Reset()
	}
}

func (w *writeBuffer) popFront() {
	putBlock(w.blks[0])
	// Shift rather than reslice, so the slice keeps its capacity and a
	// steady stream of writes does not reallocate it.
	copy(w.blks, w.blks[1:])
	w.blks[len(w.blks)-1] = nil
	w.blks = w.blks[:len(w.blks)-1]
	w.head = 0
	if len(w.blks) == 0 {
		w.tail = 0
	}
}

// Reset drops everything pending and returns the storage.
func (w *writeBuffer) Reset() {
	for _, b := range w.blks {
		putBlock(b)
	}
	clear(w.blks)
	w.blks = w.blks[:0]
	w.head, w.tail, w.n = 0, 0, 0
}
