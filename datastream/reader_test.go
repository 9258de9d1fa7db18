package datastream

import (
	"bytes"
	"encoding/hex"
	"errors"
	"math"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func mustHex(s string) []byte {
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		panic(err)
	}
	return b
}

// The 44-byte reply captured from Qt 5.15's fortuneserver
// (shared/qt-reference/qt-examples.md).
var fortuneCapture = mustHex("0000 0028 0059 006f 0075 0020 006d 0069 0067 0068 0074 0020 0068 0061 0076 0065 0020 006d 0061 0069 006c 002e")

func TestReadFortuneCapture(t *testing.T) {
	r := NewReader(bytes.NewReader(fortuneCapture))
	r.SetVersion(Qt_4_0) // what Qt's fortune client uses
	if got := r.ReadString(); got != "You might have mail." || r.Status() != Ok {
		t.Fatalf("got %q, status %v", got, r.Status())
	}
	if !r.AtEnd() {
		t.Error("AtEnd() = false after the whole message")
	}
}

func TestStatusIsSticky(t *testing.T) {
	r := NewReader(bytes.NewReader([]byte{0, 0, 1, 2, 3, 4, 5, 6}))
	if got := r.ReadInt16(); got != 0 {
		t.Fatalf("ReadInt16 = %d", got)
	}
	if got := r.ReadInt64(); got != 0 || r.Status() != ReadPastEnd {
		t.Fatalf("ReadInt64 past end = %d, %v", got, r.Status())
	}
	if !errors.Is(r.Err(), ReadPastEnd) {
		t.Errorf("Err() = %v, want ReadPastEnd", r.Err())
	}
	r.SetStatus(ReadCorruptData) // ignored: status already set
	if r.Status() != ReadPastEnd {
		t.Errorf("SetStatus overrode %v", r.Status())
	}
	if got := r.ReadUint8(); got != 0 {
		t.Errorf("read after failure returned %d", got)
	}
	r.ResetStatus()
	if r.Err() != nil {
		t.Errorf("Err() after ResetStatus = %v", r.Err())
	}
}

func TestReadStringErrors(t *testing.T) {
	tests := []struct {
		name   string
		data   string
		limit  int64
		want   String
		status Status
		left   int // bytes not consumed
	}{
		// Qt reads only the length of an odd-length string.
		{"odd length", "00000003 0041 00", 0, NullString, ReadCorruptData, 3},
		{"short", "00000008 0041", 0, NullString, ReadPastEnd, 0},
		// A length that cannot be read leaves QString(""), not QString().
		{"no prefix", "0000", 0, String{}, ReadPastEnd, 0},
		// A length far beyond the data is ReadPastEnd, as in Qt, whatever
		// the limit.
		{"huge length", "7ffffffe 0041", 0, NullString, ReadPastEnd, 0},
		// Over the limit with all the data there: read, dropped, refused.
		{"over limit", "00000004 0041 0042 0043", 3, NullString, SizeLimitExceeded, 2},
	}
	for _, tt := range tests {
		src := bytes.NewReader(mustHex(tt.data))
		r := NewReader(src)
		r.SetMaxAllocation(tt.limit)
		if got := r.ReadQString(); got != tt.want || r.Status() != tt.status || src.Len() != tt.left {
			t.Errorf("%s: got %+v, %v, %d bytes left; want %+v, %v, %d left",
				tt.name, got, r.Status(), src.Len(), tt.want, tt.status, tt.left)
		}
	}
}

// TestReadsGoOnAfterFailure: outside a transaction Qt keeps reading after a
// failure; only the status remembers the first error.
func TestReadsGoOnAfterFailure(t *testing.T) {
	r := NewReader(bytes.NewReader(mustHex("00000003 6162 00000001 05")))
	if s := r.ReadQString(); !s.Null || r.Status() != ReadCorruptData {
		t.Fatalf("odd-length string: %+v, %v", s, r.Status())
	}
	if a, b := r.ReadUint8(), r.ReadUint8(); a != 'a' || b != 'b' {
		t.Errorf("bytes after the error: %q %q", a, b)
	}
	// A container reads its elements as if the status were Ok, then puts
	// the earlier status back (QtPrivate::StreamStateSaver).
	if l := ReadList(r, (*Reader).ReadInt8); len(l) != 1 || l[0] != 5 {
		t.Errorf("list after the error: %v", l)
	}
	if r.Status() != ReadCorruptData {
		t.Errorf("status %v, want the first error kept", r.Status())
	}
	// Inside a transaction the first failure stops all reading.
	r = NewReader(bytes.NewReader(mustHex("00000003 6162")))
	r.StartTransaction()
	r.ReadQString()
	if c := r.ReadUint8(); c != 0 {
		t.Errorf("read in a failed transaction gave %q", c)
	}
	if n := r.ReadRawData(make([]byte, 1)); n != -1 {
		t.Errorf("ReadRawData in a failed transaction = %d", n)
	}
}

