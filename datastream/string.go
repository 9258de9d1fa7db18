package datastream

import (
	"unicode/utf16"
	"unicode/utf8"
)

// String is a QString together with its null state: QString() (null, written
// as 0xffffffff) and QString("") (empty, written as 0x00000000) are different
// values in Qt and on the wire. S is held as UTF-8; see ReadQString for what
// happens to unpaired surrogates.
type String struct {
	S    string
	Null bool
}

// NullString is a null QString (QString()).
var NullString = String{Null: true}

// MakeString returns a non-null String holding s.
func MakeString(s string) String { return String{S: s} }

// String returns s.S.
func (s String) String() string { return s.S }

// ReadQString reads a QString, keeping a null string apart from an empty one.
//
// The UTF-16 text becomes UTF-8. An unpaired surrogate, which QString allows
// but UTF-8 does not, is kept in WTF-8 form (the 3-byte sequence 0xED 0xA0..0xBF
// 0x80..0xBF) so that writing the String back reproduces the original code
// units; utf8.ValidString reports false for such a string.
//
// Failures leave what Qt leaves: an odd byte length sets ReadCorruptData
// (after the length only), too few bytes ReadPastEnd, and a length above the
// Reader's limit SizeLimitExceeded (see MaxAllocation), each with NullString;
// a length prefix that could not be read gives an empty String. Version
// Qt_1_0 reads Latin-1 (a QByteArray).
func (r *Reader) ReadQString() String {
	if r.version == Qt_1_0 {
		b := r.ReadByteArray()
		if b == nil {
			return NullString
		}
		return String{S: latin1ToString(b)}
	}
	n := r.readSize()
	switch {
	case n == -1:
		return NullString
	case n < 0: // Qt_6_7: does not fit qsizetype
		r.SetStatus(SizeLimitExceeded)
		return NullString
	case n == 0:
		return String{}
	case n%2 != 0:
		r.SetStatus(ReadCorruptData)
		return NullString
	}
	b := r.readN(n)
	if b == nil {
		return NullString
	}
	return String{S: r.decodeUTF16(b)}
}

// ReadString reads a QString as a Go string; a null QString reads as "".
// This is `in >> str` for code that never needs QString::isNull.
func (r *Reader) ReadString() string { return r.ReadQString().S }

// WriteQString writes a QString, as Qt's operator<<(QDataStream&, const
// QString&): quint32 byte length then UTF-16 code units in stream byte order,
// or 0xffffffff for a null string. Before Qt_2_1 a null string is written as
// an empty one, and Qt_1_0 writes Latin-1 (characters above U+00FF become '?').
func (w *Writer) WriteQString(s String) {
	if w.status != Ok {
		return
	}
	if w.version == Qt_1_0 {
		if s.Null {
			w.WriteByteArray(nil)
		} else {
			w.WriteByteArray(stringToLatin1(s.S))
		}
		return
	}
	if s.Null && w.version >= Qt_2_1 {
		w.WriteUint32(nullCode)
		return
	}
	b := w.encodeUTF16(append(w.buf[:0], 0, 0, 0, 0), s.S)
	body := int64(len(b) - 4)
	if body < extendedSize {
		if w.little {
			putUint32LE(b, uint32(body))
		} else {
			putUint32BE(b, uint32(body))
		}
		w.flush(b)
	} else if w.writeSize(body) {
		w.flush(b[4:])
	}
	w.keep(b)
}

// WriteString writes s as a non-null QString (QString("") for "").
func (w *Writer) WriteString(s string) { w.WriteQString(String{S: s}) }

// WriteNullString writes a null QString (QString()).
func (w *Writer) WriteNullString() { w.WriteQString(NullString) }

// keep retains b as the encoding buffer unless it grew large.
func (w *Writer) keep(b []byte) {
	if cap(b) <= 64<<10 {
		w.buf = b[:0]
	}
}

// ReadByteArray reads a QByteArray: nil for a null QByteArray (0xffffffff),
// a non-nil empty slice for an empty one. On failure (ReadPastEnd,
// SizeLimitExceeded) it returns nil, as Qt leaves a null QByteArray; a
// length prefix that could not be read gives an empty slice, as in Qt,
// except inside a failed transaction.
func (r *Reader) ReadByteArray() []byte {
	n := r.readSize()
	switch {
	case n == -1:
		return nil
	case n < 0: // Qt_6_7: does not fit qsizetype
		r.SetStatus(SizeLimitExceeded)
		return nil
	case n == 0:
		if r.suspended() {
			return nil // Qt's zero-length readRawData fails here
		}
		return []byte{}
	}
	return r.readN(n)
}

// WriteByteArray writes a QByteArray: quint32 length then the bytes; nil is a
// null QByteArray, written as 0xffffffff from Qt_3_3 on and as an empty one
// before, as Qt does.
func (w *Writer) WriteByteArray(b []byte) {
	if b == nil && w.version >= Qt_3_3 {
		w.WriteUint32(nullCode)
		return
	}
	w.WriteBytes(b)
}

