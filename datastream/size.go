package datastream

import "slices"

const (
	nullCode     = 0xffffffff // the length of a null QString / QByteArray
	extendedSize = 0xfffffffe // Qt_6_7+: a qint64 size follows
	chunkSize    = 4 << 10    // first step of a chunked read; later steps double
	maxPrealloc  = 16         // elements reserved before any has arrived
)

// readSize reads a QDataStream size as Qt's readQSizeType does: a quint32,
// or from Qt_6_7 on the extended form 0xfffffffe + qint64. The null marker
// 0xffffffff gives -1; an extended size may be negative. A size that could
// not be read is 0, as Qt's reads leave it.
func (r *Reader) readSize() int64 {
	first := r.ReadUint32()
	if first == nullCode {
		return -1
	}
	if first < extendedSize || r.version < Qt_6_7 {
		return int64(first)
	}
	return r.ReadInt64()
}

// readCount reads a container's element count: before Qt_6_7 any quint32
// (0xffffffff included); from Qt_6_7 on a negative size (the null code
// among them) sets SizeLimitExceeded and gives -1.
func (r *Reader) readCount() int64 {
	n := r.readSize()
	switch {
	case n == -1 && r.version < Qt_6_7:
		return nullCode
	case n < 0:
		r.SetStatus(SizeLimitExceeded)
		return -1
	}
	return n
}

// prealloc is how many elements a container of n elements reserves before
// any of them has arrived.
func prealloc(n int64) int {
	return int(min(n, maxPrealloc))
}

// readN reads n bytes in chunks that grow only as data arrives, so that a
// lying length prefix cannot make the Reader allocate memory the peer never
// sends. Above the limit the bytes are read and discarded (skipN). It
// returns nil (status set) on failure, a non-nil slice otherwise.
func (r *Reader) readN(n int64) []byte {
	if n > r.limit {
		if r.skipN(n) {
			r.SetStatus(SizeLimitExceeded)
		}
		return nil
	}
	b := make([]byte, 0, min(n, chunkSize))
	for int64(len(b)) < n {
		step := max(int64(len(b)), chunkSize)
		step = min(step, n-int64(len(b)))
		start := len(b)
		b = slices.Grow(b, int(step))[:start+int(step)]
		if !r.readBlock(b[start:]) {
			return nil
		}
	}
	return b
}

// skipN reads and discards n bytes in fixed chunks and reports whether all
// of them were there; if not, ReadPastEnd is set, as Qt sets it when a
// value's data runs out.
func (r *Reader) skipN(n int64) bool {
	var tmp [chunkSize]byte
	for n > 0 {
		k := min(n, chunkSize)
		if !r.readBlock(tmp[:k]) {
			return false
		}
		n -= k
	}
	return true
}

// writeSize writes a size as Qt's writeQSizeType does; it returns false (and
// sets SizeLimitExceeded) when the size cannot be expressed in this version.
func (w *Writer) writeSize(n int64) bool {
	switch {
	case n < extendedSize:
		w.WriteUint32(uint32(n))
	case w.version >= Qt_6_7:
		w.WriteUint32(extendedSize)
		w.WriteInt64(n)
	case n == extendedSize:
		w.WriteUint32(extendedSize)
	default:
		w.SetStatus(SizeLimitExceeded)
		return false
	}
	return true
}
