package datastream

import (
	"errors"
	"net/netip"
	"net/url"
	"time"
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
	MetaTypeQDate          MetaType = 14
	MetaTypeQTime          MetaType = 15
	MetaTypeQDateTime      MetaType = 16
	MetaTypeQUrl           MetaType = 17
	MetaTypeQVariantHash   MetaType = 28
	MetaTypeQUuid          MetaType = 30
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
	// from Qt_5_0 and 127 (or 1024) before, followed by the type's name.
	// Of the user types, "QHostAddress" (QtNetwork's) is decoded, and the
	// name of a built-in type reads as that type, as in Qt (Qt 5 writes a
	// QUuid as the user type "QUuid" before Qt_5_0, and so does Writer).
	MetaTypeUser MetaType = 65536
)

const (
	userTypeQt4   = 127
	userTypeQt5   = 1024
	qt4Shift      = 97 // Qt 5 moved ids 128.. down to 31..
	qt4ShiftFirst = 128 - qt4Shift
	lastCoreType  = 63 // Qt 6's QMetaType::LastCoreType (Float16)
	maxDepth      = 512

	// Qt 4 ids Qt 5 renumbered apart from the shift: QSizePolicy (75)
	// became 121 and the GUI types 76..86 moved down by one.
	qt4SizePolicy = 75
	qt5SizePolicy = 121
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
//	MetaTypeQDate          Date
//	MetaTypeQTime          Time
//	MetaTypeQDateTime      DateTime
//	MetaTypeQUrl           URL
//	MetaTypeQUuid          UUID
//	MetaTypeUser           HostAddress, with TypeName "QHostAddress"
//
// Null is the isNull flag Qt streams from Qt_4_2 on (true for a QVariant
// constructed from a type alone, such as QVariant(QMetaType::fromType<int>())).
// A user type read from a stream keeps its TypeName; a QHostAddress is
// decoded, and so is a type registered with RegisterUserType; other user
// types cannot be, so reading one sets ReadCorruptData, as Qt does for a
// type it does not know. (QHostAddress is not one of Qt's
// built-in QVariant types: QtNetwork registers it as a user type, whose
// stream operators Qt 6 registers by itself and Qt 5 only after
// qRegisterMetaTypeStreamOperators<QHostAddress>().)
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
// (QVariantMap, keys in QMap order), []Pair[String, Variant], Date, Time,
// DateTime and time.Time (QDateTime, see DateTimeOf), URL and *url.URL,
// UUID, HostAddress and netip.Addr (QHostAddress) and nil (invalid). A
// Variant is returned as is. It reports false for other types.
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
	case Date:
		t = MetaTypeQDate
	case Time:
		t = MetaTypeQTime
	case DateTime:
		t = MetaTypeQDateTime
	case time.Time:
		return Variant{Type: MetaTypeQDateTime, Value: DateTimeOf(v)}, true
	case URL:
		t = MetaTypeQUrl
	case *url.URL:
		return Variant{Type: MetaTypeQUrl, Value: URLOf(v)}, true
	case UUID:
		t = MetaTypeQUuid
	case HostAddress:
		return Variant{Type: MetaTypeUser, TypeName: hostAddressTypeName, Value: v}, true
	case netip.Addr:
		return Variant{Type: MetaTypeUser, TypeName: hostAddressTypeName, Value: HostAddress{Addr: v}}, true
	default:
		return Variant{}, false
	}
	return Variant{Type: t, Value: x}, true
}