// allocated runs f and returns how many bytes it allocated.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

func TestHostileLengthDoesNotAllocate(t *testing.T) {
	// Prefixes of 2 GiB and 4 GiB - 2, with the default limit and with the
	// limit lifted: the Reader must give up after the 10 bytes that exist,
	// with ReadPastEnd as Qt 5.15 and 6.4 do, without allocating anywhere
	// near the announced size.
	for _, prefix := range []string{"7ffffffe", "fffffffe"} {
		data := append(mustHex(prefix), make([]byte, 10)...)
		for _, limit := range []int64{0, math.MaxInt64} {
			for i, read := range []func(*Reader){
				func(r *Reader) { r.ReadByteArray() },
				func(r *Reader) { r.ReadQString() },
				func(r *Reader) { r.ReadBytes() },
				func(r *Reader) { ReadList(r, (*Reader).ReadInt64) },
				func(r *Reader) { r.ReadVariantList() },
			} {
				src := bytes.NewReader(data)
				r := NewReader(src)
				r.SetVersion(Qt_5_15)
				r.SetMaxAllocation(limit)
				n := allocated(func() { read(r) })
				if r.Status() != ReadPastEnd || src.Len() != 0 {
					t.Errorf("%s limit %d read %d: status %v, %d bytes left; want ReadPastEnd, all read",
						prefix, limit, i, r.Status(), src.Len())
				}
				if n > 64<<10 {
					t.Errorf("%s limit %d read %d: allocated %d bytes for 14 bytes of input", prefix, limit, i, n)
				}
			}
		}
	}
}

// TestHugeLengthInTransaction: as in Qt, a length far beyond the data means
// "wait for more": the transaction rolls back instead of failing for good.
func TestHugeLengthInTransaction(t *testing.T) {
	sock := &fakeSocket{}
	sock.feed(mustHex("7fffffff 0102"))
	r := NewReader(sock)
	r.SetVersion(Qt_5_15)
	r.StartTransaction()
	r.ReadByteArray()
	if r.CommitTransaction() || r.Status() != ReadPastEnd || sock.pos != 0 {
		t.Errorf("status %v, socket at %d, events %v", r.Status(), sock.pos, sock.events)
	}
}

func TestMaxAllocation(t *testing.T) {
	var buf bytes.Buffer
	w := NewWriter(&buf)
	w.WriteByteArray(make([]byte, 100))
	WriteList(w, make([]int32, 100), (*Writer).WriteInt32)

	r := NewReader(bytes.NewReader(buf.Bytes()))
	r.SetMaxAllocation(99)
	if b := r.ReadByteArray(); b != nil || r.Status() != SizeLimitExceeded {
		t.Fatalf("got %d bytes, %v", len(b), r.Status())
	}
	r = NewReader(bytes.NewReader(buf.Bytes()))
	r.SetMaxAllocation(100)
	if b := r.ReadByteArray(); len(b) != 100 || r.Status() != Ok {
		t.Fatalf("at the limit: got %d bytes, %v", len(b), r.Status())
	}
	if r.SetMaxAllocation(99); ReadList(r, (*Reader).ReadInt32) != nil || r.Status() != SizeLimitExceeded {
		t.Fatalf("list over the limit: %v", r.Status())
	}
	if r.SetMaxAllocation(0); r.MaxAllocation() != DefaultMaxAllocation {
		t.Errorf("SetMaxAllocation(0) left %d", r.MaxAllocation())
	}
}

