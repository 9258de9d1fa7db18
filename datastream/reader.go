package datastream

import (
	"encoding/binary"
	"io"
	"math"
)

// DefaultMaxAllocation is the limit a new Reader starts with for any single
// length-prefixed value (QByteArray, QString, const char*) and for any
// container's element count: 64 MiB (64 Mi elements).
const DefaultMaxAllocation = 64 << 20

// Reader decodes QDataStream data from an io.Reader (QDataStream opened for
// reading on a QIODevice). It reads exactly the bytes each value needs and
// never reads ahead, so other readers of the same source see the bytes that
// follow; wrap an unbuffered source such as a net.Conn in a bufio.Reader for
// speed when nothing else reads it.
//
// A source that returns (0, nil) is taken to have no more data for now, as a
// qsock socket reports an empty read buffer: the read fails with ReadPastEnd.
//
// A Reader is not safe for concurrent use.
type Reader struct {
	src     io.Reader
	dev     TransactionDevice // src, when it keeps its own transactions
	little  bool
	version Version
	prec    FloatingPointPrecision
	status  Status
	ioErr   error
	limit   int64

	// Emulated transactions over a plain io.Reader: while txDepth > 0 every
	// byte read from src is kept in buf; off is the read position in buf.
	// After a rollback, buf[off:] is served before src again.
	buf     []byte
	off     int
	txDepth int

	depth int // QVariant nesting

	scratch [8]byte
}

// NewReader returns a Reader on src with DefaultVersion, BigEndian,
// DoublePrecision and DefaultMaxAllocation (QDataStream(QIODevice*)).
// If src implements TransactionDevice, transactions use the device's own.
// A nil src makes every read fail with ErrNoDevice (status ReadPastEnd),
// where Qt warns "QDataStream: No device" and reads zeros.
func NewReader(src io.Reader) *Reader {
	if src == nil {
		src = noDevice{}
	}
	r := &Reader{src: src, version: DefaultVersion, prec: DoublePrecision, limit: DefaultMaxAllocation}
	r.dev, _ = src.(TransactionDevice)
	return r
}

// Version returns the stream version (QDataStream::version).
func (r *Reader) Version() Version { return r.version }

// SetVersion sets the stream version (QDataStream::setVersion).
func (r *Reader) SetVersion(v Version) { r.version = v }

// ByteOrder returns the byte order (QDataStream::byteOrder).
func (r *Reader) ByteOrder() ByteOrder {
	if r.little {
		return LittleEndian
	}
	return BigEndian
}

// SetByteOrder sets the byte order (QDataStream::setByteOrder).
func (r *Reader) SetByteOrder(o ByteOrder) { r.little = o == LittleEndian }

// FloatingPointPrecision returns the precision used for floats from Qt_4_6
// on (QDataStream::floatingPointPrecision).
func (r *Reader) FloatingPointPrecision() FloatingPointPrecision { return r.prec }

// SetFloatingPointPrecision sets the precision used for floats from Qt_4_6 on
// (QDataStream::setFloatingPointPrecision).
func (r *Reader) SetFloatingPointPrecision(p FloatingPointPrecision) { r.prec = p }

// MaxAllocation returns the largest byte length or element count the Reader
// keeps for a single value.
//
// A length prefix is never trusted: bytes are read in chunks that grow only
// as data arrives, so a prefix far beyond the data fails with ReadPastEnd,
// as in Qt, having held no more than the bytes that exist. A value longer
// than the limit is read and discarded (elements of a container are read
// and dropped) and then refused with SizeLimitExceeded, so that the stream
// stays in step; if its data runs out first the status is ReadPastEnd.
func (r *Reader) MaxAllocation() int64 { return r.limit }

// SetMaxAllocation sets the limit reported by MaxAllocation; n <= 0 restores
// DefaultMaxAllocation. Qt has no such limit (it reads in 1 MiB steps until
// the data runs out); this one bounds what a peer can make us hold.
func (r *Reader) SetMaxAllocation(n int64) {
	if n <= 0 {
		n = DefaultMaxAllocation
	}
	r.limit = n
}

