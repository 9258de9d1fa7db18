package sslsock_test

import (
	"crypto/tls"
	"errors"
	"io"
	"net"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/qsock/qsock/socket"
	"github.com/qsock/qsock/sslsock"
)

// The sequences in this file are Qt 6.4's (and Qt 5.15's, which agrees),
// seen with a QSslSocket probe against the same peers: openssl s_server,
// a plain-text server, Go's crypto/tls.

// recordIO adds the write and read signals to e: bytesWritten:<n> for
// plaintext, encryptedBytesWritten (ciphertext sizes depend on the TLS
// library, so only the signal is logged, with its count when it is not
// positive, which would be wrong), readyRead.
func recordIO(s *sslsock.Socket, e *events) {
	s.BytesWritten.Connect(func(n int64) { e.Add("bytesWritten:" + strconv.FormatInt(n, 10)) })
	s.EncryptedBytesWritten.Connect(func(n int64) {
		if n <= 0 {
			e.Add("encryptedBytesWritten:" + strconv.FormatInt(n, 10))
			return
		}
		e.Add("encryptedBytesWritten")
	})
	s.ReadyRead.Connect(func() { e.Add("readyRead") })
}

// connectEncryptedIO is connectEncrypted with recordIO's signals logged
// from the start.
func connectEncryptedIO(t *testing.T, cfg sslsock.Configuration, host string, port uint16, setup func(*sslsock.Socket)) (*sslsock.Socket, *events) {
	l := newLoop(t)
	var s *sslsock.Socket
	var ev *events
	l.Invoke(func() {
		s = sslsock.NewSocket(l)
		s.SetSSLConfiguration(cfg)
		ev = record(s)
		recordIO(s, ev)
		if setup != nil {
			setup(s)
		}
		s.ConnectToHostEncrypted(host, port)
	})
	return s, ev
}

// plainTextPeer is a server that answers a ClientHello as an HTTP server
// would, and keeps the connection open.
func plainTextPeer(t *testing.T) uint16 {
	t.Helper()
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
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
				buf := make([]byte, 4096)
				if _, err := c.Read(buf); err != nil {
					return
				}
				c.Write([]byte("HTTP/1.0 400 Bad Request\r\n\r\n"))
				io.Copy(io.Discard, c)
			}()
		}
	}()
	return uint16(ln.Addr().(*net.TCPAddr).Port)
}

var connectPrefix = []string{"state:HostLookupState", "state:ConnectingState", "hostFound",
	"state:ConnectedState", "modeChanged:SslClientMode", "connected"}

// checkLog is Recorder.Check without t.Fatal, for use on a loop's
// goroutine.
func checkLog(t *testing.T, what string, e *events, want ...string) {
	t.Helper()
	if d := cmp.Diff(want, e.Log); d != "" {
		t.Errorf("%s: signal sequence (-want +got):\n%s", what, d)
	}
}

