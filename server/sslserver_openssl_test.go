package server_test

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/qsock/qsock/sslsock"
)

// writePEMs writes the test PKI for openssl: the CA, the client's
// certificate and key.
func writePEMs(t *testing.T, p tlsPKI) (ca, clientCert, clientKey string) {
	dir := t.TempDir()
	ca = filepath.Join(dir, "ca.crt")
	clientCert = filepath.Join(dir, "client.crt")
	clientKey = filepath.Join(dir, "client.key")
	der, err := x509.MarshalPKCS8PrivateKey(p.client.key)
	if err != nil {
		t.Fatal(err)
	}
	for file, b := range map[string]*pem.Block{
		ca:         {Type: "CERTIFICATE", Bytes: p.ca.cert.Raw},
		clientCert: {Type: "CERTIFICATE", Bytes: p.client.cert.Raw},
		clientKey:  {Type: "PRIVATE KEY", Bytes: der},
	} {
		if err := os.WriteFile(file, pem.EncodeToMemory(b), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return ca, clientCert, clientKey
}

// openssl s_client against SSLServer: Qt's order, data both ways, ALPN,
// a client certificate, and protocol pairs that must work or fail (a
// version mismatch is errorOccurred, never sslErrors).
func TestSSLServerWithOpenSSLClient(t *testing.T) {
	bin, err := exec.LookPath("openssl")
	if err != nil {
		t.Skip("openssl not found: the interop tests need the openssl command (Debian package openssl)")
	}
	p := newTLSPKI(t)
	ca, clientCert, clientKey := writePEMs(t, p)
	withCert := []string{"-cert", clientCert, "-key", clientKey}
	ok := []string{"newConnection", "startedEncryptionHandshake", "pendingConnectionAvailable"}
	failed := []string{"newConnection", "startedEncryptionHandshake", "errorOccurred:SslHandshakeFailedError"}
	for _, tc := range []struct {
		name   string
		args   []string
		config func(*sslsock.Configuration)
		want   []string
	}{
		{"tls1.3 alpn", []string{"-tls1_3", "-alpn", "h2,http/1.1"}, nil, ok},
		{"tls1.2 client cert", append([]string{"-tls1_2"}, withCert...),
			func(c *sslsock.Configuration) { c.PeerVerifyMode = sslsock.VerifyPeer }, ok},
		{"tls1.3 client cert", append([]string{"-tls1_3"}, withCert...),
			func(c *sslsock.Configuration) { c.PeerVerifyMode = sslsock.VerifyPeer }, ok},
		{"tls1.2 no client cert", []string{"-tls1_2"},
			func(c *sslsock.Configuration) { c.PeerVerifyMode = sslsock.VerifyPeer },
			[]string{"newConnection", "startedEncryptionHandshake", "peerVerifyError:NoPeerCertificate",
				"sslErrors:NoPeerCertificate", "errorOccurred:SslHandshakeFailedError"}},
		{"tls1.2 client, tls1.3 server", []string{"-tls1_2"},
			func(c *sslsock.Configuration) { c.Protocol = sslsock.TLSv1_3 }, failed},
		{"tls1.3 client, tls1.2 server", []string{"-tls1_3"},
			func(c *sslsock.Configuration) { c.Protocol = sslsock.TLSv1_2 }, failed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			loop := newLoop(t)
			cfg := p.serverConfig()
			cfg.AllowedNextProtocols = []string{"http/1.1"}
			if tc.config != nil {
				tc.config(&cfg)
			}
			srv, addr := listenSSL(t, loop, cfg)
			var log *sslLog
			var peer *x509.Certificate
			do(loop, func() {
				log = recordSSL(srv)
				srv.PendingConnectionAvailable.Connect(func() {
					c := srv.NextPendingConnection()
					peer = c.PeerCertificate()
					c.ReadyRead.Connect(func() {
						if c.CanReadLine() {
							c.Write([]byte(strings.ToUpper(string(c.ReadLine(0)))))
							c.DisconnectFromHost()
						}
					})
				})
			})
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			args := append([]string{"s_client", "-connect", addr, "-CAfile", ca, "-servername", "localhost",
				"-verify_return_error", "-ign_eof"}, tc.args...)
			cmd := exec.CommandContext(ctx, bin, args...)
			cmd.Stdin = strings.NewReader("hello from openssl\n")
			out, err := cmd.CombinedOutput()
			until(t, loop, "the server's signals", func() bool { return len(log.log) >= len(tc.want) })
			do(loop, func() {
				if d := cmp.Diff(tc.want, log.log); d != "" {
					t.Errorf("server signals (-want +got):\n%s", d)
				}
			})
			if tc.want[len(tc.want)-1] != "pendingConnectionAvailable" {
				if err == nil && strings.Contains(string(out), "HELLO FROM OPENSSL") {
					t.Errorf("a failed handshake carried data:\n%s", out)
				}
				return
			}
			for _, want := range []string{"Verification: OK", "HELLO FROM OPENSSL"} {
				if !strings.Contains(string(out), want) {
					t.Errorf("s_client output lacks %q (%v):\n%s", want, err, out)
				}
			}
			if strings.Contains(strings.Join(tc.args, " "), "-alpn") && !strings.Contains(string(out), "ALPN protocol: http/1.1") {
				t.Errorf("ALPN not negotiated:\n%s", out)
			}
			if strings.Contains(strings.Join(tc.args, " "), "-cert") {
				do(loop, func() {
					if peer == nil || !peer.Equal(p.client.cert) {
						t.Errorf("server saw peer certificate %v", peer)
					}
				})
			}
		})
	}
}
