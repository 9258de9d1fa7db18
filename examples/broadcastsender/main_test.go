package main

import (
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestMain lets the tests run this program: the test binary re-executes
// itself as broadcastsender when QSOCK_EXAMPLE_MAIN is set.
func TestMain(m *testing.M) {
	if args, ok := os.LookupEnv("QSOCK_EXAMPLE_MAIN"); ok {
		os.Args = append([]string{"broadcastsender"}, strings.Fields(args)...)
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func program(args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "QSOCK_EXAMPLE_MAIN="+strings.Join(args, " "))
	return cmd
}

// The datagrams are Qt's, byte for byte: "Broadcast message N" from 1, no
// terminator, all from one auto-bound port.
func TestSendsQtPayloads(t *testing.T) {
	c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	port := c.LocalAddr().(*net.UDPAddr).Port
	out, err := program("-addr", "127.0.0.1", "-port", strconv.Itoa(port), "-n", "3", "-interval", "10ms").CombinedOutput()
	if err != nil {
		t.Fatalf("broadcastsender: %v\n%s", err, out)
	}
	if want := "Now broadcasting datagram 1\nNow broadcasting datagram 2\nNow broadcasting datagram 3\n"; string(out) != want {
		t.Errorf("output %q, want %q", out, want)
	}
	buf := make([]byte, 100)
	var from int
	for i := 1; i <= 3; i++ {
		c.SetReadDeadline(time.Now().Add(5 * time.Second))
		n, ap, err := c.ReadFromUDPAddrPort(buf)
		if err != nil {
			t.Fatal(err)
		}
		if want := "Broadcast message " + strconv.Itoa(i); string(buf[:n]) != want {
			t.Errorf("datagram %d = %q, want %q", i, buf[:n], want)
		}
		if from != 0 && int(ap.Port()) != from {
			t.Errorf("datagram %d from port %d, earlier ones from %d", i, ap.Port(), from)
		}
		from = int(ap.Port())
	}
}

func TestUsage(t *testing.T) {
	out, err := program("-h").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "usage: broadcastsender") {
		t.Fatalf("-h: %v\n%s", err, out)
	}
	cmd := program("-addr", "nowhere")
	if err := cmd.Run(); cmd.ProcessState.ExitCode() != 2 {
		t.Fatalf("bad -addr: %v, want exit status 2", err)
	}
}