func seq(parts ...[]string) []string {
	var out []string
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// A handshake that fails on certificate errors reports the first error's
// own text, as Qt does (sslErrors.first().errorString()), and closes
// gracefully without aboutToClose; one that fails for any other reason
// reports "Error during SSL handshake: " and the library's detail, and
// aborts: Unconnected, readChannelFinished, disconnected, then
// aboutToClose, QSslSocket's abort order.
func TestHandshakeFailureTextAndTeardown(t *testing.T) {
	p := newPKI(t)
	selfSigned := tlsEcho(t, serverConfig(p.selfSigned))
	expired := tlsEcho(t, serverConfig(p.expired))
	sc := serverConfig(p.server)
	sc.MaxVersion = tls.VersionTLS12
	tls12 := tlsEcho(t, sc)
	plain := plainTextPeer(t)
	graceful := []string{"error:SslHandshakeFailedError", "state:ClosingState", "state:UnconnectedState",
		"readChannelFinished", "disconnected"}
	aborted := []string{"error:SslHandshakeFailedError", "state:UnconnectedState", "readChannelFinished",
		"disconnected", "aboutToClose"}
	for _, tc := range []struct {
		name     string
		port     uint16
		cfg      sslsock.Configuration
		text     string // exact, or a prefix when it ends with ": "
		want     []string
		wantOpen bool
	}{
		{"self-signed, wrong name", selfSigned, sslsock.DefaultConfiguration(),
			"The host name did not match any of the valid hosts for this certificate",
			seq(connectPrefix, []string{"peerVerifyError:SelfSignedCertificate", "peerVerifyError:HostNameMismatch",
				"sslErrors:HostNameMismatch,SelfSignedCertificate"}, graceful), true},
		{"expired", expired, clientConfig(p), "The certificate has expired",
			seq(connectPrefix, []string{"peerVerifyError:CertificateExpired", "sslErrors:CertificateExpired"}, graceful), true},
		{"protocol mismatch", tls12, func() sslsock.Configuration {
			c := clientConfig(p)
			c.Protocol = sslsock.TLSv1_3
			return c
		}(), "Error during SSL handshake: ", seq(connectPrefix, aborted), false},
		{"plain-text peer", plain, clientConfig(p), "Error during SSL handshake: ", seq(connectPrefix, aborted), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, ev := connectEncrypted(t, tc.cfg, "127.0.0.1", tc.port, nil)
			until(t, s.Loop(), "the handshake's end", func() bool {
				return s.State() == socket.UnconnectedState && len(ev.Log) >= len(tc.want)
			})
			s.Loop().Invoke(func() {
				checkLog(t, tc.name, ev, tc.want...)
				got := s.ErrorString()
				if strings.HasSuffix(tc.text, ": ") {
					if !strings.HasPrefix(got, tc.text) || len(got) == len(tc.text) {
						t.Errorf("ErrorString() = %q, want %q and the library's detail", got, tc.text)
					}
				} else if got != tc.text {
					t.Errorf("ErrorString() = %q, want %q", got, tc.text)
				}
				if s.Error() != socket.SSLHandshakeFailedError {
					t.Errorf("Error() = %v", s.Error())
				}
				if s.IsOpen() != tc.wantOpen {
					t.Errorf("IsOpen() = %v, want %v", s.IsOpen(), tc.wantOpen)
				}
				if tc.wantOpen {
					var e sslsock.Error
					if !errors.As(s.LastError(), &e) || e.Error() != tc.text {
						t.Errorf("LastError() = %v, want the first sslsock.Error", s.LastError())
					}
				}
			})
		})
	}
}

// mode() keeps SslClientMode after a failed handshake, a disconnect, an
// abort and a close; only the next connection (connectToHost,
// connectToHostEncrypted, setSocketDescriptor: QSslSocketPrivate::init)
// makes it UnencryptedMode again.
func TestModeKeptUntilNextConnection(t *testing.T) {
	p := newPKI(t)
	bad := tlsEcho(t, serverConfig(p.selfSigned))
	good := tlsEcho(t, serverConfig(p.server))

	s, _ := connectEncrypted(t, clientConfig(p), "127.0.0.1", bad, nil)
	l := s.Loop()
	until(t, l, "failure", func() bool { return s.State() == socket.UnconnectedState })
	l.Invoke(func() {
		if s.Mode() != sslsock.SSLClientMode {
			t.Errorf("after a failed handshake: Mode() = %v, want SslClientMode", s.Mode())
		}
		s.Abort()
		s.Close()
		if s.Mode() != sslsock.SSLClientMode || s.IsEncrypted() {
			t.Errorf("after Abort and Close: Mode() = %v, encrypted %v", s.Mode(), s.IsEncrypted())
		}
		s.ConnectToHost("127.0.0.1", good)
		if s.Mode() != sslsock.UnencryptedMode {
			t.Errorf("just after ConnectToHost: Mode() = %v, want UnencryptedMode", s.Mode())
		}
	})
	until(t, l, "plain connection", func() bool { return s.State() == socket.ConnectedState })
	l.Invoke(func() {
		if s.Mode() != sslsock.UnencryptedMode {
			t.Errorf("plain connection: Mode() = %v", s.Mode())
		}
		s.StartClientEncryption()
	})
	until(t, l, "STARTTLS", func() bool { return s.IsEncrypted() })
	l.Invoke(func() { s.DisconnectFromHost() })
	until(t, l, "disconnected", func() bool { return s.State() == socket.UnconnectedState })
	l.Invoke(func() {
		if s.Mode() != sslsock.SSLClientMode || s.IsEncrypted() {
			t.Errorf("after DisconnectFromHost: Mode() = %v, encrypted %v; want SslClientMode, false", s.Mode(), s.IsEncrypted())
		}
		if s.SessionProtocol() != sslsock.UnknownProtocol {
			t.Errorf("after DisconnectFromHost: SessionProtocol() = %v, want UnknownProtocol", s.SessionProtocol())
		}
		s.ConnectToHostEncrypted("localhost", good)
		if s.Mode() != sslsock.UnencryptedMode || s.State() == socket.UnconnectedState {
			t.Errorf("reconnecting: Mode() = %v, state %v", s.Mode(), s.State())
		}
	})
	until(t, l, "encrypted again", func() bool { return s.IsEncrypted() })
	l.Invoke(func() {
		// Qt only warns when connectToHostEncrypted or
		// startClientEncryption come on a connected socket.
		ev := record(s)
		s.ConnectToHostEncrypted("localhost", good)
		s.StartClientEncryption()
		checkLog(t, "calls on an encrypted socket", ev)
		if !s.IsEncrypted() || s.Mode() != sslsock.SSLClientMode || s.Error() == socket.OperationError {
			t.Errorf("encrypted %v, mode %v, error %v", s.IsEncrypted(), s.Mode(), s.Error())
		}
		s.Abort()
	})
}

