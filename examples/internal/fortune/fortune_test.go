package fortune

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/qsock/qsock/datastream"
	"github.com/qsock/qsock/socket"
)

func TestBlockMatchesCapture(t *testing.T) {
	// "You might have mail." as captured from Qt's fortuneserver.
	want := "\x00\x00\x00\x28" + "\x00Y\x00o\x00u\x00 \x00m\x00i\x00g\x00h\x00t\x00 \x00h\x00a\x00v\x00e\x00 \x00m\x00a\x00i\x00l\x00."
	for _, v := range []datastream.Version{datastream.Qt_4_0, datastream.Qt_5_10} {
		if got := string(Block(v, Fortunes[4])); got != want {
			t.Errorf("Block(%d) = %q, want %q", v, got, want)
		}
	}
}

func TestRandomAndIsFortune(t *testing.T) {
	seen := map[string]bool{}
	for range 500 {
		f := Random()
		if !IsFortune(f) {
			t.Fatalf("Random() = %q, not a fortune", f)
		}
		seen[f] = true
	}
	if len(seen) != len(Fortunes) {
		t.Errorf("500 draws gave %d different fortunes, want all %d", len(seen), len(Fortunes))
	}
	if IsFortune("") || IsFortune(strings.ToUpper(Fortunes[0])) {
		t.Error("IsFortune accepts a non-fortune")
	}
}

func TestParseListenAddr(t *testing.T) {
	for in, want := range map[string]netip.Addr{
		"":          socket.Any,
		"any":       socket.Any,
		"ANY":       socket.Any,
		"localhost": socket.LocalHost,
		"0.0.0.0":   socket.AnyIPv4,
		"::":        socket.AnyIPv6,
		"::1":       socket.LocalHostIPv6,
	} {
		got, err := ParseListenAddr(in)
		if err != nil || got != want {
			t.Errorf("ParseListenAddr(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	if _, err := ParseListenAddr("example.com"); err == nil {
		t.Error("ParseListenAddr accepts a host name")
	}
}

func TestCheckPort(t *testing.T) {
	for _, c := range []struct {
		port   int
		zeroOK bool
		ok     bool
	}{
		{0, true, true}, {0, false, false}, {1, false, true}, {65535, false, true},
		{65536, true, false}, {-1, true, false},
	} {
		if _, err := CheckPort(c.port, c.zeroOK); (err == nil) != c.ok {
			t.Errorf("CheckPort(%d, %v): err %v, want ok=%v", c.port, c.zeroOK, err, c.ok)
		}
	}
}

func TestDisplayAddress(t *testing.T) {
	if got := DisplayAddress(socket.LocalHostIPv6); got != "::1" {
		t.Errorf("DisplayAddress(::1) = %q", got)
	}
	got, err := netip.ParseAddr(DisplayAddress(socket.Any))
	if err != nil || !got.Is4() || (got.IsLoopback() && got != socket.LocalHost) {
		t.Errorf("DisplayAddress(Any) = %v, %v; want a non-loopback IPv4 address or 127.0.0.1", got, err)
	}
}
