package sslsock_test

import (
	"crypto/x509"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/qsock/qsock/socket"
	"github.com/qsock/qsock/sslsock"
	"golang.org/x/sys/unix"
)

// interopFiles writes the test PKI for openssl.
type interopFiles struct {
	ca, serverCert, serverKey, clientCert, clientKey string
}

func writePKI(t *testing.T, p pki) interopFiles {
	dir := t.TempDir()
	var f interopFiles
	f.ca = filepath.Join(dir, "ca.crt")
	writePEM(t, f.ca, "CERTIFICATE", p.ca.cert.Raw)
	f.serverCert, f.serverKey = pemFiles(t, dir, "server", p.server)
	f.clientCert, f.clientKey = pemFiles(t, dir, "client", p.client)
	return f
}

// Our client against openssl s_server: Qt's sequence, data both ways,
// ALPN chosen by the server.
func TestOpenSSLServerWithOurClient(t *testing.T) {
	bin := needOpenSSL(t)
	p := interopPKI(t)
	f := writePKI(t, p)
	srv, port := sServer(t, bin, f.serverCert, f.serverKey, "-alpn", "h2,http/1.1")
	cfg := clientConfig(p)
	cfg.AllowedNextProtocols = []string{"http/1.1", "h2"}
	s, ev := connectEncrypted(t, cfg, "localhost", port, func(s *sslsock.Socket) {
		s.Encrypted.Connect(func() { s.Write([]byte("hello openssl\n")) })
	})
	want := reversed("hello openssl\n")
	until(t, s.Loop(), "the reversed line", func() bool { return s.BytesAvailable() >= int64(len(want)) })
	s.Loop().Invoke(func() {
		ev.Check(t, "against s_server", "state:HostLookupState", "state:ConnectingState", "hostFound",
			"state:ConnectedState", "modeChanged:SslClientMode", "connected", "encrypted")
		if got := string(s.ReadAll()); got != want {
			t.Errorf("s_server sent %q, want %q", got, want)
		}
		if s.SessionProtocol() != sslsock.TLSv1_3 {
			t.Errorf("protocol %v", s.SessionProtocol())
		}
		// openssl picks from its own list the first the client offers.
		if got := s.NextNegotiatedProtocol(); got != "h2" {
			t.Errorf("ALPN %q, want h2", got)
		}
		s.DisconnectFromHost()
	})
	srv.waitFor(t, `ALPN protocols selected: h2`)
}

// Protocol pairs against s_server: the ones that share a version work,
// the others fail with ErrorOccurred(SSLHandshakeFailedError) and no
// SSLErrors (a version mismatch is not a certificate problem).
func TestOpenSSLServerProtocolPairs(t *testing.T) {
	bin := needOpenSSL(t)
	p := interopPKI(t)
	f := writePKI(t, p)
	for _, tc := range []struct {
		server string
		client sslsock.Protocol
		want   sslsock.Protocol // UnknownProtocol: must fail
	}{
		{"-tls1_2", sslsock.TLSv1_2, sslsock.TLSv1_2},
		{"-tls1_2", sslsock.SecureProtocols, sslsock.TLSv1_2},
		{"-tls1_3", sslsock.TLSv1_3, sslsock.TLSv1_3},
		{"-tls1_3", sslsock.TLSv1_2OrLater, sslsock.TLSv1_3},
		{"-tls1_2", sslsock.TLSv1_3, sslsock.UnknownProtocol},
		{"-tls1_2", sslsock.TLSv1_3OrLater, sslsock.UnknownProtocol},
		{"-tls1_3", sslsock.TLSv1_2, sslsock.UnknownProtocol},
	} {
		t.Run(tc.server+"/"+tc.client.String(), func(t *testing.T) {
			_, port := sServer(t, bin, f.serverCert, f.serverKey, tc.server)
			cfg := clientConfig(p)
			cfg.Protocol = tc.client
			s, ev := connectEncrypted(t, cfg, "localhost", port, nil)
			until(t, s.Loop(), "the handshake's end", func() bool {
				return s.IsEncrypted() || s.State() == socket.UnconnectedState
			})
			s.Loop().Invoke(func() {
				defer s.Abort()
				if tc.want != sslsock.UnknownProtocol {
					if s.SessionProtocol() != tc.want {
						t.Errorf("protocol %v, want %v; signals %v", s.SessionProtocol(), tc.want, ev.Log)
					}
					return
				}
				if s.IsEncrypted() || s.Error() != socket.SSLHandshakeFailedError {
					t.Errorf("encrypted %v, error %v; want SSLHandshakeFailedError", s.IsEncrypted(), s.Error())
				}
				for _, e := range ev.Log {
					if strings.HasPrefix(e, "sslErrors:") || strings.HasPrefix(e, "peerVerifyError:") {
						t.Errorf("version mismatch reported as a certificate problem: %v", ev.Log)
					}
				}
			})
		})
	}
}

