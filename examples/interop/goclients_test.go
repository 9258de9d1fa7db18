package interop

import (
	"fmt"
	"net"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/qsock/qsock/examples/internal/fortune"
)

// clients are our two clients with the title of their error messages.
var clients = []struct{ name, title string }{
	{"fortuneclient", fortune.ClientTitle},
	{"blockingfortuneclient", fortune.BlockingClientTitle},
}

func fortuneText(i int) string { return fortune.Fortunes[i] }

// TestGoClientsGoServers runs both clients with -n 5 against both servers,
// over IPv4 and IPv6 loopback (the servers listen dual-stack by default).
func TestGoClientsGoServers(t *testing.T) {
	for _, srv := range []string{"fortuneserver", "threadedfortuneserver"} {
		_, port := startGoServer(t, srv)
		for _, c := range clients {
			for _, host := range []string{"localhost", "127.0.0.1", "::1"} {
				if host == "::1" && !haveIPv6Loopback() {
					continue
				}
				who := fmt.Sprintf("%s -host %s → %s", c.name, host, srv)
				r := run(t, bin(c.name), "-host", host, "-port", strconv.Itoa(int(port)), "-n", "5")
				checkFortunes(t, who, r, 5)
			}
		}
	}
}

// TestRerequest checks Qt's rule: a fortune equal to the previous one is
// not shown but asked for again, at once.
func TestRerequest(t *testing.T) {
	script := []int{0, 0, 1, 1, 1, 2, 3, 3, 4}
	want := strings.Join([]string{fortuneText(0), fortuneText(1), fortuneText(2), fortuneText(3), fortuneText(4)}, "\n") + "\n"
	for _, c := range clients {
		t.Run(c.name, func(t *testing.T) {
			s := startScripted(t, script, false)
			r := run(t, bin(c.name), "-port", s.portArg(), "-n", "5")
			if r.code != 0 || r.stdout != want {
				t.Fatalf("exit %d, stdout %q, stderr %q; want stdout %q", r.code, r.stdout, r.stderr, want)
			}
			if got := s.conns.Load(); got != int32(len(script)) {
				t.Errorf("%d connections, want %d (one per fortune sent)", got, len(script))
			}
		})
	}
}

// TestSplitFortune sends every fortune in two parts: the read transaction
// must roll back after the first and succeed after the second.
func TestSplitFortune(t *testing.T) {
	for _, c := range clients {
		t.Run(c.name, func(t *testing.T) {
			s := startScripted(t, []int{6, 5}, true)
			r := run(t, bin(c.name), "-port", s.portArg(), "-n", "2")
			want := fortuneText(6) + "\n" + fortuneText(5) + "\n"
			if r.code != 0 || r.stdout != want {
				t.Fatalf("exit %d, stdout %q, stderr %q; want %q", r.code, r.stdout, r.stderr, want)
			}
		})
	}
}

// TestServerClosesEarly: a server that closes without a fortune must end
// the client with status 1, not leave it waiting.
func TestServerClosesEarly(t *testing.T) {
	for _, c := range clients {
		t.Run(c.name, func(t *testing.T) {
			s := startScripted(t, []int{closeEarly}, false)
			r := run(t, bin(c.name), "-port", s.portArg())
			want := c.title + ": The following error occurred: The remote host closed the connection.\n"
			if r.code != 1 || r.stdout != "" || r.stderr != want {
				t.Fatalf("exit %d, stdout %q, stderr %q; want 1, \"\", %q", r.code, r.stdout, r.stderr, want)
			}
		})
	}
}

// TestConnectionRefused checks the exit status and Qt's message.
func TestConnectionRefused(t *testing.T) {
	port := unusedPort(t)
	for _, c := range clients {
		r := run(t, bin(c.name), "-host", "127.0.0.1", "-port", port)
		want := c.title + ": The connection was refused by the peer. Make sure the fortune server is running, " +
			"and check that the host name and port settings are correct.\n"
		if r.code != 1 || r.stderr != want {
			t.Errorf("%s: exit %d, stderr %q; want 1, %q", c.name, r.code, r.stderr, want)
		}
	}
}

// TestUsage: -h prints help and exits 0; a client without -port exits 2.
func TestUsage(t *testing.T) {
	for _, name := range examples {
		r := run(t, bin(name), "-h")
		if r.code != 0 || !strings.Contains(r.stderr, "usage: "+name) || !strings.Contains(r.stderr, "-port") {
			t.Errorf("%s -h: exit %d, stderr %q", name, r.code, r.stderr)
		}
	}
	for _, c := range clients {
		if r := run(t, bin(c.name)); r.code != 2 || !strings.Contains(r.stderr, "-port") {
			t.Errorf("%s without -port: exit %d, stderr %q; want 2 and a word on -port", c.name, r.code, r.stderr)
		}
	}
}

// TestServerSignals: SIGINT and SIGTERM end a server with status 0.
func TestServerSignals(t *testing.T) {
	for _, srv := range []string{"fortuneserver", "threadedfortuneserver"} {
		for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
			p, port := startGoServer(t, srv, "-host", "127.0.0.1")
			if _, err := readAll(t, net.JoinHostPort("127.0.0.1", strconv.Itoa(int(port)))); err != nil {
				t.Fatalf("%s: %v", srv, err)
			}
			if err := p.stop(sig, 5*time.Second); err != nil {
				t.Errorf("%s on %v: %v (want exit status 0); stderr %q", srv, sig, err, p.stderr)
			}
		}
	}
}

// TestListenError: a port in use ends a server with status 1 and Qt's
// message.
func TestListenError(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	for _, srv := range []struct{ name, title string }{
		{"fortuneserver", fortune.ServerTitle},
		{"threadedfortuneserver", fortune.ThreadedServerTitle},
	} {
		r := run(t, bin(srv.name), "-host", "127.0.0.1", "-port", port)
		prefix := srv.title + ": Unable to start the server: "
		if r.code != 1 || !strings.HasPrefix(r.stderr, prefix) || !strings.HasSuffix(r.stderr, ".\n") {
			t.Errorf("%s on a used port: exit %d, stderr %q; want 1, %q….", srv.name, r.code, r.stderr, prefix)
		}
	}
}

// unusedPort returns a port on 127.0.0.1 that nothing listens on.
func unusedPort(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	ln.Close()
	return port
}

// haveIPv6Loopback reports whether ::1 can be listened on.
func haveIPv6Loopback() bool {
	ln, err := net.Listen("tcp6", "[::1]:0")
	if err != nil {
		return false
	}
	ln.Close()
	return true
}
