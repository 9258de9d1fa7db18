package datastream

import (
	"encoding/binary"
	"io"
	"math"
)

// Writer encodes values in QDataStream format to an io.Writer (QDataStream
// opened for writing). Each scalar, and each QString with its length prefix,
// goes to the io.Writer in one Write call; a QByteArray takes two (prefix,
// bytes). Wrap the destination in a bufio.Writer, or write to a bytes.Buffer
// and send that, to batch many values. A qsock socket buffers writes itself.
//
// Once the status is not Ok every write method does nothing, as in Qt.
// A Writer is not safe for concurrent use.
type Writer struct {
	dst     io.Writer
	little  bool
	version Version
	prec    FloatingPointPrecision
	status  Status
	ioErr   error
	buf     []byte // reused encoding buffer for strings
	scratch [8]byte
}

// NewWriter returns a Writer on dst with DefaultVersion, BigEndian and
// DoublePrecision (QDataStream(QIODevice*) or QDataStream(QByteArray*,
// QIODevice::WriteOnly) when dst is a *bytes.Buffer). A nil dst makes
// every write fail with ErrNoDevice (status WriteFailed), where Qt warns
// "QDataStream: No device" and writes nothing.
func NewWriter(dst io.Writer) *Writer {
	if dst == nil {
		dst = noDevice{}
	}
	return &Writer{dst: dst, version: DefaultVersion, prec: DoublePrecision, buf: make([]byte, 0, 64)}
}

// Version returns the stream version (QDataStream::version).
func (w *Writer) Version() Version { return w.version }

// SetVersion sets the stream version (QDataStream::setVersion).
func (w *Writer) SetVersion(v Version) { w.version = v }

// ByteOrder returns the byte order (QDataStream::byteOrder).
func (w *Writer) ByteOrder() ByteOrder {
	if w.little {
		return LittleEndian
	}
	return BigEndian
}

// SetByteOrder sets the byte order (QDataStream::setByteOrder).
func (w *Writer) SetByteOrder(o ByteOrder) { w.little = o == LittleEndian }

// FloatingPointPrecision returns the precision used for floats from Qt_4_6
// on (QDataStream::floatingPointPrecision).
func (w *Writer) FloatingPointPrecision() FloatingPointPrecision { return w.prec }

// SetFloatingPointPrecision sets the precision used for floats from Qt_4_6 on
// (QDataStream::setFloatingPointPrecision).
func (w *Writer) SetFloatingPointPrecision(p FloatingPointPrecision) { w.prec = p }

// Status returns the stream status (QDataStream::status).
func (w *Writer) Status() Status { return w.status }

// SetStatus sets the status if it is Ok (QDataStream::setStatus).
func (w *Writer) SetStatus(s Status) {
	if w.status == Ok {
		w.status = s
	}
}

// ResetStatus sets the status back to Ok (QDataStream::resetStatus) and
// forgets the I/O error.
func (w *Writer) ResetStatus() {
	w.status = Ok
	w.ioErr = nil
}

// Err returns nil while the status is Ok; otherwise an error matching the
// Status with errors.Is and wrapping the io.Writer's error, if any.
func (w *Writer) Err() error { return makeErr(w.status, w.ioErr) }

func (w *Writer) order() binary.AppendByteOrder {
	if w.little {
		return binary.LittleEndian
	}
	return binary.BigEndian
}

// flush hands b to the destination; a short write or an error sets
// WriteFailed.
func (w *Writer) flush(b []byte) {
	if w.status != Ok {
		return
	}
	n, err := w.dst.Write(b)
	if err == nil && n != len(b) {
		err = io.ErrShortWrite
	}
	if err != nil {
		w.status = WriteFailed
		w.ioErr = err
	}
}

// WriteRawData writes p without a length prefix and returns the number of
// bytes written, or -1 once the status is not Ok (QDataStream::writeRawData).
func (w *Writer) WriteRawData(p []byte) int {
	if w.status != Ok {
		return -1
	}
	n, err := w.dst.Write(p)
	if err == nil && n != len(p) {
		err = io.ErrShortWrite
	}
	if err != nil {
		w.status = WriteFailed
		w.ioErr = err
	}
	return n
}

// WriteUint8 writes a quint8.
func (w *Writer) WriteUint8(v uint8) {
	if w.status == Ok {
		w.flush(append(w.scratch[:0], v))
	}
}

// WriteInt8 writes a qint8.
func (w *Writer) WriteInt8(v int8) { w.WriteUint8(uint8(v)) }

// WriteBool writes a bool as one byte, 1 or 0.
func (w *Writer) WriteBool(v bool) {
	if v {
		w.WriteUint8(1)
	} else {
		w.WriteUint8(0)
	}
}

// WriteUint16 writes a quint16.
func (w *Writer) WriteUint16(v uint16) {
	if w.status == Ok {
		w.flush(w.order().AppendUint16(w.scratch[:0], v))
	}
}

// WriteInt16 writes a qint16.
func (w *Writer) WriteInt16(v int16) { w.WriteUint16(uint16(v)) }

// WriteChar writes a QChar (or char16_t): one UTF-16 code unit.
func (w *Writer) WriteChar(c uint16) { w.WriteUint16(c) }

// WriteUint32 writes a quint32.
func (w *Writer) WriteUint32(v uint32) {
	if w.status == Ok {
		w.flush(w.order().AppendUint32(w.scratch[:0], v))
	}
}

// WriteInt32 writes a qint32.
func (w *Writer) WriteInt32(v int32) { w.WriteUint32(uint32(v)) }

// WriteUint64 writes a quint64; before Qt_3_3 as two quint32 halves, most
// significant first, as Qt does.
func (w *Writer) WriteUint64(v uint64) {
	if w.status != Ok {
		return
	}
	if w.version < Qt_3_3 {
		o := w.order()
		w.flush(o.AppendUint32(o.AppendUint32(w.scratch[:0], uint32(v>>32)), uint32(v)))
		return
	}
	w.flush(w.order().AppendUint64(w.scratch[:0], v))
}

// WriteInt64 writes a qint64.
func (w *Writer) WriteInt64(v int64) { w.WriteUint64(uint64(v)) }

// WriteFloat32 writes a float: from Qt_4_6 on, with DoublePrecision (the
// default), as an 8-byte double, as Qt does.
func (w *Writer) WriteFloat32(v float32) {
	if w.version >= Qt_4_6 && w.prec == DoublePrecision {
		w.writeRaw64(math.Float64bits(float64(v)))
		return
	}
	w.WriteUint32(math.Float32bits(v))
}

// WriteFloat64 writes a double: from Qt_4_6 on, with SinglePrecision, as a
// 4-byte float.
func (w *Writer) WriteFloat64(v float64) {
	if w.version >= Qt_4_6 && w.prec == SinglePrecision {
		w.WriteUint32(math.Float32bits(float32(v)))
		return
	}
	w.writeRaw64(math.Float64bits(v))
}

// writeRaw64 writes 8 bytes in stream byte order regardless of the version,
// as Qt writes a double (doubles never use the pre-Qt_3_3 split).
func (w *Writer) writeRaw64(v uint64) {
	if w.status == Ok {
		w.flush(w.order().AppendUint64(w.scratch[:0], v))
	}
}
