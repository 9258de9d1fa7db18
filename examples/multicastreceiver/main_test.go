package main

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/qsock/qsock/internal/netnstest"
)

func TestMain(m *testing.M) {
	if args, ok := os.LookupEnv("QSOCK_EXAMPLE_MAIN"); ok {
		os.Args = append([]string{"multicastreceiver"}, strings.Fields(args)...)
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// netnsPair makes namespaces A (v0, 10.77.0.1) and B (v1, 10.77.0.2)
// joined by a veth pair, or skips saying why.
func netnsPair(t *testing.T) (a, b string) {
	return netnstest.Pair(t, "multicast end to end")
}

// This module's multicastsender in one namespace, this receiver in the
// other: both groups arrive, IPv4 through readDatagram and IPv6 through
// receiveDatagram with its sender, in Qt's label texts.
func TestMulticastEndToEnd(t *testing.T) {
	a, b := netnsPair(t)
	sender := filepath.Join(t.TempDir(), "multicastsender")
	if out, err := exec.Command("go", "build", "-o", sender, "../multicastsender").CombinedOutput(); err != nil {
		t.Fatalf("building multicastsender: %v\n%s", err, out)
	}
	recv := exec.Command("ip", "netns", "exec", b, os.Args[0])
	recv.Env = append(os.Environ(), "QSOCK_EXAMPLE_MAIN=-n 4 -iface v1")
	stdout, _ := recv.StdoutPipe()
	recv.Stderr = os.Stderr
	if err := recv.Start(); err != nil {
		t.Fatal(err)
	}
	defer recv.Process.Kill()
	lines := bufio.NewScanner(stdout)
	if !lines.Scan() || lines.Text() != "Listening for multicast messages on both IPv4 and IPv6" {
		t.Fatalf("first line %q", lines.Text())
	}
	out, err := exec.Command("ip", "netns", "exec", a, sender, "-n", "2", "-interval", "20ms", "-iface", "v0").CombinedOutput()
	if err != nil {
		t.Fatalf("multicastsender: %v\n%s", err, out)
	}
	var got []string
	done := make(chan error, 1)
	go func() {
		for lines.Scan() {
			got = append(got, lines.Text())
		}
		done <- recv.Wait()
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("receiver: %v", err)
		}
	case <-time.After(10 * time.Second):
		recv.Process.Kill()
		<-done
		t.Fatalf("receiver still running 10 s after the sender finished (a datagram lost or not announced); it printed:\n%s", strings.Join(got, "\n"))
	}
	var v4, v6 int
	for _, l := range got {
		switch {
		case strings.HasPrefix(l, `Received IPv4 datagram: "Multicast message `) && strings.Contains(l, `" from 10.77.0.1:`):
			v4++
		case strings.HasPrefix(l, "Received IPv6 datagram from [fe80::") && strings.Contains(l, `]:`) && strings.Contains(l, `: "Multicast message `):
			v6++
		default:
			t.Errorf("unexpected line %q", l)
		}
	}
	if v4 != 2 || v6 != 2 {
		t.Fatalf("got %d IPv4 and %d IPv6 lines, want 2 each:\n%s", v4, v6, strings.Join(got, "\n"))
	}
}

func TestUsage(t *testing.T) {
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "QSOCK_EXAMPLE_MAIN=-h")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "usage: multicastreceiver") {
		t.Fatalf("-h: %v\n%s", err, out)
	}
	cmd = exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "QSOCK_EXAMPLE_MAIN=-group4 10.0.0.1")
	if err := cmd.Run(); cmd.ProcessState.ExitCode() != 2 {
		t.Fatalf("-group4 unicast: %v, want exit status 2", err)
	}
}
