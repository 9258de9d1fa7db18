package datastream

import (
	"errors"
)

// MetaType is a QMetaType::Type id as streamed in a QVariant. The core ids
// below are the same in Qt 5 and Qt 6; the id of user types differs (see
// MetaTypeUser) and streams before Qt_5_0 shift ids from 31 up by 97, as Qt 4
// numbered them; Reader and Writer apply both rules by stream version.
type MetaType uint32

// QMetaType::Type values of the types a Variant supports.
const (
	MetaTypeUnknown        MetaType = 0 // QMetaType::UnknownType: an invalid QVariant()
	MetaTypeBool           MetaType = 1
	MetaTypeInt            MetaType = 2
	MetaTypeUInt           MetaType = 3
	MetaTypeLongLong       MetaType = 4
	MetaTypeULongLong      MetaType = 5
	MetaTypeDouble         MetaType = 6
	MetaTypeQChar          MetaType = 7
	MetaTypeQVariantMap    MetaType = 8
	MetaTypeQVariantList   MetaType = 9
	MetaTypeQString        MetaType = 10
	MetaTypeQStringList    MetaType = 11
	MetaTypeQByteArray     MetaType = 12
	MetaTypeQVariantHash   MetaType = 28
	MetaTypeLong           MetaType = 32 // streamed as qlonglong
	MetaTypeShort          MetaType = 33
	MetaTypeChar           MetaType = 34
	MetaTypeULong          MetaType = 35 // streamed as qulonglong
	MetaTypeUShort         MetaType = 36
	MetaTypeUChar          MetaType = 37
	MetaTypeFloat          MetaType = 38
	MetaTypeSChar          MetaType = 40
	MetaTypeQByteArrayList MetaType = 49
	MetaTypeNullptr        MetaType = 51
	// MetaTypeUser stands for any user type (Qt 6's QMetaType::User). On
	// the wire it is 65536 from Qt_6_0 on, 1024 (Qt 5's QMetaType::User)
	// from Qt_5_0 and 127 before, followed by the type's name.
	MetaTypeUser MetaType = 65536
)

const (
	userTypeQt4   = 127
	userTypeQt5   = 1024
	qt4Shift      = 97 // Qt 5 moved ids 128.. down to 31..
	qt4ShiftFirst = 128 - qt4Shift
	lastCoreType  = 63 // Qt 6's QMetaType::LastCoreType (Float16)
	maxDepth      = 512
)

// ErrUnsupportedVariant is the I/O error a Writer records (with status
// WriteFailed) for a Variant it cannot encode.
var ErrUnsupportedVariant = errors.New("datastream: unsupported QVariant type or value")

// Variant is a QVariant. Value holds the Go form of Type:
//
//	MetaTypeUnknown        nil (an invalid QVariant())
//	MetaTypeBool           bool
//	MetaTypeInt, UInt      int32, uint32
//	MetaTypeLongLong, Long int64
//	MetaTypeULongLong,
//	MetaTypeULong          uint64
//	MetaTypeDouble         float64
//	MetaTypeFloat          float32
//	MetaTypeQChar, UShort  uint16
//	MetaTypeShort          int16
//	MetaTypeChar, SChar    int8
//	MetaTypeUChar          uint8
//	MetaTypeQString        String
//	MetaTypeQStringList    []String
//	MetaTypeQByteArray     []byte
//	MetaTypeQByteArrayList [][]byte
//	MetaTypeQVariantList   []Variant
//	MetaTypeQVariantMap,
//	MetaTypeQVariantHash   []Pair[String, Variant] (wire order)
//	MetaTypeNullptr        nil
//
// Null is the isNull flag Qt streams from Qt_4_2 on (true for a QVariant
// constructed from a type alone, such as QVariant(QMetaType::fromType<int>())).
// A user type read from a stream keeps its TypeName; its value cannot be
// decoded, so reading one sets ReadCorruptData, as Qt does for a type it does
// not know.
type Variant struct {
	Type     MetaType
	Null     bool
	Value    any
	TypeName string
}

// IsValid reports whether v holds a type (QVariant::isValid).
func (v Variant) IsValid() bool { return v.Type != MetaTypeUnknown }

