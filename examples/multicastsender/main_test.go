package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// The multicast end-to-end test, with this sender, lives with
// multicastreceiver (it needs both programs in two network namespaces).

func TestMain(m *testing.M) {
	if args, ok := os.LookupEnv("QSOCK_EXAMPLE_MAIN"); ok {
		os.Args = append([]string{"multicastsender"}, strings.Fields(args)...)
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func TestUsage(t *testing.T) {
	for _, tc := range []struct {
		args string
		code int
	}{
		{"-h", 0},
		{"-ttl 300", 2},
		{"-group6 239.1.1.1", 2},
		{"-iface no-such-interface", 2},
	} {
		cmd := exec.Command(os.Args[0])
		cmd.Env = append(os.Environ(), "QSOCK_EXAMPLE_MAIN="+tc.args)
		out, _ := cmd.CombinedOutput()
		if cmd.ProcessState.ExitCode() != tc.code || !strings.Contains(string(out), "usage: multicastsender") {
			t.Errorf("%s: exit %d, want %d\n%s", tc.args, cmd.ProcessState.ExitCode(), tc.code, out)
		}
	}
}

func TestParseGroup(t *testing.T) {
	if _, err := parseGroup("ff12::2115", false); err != nil {
		t.Error(err)
	}
	if _, err := parseGroup("ff12::2115", true); err == nil {
		t.Error("IPv6 group accepted as IPv4")
	}
}
