package interop

import (
	"net"
	"strconv"
	"testing"

	"github.com/qsock/qsock/datastream"
	"github.com/qsock/qsock/examples/internal/fortune"
)

// wireConnections is how many connections each byte-level check makes:
// enough to see several different fortunes.
const wireConnections = 30

// TestFortuneBlock checks the shared encoder against the hand-written one,
// for both stream versions the servers use.
func TestFortuneBlock(t *testing.T) {
	for _, f := range fortune.Fortunes {
		for _, v := range []datastream.Version{datastream.Qt_4_0, datastream.Qt_5_10} {
			if got, want := fortune.Block(v, f), qstring(f); string(got) != string(want) {
				t.Errorf("Block(%d, %q) = % x, want % x", v, f, got, want)
			}
		}
	}
}

// TestWireGoServers reads raw bytes from our servers: each connection
// carries exactly one fortune's QString and then EOF, over IPv4 and IPv6.
func TestWireGoServers(t *testing.T) {
	for _, srv := range []string{"fortuneserver", "threadedfortuneserver"} {
		_, port := startGoServer(t, srv)
		checkWire(t, srv, port)
	}
}

// TestWireQtServers does the same with Qt's servers: it shows that the bytes
// our servers are held to are the bytes Qt sends.
func TestWireQtServers(t *testing.T) {
	for _, srv := range []string{"fortuneserver", "threadedfortuneserver"} {
		t.Run(srv, func(t *testing.T) {
			checkWire(t, "Qt's "+srv, startQtServer(t, srv))
		})
	}
}

func checkWire(t *testing.T, who string, port uint16) {
	t.Helper()
	hosts := []string{"127.0.0.1"}
	if haveIPv6Loopback() {
		hosts = append(hosts, "::1")
	}
	seen := map[int]bool{}
	for i := range wireConnections {
		addr := net.JoinHostPort(hosts[i%len(hosts)], strconv.Itoa(int(port)))
		b, err := readAll(t, addr)
		if err != nil {
			t.Fatalf("%s via %s: %v", who, addr, err)
		}
		k, err := whichFortune(b)
		if err != nil {
			t.Fatalf("%s via %s: %v", who, addr, err)
		}
		seen[k] = true
	}
	if len(seen) < 2 {
		t.Errorf("%s: %d connections all sent fortune %v: not random", who, wireConnections, seen)
	}
}
