package datastream

// Version is a QDataStream serialization format version
// (QDataStream::Version). Several Qt releases share one number; the constants
// carry Qt's names, so Qt_5_10 == Qt_5_6 == 17 as in Qt.
type Version int

// Qt's QDataStream::Version values.
const (
	Qt_1_0  Version = 1
	Qt_2_0  Version = 2
	Qt_2_1  Version = 3
	Qt_3_0  Version = 4
	Qt_3_1  Version = 5
	Qt_3_3  Version = 6
	Qt_4_0  Version = 7
	Qt_4_1  Version = Qt_4_0
	Qt_4_2  Version = 8
	Qt_4_3  Version = 9
	Qt_4_4  Version = 10
	Qt_4_5  Version = 11
	Qt_4_6  Version = 12
	Qt_4_7  Version = Qt_4_6
	Qt_4_8  Version = Qt_4_7
	Qt_4_9  Version = Qt_4_8
	Qt_5_0  Version = 13
	Qt_5_1  Version = 14
	Qt_5_2  Version = 15
	Qt_5_3  Version = Qt_5_2
	Qt_5_4  Version = 16
	Qt_5_5  Version = Qt_5_4
	Qt_5_6  Version = 17
	Qt_5_7  Version = Qt_5_6
	Qt_5_8  Version = Qt_5_7
	Qt_5_9  Version = Qt_5_8
	Qt_5_10 Version = Qt_5_9
	Qt_5_11 Version = Qt_5_10
	Qt_5_12 Version = 18
	Qt_5_13 Version = 19
	Qt_5_14 Version = Qt_5_13
	Qt_5_15 Version = Qt_5_14
	Qt_6_0  Version = 20
	Qt_6_1  Version = Qt_6_0
	Qt_6_2  Version = Qt_6_0
	Qt_6_3  Version = Qt_6_0
	Qt_6_4  Version = Qt_6_0
	Qt_6_5  Version = Qt_6_0
	Qt_6_6  Version = 21
	// Qt_6_7 introduced 64-bit sizes: a QByteArray, QString or container
	// size of 0xfffffffe or more is written as the marker 0xfffffffe followed
	// by a qint64.
	Qt_6_7  Version = 22
	Qt_6_8  Version = Qt_6_7
	Qt_6_9  Version = Qt_6_7
	Qt_6_10 Version = 23

	// DefaultVersion is the version a new Reader or Writer starts with:
	// Qt_6_4 (20), QDataStream::Qt_DefaultCompiledVersion of Qt 6.4, the
	// Qt 6 release this package is checked against, so that by default it
	// reads and writes what a QDataStream of Qt 6.0 to 6.5 does. A Qt 5.15
	// QDataStream defaults to Qt_5_15 (19), and Qt 6.6 and later to newer
	// versions: set the version explicitly, as Qt's documentation
	// recommends, to talk to a peer whose Qt may differ.
	DefaultVersion = Qt_6_4
)

// ByteOrder is the byte order of multi-byte values, including length
// prefixes and the UTF-16 code units of a QString (QDataStream::ByteOrder).
type ByteOrder int

// Qt's QDataStream::ByteOrder values.
const (
	BigEndian    ByteOrder = 0 // most significant byte first (the default)
	LittleEndian ByteOrder = 1 // least significant byte first
)

// String returns the Qt name of the byte order.
func (o ByteOrder) String() string {
	if o == LittleEndian {
		return "LittleEndian"
	}
	return "BigEndian"
}

// FloatingPointPrecision selects how float32 and float64 values are streamed
// (QDataStream::FloatingPointPrecision). It applies only from Qt_4_6 on:
// there, DoublePrecision (the default) writes both float32 and float64 as
// 8-byte doubles and SinglePrecision writes both as 4-byte floats. Before
// Qt_4_6 a float32 is always 4 bytes and a float64 always 8.
type FloatingPointPrecision int

// Qt's QDataStream::FloatingPointPrecision values.
const (
	SinglePrecision FloatingPointPrecision = 0
	DoublePrecision FloatingPointPrecision = 1
)

// String returns the Qt name of the precision.
func (p FloatingPointPrecision) String() string {
	if p == SinglePrecision {
		return "SinglePrecision"
	}
	return "DoublePrecision"
}
