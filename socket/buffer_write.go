package socket

// writeBuffer queues bytes written by the user until the kernel takes them
// (Qt's write QRingBuffer). It is a list of pooled blocks, so a large
// backlog never moves bytes around, and the pending bytes can be handed to
// writev as one iovec per block.
type writeBuffer struct {
	// A list linked through the blocks rather than a slice of them: an
	// idle connection then keeps no slice of its own once its writes left.
	first, last *block
	head        uint32 // offset of the first unsent byte in first
	tail        uint32 // bytes used in last
	n           int
}

const writeBlock = 16 << 10

func (w *writeBuffer) Len() int { return w.n }

// Write appends a copy of p.
func (w *writeBuffer) Write(p []byte) {
	w.n += len(p)
	for len(p) > 0 {
		if w.last == nil || int(w.tail) == len(w.last.b) {
			// The first block fits the write (at least smallBlock): most
			// queued writes are short and leave with the turn's batched
			// send. A backlog grows in writeBlock steps, or by a larger
			// write's own size up to the largest pooled block, so every
			// block is pooled and offsets fit 32 bits.
			size := writeBlock
			if w.last == nil {
				size = min(len(p), writeBlock)
			} else if len(p) > size {
				size = min(len(p), maxPool)
			}
			b := getBlock(size)
			if w.last == nil {
				w.first = b
			} else {
				w.last.next = b
			}
			w.last, w.tail = b, 0
		}
		c := copy(w.last.b[w.tail:], p)
		w.tail += uint32(c)
		p = p[c:]
	}
}

// AppendBuffers appends the pending bytes to iov as slices, at most max of
// them, and returns the extended iov. The slices stay valid until the next
// Write, Discard or Reset.
func (w *writeBuffer) AppendBuffers(iov [][]byte, max int) [][]byte {
	start := int(w.head)
	for b := w.first; b != nil && len(iov) < max; b = b.next {
		end := len(b.b)
		if b == w.last {
			end = int(w.tail)
		}
		if end > start {
			iov = append(iov, b.b[start:end])
		}
		start = 0
	}
	return iov
}

// Discard drops the first n pending bytes (those the kernel took).
func (w *writeBuffer) Discard(n int) {
	w.n -= n
	for n > 0 && w.first != nil {
		b := w.first
		end := len(b.b)
		if b == w.last {
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
	b := w.first
	w.first, b.next = b.next, nil
	putBlock(b)
	w.head = 0
	if w.first == nil {
		w.last, w.tail = nil, 0
	}
}

// Reset drops everything pending and returns the storage.
func (w *writeBuffer) Reset() {
	for b := w.first; b != nil; {
		next := b.next
		b.next = nil
		putBlock(b)
		b = next
	}
	w.first, w.last = nil, nil
	w.head, w.tail, w.n = 0, 0, 0
}