// VariantOf returns the Variant Qt would build from the Go value x: bool,
// int32, uint32, int64, uint64, float32, float64, int16, uint16 (UShort),
// int8 (SChar), uint8 (UChar), string and String (QString), []byte,
// []string and []String (QStringList), [][]byte, []Variant, map[string]Variant
// (QVariantMap, keys in QMap order), []Pair[String, Variant] and nil
// (invalid). A Variant is returned as is. It reports false for other types.
func VariantOf(x any) (Variant, bool) {
	var t MetaType
	switch v := x.(type) {
	case Variant:
		return v, true
	case nil:
		return Variant{}, true
	case bool:
		t = MetaTypeBool
	case int32:
		t = MetaTypeInt
	case uint32:
		t = MetaTypeUInt
	case int64:
		t = MetaTypeLongLong
	case uint64:
		t = MetaTypeULongLong
	case float32:
		t = MetaTypeFloat
	case float64:
		t = MetaTypeDouble
	case int16:
		t = MetaTypeShort
	case uint16:
		t = MetaTypeUShort
	case int8:
		t = MetaTypeSChar
	case uint8:
		t = MetaTypeUChar
	case string:
		return Variant{Type: MetaTypeQString, Value: String{S: v}}, true
	case String:
		t = MetaTypeQString
	case []byte:
		t = MetaTypeQByteArray
	case []string:
		l := make([]String, len(v))
		for i, s := range v {
			l[i] = String{S: s}
		}
		return Variant{Type: MetaTypeQStringList, Value: l}, true
	case []String:
		t = MetaTypeQStringList
	case [][]byte:
		t = MetaTypeQByteArrayList
	case []Variant:
		t = MetaTypeQVariantList
	case []Pair[String, Variant]:
		t = MetaTypeQVariantMap
	case map[string]Variant:
		l := make([]Pair[String, Variant], 0, len(v))
		for _, k := range sortedKeys(v) {
			l = append(l, Pair[String, Variant]{String{S: k}, v[k]})
		}
		return Variant{Type: MetaTypeQVariantMap, Value: l}, true
	default:
		return Variant{}, false
	}
	return Variant{Type: t, Value: x}, true
}

// ReadVariant reads a QVariant: quint32 type id, the isNull byte (from
// Qt_4_2 on), the type name for user types, then the value. An unknown type
// id, a user type or a stream version before Qt_4_0 (Qt 3 numbering) sets
// ReadCorruptData. Variants nested deeper than 512 levels also set
// ReadCorruptData rather than exhaust the stack.
func (r *Reader) ReadVariant() Variant {
	if r.version < Qt_4_0 {
		r.SetStatus(ReadCorruptData)
		return Variant{}
	}
	id := r.ReadUint32()
	user := false
	switch {
	case r.version < Qt_5_0:
		if id == userTypeQt4 {
			user = true
		} else if id >= qt4ShiftFirst+qt4Shift {
			id -= qt4Shift
		}
	case r.version < Qt_6_0:
		user = id == userTypeQt5
	default:
		user = id == uint32(MetaTypeUser)
	}
	var null bool
	if r.version >= Qt_4_2 {
		null = r.ReadInt8() != 0
	}
	if r.status != Ok {
		return Variant{}
	}
	if user {
		name := r.ReadCString()
		r.SetStatus(ReadCorruptData)
		return Variant{Type: MetaTypeUser, Null: null, TypeName: name}
	}
	v := Variant{Type: MetaType(id), Null: null}
	if v.Type == MetaTypeUnknown {
		if r.version < Qt_5_0 {
			r.ReadQString() // Qt 4 wrote a QString after an invalid variant
		}
		return Variant{}
	}
	r.depth++
	defer func() { r.depth-- }()
	if r.depth > maxDepth {
		r.SetStatus(ReadCorruptData)
		return Variant{}
	}
	v.Value = r.readVariantValue(v.Type)
	if r.status != Ok {
		return Variant{}
	}
	return v
}

func (r *Reader) readVariantValue(t MetaType) any {
	switch t {
	case MetaTypeBool:
		return r.ReadBool()
	case MetaTypeInt:
		return r.ReadInt32()
	case MetaTypeUInt:
		return r.ReadUint32()
	case MetaTypeLongLong, MetaTypeLong:
		return r.ReadInt64()
	case MetaTypeULongLong, MetaTypeULong:
		return r.ReadUint64()
	case MetaTypeDouble:
		return r.ReadFloat64()
	case MetaTypeFloat:
		return r.ReadFloat32()
	case MetaTypeQChar, MetaTypeUShort:
		return r.ReadUint16()
	case MetaTypeShort:
		return r.ReadInt16()
	case MetaTypeChar, MetaTypeSChar:
		return r.ReadInt8()
	case MetaTypeUChar:
		return r.ReadUint8()
	case MetaTypeQString:
		return r.ReadQString()
	case MetaTypeQStringList:
		return r.ReadQStringList()
	case MetaTypeQByteArray:
		return r.ReadByteArray()
	case MetaTypeQByteArrayList:
		return ReadList(r, (*Reader).ReadByteArray)
	case MetaTypeQVariantList:
		return ReadList(r, (*Reader).ReadVariant)
	case MetaTypeQVariantMap, MetaTypeQVariantHash:
		return ReadPairs(r, (*Reader).ReadQString, (*Reader).ReadVariant)
	case MetaTypeNullptr:
		return nil
	}
	r.SetStatus(ReadCorruptData)
	return nil
}