// Against openssl s_server: Qt emits encrypted before the handshake's last
// flight is written (TLS 1.3: the client's Finished goes out after
// encrypted, with what the encrypted slot wrote), the plaintext
// bytesWritten before the encryptedBytesWritten of the same write, and
// encryptedBytesWritten for the close_notify before Unconnected. A failed
// verification sends nothing more: no encryptedBytesWritten after the
// ClientHello's.
func TestOpenSSLSignalOrder(t *testing.T) {
	bin := needOpenSSL(t)
	p := interopPKI(t)
	f := writePKI(t, p)
	ssCert, ssKey := pemFiles(t, t.TempDir(), "selfsigned", newPKI(t).selfSigned)
	for _, tc := range []struct {
		name      string
		cert, key string
		args      []string
		host      string
		want      []string
	}{
		{"tls1.3", f.serverCert, f.serverKey, []string{"-tls1_3"}, "localhost", seq(connectPrefix, []string{
			"encryptedBytesWritten", "encrypted", "bytesWritten:6", "encryptedBytesWritten", "readyRead"})},
		{"tls1.2", f.serverCert, f.serverKey, []string{"-tls1_2"}, "localhost", seq(connectPrefix, []string{
			"encryptedBytesWritten", "encryptedBytesWritten", "encrypted", "bytesWritten:6", "encryptedBytesWritten", "readyRead"})},
		{"verification fails", ssCert, ssKey, nil, "127.0.0.1", seq(connectPrefix, []string{
			"encryptedBytesWritten", "peerVerifyError:SelfSignedCertificate", "peerVerifyError:HostNameMismatch",
			"sslErrors:HostNameMismatch,SelfSignedCertificate", "error:SslHandshakeFailedError",
			"state:ClosingState", "state:UnconnectedState", "readChannelFinished", "disconnected"})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, port := sServer(t, bin, tc.cert, tc.key, tc.args...)
			s, ev := connectEncryptedIO(t, clientConfig(p), tc.host, port, func(s *sslsock.Socket) {
				s.Encrypted.Connect(func() { s.Write([]byte("hello\n")) })
			})
			l := s.Loop()
			until(t, l, "the end of the exchange", func() bool {
				return s.BytesAvailable() >= 6 || s.State() == socket.UnconnectedState && len(ev.Log) >= len(tc.want)
			})
			l.Invoke(func() {
				checkLog(t, tc.name, ev, tc.want...)
				if s.State() != socket.ConnectedState {
					return
				}
				if got := string(s.ReadAll()); got != "olleh\n" {
					t.Errorf("s_server sent %q", got)
				}
				ev.Reset()
				s.DisconnectFromHost()
			})
			until(t, l, "disconnected", func() bool { return s.State() == socket.UnconnectedState })
			l.Invoke(func() {
				if tc.want[len(tc.want)-1] == "disconnected" {
					return
				}
				checkLog(t, "disconnect", ev, "state:ClosingState", "encryptedBytesWritten", "state:UnconnectedState",
					"readChannelFinished", "disconnected")
			})
		})
	}
}

// The blocking style keeps the order: bytesWritten, then
// encryptedBytesWritten.
func TestBlockingWriteOrder(t *testing.T) {
	p := newPKI(t)
	port := tlsEcho(t, serverConfig(p.server))
	s := sslsock.NewSocket(nil)
	s.SetSSLConfiguration(clientConfig(p))
	s.ConnectToHostEncrypted("localhost", port)
	if !s.WaitForEncrypted(10e9) {
		t.Fatalf("WaitForEncrypted: %v", s.ErrorString())
	}
	ev := &events{}
	recordIO(s, ev)
	s.Write([]byte("blocking"))
	if !s.WaitForBytesWritten(5e9) {
		t.Fatalf("WaitForBytesWritten: %v", s.ErrorString())
	}
	if d := cmp.Diff([]string{"bytesWritten:8", "encryptedBytesWritten"}, ev.Log); d != "" {
		t.Errorf("signals (-want +got):\n%s", d)
	}
	s.Abort()
}
