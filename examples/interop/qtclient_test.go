package interop

import (
	"strconv"
	"strings"
	"testing"
)

// TestQtClientGoServers runs the Qt fortune client (qtclient/) against our
// servers: Qt must read what we send.
func TestQtClientGoServers(t *testing.T) {
	qt := qtClient(t)
	for _, srv := range []string{"fortuneserver", "threadedfortuneserver"} {
		_, port := startGoServer(t, srv)
		for _, host := range []string{"localhost", "127.0.0.1"} {
			r := run(t, qt, host, strconv.Itoa(int(port)), "3")
			checkFortunes(t, "Qt client -host "+host+" → "+srv, r, 3)
		}
	}
}

// TestQtClientRerequest runs the Qt client against the scripted server of
// TestRerequest, to show that the rule our clients follow is Qt's.
func TestQtClientRerequest(t *testing.T) {
	qt := qtClient(t)
	script := []int{0, 0, 1, 1, 1, 2}
	s := startScripted(t, script, true)
	r := run(t, qt, "127.0.0.1", s.portArg(), "3")
	want := strings.Join([]string{fortuneText(0), fortuneText(1), fortuneText(2)}, "\n") + "\n"
	if r.code != 0 || r.stdout != want {
		t.Fatalf("exit %d, stdout %q, stderr %q; want %q", r.code, r.stdout, r.stderr, want)
	}
	if got := s.conns.Load(); got != int32(len(script)) {
		t.Errorf("%d connections, want %d", got, len(script))
	}
}