// Status returns the stream status (QDataStream::status).
func (r *Reader) Status() Status { return r.status }

// SetStatus sets the status if it is Ok; later calls are ignored until
// ResetStatus, as QDataStream::setStatus.
func (r *Reader) SetStatus(s Status) {
	if r.status == Ok {
		r.status = s
	}
}

// ResetStatus sets the status back to Ok (QDataStream::resetStatus) and
// forgets the I/O error.
func (r *Reader) ResetStatus() {
	r.status = Ok
	r.ioErr = nil
}

// Err returns nil while the status is Ok; otherwise an error that matches
// the Status with errors.Is and wraps the I/O error (other than io.EOF) that
// ended the data, if any.
func (r *Reader) Err() error { return makeErr(r.status, r.ioErr) }

// AtEnd reports whether no more data is available (QDataStream::atEnd).
// It asks the source when it has an AtEnd() bool or Len() int method (a qsock
// socket, bytes.Reader, bytes.Buffer); otherwise it tries to read one byte
// ahead, which may block on a blocking source.
func (r *Reader) AtEnd() bool {
	if r.off < len(r.buf) {
		return false
	}
	switch s := r.src.(type) {
	case interface{ AtEnd() bool }:
		return s.AtEnd()
	case interface{ Len() int }:
		return s.Len() == 0
	}
	if r.dev != nil {
		return false // cannot look ahead without consuming from the device
	}
	var b [1]byte
	n, err := r.src.Read(b[:])
	if n == 0 {
		if err != nil && err != io.EOF {
			r.ioErr = err
		}
		return true
	}
	if r.txDepth == 0 {
		r.buf, r.off = r.buf[:0], 0
	}
	r.buf = append(r.buf, b[0])
	return false
}

// fill reads len(p) bytes, or as many as the source has, into p.
func (r *Reader) fill(p []byte) int {
	n := 0
	if r.off < len(r.buf) {
		n = copy(p, r.buf[r.off:])
		r.off += n
		if r.txDepth == 0 && r.off == len(r.buf) {
			r.buf, r.off = r.buf[:0], 0
		}
	}
	for n < len(p) {
		m, err := r.src.Read(p[n:])
		if m > 0 {
			if r.txDepth > 0 && r.dev == nil {
				r.buf = append(r.buf, p[n:n+m]...)
				r.off = len(r.buf)
			}
			n += m
		}
		if err != nil {
			if err != io.EOF && r.ioErr == nil {
				r.ioErr = err
			}
			break
		}
		if m == 0 {
			break
		}
	}
	return n
}

// suspended reports whether reads are suspended: as in QDataStream, only
// inside a transaction does a failure stop later reads. Outside one, reads go
// on after a failure, so that the status records the first error while the
// data is still consumed value by value.
func (r *Reader) suspended() bool { return r.status != Ok && r.txDepth > 0 }

// readBlock is QDataStream::readBlock: it reads exactly len(p) bytes or
// consumes what there is, zeroes p and sets ReadPastEnd. While reads are
// suspended it reads nothing.
func (r *Reader) readBlock(p []byte) bool {
	if r.suspended() {
		clear(p)
		return false
	}
	if r.fill(p) != len(p) {
		clear(p) // Qt returns 0 for a value it could not read whole
		r.SetStatus(ReadPastEnd)
		return false
	}
	return true
}

// ReadRawData reads len(p) bytes without any length prefix or decoding and
// returns how many it read (QDataStream::readRawData). A short count sets
// ReadPastEnd. Inside a transaction that has failed it returns -1 and reads
// nothing; outside one it reads on after a failure, as Qt does.
func (r *Reader) ReadRawData(p []byte) int {
	if r.suspended() {
		return -1
	}
	n := r.fill(p)
	if n != len(p) {
		r.SetStatus(ReadPastEnd)
	}
	return n
}

