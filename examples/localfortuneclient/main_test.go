package main

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/qsock/qsock/engine"
	"github.com/qsock/qsock/examples/internal/fortune"
	"github.com/qsock/qsock/local"
	"golang.org/x/sys/unix"
)

// These tests run the built localfortuneserver and localfortuneclient, Qt's
// real localfortuneserver (Debian's qtbase5-examples, headless) and a Qt
// console client built from testdata/qtlocalclient, in every combination
// that Qt allows to be driven without clicking. Each test gets its own
// TMPDIR, which moves the "fortune" name of every program, Qt's included.

var binDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "qsock-localfortune-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binDir = dir
	args := []string{"build", "-o", dir + "/"}
	if raceEnabled {
		args = append(args, "-race")
	}
	args = append(args, "github.com/qsock/qsock/examples/localfortuneserver", "github.com/qsock/qsock/examples/localfortuneclient")
	if out, err := exec.Command("go", args...).CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building the examples: %v\n%s", err, out)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func bin(name string) string { return filepath.Join(binDir, name) }

// env is the environment of a program under test: TMPDIR moved to dir.
func env(dir string) []string {
	return append(os.Environ(), "TMPDIR="+dir, "XDG_RUNTIME_DIR="+dir, "QT_QPA_PLATFORM=offscreen")
}

// startGoServer runs localfortuneserver and returns the path from its first
// line. At the end it sends SIGTERM and checks that it exits 0 and removes
// its file.
func startGoServer(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin("localfortuneserver"), args...)
	cmd.Env = env(dir)
	stdout, _ := cmd.StdoutPipe()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		sc.Scan()
		line <- sc.Text()
		for sc.Scan() {
		}
	}()
	var path string
	select {
	case l := <-line:
		p, ok := strings.CutPrefix(l, "The server is running on ")
		if !ok {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("first line %q; stderr %s", l, stderr.String())
		}
		path = p
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatal("localfortuneserver printed nothing in 10 s")
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		if err := cmd.Wait(); err != nil {
			t.Errorf("localfortuneserver exit: %v; stderr %s", err, stderr.String())
		}
		if _, err := os.Lstat(path); !os.IsNotExist(err) {
			t.Errorf("localfortuneserver left %s behind", path)
		}
	})
	return path
}

// qtServer runs Qt's localfortuneserver headless in dir, or skips.
func qtServer(t *testing.T, dir string) string {
	t.Helper()
	exe := ""
	matches, _ := filepath.Glob("/usr/lib/*/qt5/examples/corelib/ipc/localfortuneserver/localfortuneserver")
	for _, m := range matches {
		if fi, err := os.Stat(m); err == nil && fi.Mode()&0o111 != 0 {
			exe = m
		}
	}
	if exe == "" {
		t.Skip("Qt's localfortuneserver is not installed: install Debian's qtbase5-examples (apt-get install qtbase5-examples)")
	}
	cmd := exec.Command(exe)
	cmd.Env = env(dir)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	path := dir + "/fortune"
	t.Cleanup(func() {
		cmd.Process.Kill() // by its PID only
		cmd.Wait()
		os.Remove(path) // Qt leaves its socket file behind when killed
	})
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		c := local.NewSocket(nil)
		c.ConnectToServer(path)
		up := c.State() == local.ConnectedState
		c.Abort()
		if up {
			return path
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("Qt's localfortuneserver is not listening on %s after 10 s; stderr: %s", path, stderr.String())
	return ""
}

// qtClient builds the Qt console client, or skips.
func qtClient(t *testing.T) string {
	t.Helper()
	for _, tool := range []string{"g++", "pkg-config"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is missing: the Qt local client needs g++, pkg-config and qtbase5-dev (apt-get install g++ pkg-config qtbase5-dev)", tool)
		}
	}
	if err := exec.Command("pkg-config", "--exists", "Qt5Network").Run(); err != nil {
		t.Skip("Qt 5 development files are missing: apt-get install qtbase5-dev")
	}
	out := filepath.Join(t.TempDir(), "qtlocalfortuneclient")
	if b, err := exec.Command("sh", "testdata/qtlocalclient/build.sh", out).CombinedOutput(); err != nil {
		t.Fatalf("building the Qt client: %v\n%s", err, b)
	}
	return out
}

// run runs a program and returns stdout, stderr and the exit code.
func run(t *testing.T, dir string, exe string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(exe, args...)
	cmd.Env = env(dir)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	timer := time.AfterFunc(30*time.Second, func() { cmd.Process.Kill() })
	defer timer.Stop()
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return stdout.String(), stderr.String(), code
}

// checkFortunes checks n lines, each a fortune, none equal to the one
// before.
func checkFortunes(t *testing.T, out string, n int) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != n {
		t.Fatalf("%d lines, want %d: %q", len(lines), n, out)
	}
	for i, l := range lines {
		if !fortune.IsFortune(l) {
			t.Fatalf("line %d is no fortune: %q", i, l)
		}
		if i > 0 && l == lines[i-1] {
			t.Fatalf("line %d repeats the one before: %q", i, l)
		}
	}
}