// ReadVariant reads a QVariant as QVariant::load does: quint32 type id, the
// isNull byte (from Qt_4_2 on), the type name for user types, then the
// value.
//
// A type id Qt does not know gives an invalid Variant with the status left
// Ok, as in Qt (which then, like this Reader, has not read the value that
// may follow). Which ids Qt knows is decided as a QtCore-only Qt 5.15
// application decides before Qt_6_0 and as Qt 6.4 decides from Qt_6_0 on;
// Qt's GUI types count as known to Qt 5 and unknown to Qt 6, as they are
// when QtGui is not loaded. Types Qt knows but this package cannot decode
// (QRect, QLocale, QJsonValue, ...), a user type neither QHostAddress nor
// registered (RegisterUserType), and
// a stream version before Qt_4_0 (Qt 3 numbering) set ReadCorruptData.
// Variants nested deeper than 512 levels also set ReadCorruptData rather
// than exhaust the stack.
func (r *Reader) ReadVariant() Variant {
	if r.version < Qt_4_0 {
		r.SetStatus(ReadCorruptData)
		return Variant{}
	}
	id, user := qtTypeID(r.ReadUint32(), r.version)
	var null bool
	if r.version >= Qt_4_2 {
		null = r.ReadInt8() != 0
	}
	if user {
		name := r.ReadByteArray() // a C string: the name ends at a NUL
		for i, c := range name {
			if c == 0 {
				name = name[:i]
				break
			}
		}
		v := Variant{Type: MetaTypeUser, Null: null, TypeName: string(name)}
		if v.TypeName == hostAddressTypeName {
			v.Value = r.ReadHostAddress()
			return v
		}
		if ut, ok := userType(v.TypeName); ok {
			v.Value = ut.Read(r)
			return v
		}
		// Qt looks the name up among all types, built-in ones included:
		// Qt 5 writes a QUuid as the user type "QUuid" before Qt_5_0.
		t, ok := builtinNames[v.TypeName]
		if !ok {
			r.SetStatus(ReadCorruptData)
			return v
		}
		id = uint32(t)
	}
	t := MetaType(id)
	if !decodable(t) {
		if qtKnows(id, r.version) {
			r.SetStatus(ReadCorruptData)
			return Variant{}
		}
		// An invalid QVariant: Qt reads no value, except that Qt 4
		// wrote a QString after one.
		if r.version < Qt_5_0 {
			r.ReadQString()
		}
		return Variant{}
	}
	r.depth++
	defer func() { r.depth-- }()
	if r.depth > maxDepth {
		r.SetStatus(ReadCorruptData)
		return Variant{}
	}
	return Variant{Type: t, Null: null, Value: r.readVariantValue(t)}
}

// qtTypeID maps a streamed type id to Qt 5's numbering, as QVariant::load
// does for streams before Qt_5_0, and reports whether it announces a user
// type.
func qtTypeID(id uint32, v Version) (uint32, bool) {
	switch {
	case v < Qt_5_0:
		switch {
		case id == userTypeQt4 || id == userTypeQt5:
			return id, true
		case id >= qt4ShiftFirst+qt4Shift:
			return id - qt4Shift, false
		case id == qt4SizePolicy:
			return qt5SizePolicy, false
		case id > qt4SizePolicy && id <= 86:
			return id - 1, false
		}
		return id, false
	case v < Qt_6_0:
		return id, id == userTypeQt5
	}
	return id, id == uint32(MetaTypeUser)
}

// builtinNames are the QMetaType names of the built-in types ReadVariant
// decodes, for a user type that names one.
var builtinNames = map[string]MetaType{
	"bool": MetaTypeBool, "int": MetaTypeInt, "uint": MetaTypeUInt,
	"qlonglong": MetaTypeLongLong, "qulonglong": MetaTypeULongLong, "double": MetaTypeDouble,
	"QChar": MetaTypeQChar, "QVariantMap": MetaTypeQVariantMap, "QVariantList": MetaTypeQVariantList,
	"QString": MetaTypeQString, "QStringList": MetaTypeQStringList, "QByteArray": MetaTypeQByteArray,
	"QDate": MetaTypeQDate, "QTime": MetaTypeQTime, "QDateTime": MetaTypeQDateTime, "QUrl": MetaTypeQUrl,
	"QVariantHash": MetaTypeQVariantHash, "QUuid": MetaTypeQUuid, "long": MetaTypeLong,
	"short": MetaTypeShort, "char": MetaTypeChar, "ulong": MetaTypeULong, "ushort": MetaTypeUShort,
	"uchar": MetaTypeUChar, "float": MetaTypeFloat, "signed char": MetaTypeSChar,
	"QByteArrayList": MetaTypeQByteArrayList, "std::nullptr_t": MetaTypeNullptr,
}

// decodable reports whether ReadVariant can decode a value of type t.
func decodable(t MetaType) bool {
	switch t {
	case MetaTypeBool, MetaTypeInt, MetaTypeUInt, MetaTypeLongLong, MetaTypeULongLong,
		MetaTypeDouble, MetaTypeQChar, MetaTypeQVariantMap, MetaTypeQVariantList,
		MetaTypeQString, MetaTypeQStringList, MetaTypeQByteArray, MetaTypeQDate,
		MetaTypeQTime, MetaTypeQDateTime, MetaTypeQUrl, MetaTypeQVariantHash,
		MetaTypeQUuid, MetaTypeLong, MetaTypeShort, MetaTypeChar, MetaTypeULong,
		MetaTypeUShort, MetaTypeUChar, MetaTypeFloat, MetaTypeSChar,
		MetaTypeQByteArrayList, MetaTypeNullptr:
		return true
	}
	return false
}

