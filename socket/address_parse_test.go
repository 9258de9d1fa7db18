package socket_test

import (
	"net/netip"
	"testing"

	"github.com/qsock/qsock/socket"
)

// The forms QHostAddress::setAddress accepts and refuses (Qt's
// parseIp4Internal and parseIp6).
func TestParseHostAddress(t *testing.T) {
	for _, c := range []struct {
		in   string
		want string // "" when not an address
	}{
		{"127.0.0.1", "127.0.0.1"},
		{" 10.1.2.3\t", "10.1.2.3"},
		{"127.1", "127.0.0.1"},
		{"10.1.2", "10.1.0.2"},
		{"10.65535", "10.0.255.255"},
		{"2130706433", "127.0.0.1"},
		{"0x7f000001", "127.0.0.1"},
		{"0x7f.1", "127.0.0.1"},
		{"010.0.0.1", "8.0.0.1"},
		{"0", "0.0.0.0"},
		{"255.255.255.255", "255.255.255.255"},
		{"::1", "::1"},
		{"fe80::1%lo", "fe80::1%lo"},
		{"::ffff:1.2.3.4", "::ffff:1.2.3.4"},
		{"256.0.0.1", ""},
		{"1.2.3.256", ""},
		{"1.2.65536", ""},
		{"1.2.3.4.5", ""},
		{"1.2.3.4.", ""},
		{"1..2", ""},
		{"08.0.0.1", ""},
		{"0x", ""},
		{"4294967296", ""},
		{"-1.2.3.4", ""},
		{"example.org", ""},
		{"localhost", ""},
		{"", ""},
		{"[::1]", ""},
		{"1.2.3.4:80", ""},
	} {
		a, ok := socket.ParseHostAddress(c.in)
		if c.want == "" {
			if ok {
				t.Errorf("ParseHostAddress(%q) = %v, want not an address", c.in, a)
			}
			continue
		}
		if want := netip.MustParseAddr(c.want); !ok || a != want {
			t.Errorf("ParseHostAddress(%q) = %v, %v; want %v", c.in, a, ok, want)
		}
	}
}
