package sockettest

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The credentials the authenticating proxies accept.
const (
	ProxyUser     = "qsock"
	ProxyPassword = "secret"
)

// proxyUserShadow is ProxyPassword as crypt(3) SHA-512 with a fixed salt
// (openssl passwd -6 -salt qsocktest secret), for Dante's system-password
// check.
const proxyUserShadow = "$6$qsocktest$J.9usIZYnVRkZk5ZNCvtfpFYf9Atv19c81pQsUfC3jI.0l0NoLRW6hd0T1BorY/Cht5NUnNwBHEly9hpYr08k/"

// FreePort returns a loopback TCP port nobody listens on at the moment.
func FreePort(t testing.TB) uint16 {
	t.Helper()
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return uint16(ln.Addr().(*net.TCPAddr).Port)
}

func lookBin(names ...string) string {
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
		for _, dir := range []string{"/usr/sbin", "/usr/bin", "/sbin"} {
			if p := filepath.Join(dir, n); isExec(p) {
				return p
			}
		}
	}
	return ""
}

func isExec(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0
}

// StartDante runs Dante's SOCKS5 server (danted) on a free loopback port
// for the length of the test and returns the port. With auth it accepts
// only RFC 1929 user name and password authentication, as ProxyUser with
// ProxyPassword: Dante checks the system's password database, so the
// server runs in a mount namespace of its own where /etc/passwd and
// /etc/shadow are replaced by files holding that user (root and unshare
// are needed for that). The test is skipped, saying how to get it, when
// Dante is not installed.
func StartDante(t testing.TB, auth bool) uint16 {
	t.Helper()
	bin := lookBin("danted", "sockd")
	if bin == "" {
		t.Skip("Dante's SOCKS5 server is not installed: apt-get install dante-server")
	}
	root := os.Geteuid() == 0
	if auth && !root {
		t.Skip("the authenticating Dante server needs root (a private /etc/shadow in a mount namespace)")
	}
	dir := t.TempDir()
	port := FreePort(t)
	method := "none"
	if auth {
		method = "username"
	}
	var conf strings.Builder
	fmt.Fprintf(&conf, "logoutput: %s\n", filepath.Join(dir, "danted.log"))
	fmt.Fprintf(&conf, "internal: 127.0.0.1 port = %d\n", port)
	conf.WriteString("external: 127.0.0.1\nclientmethod: none\n")
	fmt.Fprintf(&conf, "socksmethod: %s\n", method)
	if root {
		conf.WriteString("user.privileged: root\nuser.unprivileged: nobody\n")
	}
	conf.WriteString("client pass { from: 0.0.0.0/0 to: 0.0.0.0/0 }\n")
	conf.WriteString("socks pass { from: 0.0.0.0/0 to: 0.0.0.0/0 }\n")
	confPath := filepath.Join(dir, "danted.conf")
	writeFile(t, confPath, conf.String())
	args := []string{bin, "-f", confPath, "-N", "1", "-p", filepath.Join(dir, "danted.pid")}
	if auth {
		unshare := lookBin("unshare")
		if unshare == "" {
			t.Skip("unshare is missing: apt-get install util-linux")
		}
		passwd := filepath.Join(dir, "passwd")
		shadow := filepath.Join(dir, "shadow")
		writeFile(t, passwd, "root:x:0:0:root:/root:/bin/sh\n"+
			"nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"+
			ProxyUser+":x:4242:4242::/nonexistent:/usr/sbin/nologin\n")
		writeFile(t, shadow, "root:*:19000:0:99999:7:::\nnobody:*:19000:0:99999:7:::\n"+
			ProxyUser+":"+proxyUserShadow+":19000:0:99999:7:::\n")
		script := fmt.Sprintf("mount --bind %s /etc/passwd && mount --bind %s /etc/shadow && exec %s",
			passwd, shadow, strings.Join(args, " "))
		args = []string{unshare, "--mount", "sh", "-c", script}
	}
	startServer(t, "danted", args, port, filepath.Join(dir, "danted.log"))
	return port
}