// ReadVariantList reads a QVariantList.
func (r *Reader) ReadVariantList() []Variant { return ReadList(r, (*Reader).ReadVariant) }

// ReadVariantMap reads a QVariantMap (or QVariantHash) in wire order.
func (r *Reader) ReadVariantMap() []Pair[String, Variant] {
	return ReadPairs(r, (*Reader).ReadQString, (*Reader).ReadVariant)
}

// WriteVariant writes a QVariant as Qt does for the stream's version. A Value
// that does not match Type, a user type, or a version before Qt_4_0 sets
// WriteFailed with ErrUnsupportedVariant.
func (w *Writer) WriteVariant(v Variant) {
	if w.status != Ok {
		return
	}
	if w.version < Qt_4_0 || v.Type == MetaTypeUser || !variantValueOK(v) {
		w.status, w.ioErr = WriteFailed, ErrUnsupportedVariant
		return
	}
	id := uint32(v.Type)
	if w.version < Qt_5_0 && id >= qt4ShiftFirst && id <= lastCoreType {
		id += qt4Shift
	}
	w.WriteUint32(id)
	if w.version >= Qt_4_2 {
		// An invalid QVariant is always null.
		w.WriteBool(v.Null || v.Type == MetaTypeUnknown)
	}
	switch x := v.Value.(type) {
	case nil:
		if v.Type == MetaTypeUnknown && w.version < Qt_5_0 {
			w.WriteNullString()
		}
	case bool:
		w.WriteBool(x)
	case int32:
		w.WriteInt32(x)
	case uint32:
		w.WriteUint32(x)
	case int64:
		w.WriteInt64(x)
	case uint64:
		w.WriteUint64(x)
	case float64:
		w.WriteFloat64(x)
	case float32:
		w.WriteFloat32(x)
	case uint16:
		w.WriteUint16(x)
	case int16:
		w.WriteInt16(x)
	case int8:
		w.WriteInt8(x)
	case uint8:
		w.WriteUint8(x)
	case String:
		w.WriteQString(x)
	case []String:
		w.WriteQStringList(x)
	case []byte:
		w.WriteByteArray(x)
	case [][]byte:
		WriteList(w, x, (*Writer).WriteByteArray)
	case []Variant:
		w.WriteVariantList(x)
	case []Pair[String, Variant]:
		w.WriteVariantMap(x)
	}
}

// WriteVariantList writes a QVariantList.
func (w *Writer) WriteVariantList(l []Variant) { WriteList(w, l, (*Writer).WriteVariant) }

// WriteVariantMap writes a QVariantMap (or QVariantHash) in the given order.
func (w *Writer) WriteVariantMap(m []Pair[String, Variant]) {
	WritePairs(w, m, (*Writer).WriteQString, (*Writer).WriteVariant)
}

// variantValueOK reports whether v.Value has the Go type Type requires.
func variantValueOK(v Variant) bool {
	var ok bool
	switch v.Type {
	case MetaTypeUnknown, MetaTypeNullptr:
		ok = v.Value == nil
	case MetaTypeBool:
		_, ok = v.Value.(bool)
	case MetaTypeInt:
		_, ok = v.Value.(int32)
	case MetaTypeUInt:
		_, ok = v.Value.(uint32)
	case MetaTypeLongLong, MetaTypeLong:
		_, ok = v.Value.(int64)
	case MetaTypeULongLong, MetaTypeULong:
		_, ok = v.Value.(uint64)
	case MetaTypeDouble:
		_, ok = v.Value.(float64)
	case MetaTypeFloat:
		_, ok = v.Value.(float32)
	case MetaTypeQChar, MetaTypeUShort:
		_, ok = v.Value.(uint16)
	case MetaTypeShort:
		_, ok = v.Value.(int16)
	case MetaTypeChar, MetaTypeSChar:
		_, ok = v.Value.(int8)
	case MetaTypeUChar:
		_, ok = v.Value.(uint8)
	case MetaTypeQString:
		_, ok = v.Value.(String)
	case MetaTypeQStringList:
		_, ok = v.Value.([]String)
	case MetaTypeQByteArray:
		_, ok = v.Value.([]byte)
	case MetaTypeQByteArrayList:
		_, ok = v.Value.([][]byte)
	case MetaTypeQVariantList:
		_, ok = v.Value.([]Variant)
	case MetaTypeQVariantMap, MetaTypeQVariantHash:
		_, ok = v.Value.([]Pair[String, Variant])
	}
	return ok
}