func TestListDroppedOnElementFailure(t *testing.T) {
	// Count 2 but only one element: Qt clears the list.
	r := NewReader(bytes.NewReader(mustHex("00000002 00000001")))
	if l := ReadList(r, (*Reader).ReadInt32); l != nil || r.Status() != ReadPastEnd {
		t.Errorf("got %v, %v", l, r.Status())
	}
}

func TestExtendedSizes(t *testing.T) {
	// From Qt_6_7 a size of 0xfffffffe announces a qint64 size.
	ext := mustHex("fffffffe 0000000000000003 616263")
	r := NewReader(bytes.NewReader(ext))
	r.SetVersion(Qt_6_7)
	if got := r.ReadByteArray(); string(got) != "abc" || r.Status() != Ok {
		t.Errorf("Qt_6_7: got %q, %v", got, r.Status())
	}
	r = NewReader(bytes.NewReader(ext))
	r.SetVersion(Qt_6_6)
	if r.ReadByteArray(); r.Status() != ReadPastEnd {
		t.Errorf("Qt_6_6: status %v, want ReadPastEnd (0xfffffffe bytes announced)", r.Status())
	}
	// An extended size of -1 is the null string; below that it does not
	// fit, as in Qt.
	r = NewReader(bytes.NewReader(mustHex("fffffffe ffffffffffffffff")))
	r.SetVersion(Qt_6_7)
	if s := r.ReadQString(); !s.Null || r.Status() != Ok {
		t.Errorf("size -1: %+v, %v", s, r.Status())
	}
	r = NewReader(bytes.NewReader(mustHex("fffffffe fffffffffffffffe")))
	r.SetVersion(Qt_6_7)
	if r.ReadQString(); r.Status() != SizeLimitExceeded {
		t.Errorf("negative size: %v", r.Status())
	}
	// A container count of 0xffffffff is the null code: size -1 in Qt 6.7.
	r = NewReader(bytes.NewReader(mustHex("ffffffff")))
	r.SetVersion(Qt_6_7)
	if ReadList(r, (*Reader).ReadInt8); r.Status() != SizeLimitExceeded {
		t.Errorf("null count: %v", r.Status())
	}

	for _, tt := range []struct {
		v      Version
		n      int64
		want   string
		status Status
	}{
		{Qt_6_7, 5, "00000005", Ok},
		{Qt_6_7, 0xfffffffe, "fffffffe 00000000fffffffe", Ok},
		{Qt_6_7, 1 << 32, "fffffffe 0000000100000000", Ok},
		{Qt_6_6, 0xfffffffe, "fffffffe", Ok},
		{Qt_6_6, 1 << 32, "", SizeLimitExceeded},
	} {
		var buf bytes.Buffer
		w := NewWriter(&buf)
		w.SetVersion(tt.v)
		w.writeSize(tt.n)
		if !bytes.Equal(buf.Bytes(), mustHex(tt.want)) || w.Status() != tt.status {
			t.Errorf("v%d writeSize(%#x) = %x, %v; want %s, %v", tt.v, tt.n, buf.Bytes(), w.Status(), tt.want, tt.status)
		}
	}
}

func TestFloatPrecision(t *testing.T) {
	for _, tt := range []struct {
		v    Version
		prec FloatingPointPrecision
		f32  int // bytes for a float32
		f64  int
	}{
		{Qt_4_5, SinglePrecision, 4, 8}, // precision ignored before Qt_4_6
		{Qt_4_5, DoublePrecision, 4, 8},
		{Qt_4_6, DoublePrecision, 8, 8},
		{Qt_4_6, SinglePrecision, 4, 4},
		{Qt_6_0, DoublePrecision, 8, 8},
	} {
		var buf bytes.Buffer
		w := NewWriter(&buf)
		w.SetVersion(tt.v)
		w.SetFloatingPointPrecision(tt.prec)
		w.WriteFloat32(1.5)
		n32 := buf.Len()
		w.WriteFloat64(-2.25)
		if n32 != tt.f32 || buf.Len()-n32 != tt.f64 {
			t.Errorf("v%d %v: float32 %d bytes, float64 %d bytes", tt.v, tt.prec, n32, buf.Len()-n32)
		}
		r := NewReader(&buf)
		r.SetVersion(tt.v)
		r.SetFloatingPointPrecision(tt.prec)
		if a, b := r.ReadFloat32(), r.ReadFloat64(); a != 1.5 || b != -2.25 || r.Status() != Ok {
			t.Errorf("v%d %v: read back %v %v %v", tt.v, tt.prec, a, b, r.Status())
		}
	}
}

