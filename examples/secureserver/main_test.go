package main

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/qsock/qsock/examples/internal/fortune"
)

// start runs the server with args until the test ends, reads the running
// line for the address, and passes on the lines that follow.
func start(t *testing.T, args ...string) (addr string, rest <-chan string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, append([]string{"-host", "localhost"}, args...), pw, io.Discard)
		pw.Close()
	}()
	t.Cleanup(func() {
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("exit status %d after SIGINT", code)
		}
	})
	out := bufio.NewReader(pr)
	first, err := out.ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 16)
	go func() { // the server must never block on its output
		for {
			line, err := out.ReadString('\n')
			if err != nil {
				return
			}
			select {
			case lines <- line:
			default:
			}
		}
	}()
	i := strings.LastIndex(first, "port: ")
	if !strings.HasPrefix(first, "The server is running on IP: 127.0.0.1 port: ") || i < 0 {
		t.Fatalf("first line %q", first)
	}
	return "127.0.0.1:" + strings.TrimSpace(first[i+len("port: "):]), lines
}

// talk reads the fortune, then checks one line comes back.
func talk(t *testing.T, conn *tls.Conn) {
	t.Helper()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	r := bufio.NewReader(conn)
	line, err := r.ReadString('\n')
	if err != nil || !fortune.IsFortune(strings.TrimSuffix(line, "\n")) {
		t.Fatalf("first line %q (%v), want a fortune", line, err)
	}
	conn.Write([]byte("echo me\n"))
	if line, err := r.ReadString('\n'); line != "echo me\n" {
		t.Fatalf("echo %q (%v)", line, err)
	}
}

func TestSelfSignedFingerprint(t *testing.T) {
	addr, rest := start(t)
	second := <-rest
	fp, ok := strings.CutPrefix(strings.TrimSpace(second), "Self-signed certificate, SHA-256 fingerprint: ")
	if !ok {
		t.Fatalf("second line %q", second)
	}
	conn, err := tls.Dial("tcp", addr, &tls.Config{InsecureSkipVerify: true})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if got := sha256Fingerprint(conn.ConnectionState().PeerCertificates[0]); got != fp {
		t.Errorf("served certificate %s, printed %s", got, fp)
	}
	talk(t, conn)
}

func TestGivenCertificate(t *testing.T) {
	cert, key, err := selfSigned()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	der, _ := x509.MarshalPKCS8PrivateKey(key)
	certFile, keyFile := filepath.Join(dir, "c.pem"), filepath.Join(dir, "k.pem")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw}), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600)
	addr, _ := start(t, "-cert", certFile, "-key", keyFile)
	roots := x509.NewCertPool()
	roots.AddCert(cert)
	conn, err := tls.Dial("tcp", addr, &tls.Config{RootCAs: roots, ServerName: "localhost"})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	talk(t, conn)
}

func TestPlainClientIsDropped(t *testing.T) {
	addr, _ := start(t)
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.Write([]byte("hello?\n"))
	conn.SetReadDeadline(time.Now().Add(3 * time.Second))
	_, err = conn.Read(make([]byte, 1))
	if ne, ok := err.(net.Error); err == nil || ok && ne.Timeout() {
		t.Errorf("a plain-text client was not dropped at once: %v", err)
	}
}

func TestUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
	}{
		{[]string{"-h"}, 0},
		{[]string{"-port", "70000"}, 2},
		{[]string{"-cert", "x.pem"}, 2},
		{[]string{"-host", "nowhere"}, 2},
		{[]string{"-cert", "/nonexistent", "-key", "/nonexistent"}, 1},
	} {
		var stderr strings.Builder
		if code := run(context.Background(), tc.args, io.Discard, &stderr); code != tc.code {
			t.Errorf("%v: exit %d, want %d\n%s", tc.args, code, tc.code, stderr.String())
		}
	}
}
