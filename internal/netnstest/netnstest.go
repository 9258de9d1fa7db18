// Package netnstest builds the network namespaces the broadcast and
// multicast tests send across: two namespaces joined by a veth pair.
package netnstest

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// Addresses of the two ends of a Pair.
const (
	AddrA = "10.77.0.1" // v0, in namespace A
	AddrB = "10.77.0.2" // v1, in namespace B
)

var serial atomic.Int64

// Pair creates namespaces A (v0, 10.77.0.1/24) and B (v1, 10.77.0.2/24)
// joined by a veth pair with multicast on and a default route on each
// side, and removes them when the test ends. It skips, saying what is
// missing and what for, where that cannot be done (not root, no ip(8)).
// It returns once both ends have a usable IPv6 link-local address: the
// kernel adds it from a work queue after the carrier comes up, and IPv6
// multicast sent before then fails with EADDRNOTAVAIL.
func Pair(t testing.TB, what string) (a, b string) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skipf("%s crosses network namespaces, which needs root (CI runs it as root)", what)
	}
	if _, err := exec.LookPath("ip"); err != nil {
		t.Skipf("%s needs ip(8) to create network namespaces: apt-get install iproute2", what)
	}
	id := fmt.Sprintf("qs%d_%d", os.Getpid()%100000, serial.Add(1))
	a, b = id+"a", id+"b"
	for _, ns := range []string{a, b} {
		if err := ip("netns", "add", ns); err != nil {
			t.Skipf("cannot create a network namespace here: %v", err)
		}
		t.Cleanup(func() { ip("netns", "del", ns) })
		// No duplicate address detection: addresses are usable at once.
		exec.Command("ip", "netns", "exec", ns, "sysctl", "-qw",
			"net.ipv6.conf.all.accept_dad=0", "net.ipv6.conf.default.accept_dad=0").Run()
	}
	for _, s := range [][]string{
		{"-n", a, "link", "set", "lo", "up"},
		{"-n", b, "link", "set", "lo", "up"},
		{"-n", a, "link", "add", "v0", "type", "veth", "peer", "name", "v1", "netns", b},
		{"-n", a, "addr", "add", AddrA + "/24", "dev", "v0"},
		{"-n", b, "addr", "add", AddrB + "/24", "dev", "v1"},
		{"-n", a, "link", "set", "v0", "up", "multicast", "on"},
		{"-n", b, "link", "set", "v1", "up", "multicast", "on"},
		{"-n", a, "route", "add", "default", "dev", "v0"},
		{"-n", b, "route", "add", "default", "dev", "v1"},
	} {
		if err := ip(s...); err != nil {
			t.Skipf("cannot set up a veth pair between namespaces here: %v", err)
		}
	}
	for _, end := range [][2]string{{a, "v0"}, {b, "v1"}} {
		deadline := time.Now().Add(10 * time.Second)
		for {
			out, _ := exec.Command("ip", "-n", end[0], "-6", "addr", "show", "dev", end[1], "scope", "link").Output()
			if strings.Contains(string(out), "fe80::") && !strings.Contains(string(out), "tentative") {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s in %s has no usable IPv6 link-local address:\n%s", end[1], end[0], out)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	return a, b
}

func ip(args ...string) error {
	out, err := exec.Command("ip", args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("ip %s: %v: %s", strings.Join(args, " "), err, out)
	}
	return nil
}