func TestStringRoundTrip(t *testing.T) {
	for _, s := range []String{
		NullString, {}, MakeString("fortune"), MakeString(unicodeText),
		MakeString("\xed\xb0\x80x"), // unpaired low surrogate
		MakeString(strings.Repeat("é€😀", 10000)),
	} {
		for _, o := range []ByteOrder{BigEndian, LittleEndian} {
			var buf bytes.Buffer
			w := NewWriter(&buf)
			w.SetByteOrder(o)
			w.WriteQString(s)
			r := NewReader(&buf)
			r.SetByteOrder(o)
			if got := r.ReadQString(); got != s || r.Status() != Ok {
				t.Errorf("%v: round trip of %.20q gave %.20q (%v)", o, s.S, got.S, r.Status())
			}
		}
	}
	// Invalid UTF-8 is written as U+FFFD, as QString::fromUtf8 does.
	var buf bytes.Buffer
	NewWriter(&buf).WriteString("a\xffb")
	if got := NewReader(&buf).ReadString(); got != "a\ufffdb" {
		t.Errorf("invalid UTF-8 read back as %q", got)
	}
}

func TestCompareUTF16(t *testing.T) {
	// QString order: U+1F600 (D83D DE00) sorts before U+FF21.
	keys := []string{"\uff21", "b", "\U0001F600", "", "a", "ab"}
	want := []string{"", "a", "ab", "b", "\U0001F600", "\uff21"}
	m := map[string]bool{}
	for _, k := range keys {
		m[k] = true
	}
	if diff := cmp.Diff(want, sortedKeys(m)); diff != "" {
		t.Error(diff)
	}
}

func TestVariantErrors(t *testing.T) {
	// A user type (Qt 5 id 1024) cannot be decoded.
	r := NewReader(bytes.NewReader(mustHex("00000400 00 00000006 557365725400 00000007")))
	r.SetVersion(Qt_5_15)
	if v := r.ReadVariant(); v.TypeName != "UserT" || v.Type != MetaTypeUser || r.Status() != ReadCorruptData {
		t.Errorf("user type: %+v, %v", v, r.Status())
	}
	// An id Qt does not know: an invalid QVariant, status Ok, and the value
	// that may follow is not read.
	src := bytes.NewReader(mustHex("0000ffff 00 01"))
	r = NewReader(src)
	if v := r.ReadVariant(); v.IsValid() || r.Status() != Ok || src.Len() != 1 {
		t.Errorf("unknown id: %+v, %v, %d bytes left", v, r.Status(), src.Len())
	}
	// Qt 4 wrote a QString after an invalid variant.
	src = bytes.NewReader(mustHex("00000058 00 00000002 0041 01"))
	r = NewReader(src)
	r.SetVersion(Qt_4_6)
	if v := r.ReadVariant(); v.IsValid() || r.Status() != Ok || src.Len() != 1 {
		t.Errorf("unknown id, Qt_4_6: %+v, %v, %d bytes left", v, r.Status(), src.Len())
	}
	// A type Qt knows (QRect) but this package does not decode.
	r = NewReader(bytes.NewReader(mustHex("00000013 00 00000000 00000000 00000001 00000001")))
	if r.ReadVariant(); r.Status() != ReadCorruptData {
		t.Errorf("QRect: %v", r.Status())
	}
	// Qt 5's GUI types are known to Qt 5 (which then fails to load them
	// without QtGui) and unknown to Qt 6.
	for _, tt := range []struct {
		v    Version
		want Status
	}{{Qt_5_15, ReadCorruptData}, {Qt_6_0, Ok}} {
		r = NewReader(bytes.NewReader(mustHex("00000043 00 00000000")))
		r.SetVersion(tt.v)
		if r.ReadVariant(); r.Status() != tt.want {
			t.Errorf("QColor id at v%d: %v, want %v", tt.v, r.Status(), tt.want)
		}
	}
	// Deep nesting is refused, not a stack overflow.
	var deep []byte
	for range 100000 {
		deep = append(deep, mustHex("00000009 00 00000001")...)
	}
	r = NewReader(bytes.NewReader(deep))
	r.SetVersion(Qt_5_15)
	if r.ReadVariant(); r.Status() != ReadCorruptData {
		t.Errorf("deep nesting: %v", r.Status())
	}
	// Writing a Value that does not match its Type fails.
	w := NewWriter(&bytes.Buffer{})
	w.WriteVariant(Variant{Type: MetaTypeInt, Value: "five"})
	if !errors.Is(w.Err(), ErrUnsupportedVariant) || w.Status() != WriteFailed {
		t.Errorf("bad variant: %v", w.Err())
	}
}

