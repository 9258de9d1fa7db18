package main

import (
	"bufio"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestMain(m *testing.M) {
	if args, ok := os.LookupEnv("QSOCK_EXAMPLE_MAIN"); ok {
		os.Args = append([]string{"broadcastreceiver"}, strings.Fields(args)...)
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

func freePort(t *testing.T) int {
	c, err := net.ListenUDP("udp", &net.UDPAddr{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	return c.LocalAddr().(*net.UDPAddr).Port
}

// Datagrams in Qt's broadcastsender format (what its writeDatagram puts on
// the wire: the bare ASCII text) are printed one per line with the sender,
// over IPv4 and IPv6, and -n ends the program with status 0.
func TestPrintsQtDatagrams(t *testing.T) {
	port := freePort(t)
	cmd := program("-port", strconv.Itoa(port), "-n", "3")
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	lines := bufio.NewScanner(stdout)
	if !lines.Scan() || lines.Text() != "Listening for broadcasted messages" {
		t.Fatalf("first line %q", lines.Text())
	}
	var want []string
	for i, network := range []string{"udp4", "udp6", "udp4"} {
		host := map[string]string{"udp4": "127.0.0.1", "udp6": "::1"}[network]
		c, err := net.Dial(network, net.JoinHostPort(host, strconv.Itoa(port)))
		if err != nil {
			t.Skip(err)
		}
		payload := "Broadcast message " + strconv.Itoa(i+1)
		c.Write([]byte(payload))
		want = append(want, `Received datagram: "`+payload+`" from `+c.LocalAddr().String())
		c.Close()
	}
	for _, w := range want {
		if !lines.Scan() {
			t.Fatalf("output ended before %q", w)
		}
		if lines.Text() != w {
			t.Errorf("line %q, want %q", lines.Text(), w)
		}
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("exit: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("still running after -n datagrams")
	}
}

// A port another exclusive socket holds: exit status 1 with the error.
func TestBindFailure(t *testing.T) {
	c, err := net.ListenUDP("udp", &net.UDPAddr{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	out, err := program("-port", strconv.Itoa(c.LocalAddr().(*net.UDPAddr).Port)).CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 || !strings.Contains(string(out), "Broadcast Receiver:") {
		t.Fatalf("bind on a taken port: %v\n%s", err, out)
	}
}