// StartTinyproxy runs tinyproxy, an HTTP proxy that tunnels with CONNECT,
// on a free loopback port for the length of the test and returns the
// port. With auth it requires Basic authentication as ProxyUser with
// ProxyPassword. The test is skipped, saying how to get it, when tinyproxy
// is not installed.
func StartTinyproxy(t testing.TB, auth bool) uint16 {
	t.Helper()
	bin := lookBin("tinyproxy")
	if bin == "" {
		t.Skip("tinyproxy is not installed: apt-get install tinyproxy")
	}
	dir := t.TempDir()
	port := FreePort(t)
	logPath := filepath.Join(dir, "tinyproxy.log")
	conf := fmt.Sprintf("Port %d\nListen 127.0.0.1\nTimeout 60\nLogFile \"%s\"\nLogLevel Info\nMaxClients 50\n", port, logPath)
	if auth {
		conf += "BasicAuth " + ProxyUser + " " + ProxyPassword + "\n"
	}
	confPath := filepath.Join(dir, "tinyproxy.conf")
	writeFile(t, confPath, conf)
	startServer(t, "tinyproxy", []string{bin, "-d", "-c", confPath}, port, logPath)
	return port
}

func writeFile(t testing.TB, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// startServer runs args in a process group of its own, waits until port
// accepts connections, and stops the group when the test ends. A watchdog
// shell stops the group too once its standard input, a pipe from this
// process, closes: a test binary that dies without running its cleanup (a
// panic, a -timeout) leaves no server behind. (The kernel's parent-death
// signal would not do: Dante changes its user, which clears it.)
func startServer(t testing.TB, name string, args []string, port uint16, logPath string) {
	t.Helper()
	cmd := exec.Command(args[0], args[1:]...)
	out := new(lockedBuffer)
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	pgid := cmd.Process.Pid
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	watchdog := exec.Command("/bin/sh", "-c", `read -r _; kill -TERM -"$1" 2>/dev/null`, "sh", strconv.Itoa(pgid))
	lifeline, err := watchdog.StdinPipe()
	if err == nil {
		err = watchdog.Start()
	}
	if err != nil {
		syscall.Kill(-pgid, syscall.SIGKILL)
		<-exited
		t.Fatalf("%s watchdog: %v", name, err)
	}
	t.Cleanup(func() {
		syscall.Kill(-pgid, syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(5 * time.Second):
			syscall.Kill(-pgid, syscall.SIGKILL)
			<-exited
		}
		lifeline.Close()
		watchdog.Wait()
	})
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.DialTimeout("tcp4", addr, time.Second)
		if err == nil {
			c.Close()
			return
		}
		select {
		case <-exited:
			log, _ := os.ReadFile(logPath)
			t.Fatalf("%s exited at start: %s\n%s", name, out.String(), log)
		default:
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(logPath)
			t.Fatalf("%s did not listen on %s: %s\n%s", name, addr, out.String(), log)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// lockedBuffer collects a server's output from os/exec's goroutine.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// EchoServer is a loopback TCP server that echoes what it receives, for
// the length of the test; it returns the port. It copies through a buffer
// of its own: io.Copy between TCP connections would splice through pipes
// that Go keeps pooled, which a descriptor count would take for a leak.
func EchoServer(t testing.TB) uint16 {
	t.Helper()
	return Serve(t, func(c net.Conn) {
		buf := make([]byte, 4096)
		for {
			n, err := c.Read(buf)
			if n > 0 {
				if _, err := c.Write(buf[:n]); err != nil {
					return
				}
			}
			if err != nil {
				return
			}
		}
	})
}

// Serve runs handle for every connection to a loopback listener for the
// length of the test (the connection is closed when handle returns) and
// returns the port. Tests use it for peers that misbehave on purpose.
func Serve(t testing.TB, handle func(c net.Conn)) uint16 {
	t.Helper()
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			wg.Add(1)
			go func() { defer wg.Done(); defer c.Close(); handle(c) }()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	return uint16(ln.Addr().(*net.TCPAddr).Port)
}