func TestVariantOf(t *testing.T) {
	for _, x := range []any{nil, true, int32(1), uint32(1), int64(1), uint64(1), float32(1), 1.0,
		int16(1), uint16(1), int8(1), uint8(1), "s", MakeString("s"), []byte("b"), []string{"a"},
		[]String{NullString}, [][]byte{nil}, []Variant{{}}, map[string]Variant{"k": {}}} {
		v, ok := VariantOf(x)
		if !ok {
			t.Errorf("VariantOf(%T) failed", x)
			continue
		}
		var buf bytes.Buffer
		w := NewWriter(&buf)
		w.WriteVariant(v)
		r := NewReader(&buf)
		got := r.ReadVariant()
		if w.Status() != Ok || r.Status() != Ok {
			t.Errorf("%T: write %v read %v", x, w.Status(), r.Status())
		}
		if diff := cmp.Diff(v, got); diff != "" {
			t.Errorf("%T round trip (-want +got):\n%s", x, diff)
		}
	}
	if _, ok := VariantOf(struct{}{}); ok {
		t.Error("VariantOf(struct{}{}) succeeded")
	}
}

func TestWriterFailure(t *testing.T) {
	w := NewWriter(&failWriter{n: 3})
	w.WriteInt32(1)
	if w.Status() != WriteFailed || !errors.Is(w.Err(), WriteFailed) || !errors.Is(w.Err(), errDiskFull) {
		t.Fatalf("status %v, err %v", w.Status(), w.Err())
	}
	if n := w.WriteRawData([]byte("x")); n != -1 {
		t.Errorf("WriteRawData after failure = %d", n)
	}
	w.ResetStatus()
	if w.Err() != nil {
		t.Errorf("Err after ResetStatus: %v", w.Err())
	}
}

func TestRawData(t *testing.T) {
	r := NewReader(bytes.NewReader([]byte("abcdefgh")))
	if n := r.SkipRawData(3); n != 3 {
		t.Fatalf("SkipRawData = %d", n)
	}
	p := make([]byte, 3)
	if n := r.ReadRawData(p); n != 3 || string(p) != "def" {
		t.Fatalf("ReadRawData = %d %q", n, p)
	}
	if n := r.SkipRawData(5); n != 2 || r.Status() != ReadPastEnd {
		t.Fatalf("SkipRawData past end = %d, %v", n, r.Status())
	}
	// Outside a transaction raw reads go on after a failure, as in Qt.
	r = NewReader(bytes.NewReader([]byte("xy")))
	r.SetStatus(ReadCorruptData)
	if n := r.ReadRawData(p[:1]); n != 1 || p[0] != 'x' {
		t.Errorf("ReadRawData after failure = %d %q", n, p[:1])
	}
	if n := r.SkipRawData(1); n != 1 {
		t.Errorf("SkipRawData after failure = %d", n)
	}
}

// A stream without a device fails with a status and ErrNoDevice instead of
// a nil dereference; values read are zero, as Qt's are.
func TestNoDevice(t *testing.T) {
	r := NewReader(nil)
	if v, s := r.ReadInt32(), r.ReadString(); v != 0 || s != "" {
		t.Errorf("read %d, %q without a device; want zero values", v, s)
	}
	if r.Status() != ReadPastEnd || !errors.Is(r.Err(), ErrNoDevice) {
		t.Errorf("reader without a device: status %v, err %v; want ReadPastEnd wrapping ErrNoDevice", r.Status(), r.Err())
	}
	w := NewWriter(nil)
	w.WriteInt32(7)
	w.WriteString("x")
	if w.Status() != WriteFailed || !errors.Is(w.Err(), ErrNoDevice) {
		t.Errorf("writer without a device: status %v, err %v; want WriteFailed wrapping ErrNoDevice", w.Status(), w.Err())
	}
}
