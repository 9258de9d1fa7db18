package datastream

import (
	"encoding/hex"
	"net/netip"
	"net/url"
)

// URL is a QUrl in the form Qt streams it: the bytes of QUrl::toEncoded, a
// percent-encoded ASCII URL such as url.URL.String returns. It is kept as
// the peer sent it, so that it writes back unchanged; Parse gives a
// *url.URL. The empty URL stands for QUrl() and for any URL Qt finds
// invalid, which Qt streams as a null QByteArray.
type URL string

// URLOf returns u in the form Qt streams (u.String()); nil gives "".
func URLOf(u *url.URL) URL {
	if u == nil {
		return ""
	}
	return URL(u.String())
}

// Parse parses u with url.Parse.
func (u URL) Parse() (*url.URL, error) { return url.Parse(string(u)) }

// ReadURL reads a QUrl: a QByteArray holding the encoded URL; a null or
// empty one reads as "".
func (r *Reader) ReadURL() URL { return URL(r.ReadByteArray()) }

// WriteURL writes a QUrl: "" as a null QByteArray (QUrl() and invalid URLs,
// as Qt writes them), otherwise the bytes of u.
func (w *Writer) WriteURL(u URL) {
	if u == "" {
		w.WriteByteArray(nil)
		return
	}
	w.WriteByteArray([]byte(u))
}

// UUID is a QUuid, its 16 bytes in RFC 4122 (big-endian) order, as
// QUuid::toRfc4122 returns them. The zero UUID is the null QUuid.
type UUID [16]byte

// String returns u in the 8-4-4-4-12 hexadecimal form, without the braces
// QUuid::toString adds by default.
func (u UUID) String() string {
	var b [36]byte
	hex.Encode(b[0:8], u[0:4])
	b[8] = '-'
	hex.Encode(b[9:13], u[4:6])
	b[13] = '-'
	hex.Encode(b[14:18], u[6:8])
	b[18] = '-'
	hex.Encode(b[19:23], u[8:10])
	b[23] = '-'
	hex.Encode(b[24:], u[10:])
	return string(b[:])
}

// IsNull reports whether u is the null UUID (all zero).
func (u UUID) IsNull() bool { return u == UUID{} }

// swapUUIDFields converts between RFC 4122 order and the little-endian
// stream order, where Qt writes data1 (4 bytes), data2 and data3 (2 bytes
// each) least significant byte first.
func swapUUIDFields(u UUID) UUID {
	u[0], u[1], u[2], u[3] = u[3], u[2], u[1], u[0]
	u[4], u[5] = u[5], u[4]
	u[6], u[7] = u[7], u[6]
	return u
}

// ReadUUID reads a QUuid: 16 raw bytes, the first three fields in the
// stream's byte order. Too few bytes set ReadPastEnd and give the null UUID.
func (r *Reader) ReadUUID() UUID {
	var u UUID
	if r.ReadRawData(u[:]) != len(u) {
		r.SetStatus(ReadPastEnd)
		return UUID{}
	}
	if r.little {
		u = swapUUIDFields(u)
	}
	return u
}

// WriteUUID writes a QUuid as Qt does.
func (w *Writer) WriteUUID(u UUID) {
	if w.little {
		u = swapUUIDFields(u)
	}
	if w.WriteRawData(u[:]) != len(u) {
		w.SetStatus(WriteFailed)
	}
}

// HostAddress is a QHostAddress. Addr is an IPv4 or IPv6 address, an IPv6
// one with its scope id as the zone; IPv4-mapped IPv6 addresses stay IPv6,
// as in Qt. As in package socket, the zero Addr is QHostAddress::Any (any
// address of either version) unless Null is set: then the value is the null
// QHostAddress() and Addr is ignored.
type HostAddress struct {
	Addr netip.Addr
	Null bool
}

// Equal reports whether a and b are the same QHostAddress: both null, or
// neither null with the same address and zone (Qt's operator==, which also
// compares the scope id).
func (a HostAddress) Equal(b HostAddress) bool {
	if a.Null || b.Null {
		return a.Null == b.Null
	}
	return a.Addr == b.Addr
}

// hostAddressTypeName is the QMetaType name a QHostAddress has in a
// QVariant, where it is a user type.
const hostAddressTypeName = "QHostAddress"

// QAbstractSocket::NetworkLayerProtocol values, as QHostAddress streams them.
const (
	protocolUnknown = -1
	protocolIPv4    = 0
	protocolIPv6    = 1
	protocolAny     = 2
)

// ReadHostAddress reads a QHostAddress: a qint8 protocol, then a quint32
// IPv4 address, or 16 bytes and a QString scope id for IPv6. Another
// protocol value sets ReadCorruptData and gives the null address, as in Qt.
func (r *Reader) ReadHostAddress() HostAddress {
	switch r.ReadInt8() {
	case protocolUnknown:
		return HostAddress{Null: true}
	case protocolAny:
		return HostAddress{}
	case protocolIPv4:
		v := r.ReadUint32()
		return HostAddress{Addr: netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})}
	case protocolIPv6:
		var b [16]byte
		for i := range b {
			b[i] = r.ReadUint8()
		}
		return HostAddress{Addr: netip.AddrFrom16(b).WithZone(r.ReadString())}
	}
	r.SetStatus(ReadCorruptData)
	return HostAddress{Null: true}
}

// WriteHostAddress writes a QHostAddress as Qt does; an IPv6 address
// without a zone has a null scope id.
func (w *Writer) WriteHostAddress(a HostAddress) {
	switch {
	case a.Null:
		w.WriteInt8(protocolUnknown)
	case !a.Addr.IsValid():
		w.WriteInt8(protocolAny)
	case a.Addr.Is4():
		w.WriteInt8(protocolIPv4)
		b := a.Addr.As4()
		w.WriteUint32(uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3]))
	default:
		w.WriteInt8(protocolIPv6)
		for _, c := range a.Addr.As16() {
			w.WriteUint8(c)
		}
		if z := a.Addr.Zone(); z != "" {
			w.WriteString(z)
		} else {
			w.WriteNullString()
		}
	}
}
