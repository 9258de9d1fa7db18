package socket

import (
	"strconv"
	"strings"
)

// BindMode says how Bind shares its address and port with other sockets:
// QAbstractSocket::BindMode (flags of QAbstractSocket::BindFlag), with Qt's
// bit values. Flags combine with |.
type BindMode uint

// The bind flags. On Unix, ShareAddress and ReuseAddressHint both set
// SO_REUSEADDR and DontShareAddress clears it, as Qt does; DefaultForPlatform
// leaves the system's default (Qt documents it as DontShareAddress |
// ReuseAddressHint on Unix).
const (
	DefaultForPlatform BindMode = 0x0 // QAbstractSocket::DefaultForPlatform
	ShareAddress       BindMode = 0x1 // QAbstractSocket::ShareAddress: others may bind the same address and port
	DontShareAddress   BindMode = 0x2 // QAbstractSocket::DontShareAddress: bind exclusively
	ReuseAddressHint   BindMode = 0x4 // QAbstractSocket::ReuseAddressHint: rebind even if the address is still in use
)

var bindModeNames = []flagName{
	{uint64(ShareAddress), "ShareAddress"},
	{uint64(DontShareAddress), "DontShareAddress"},
	{uint64(ReuseAddressHint), "ReuseAddressHint"},
}

// String returns the set flags joined by "|", such as
// "ShareAddress|ReuseAddressHint", or "DefaultForPlatform" for none.
func (m BindMode) String() string {
	return flagString(uint64(m), "DefaultForPlatform", bindModeNames)
}

// flagName names one bit, or one group of bits, of a flags type.
type flagName struct {
	bits uint64
	name string
}

// flagString prints v as Qt's QFlags value names joined by "|", in the order
// of names, which may list a group of bits before its members so that the
// group's name wins (ReadWrite rather than ReadOnly|WriteOnly). Bits without
// a name are printed in hex, so that no bit is silently lost.
func flagString(v uint64, zero string, names []flagName) string {
	if v == 0 {
		return zero
	}
	var b strings.Builder
	for _, f := range names {
		if v&f.bits == f.bits {
			if b.Len() > 0 {
				b.WriteByte('|')
			}
			b.WriteString(f.name)
			v &^= f.bits
		}
	}
	if v != 0 {
		if b.Len() > 0 {
			b.WriteByte('|')
		}
		b.WriteString("0x")
		b.WriteString(strconv.FormatUint(v, 16))
	}
	return b.String()
}
