package interop

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/qsock/qsock/examples/internal/fortune"
)

// checkFortunes checks a client's output: n lines, each one of the seven
// fortunes, no line equal to the one before (the clients re-request then).
func checkFortunes(t *testing.T, who string, r result, n int) {
	t.Helper()
	if r.code != 0 {
		t.Fatalf("%s: exit status %d, stderr %q, stdout %q", who, r.code, r.stderr, r.stdout)
	}
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	if len(lines) != n {
		t.Fatalf("%s: %d lines, want %d: %q", who, len(lines), n, r.stdout)
	}
	for i, l := range lines {
		if !fortune.IsFortune(l) {
			t.Errorf("%s: line %d %q is not one of the seven fortunes", who, i+1, l)
		}
		if i > 0 && l == lines[i-1] {
			t.Errorf("%s: line %d repeats line %d (%q): the client should have asked again", who, i+1, i, l)
		}
	}
}

// qstring encodes s as QDataStream writes a QString (every version from
// Qt_2_0 on, big-endian): the byte length as a quint32, then UTF-16BE. It is
// written out here rather than taken from the datastream package, so the
// byte checks do not trust the code they check.
func qstring(s string) []byte {
	u := utf16.Encode([]rune(s))
	b := binary.BigEndian.AppendUint32(nil, uint32(2*len(u)))
	for _, c := range u {
		b = binary.BigEndian.AppendUint16(b, c)
	}
	return b
}

// whichFortune returns the index of the fortune whose QString encoding is
// exactly b, or an error describing b.
func whichFortune(b []byte) (int, error) {
	for i, f := range fortune.Fortunes {
		if string(b) == string(qstring(f)) {
			return i, nil
		}
	}
	return -1, fmt.Errorf("%d bytes % x… are not the QString of any of the seven fortunes", len(b), b[:min(len(b), 16)])
}

// readAll connects to addr, reads until EOF (within 5 s) and returns the
// bytes; a connection the server does not close fails the test.
func readAll(t *testing.T, addr string) ([]byte, error) {
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	var b []byte
	buf := make([]byte, 512)
	for {
		n, err := c.Read(buf)
		b = append(b, buf[:n]...)
		if err != nil {
			if errors.Is(err, io.EOF) {
				return b, nil
			}
			return b, fmt.Errorf("after %d bytes: %v (want EOF)", len(b), err)
		}
	}
}
