package socket

// writeBuffer queues bytes written by the user until the kernel takes them
// (Qt's write QRingBuffer). It is a list of pooled blocks, so a large
// backlog never moves bytes around, and the pending bytes can be handed to
// writev as one iovec per block.
type writeBuffer struct {
	// A list linked through the blocks, its bookkeeping (last block,
	// offsets, length) kept in the first one: an idle connection's queue
	// is one nil pointer.
	first *block
}

const writeBlock = 16 << 10

// Len returns the bytes queued.
func (w *writeBuffer) Len() int {
	if w.first == nil {
		return 0
	}
	return w.first.pending
}

// Write appends a copy of p.
func (w *writeBuffer) Write(p []byte) {
	if len(p) == 0 {
		return
	}
	if w.first == nil {
		// The first block fits the write (at least smallBlock): most
		// queued writes are short and leave with the turn's batched send.
		b := getBlock(min(len(p), writeBlock))
		b.last = b
		w.first = b
	}
	f := w.first
	f.pending += len(p)
	for len(p) > 0 {
		if f.tail == len(f.last.b) {
			// A backlog grows in writeBlock steps, or by a larger write's
			// own size up to the largest pooled block, so every block is
			// pooled.
			size := writeBlock
			if len(p) > size {
				size = min(len(p), maxPool)
			}
			b := getBlock(size)
			f.last.next = b
			f.last, f.tail = b, 0
		}
		c := copy(f.last.b[f.tail:], p)
		f.tail += c
		p = p[c:]
	}
}

// AppendBuffers appends the pending bytes to iov as slices, at most max of
// them, and returns the extended iov. The slices stay valid until the next
// Write, Discard or Reset.
func (w *writeBuffer) AppendBuffers(iov [][]byte, max int) [][]byte {
	f := w.first
	if f == nil {
		return iov
	}
	start := f.head
	for b := f; b != nil && len(iov) < max; b = b.next {
		end := len(b.b)
		if b == f.last {
			end = f.tail
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
	if w.first == nil || n <= 0 {
		return
	}
	if n >= w.first.pending {
		w.Reset()
		return
	}
	w.first.pending -= n
	for n > 0 {
		f := w.first
		end := len(f.b)
		if f == f.last {
			end = f.tail
		}
		avail := end - f.head
		if n < avail {
			f.head += n
			return
		}
		n -= avail
		w.popFront()
	}
}

// popFront returns the first block, which is spent, and hands the queue's
// bookkeeping to the next one; the caller knows there is one.
func (w *writeBuffer) popFront() {
	f := w.first
	next := f.next
	next.last, next.pending, next.tail = f.last, f.pending, f.tail
	putBlock(released(f))
	w.first = next
}

// Reset drops everything pending and returns the storage.
func (w *writeBuffer) Reset() {
	for b := w.first; b != nil; {
		next := b.next
		putBlock(released(b))
		b = next
	}
	w.first = nil
}