func TestGoClientGoServer(t *testing.T) {
	dir := t.TempDir()
	path := startGoServer(t, dir)
	if path != dir+"/fortune" {
		t.Fatalf("server path %q, want %s/fortune", path, dir)
	}
	out, errOut, code := run(t, dir, bin("localfortuneclient"), "-n", "10")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	checkFortunes(t, out, 10)
	// -name with an absolute path.
	abs := filepath.Join(t.TempDir(), "other")
	startGoServer(t, dir, "-name", abs)
	out, errOut, code = run(t, dir, bin("localfortuneclient"), "-name", abs)
	if code != 0 {
		t.Fatalf("absolute name: exit %d: %s", code, errOut)
	}
	checkFortunes(t, out, 1)
}

func TestGoClientQtServer(t *testing.T) {
	dir := t.TempDir()
	qtServer(t, dir)
	out, errOut, code := run(t, dir, bin("localfortuneclient"), "-n", "10")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	checkFortunes(t, out, 10)
}

func TestQtClientGoServer(t *testing.T) {
	qc := qtClient(t)
	dir := t.TempDir()
	startGoServer(t, dir)
	out, errOut, code := run(t, dir, qc, "fortune", "10")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	checkFortunes(t, out, 10)
}

// readAll connects to path and reads until the server closes.
func readAll(t *testing.T, path string) []byte {
	t.Helper()
	c := local.NewSocket(nil)
	c.ConnectToServer(path)
	if c.State() != local.ConnectedState {
		t.Fatalf("connect %s: %s", path, c.ErrorString())
	}
	var b []byte
	for c.State() != local.UnconnectedState {
		c.WaitForReadyRead(5 * time.Second)
		b = append(b, c.ReadAll()...)
	}
	return append(b, c.ReadAll()...)
}

// checkWire checks one reply: quint32 character count, then a QString
// (quint32 byte length, UTF-16BE), nothing else.
func checkWire(t *testing.T, b []byte) string {
	t.Helper()
	if len(b) < 8 {
		t.Fatalf("reply of %d bytes", len(b))
	}
	count, blen := binary.BigEndian.Uint32(b), binary.BigEndian.Uint32(b[4:])
	if int(blen) != len(b)-8 || blen != 2*count {
		t.Fatalf("count %d, byte length %d, reply %d bytes", count, blen, len(b))
	}
	u := make([]uint16, count)
	for i := range u {
		u[i] = binary.BigEndian.Uint16(b[8+2*i:])
	}
	s := string(utf16.Decode(u))
	if !fortune.IsFortune(s) {
		t.Fatalf("not a fortune: %q", s)
	}
	return s
}

// Both servers send byte-identical replies for the same fortune.
func TestWireFormat(t *testing.T) {
	dir := t.TempDir()
	ours := map[string][]byte{}
	path := startGoServer(t, dir, "-name", "ours")
	for i := 0; i < 60 && len(ours) < len(fortune.Fortunes); i++ {
		b := readAll(t, path)
		ours[checkWire(t, b)] = b
	}
	qdir := t.TempDir()
	qpath := qtServer(t, qdir)
	for i := 0; i < 30; i++ {
		b := readAll(t, qpath)
		s := checkWire(t, b)
		if o, ok := ours[s]; ok && !bytes.Equal(o, b) {
			t.Fatalf("%q: ours % x, Qt's % x", s, o, b)
		}
	}
}

func TestClientErrors(t *testing.T) {
	dir := t.TempDir()
	_, errOut, code := run(t, dir, bin("localfortuneclient"))
	if code != 1 || errOut != "Local Fortune Client: The host was not found. Please make sure that the server is running and that the server name is correct.\n" {
		t.Fatalf("no server: exit %d, %q", code, errOut)
	}
	staleFile(t, dir+"/fortune")
	_, errOut, code = run(t, dir, bin("localfortuneclient"))
	if code != 1 || errOut != "Local Fortune Client: The connection was refused by the peer. Make sure the fortune server is running, and check that the server name is correct.\n" {
		t.Fatalf("stale file: exit %d, %q", code, errOut)
	}
}

// staleFile leaves a socket file nobody listens on, as a killed server does.
func staleFile(t *testing.T, path string) {
	t.Helper()
	e, err := engine.NewNativeEngine(unix.AF_UNIX, unix.SOCK_STREAM)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	if err := e.BindPath(path); err != nil {
		t.Fatal(err)
	}
}

func TestServerStaleFile(t *testing.T) {
	dir := t.TempDir()
	staleFile(t, dir+"/fortune")
	out, errOut, code := run(t, dir, bin("localfortuneserver"))
	if code != 1 || out != "" || errOut != "Local Fortune Server: Unable to start the server: QLocalServer::listen: Address in use.\n" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if _, err := os.Lstat(dir + "/fortune"); err != nil {
		t.Fatalf("the stale file was removed: %v", err)
	}
}

func TestUsage(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		exe  string
		args []string
		code int
		want string
	}{
		{"localfortuneserver", []string{"-h"}, 0, "usage: localfortuneserver [-name fortune]"},
		{"localfortuneclient", []string{"-h"}, 0, "usage: localfortuneclient [-name fortune] [-n count]"},
		{"localfortuneserver", []string{"-bogus"}, 2, "flag provided but not defined: -bogus"},
		{"localfortuneclient", []string{"-n", "0"}, 2, "-n 0: need at least 1"},
		{"localfortuneclient", []string{"-name", ""}, 2, "-name must not be empty"},
	} {
		_, errOut, code := run(t, dir, bin(c.exe), c.args...)
		if code != c.code || !strings.Contains(errOut, c.want) {
			t.Errorf("%s %v: exit %d, stderr %q", c.exe, c.args, code, errOut)
		}
	}
}
