package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// echoServer is a Go TLS server for localhost that echoes; it returns its
// port and a PEM file with its (self-signed) certificate.
func echoServer(t *testing.T) (port string, caFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "localhost"},
		DNSNames:     []string{"localhost"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	caFile = filepath.Join(t.TempDir(), "ca.pem")
	os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{
		Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				io.Copy(c, c)
			}()
		}
	}()
	return strconv.Itoa(ln.Addr().(*net.TCPAddr).Port), caFile
}

func runClient(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errw strings.Builder
	code = run(args, strings.NewReader(stdin), &out, &errw)
	return code, out.String(), errw.String()
}

func TestTrustedServer(t *testing.T) {
	port, ca := echoServer(t)
	code, out, errs := runClient(t, "hello\nworld\n", "-port", port, "-ca", ca)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	for _, want := range []string{"Encrypted: TlsV1_3, TLS_", "0. Subject: CN=localhost", "Issuer:  CN=localhost",
		"Valid:   ", "hello\nworld\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "Warning") {
		t.Errorf("a trusted server raised SSL errors:\n%s", out)
	}
}

func TestSSLErrorsAsked(t *testing.T) {
	port, _ := echoServer(t) // its certificate is not in the system's roots
	for _, tc := range []struct {
		name, stdin string
		args        []string
		code        int
	}{
		{"answer yes", "y\nping\n", nil, 0},
		{"answer no", "n\nping\n", nil, 1},
		{"no answer", "", nil, 1},
		{"ignore-errors", "ping\n", []string{"-ignore-errors"}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := runClient(t, tc.stdin, append([]string{"-port", port}, tc.args...)...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\n%s%s", code, tc.code, out, errs)
			}
			if !strings.Contains(out, "  - The certificate is self-signed, and untrusted (CN=localhost") {
				t.Errorf("errors not listed:\n%s", out)
			}
			if tc.code == 0 && !strings.HasSuffix(out, "ping\n") {
				t.Errorf("no echo:\n%s", out)
			}
			if tc.code == 1 && !strings.Contains(errs, "Connection error: The certificate is self-signed, and untrusted") {
				t.Errorf("stderr %q", errs)
			}
		})
	}
}

func TestConnectionErrors(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	ln.Close()
	code, _, errs := runClient(t, "", "-host", "127.0.0.1", "-port", port)
	if code != 1 || errs != "Connection error: Connection refused\n" {
		t.Errorf("refused: exit %d, stderr %q", code, errs)
	}
	if code, _, _ := runClient(t, "", "-h"); code != 0 {
		t.Errorf("-h: exit %d", code)
	}
	if code, _, _ := runClient(t, "", "-port", "0"); code != 2 {
		t.Errorf("-port 0: exit %d", code)
	}
	if code, _, errs := runClient(t, "", "-ca", "/nonexistent"); code != 1 || !strings.HasPrefix(errs, "Connection error: ") {
		t.Errorf("-ca /nonexistent: exit %d, stderr %q", code, errs)
	}
}
