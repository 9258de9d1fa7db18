package interop

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// qtExample returns the path of one of Qt's network examples from Debian's
// qtbase5-examples, or skips the test.
func qtExample(t *testing.T, name string) string {
	t.Helper()
	suffix := "/network/" + name + "/" + name
	if out, err := exec.Command("dpkg", "-L", "qtbase5-examples").Output(); err == nil {
		for _, line := range strings.Split(string(out), "\n") {
			if strings.HasSuffix(line, suffix) && isExecutable(line) {
				return line
			}
		}
	}
	matches, _ := filepath.Glob("/usr/lib/*/qt5/examples" + suffix)
	for _, m := range matches {
		if isExecutable(m) {
			return m
		}
	}
	t.Skipf("Qt's %s example is not installed: install Debian's qtbase5-examples (apt-get install qtbase5-examples)", name)
	return ""
}

func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0
}

// startQtServer starts Qt's fortuneserver or threadedfortuneserver headless
// and returns the port it listens on, found with ss by its PID (Qt's servers
// print nothing; their dialog shows the port).
func startQtServer(t *testing.T, name string) uint16 {
	t.Helper()
	path := qtExample(t, name)
	if _, err := exec.LookPath("ss"); err != nil {
		t.Skip("ss is not installed (Debian's iproute2): it finds the port of Qt's server")
	}
	env := []string{"QT_QPA_PLATFORM=offscreen", "XDG_RUNTIME_DIR=" + t.TempDir()}
	p, stdout := start(t, env, path)
	go func() { // drain
		var b [512]byte
		for {
			if _, err := stdout.Read(b[:]); err != nil {
				return
			}
		}
	}()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-p.done:
			t.Fatalf("Qt's %s exited: %v; stderr: %s", name, p.err, p.stderr)
		default:
		}
		if port := listeningPort(t, p.pid()); port != 0 {
			return port
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("Qt's %s (pid %d) is not listening after 10 s; stderr: %s", name, p.pid(), p.stderr)
	return 0
}

// listeningPort returns the TCP port pid listens on according to ss, or 0.
func listeningPort(t *testing.T, pid int) uint16 {
	out, err := exec.Command("ss", "-Hltnp").Output()
	if err != nil {
		t.Fatalf("ss -Hltnp: %v", err)
	}
	tag := "pid=" + strconv.Itoa(pid) + ","
	for _, line := range strings.Split(string(out), "\n") {
		if !strings.Contains(line, tag) {
			continue
		}
		// State Recv-Q Send-Q Local:Port Peer:Port Process, e.g. "*:37519".
		f := strings.Fields(line)
		if len(f) < 4 {
			continue
		}
		local := f[3]
		if p, err := strconv.ParseUint(local[strings.LastIndexByte(local, ':')+1:], 10, 16); err == nil {
			return uint16(p)
		}
	}
	return 0
}

// qtClient builds the Qt console fortune client of qtclient/ once per test
// binary, or skips the test when g++, pkg-config or Qt 5's development files
// are missing.
func qtClient(t *testing.T) string {
	t.Helper()
	qtClientOnce.Do(buildQtClient)
	if qtClientSkip != "" {
		t.Skip(qtClientSkip)
	}
	if qtClientErr != "" {
		t.Fatal(qtClientErr)
	}
	return qtClientPath
}

var (
	qtClientOnce                            sync.Once
	qtClientPath, qtClientSkip, qtClientErr string
)

func buildQtClient() {
	for _, tool := range []string{"g++", "pkg-config"} {
		if _, err := exec.LookPath(tool); err != nil {
			qtClientSkip = tool + " is not installed: the Qt fortune client needs Debian's g++, pkg-config and qtbase5-dev"
			return
		}
	}
	if exec.Command("pkg-config", "--exists", "Qt5Network", "Qt5Core").Run() != nil {
		qtClientSkip = "Qt5Network is not known to pkg-config: install Debian's qtbase5-dev (with g++ and pkg-config)"
		return
	}
	path := filepath.Join(binDir, "qtfortuneclient")
	out, err := exec.Command("sh", filepath.Join("qtclient", "build.sh"), path).CombinedOutput()
	if err != nil {
		qtClientErr = "building qtclient/qtfortuneclient.cpp: " + err.Error() + "\n" + string(out)
		return
	}
	qtClientPath = path
}