// SkipRawData reads and discards n bytes, returning how many it skipped
// (QDataStream::skipRawData); -1, skipping nothing, inside a transaction
// that has failed.
func (r *Reader) SkipRawData(n int64) int64 {
	if r.suspended() {
		return -1
	}
	var skipped int64
	var tmp [4096]byte
	for skipped < n {
		k := int64(len(tmp))
		if n-skipped < k {
			k = n - skipped
		}
		got := r.fill(tmp[:k])
		skipped += int64(got)
		if int64(got) != k {
			r.SetStatus(ReadPastEnd)
			break
		}
	}
	return skipped
}

func (r *Reader) order() binary.ByteOrder {
	if r.little {
		return binary.LittleEndian
	}
	return binary.BigEndian
}

// ReadUint8 reads a quint8.
func (r *Reader) ReadUint8() uint8 {
	b := r.scratch[:1]
	r.readBlock(b)
	return b[0]
}

// ReadInt8 reads a qint8.
func (r *Reader) ReadInt8() int8 { return int8(r.ReadUint8()) }

// ReadBool reads a bool: one byte, any nonzero value is true, as in Qt.
func (r *Reader) ReadBool() bool { return r.ReadUint8() != 0 }

// ReadUint16 reads a quint16.
func (r *Reader) ReadUint16() uint16 {
	b := r.scratch[:2]
	r.readBlock(b)
	return r.order().Uint16(b)
}

// ReadInt16 reads a qint16.
func (r *Reader) ReadInt16() int16 { return int16(r.ReadUint16()) }

// ReadChar reads a QChar (or char16_t): one UTF-16 code unit.
func (r *Reader) ReadChar() uint16 { return r.ReadUint16() }

// ReadUint32 reads a quint32.
func (r *Reader) ReadUint32() uint32 {
	b := r.scratch[:4]
	r.readBlock(b)
	return r.order().Uint32(b)
}

// ReadInt32 reads a qint32.
func (r *Reader) ReadInt32() int32 { return int32(r.ReadUint32()) }

// ReadUint64 reads a quint64. Before Qt_3_3 Qt writes 64-bit values as two
// quint32 halves, most significant first, and that is what this reads (Qt's
// own reader swaps the halves there, so it cannot read back such values).
func (r *Reader) ReadUint64() uint64 {
	if r.version < Qt_3_3 {
		// Qt writes the high half first but its reader (QDataStream
		// operator>>(qint64&)) takes the first half read as the low one,
		// so Qt cannot read back its own old-format values. We read what
		// Qt's writer wrote; a half that could not be read is 0, as in Qt.
		hi := r.ReadUint32()
		lo := r.ReadUint32()
		return uint64(hi)<<32 | uint64(lo)
	}
	b := r.scratch[:8]
	r.readBlock(b)
	return r.order().Uint64(b)
}

// ReadInt64 reads a qint64.
func (r *Reader) ReadInt64() int64 { return int64(r.ReadUint64()) }

// ReadFloat32 reads a float. From Qt_4_6 on, with DoublePrecision (the
// default), the wire holds an 8-byte double, converted to float32 as Qt does.
func (r *Reader) ReadFloat32() float32 {
	if r.version >= Qt_4_6 && r.prec == DoublePrecision {
		return float32(r.readDouble())
	}
	return r.readSingle()
}

// ReadFloat64 reads a double. From Qt_4_6 on, with SinglePrecision, the wire
// holds a 4-byte float.
func (r *Reader) ReadFloat64() float64 {
	if r.version >= Qt_4_6 && r.prec == SinglePrecision {
		return float64(r.readSingle())
	}
	return r.readDouble()
}

func (r *Reader) readSingle() float32 {
	b := r.scratch[:4]
	r.readBlock(b)
	return math.Float32frombits(r.order().Uint32(b))
}

func (r *Reader) readDouble() float64 {
	b := r.scratch[:8]
	r.readBlock(b)
	return math.Float64frombits(r.order().Uint64(b))
}
