package datastream

import "slices"

const (
	nullCode     = 0xffffffff // the length of a null QString / QByteArray
	extendedSize = 0xfffffffe // Qt_6_7+: a qint64 size follows
	chunkSize    = 4 << 10    // first step of a chunked read; later steps double
	maxPrealloc  = 16         // elements reserved before any has arrived
)

// readSize reads a QDataStream size (Qt's readQSizeType): a quint32, or from
// Qt_6_7 on the extended form 0xfffffffe + qint64. It returns -1 for the null
// marker 0xffffffff, and -2 (with the status already set) on failure.
func (r *Reader) readSize() int64 {
	first := r.ReadUint32()
	if r.status != Ok {
		return -2
	}
	if first == nullCode {
		return -1
	}
	if first < extendedSize || r.version < Qt_6_7 {
		return int64(first)
	}
	n := r.ReadInt64()
	if r.status != Ok {
		return -2
	}
	if n < 0 {
		// Qt: a negative extended size does not fit qsizetype.
		r.SetStatus(SizeLimitExceeded)
		return -2
	}
	return n
}

// readCount reads a container's element count and checks it against the
// limit. It returns -1 on failure (status set).
func (r *Reader) readCount() int64 {
	n := r.readSize()
	switch {
	case n == -2:
		return -1
	case n == -1 && r.version >= Qt_6_7:
		// Qt 6.7 reads the null code as size -1, which no container
		// accepts.
		r.SetStatus(SizeLimitExceeded)
		return -1
	case n == -1:
		n = nullCode
	}
	if n > r.limit {
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
// sends. It returns nil (status set) on failure, a non-nil slice otherwise.
func (r *Reader) readN(n int64) []byte {
	if n > r.limit {
		r.SetStatus(SizeLimitExceeded)
		return nil
	}
	if r.status != Ok {
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
