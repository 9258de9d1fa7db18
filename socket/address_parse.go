package socket

import (
	"net/netip"
	"strings"
)

// ParseHostAddress parses s as QHostAddress::setAddress does, which is how
// ConnectToHost tells an address from a host name: surrounding white space
// is ignored; a string with a colon is an IPv6 address, with an optional
// %scope; anything else is an IPv4 address in any of the inet_aton forms
// Qt accepts: one to four parts separated by dots, each decimal, octal
// (leading 0) or hexadecimal (0x), the last part filling the bits the
// others leave ("127.1" is 127.0.0.1, "0x7f000001" too). It reports false
// for a host name.
func ParseHostAddress(s string) (netip.Addr, bool) {
	s = strings.TrimSpace(s)
	if strings.Contains(s, ":") {
		a, err := netip.ParseAddr(s)
		return a, err == nil && a.Is6()
	}
	v, ok := parseIPv4Parts(s)
	if !ok {
		return netip.Addr{}, false
	}
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}), true
}

// parseIPv4Parts is Qt's parseIp4Internal: up to four numbers; every part
// but the last is one byte, and the last fills what remains (24 bits after
// one part, 16 after two, 8 after three, all 32 alone).
func parseIPv4Parts(s string) (uint32, bool) {
	var addr uint32
	for dots := 0; ; dots++ {
		x, rest, ok := parseCNumber(s)
		if !ok {
			return 0, false
		}
		last := rest == "" || dots == 3
		if !last && rest[0] != '.' {
			return 0, false
		}
		if !last {
			if x > 0xff {
				return 0, false
			}
			addr = addr<<8 | x
			s = rest[1:]
			continue
		}
		if rest != "" {
			return 0, false
		}
		bits := 32 - 8*dots
		if bits < 32 && x>>bits != 0 {
			return 0, false
		}
		if dots > 0 {
			addr <<= bits
		}
		return addr | x, true
	}
}

// parseCNumber reads a number as strtoul with base 0 does: 0x for
// hexadecimal, a leading 0 for octal, decimal otherwise. It fails on an
// empty number and on anything above 32 bits.
func parseCNumber(s string) (v uint32, rest string, ok bool) {
	base, i := uint64(10), 0
	switch {
	case len(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && hexDigit(s[2]) >= 0:
		base, i = 16, 2
	case len(s) > 0 && s[0] == '0':
		base = 8
	}
	start := i
	var n uint64
	for ; i < len(s); i++ {
		d := hexDigit(s[i])
		if d < 0 || uint64(d) >= base {
			break
		}
		n = n*base + uint64(d)
		if n > 0xffffffff {
			return 0, "", false
		}
	}
	if i == start {
		return 0, "", false
	}
	return uint32(n), s[i:], true
}

func hexDigit(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'a' <= c && c <= 'f':
		return int(c-'a') + 10
	case 'A' <= c && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}
