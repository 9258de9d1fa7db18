package interop

import (
	"bufio"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/qsock/qsock/internal/netnstest"
)

// udpExamples are the datagram examples the UDP interop tests run; they
// are built on first use, apart from the fortune examples of TestMain.
var udpExamples = []string{"broadcastsender", "broadcastreceiver", "multicastsender", "multicastreceiver"}

var (
	udpBuildOnce                      sync.Once
	udpBuildErr                       string
	qtPeerOnce                        sync.Once
	qtPeerPath, qtPeerSkip, qtPeerErr string
)

// udpBin returns the path of a built datagram example.
func udpBin(t *testing.T, name string) string {
	t.Helper()
	udpBuildOnce.Do(func() {
		args := []string{"build", "-o", binDir + string(filepath.Separator)}
		if raceEnabled {
			args = append(args, "-race")
		}
		for _, e := range udpExamples {
			args = append(args, "github.com/qsock/qsock/examples/"+e)
		}
		if out, err := exec.Command("go", args...).CombinedOutput(); err != nil {
			udpBuildErr = fmt.Sprintf("building the datagram examples: %v\n%s", err, out)
		}
	})
	if udpBuildErr != "" {
		t.Fatal(udpBuildErr)
	}
	return bin(name)
}

// qtUDPPeer builds the Qt console datagram peer of qtudppeer/ once per
// test binary, or skips the test when g++, pkg-config or Qt 5's
// development files are missing.
func qtUDPPeer(t *testing.T) string {
	t.Helper()
	qtPeerOnce.Do(func() {
		for _, tool := range []string{"g++", "pkg-config"} {
			if _, err := exec.LookPath(tool); err != nil {
				qtPeerSkip = tool + " is not installed: the Qt datagram peer needs Debian's g++, pkg-config and qtbase5-dev"
				return
			}
		}
		if exec.Command("pkg-config", "--exists", "Qt5Network", "Qt5Core").Run() != nil {
			qtPeerSkip = "Qt5Network is not known to pkg-config: install Debian's qtbase5-dev (with g++ and pkg-config)"
			return
		}
		path := filepath.Join(binDir, "qtudppeer")
		out, err := exec.Command("sh", filepath.Join("qtudppeer", "build.sh"), path).CombinedOutput()
		if err != nil {
			qtPeerErr = "building qtudppeer/qtudppeer.cpp: " + err.Error() + "\n" + string(out)
			return
		}
		qtPeerPath = path
	})
	if qtPeerSkip != "" {
		t.Skip(qtPeerSkip)
	}
	if qtPeerErr != "" {
		t.Fatal(qtPeerErr)
	}
	return qtPeerPath
}

// nsPair is two network namespaces joined by a veth pair: A's v0 is
// 10.77.0.1/24, B's v1 10.77.0.2/24, both up with multicast on, a default
// route and IPv6 link-local addresses — a real link for broadcast and
// multicast, which loopback does not carry between sockets as a network
// does.
type nsPair struct{ a, b string }

// newNSPair creates the namespaces or skips, saying what is missing.
func newNSPair(t *testing.T) nsPair {
	t.Helper()
	a, b := netnstest.Pair(t, "UDP interop")
	return nsPair{a: a, b: b}
}

// receiver is a receiving program running in a namespace.
type receiver struct {
	cmd   *exec.Cmd
	lines chan string
	done  chan error
}

// startReceiver runs path in namespace ns and waits for its first line,
// which must be ready (the socket is bound and has joined).
func startReceiver(t *testing.T, ns, ready, path string, args ...string) *receiver {
	t.Helper()
	cmd := exec.Command("ip", append([]string{"netns", "exec", ns, path}, args...)...)
	cmd.Env = childEnv(nil)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr syncBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	r := &receiver{cmd: cmd, lines: make(chan string, 100), done: make(chan error, 1)}
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			r.lines <- sc.Text()
		}
		io.Copy(io.Discard, stdout)
		close(r.lines)
		r.done <- cmd.Wait()
	}()
	t.Cleanup(func() { cmd.Process.Kill() })
	select {
	case l, ok := <-r.lines:
		if !ok || l != ready {
			t.Fatalf("%s %v: first line %q, want %q; stderr: %s", path, args, l, ready, stderr.String())
		}
	case <-time.After(clientTimeout):
		t.Fatalf("%s %v: not ready after %v; stderr: %s", path, args, clientTimeout, stderr.String())
	}
	return r
}

// collect returns the receiver's remaining lines once it has exited with
// status 0 (it was given -n / N).
func (r *receiver) collect(t *testing.T) []string {
	t.Helper()
	var got []string
	timeout := time.After(clientTimeout)
	for {
		select {
		case l, ok := <-r.lines:
			if !ok {
				if err := <-r.done; err != nil {
					t.Fatalf("receiver: %v; lines %q", err, got)
				}
				return got
			}
			got = append(got, l)
		case <-timeout:
			t.Fatalf("receiver still running after %v; lines so far %q", clientTimeout, got)
		}
	}
}

// sendFrom runs a sending program in namespace ns to completion.
func sendFrom(t *testing.T, ns, path string, args ...string) {
	t.Helper()
	out, err := exec.Command("ip", append([]string{"netns", "exec", ns, path}, args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", filepath.Base(path), args, err, out)
	}
}