// A client certificate for s_server -Verify: sent when configured, and
// the handshake fails without one.
func TestOpenSSLServerRequiresClientCertificate(t *testing.T) {
	bin := needOpenSSL(t)
	p := interopPKI(t)
	f := writePKI(t, p)
	for _, withCert := range []bool{true, false} {
		t.Run("cert="+strconv.FormatBool(withCert), func(t *testing.T) {
			// TLS 1.2, where the server's verdict is part of the handshake.
			srv, port := sServer(t, bin, f.serverCert, f.serverKey, "-Verify", "1", "-CAfile", f.ca, "-tls1_2")
			cfg := clientConfig(p)
			if withCert {
				cfg.LocalCertificateChain = []*x509.Certificate{p.client.cert}
				cfg.PrivateKey = p.client.key
			}
			s, _ := connectEncrypted(t, cfg, "localhost", port, nil)
			until(t, s.Loop(), "the handshake's end", func() bool {
				return s.IsEncrypted() || s.State() == socket.UnconnectedState
			})
			s.Loop().Invoke(func() {
				if s.IsEncrypted() != withCert {
					t.Errorf("encrypted = %v (%s)", s.IsEncrypted(), s.ErrorString())
				}
				if !withCert && s.Error() != socket.SSLHandshakeFailedError {
					t.Errorf("error %v", s.Error())
				}
				s.Abort()
			})
			if withCert {
				srv.waitFor(t, `Peer certificate: CN ?= ?client`)
				srv.waitFor(t, `Verification: OK`)
			}
		})
	}
}

// openssl s_client against our server socket (SetSocketDescriptor, then
// StartServerEncryption): data both ways, a client certificate verified
// against our CA list, ALPN chosen by us.
func TestOpenSSLClientWithOurServerSocket(t *testing.T) {
	bin := needOpenSSL(t)
	p := interopPKI(t)
	f := writePKI(t, p)
	for _, tc := range []struct {
		name string
		args []string
		mode sslsock.PeerVerifyMode
		ok   bool
	}{
		{"tls1.3 with client cert", []string{"-tls1_3", "-cert", f.clientCert, "-key", f.clientKey, "-alpn", "h2,http/1.1"}, sslsock.VerifyPeer, true},
		{"tls1.2 with client cert", []string{"-tls1_2", "-cert", f.clientCert, "-key", f.clientKey, "-alpn", "h2,http/1.1"}, sslsock.VerifyPeer, true},
		{"tls1.2 without client cert", []string{"-tls1_2"}, sslsock.VerifyPeer, false},
		{"tls1.2 without client cert, QueryPeer", []string{"-tls1_2", "-alpn", "h2,http/1.1"}, sslsock.QueryPeer, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := newLoop(t)
			ln, err := net.Listen("tcp4", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			defer ln.Close()
			args := append([]string{"s_client", "-connect", ln.Addr().String(), "-CAfile", f.ca,
				"-servername", "localhost", "-verify_hostname", "localhost", "-verify_return_error"}, tc.args...)
			cl := startOpenSSL(t, bin, args...)
			conn, err := ln.Accept()
			if err != nil {
				t.Fatal(err)
			}
			file, _ := conn.(*net.TCPConn).File()
			conn.Close()
			var s *sslsock.Socket
			var ev *events
			l.Invoke(func() {
				s = sslsock.NewSocket(l)
				cfg := sslsock.DefaultConfiguration()
				cfg.LocalCertificateChain = []*x509.Certificate{p.server.cert}
				cfg.PrivateKey = p.server.key
				cfg.CACertificates = []*x509.Certificate{p.ca.cert}
				cfg.PeerVerifyMode = tc.mode
				cfg.AllowedNextProtocols = []string{"http/1.1"}
				s.SetSSLConfiguration(cfg)
				fd, _ := unix.Dup(int(file.Fd()))
				file.Close()
				if err := s.SetSocketDescriptor(fd, socket.ConnectedState); err != nil {
					t.Fatal(err)
				}
				ev = record(s)
				s.ReadyRead.Connect(func() { s.Write([]byte(strings.ToUpper(string(s.ReadAll())))) })
				s.StartServerEncryption()
			})
			until(t, l, "the handshake's end", func() bool { return s.IsEncrypted() || s.State() == socket.UnconnectedState })
			if !tc.ok {
				l.Invoke(func() {
					if s.IsEncrypted() {
						t.Errorf("encrypted without the required client certificate: %v", ev.Log)
					}
					errs := s.SSLHandshakeErrors()
					if len(errs) != 1 || errs[0].Code != sslsock.NoPeerCertificate {
						t.Errorf("handshake errors %v, want NoPeerCertificate", errs)
					}
				})
				return
			}
			cl.waitFor(t, `Verification: OK`)
			cl.stdin.Write([]byte("hello qsock\n"))
			cl.waitFor(t, `HELLO QSOCK`)
			if strings.Contains(strings.Join(tc.args, " "), "-alpn") {
				cl.waitFor(t, `ALPN protocol: http/1\.1`)
			}
			l.Invoke(func() {
				if tc.mode == sslsock.VerifyPeer {
					if pc := s.PeerCertificate(); pc == nil || !pc.Equal(p.client.cert) {
						t.Errorf("peer certificate %v, want the client's", pc)
					}
				}
				s.DisconnectFromHost()
			})
			cl.wait(t)
		})
	}
}