// ReadBytes reads a quint32 length and that many bytes
// (QDataStream::readBytes). Unlike ReadByteArray it has no null marker:
// before Qt_6_7, 0xffffffff is a length like any other; from Qt_6_7 on it
// is size -1, which sets SizeLimitExceeded. It returns nil for length 0, as
// Qt sets the pointer to nullptr, and on failure.
func (r *Reader) ReadBytes() []byte {
	n := r.readSize()
	switch {
	case n == -1 && r.version < Qt_6_7:
		n = nullCode
	case n < 0:
		r.SetStatus(SizeLimitExceeded)
		return nil
	case n == 0:
		return nil
	}
	return r.readN(n)
}

// WriteBytes writes a quint32 length and then p (QDataStream::writeBytes).
func (w *Writer) WriteBytes(p []byte) {
	if w.status != Ok {
		return
	}
	if w.writeSize(int64(len(p))) && len(p) > 0 {
		w.flush(p)
	}
}

// ReadCString reads what Qt's operator<<(const char*) writes: a quint32
// length that counts a terminating NUL, then the bytes. The NUL is dropped.
func (r *Reader) ReadCString() string {
	b := r.ReadBytes()
	if n := len(b); n > 0 && b[n-1] == 0 {
		b = b[:n-1]
	}
	return string(b)
}

// WriteCString writes s as Qt's operator<<(const char*): quint32 length
// including a terminating NUL, the bytes, and the NUL.
func (w *Writer) WriteCString(s string) {
	if w.status != Ok {
		return
	}
	b := append(append(w.buf[:0], s...), 0)
	w.WriteBytes(b)
	w.keep(b)
}

// ReadStringList reads a QStringList as Go strings (null elements read as "").
func (r *Reader) ReadStringList() []string { return ReadList(r, (*Reader).ReadString) }

// ReadQStringList reads a QStringList keeping null elements apart.
func (r *Reader) ReadQStringList() []String { return ReadList(r, (*Reader).ReadQString) }

// WriteStringList writes a QStringList of non-null strings.
func (w *Writer) WriteStringList(l []string) { WriteList(w, l, (*Writer).WriteString) }

// WriteQStringList writes a QStringList whose elements may be null.
func (w *Writer) WriteQStringList(l []String) { WriteList(w, l, (*Writer).WriteQString) }

// decodeUTF16 turns UTF-16 code units in stream byte order into WTF-8.
func (r *Reader) decodeUTF16(b []byte) string {
	out := make([]byte, 0, len(b)/2)
	unit := func(i int) rune {
		if r.little {
			return rune(b[i]) | rune(b[i+1])<<8
		}
		return rune(b[i])<<8 | rune(b[i+1])
	}
	for i := 0; i < len(b); i += 2 {
		c := unit(i)
		switch {
		case c < 0xd800 || c > 0xdfff:
			out = utf8.AppendRune(out, c)
		case c < 0xdc00 && i+3 < len(b):
			if c2 := unit(i + 2); c2 >= 0xdc00 && c2 <= 0xdfff {
				out = utf8.AppendRune(out, utf16.DecodeRune(c, c2))
				i += 2
				continue
			}
			fallthrough
		default:
			// Unpaired surrogate: WTF-8.
			out = append(out, 0xed, byte(0x80|(c>>6)&0x3f), byte(0x80|c&0x3f))
		}
	}
	return string(out)
}

// encodeUTF16 appends the UTF-16 code units of the WTF-8 string s in stream
// byte order. Bytes that are neither UTF-8 nor a WTF-8 surrogate become
// U+FFFD, as QString::fromUtf8 does.
func (w *Writer) encodeUTF16(b []byte, s string) []byte {
	o := w.order()
	for i := 0; i < len(s); {
		c, size := decodeWTF8(s[i:])
		i += size
		if c >= 0x10000 {
			hi, lo := utf16.EncodeRune(c)
			b = o.AppendUint16(o.AppendUint16(b, uint16(hi)), uint16(lo))
		} else {
			b = o.AppendUint16(b, uint16(c))
		}
	}
	return b
}

// decodeWTF8 is utf8.DecodeRuneInString that also accepts the WTF-8 form of
// a surrogate code point; other invalid bytes decode as U+FFFD, size 1.
func decodeWTF8(s string) (rune, int) {
	c, size := utf8.DecodeRuneInString(s)
	if c == utf8.RuneError && size == 1 && len(s) >= 3 &&
		s[0] == 0xed && s[1]&0xe0 == 0xa0 && s[2]&0xc0 == 0x80 {
		return 0xd000 | rune(s[1]&0x3f)<<6 | rune(s[2]&0x3f), 3
	}
	return c, size
}

func latin1ToString(b []byte) string {
	out := make([]byte, 0, len(b))
	for _, c := range b {
		out = utf8.AppendRune(out, rune(c))
	}
	return string(out)
}

// stringToLatin1 is QString::toLatin1: one byte per UTF-16 code unit, '?'
// for units above 0xff.
func stringToLatin1(s string) []byte {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); {
		c, size := decodeWTF8(s[i:])
		i += size
		switch {
		case c <= 0xff:
			out = append(out, byte(c))
		case c >= 0x10000:
			out = append(out, '?', '?')
		default:
			out = append(out, '?')
		}
	}
	return out
}

func putUint32BE(b []byte, v uint32) {
	b[0], b[1], b[2], b[3] = byte(v>>24), byte(v>>16), byte(v>>8), byte(v)
}
func putUint32LE(b []byte, v uint32) {
	b[0], b[1], b[2], b[3] = byte(v), byte(v>>8), byte(v>>16), byte(v>>24)
}