// qtKnows reports whether a QtCore-only Qt application creates a QVariant
// for type id (after Qt 4 ids are mapped): Qt 5.15 before Qt_6_0, Qt 6.4
// from Qt_6_0 on. For an id it does not know, QVariant::load leaves an
// invalid QVariant and the status Ok.
func qtKnows(id uint32, v Version) bool {
	const void = 43 // QMetaType::Void: Qt makes an invalid QVariant of it
	if v < Qt_6_0 {
		// Qt 5: core types 1..55 (27 is QRegExp), GUI types 64..87,
		// QSizePolicy (a widgets type).
		return id >= 1 && id <= 55 && id != void || id >= 64 && id <= 87 || id == qt5SizePolicy
	}
	// Qt 6: core types 1..58 (no QRegExp; 56..58 are char16_t,
	// char32_t and QVariantPair). Float16 (63) has no QVariant support.
	const qRegExp = 27
	return id >= 1 && id <= 58 && id != void && id != qRegExp
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
	case MetaTypeQDate:
		return r.ReadDate()
	case MetaTypeQTime:
		return r.ReadTime()
	case MetaTypeQDateTime:
		return r.ReadDateTime()
	case MetaTypeQUrl:
		return r.ReadURL()
	case MetaTypeQUuid:
		return r.ReadUUID()
	}
	return nil // MetaTypeNullptr
}

// ReadVariantList reads a QVariantList.
func (r *Reader) ReadVariantList() []Variant { return ReadList(r, (*Reader).ReadVariant) }

// ReadVariantMap reads a QVariantMap (or QVariantHash) in wire order.
func (r *Reader) ReadVariantMap() []Pair[String, Variant] {
	return ReadPairs(r, (*Reader).ReadQString, (*Reader).ReadVariant)
}

// WriteVariant writes a QVariant as Qt does for the stream's version. A Value
// that does not match Type, a user type neither QHostAddress nor
// registered (RegisterUserType), or a version before Qt_4_0 sets
// WriteFailed with ErrUnsupportedVariant.
func (w *Writer) WriteVariant(v Variant) {
	if w.status != Ok {
		return
	}
	if w.version < Qt_4_0 || !variantValueOK(v) {
		w.status, w.ioErr = WriteFailed, ErrUnsupportedVariant
		return
	}
	id := uint32(v.Type)
	if v.Type == MetaTypeQUuid && w.version < Qt_5_0 {
		// Qt 4 had no QUuid id: Qt 5 writes it as a user type.
		v.Type, v.TypeName = MetaTypeUser, "QUuid"
	}
	switch {
	case v.Type == MetaTypeUser && w.version < Qt_5_0:
		id = userTypeQt4
	case v.Type == MetaTypeUser && w.version < Qt_6_0:
		id = userTypeQt5
	case w.version < Qt_5_0 && id >= qt4ShiftFirst && id <= lastCoreType:
		id += qt4Shift
	}
	w.WriteUint32(id)
	if w.version >= Qt_4_2 {
		// An invalid QVariant is always null.
		w.WriteBool(v.Null || v.Type == MetaTypeUnknown)
	}
	if v.Type == MetaTypeUser {
		w.WriteCString(v.TypeName)
		if ut, ok := userType(v.TypeName); ok {
			ut.Write(w, v.Value)
			return
		}
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
	case Date:
		w.WriteDate(x)
	case Time:
		w.WriteTime(x)
	case DateTime:
		w.WriteDateTime(x)
	case URL:
		w.WriteURL(x)
	case UUID:
		w.WriteUUID(x)
	case HostAddress:
		w.WriteHostAddress(x)
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
	case MetaTypeQDate:
		_, ok = v.Value.(Date)
	case MetaTypeQTime:
		_, ok = v.Value.(Time)
	case MetaTypeQDateTime:
		_, ok = v.Value.(DateTime)
	case MetaTypeQUrl:
		_, ok = v.Value.(URL)
	case MetaTypeQUuid:
		_, ok = v.Value.(UUID)
	case MetaTypeUser:
		if _, registered := userType(v.TypeName); registered {
			return true
		}
		_, ok = v.Value.(HostAddress)
		ok = ok && v.TypeName == hostAddressTypeName
	}
	return ok
}
