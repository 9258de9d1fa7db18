package sslsock_test

import (
	"bufio"
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// needOpenSSL returns the openssl command, or skips the test.
func needOpenSSL(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("openssl")
	if err != nil {
		t.Skip("openssl not found: the interop tests need the openssl command (Debian package openssl)")
	}
	return path
}

// pemFiles writes id's certificate and key to dir as PEM, for openssl.
func pemFiles(t *testing.T, dir, name string, id identity) (certFile, keyFile string) {
	t.Helper()
	certFile = filepath.Join(dir, name+".crt")
	keyFile = filepath.Join(dir, name+".key")
	der, err := x509.MarshalPKCS8PrivateKey(id.key)
	if err != nil {
		t.Fatal(err)
	}
	writePEM(t, certFile, "CERTIFICATE", id.cert.Raw)
	writePEM(t, keyFile, "PRIVATE KEY", der)
	return certFile, keyFile
}

func writePEM(t *testing.T, file, typ string, der []byte) {
	t.Helper()
	if err := os.WriteFile(file, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
}

// proc is a running openssl command whose output is collected.
type proc struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	mu    sync.Mutex
	out   bytes.Buffer
	lines chan string
	done  chan struct{}
}

// startOpenSSL runs openssl with args; the process is killed when the
// test ends.
func startOpenSSL(t *testing.T, bin string, args ...string) *proc {
	t.Helper()
	p := &proc{cmd: exec.Command(bin, args...), lines: make(chan string, 64), done: make(chan struct{})}
	stdout, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	p.cmd.Stderr = p.cmd.Stdout // one stream, in order
	if p.stdin, err = p.cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		defer close(p.done)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			p.mu.Lock()
			p.out.WriteString(sc.Text() + "\n")
			p.mu.Unlock()
			select {
			case p.lines <- sc.Text():
			default:
			}
		}
	}()
	t.Cleanup(func() {
		p.stdin.Close()
		p.cmd.Process.Kill()
		<-p.done
		p.cmd.Wait()
	})
	return p
}

// output returns what the command printed so far.
func (p *proc) output() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.out.String()
}

// waitFor waits until the output matches re and returns the match's
// first group.
func (p *proc) waitFor(t *testing.T, re string) string {
	t.Helper()
	rx := regexp.MustCompile(re)
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if m := rx.FindStringSubmatch(p.output()); m != nil {
			if len(m) > 1 {
				return m[1]
			}
			return m[0]
		}
		select {
		case <-p.lines:
		case <-p.done:
			if m := rx.FindStringSubmatch(p.output()); m != nil {
				return m[len(m)-1]
			}
			t.Fatalf("openssl ended without %q:\n%s", re, p.output())
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Fatalf("timed out waiting for %q in openssl's output:\n%s", re, p.output())
	return ""
}

// wait waits for the command to end by itself.
func (p *proc) wait(t *testing.T) {
	t.Helper()
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
		t.Fatalf("openssl did not end:\n%s", p.output())
	}
}

// sServer starts openssl s_server on an ephemeral loopback port, with
// -rev (each line comes back reversed), and returns it with its port.
func sServer(t *testing.T, bin, certFile, keyFile string, extra ...string) (*proc, uint16) {
	t.Helper()
	args := append([]string{"s_server", "-accept", "127.0.0.1:0", "-cert", certFile, "-key", keyFile, "-rev", "-naccept", "1"}, extra...)
	p := startOpenSSL(t, bin, args...)
	port, err := strconv.Atoi(p.waitFor(t, `ACCEPT 127\.0\.0\.1:(\d+)`))
	if err != nil {
		t.Fatal(err)
	}
	return p, uint16(port)
}

// reversed is what s_server -rev answers to a line.
func reversed(s string) string {
	b := []byte(strings.TrimSuffix(s, "\n"))
	for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
		b[i], b[j] = b[j], b[i]
	}
	return string(b) + "\n"
}

// interopPKI is newPKI's CA, server and client, with a CA that openssl
// accepts: no extended key usage (OpenSSL does not read
// anyExtendedKeyUsage on a CA as "any purpose"; Go does).
func interopPKI(t *testing.T) pki {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: "qsock interop CA"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	ca := identity{cert: cert, key: key}
	return pki{
		ca:     ca,
		server: makeCert(t, "localhost", []string{"localhost", "127.0.0.1"}, &ca, false, now.Add(-time.Hour), now.Add(time.Hour), x509.ExtKeyUsageServerAuth),
		client: makeCert(t, "client", nil, &ca, false, now.Add(-time.Hour), now.Add(time.Hour), x509.ExtKeyUsageClientAuth),
	}
}
