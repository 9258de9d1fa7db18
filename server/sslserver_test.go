package server_test

import (
	"crypto/tls"
	"crypto/x509"
	"io"
	"net"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/qsock/qsock/server"
	"github.com/qsock/qsock/socket"
	"github.com/qsock/qsock/sslsock"
)

// Qt 6.4's order: newConnection at accept (nothing pending yet),
// startedEncryptionHandshake at the first byte, pendingConnectionAvailable
// after encrypted.
func TestSSLServerSignalOrder(t *testing.T) {
	p := newTLSPKI(t)
	loop := newLoop(t)
	srv, addr := listenSSL(t, loop, p.serverConfig())
	var log *sslLog
	var taken *sslsock.Socket
	do(loop, func() {
		log = recordSSL(srv)
		srv.NewConnection.Connect(func() {
			if srv.HasPendingConnections() || srv.NextPendingConnection() != nil {
				t.Error("a connection is pending at newConnection")
			}
		})
		srv.StartedEncryptionHandshake.Connect(func(c *sslsock.Socket) {
			if c.Mode() != sslsock.SSLServerMode || c.IsEncrypted() {
				t.Errorf("at startedEncryptionHandshake: mode %v, encrypted %v", c.Mode(), c.IsEncrypted())
			}
		})
		srv.PendingConnectionAvailable.Connect(func() {
			taken = srv.NextPendingConnection()
			if taken == nil || !taken.IsEncrypted() {
				t.Errorf("pending connection %v is not encrypted", taken)
				return
			}
			echoTLS(taken)
		})
	})
	conn, err := tls.Dial("tcp", addr, p.clientConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	roundTrip(t, conn, "hello over TLS")
	do(loop, func() {
		want := []string{"newConnection", "startedEncryptionHandshake", "pendingConnectionAvailable"}
		if d := cmp.Diff(want, log.log); d != "" {
			t.Errorf("server signals (-want +got):\n%s", d)
		}
		if taken.SessionProtocol() != sslsock.TLSv1_3 {
			t.Errorf("protocol %v", taken.SessionProtocol())
		}
	})
}

// echoTLS makes c write back what it reads.
func echoTLS(c *sslsock.Socket) {
	c.ReadyRead.Connect(func() { c.Write(c.ReadAll()) })
	if c.BytesAvailable() > 0 { // came with the handshake
		c.Write(c.ReadAll())
	}
}

// A client certificate with problems: the socket's peerVerifyError and
// sslErrors reach the server's signals with the socket, and ignoring them
// from the server's slot lets the connection through.
func TestSSLServerClientCertificateErrors(t *testing.T) {
	p := newTLSPKI(t)
	stranger := issue(t, "stranger", nil, nil, false, x509.ExtKeyUsageClientAuth)
	for _, ignore := range []bool{true, false} {
		loop := newLoop(t)
		cfg := p.serverConfig()
		cfg.PeerVerifyMode = sslsock.VerifyPeer
		srv, addr := listenSSL(t, loop, cfg)
		var log *sslLog
		do(loop, func() {
			log = recordSSL(srv)
			srv.SSLErrors.Connect(func(c *sslsock.Socket, errs []sslsock.Error) {
				if errs[0].Certificate == nil || !errs[0].Certificate.Equal(stranger.cert) {
					t.Errorf("error names certificate %v", errs[0].Certificate)
				}
				if ignore {
					c.IgnoreSSLErrors()
				}
			})
			srv.PendingConnectionAvailable.Connect(func() { echoTLS(srv.NextPendingConnection()) })
		})
		cc := p.clientConfig()
		cc.Certificates = []tls.Certificate{stranger.tls()}
		conn, err := tls.Dial("tcp", addr, cc)
		if err != nil {
			t.Fatal(err)
		}
		conn.SetDeadline(time.Now().Add(5 * time.Second))
		conn.Write([]byte("x"))
		_, rerr := io.ReadFull(conn, make([]byte, 1))
		conn.Close()
		want := []string{"newConnection", "startedEncryptionHandshake",
			"peerVerifyError:SelfSignedCertificate", "sslErrors:SelfSignedCertificate"}
		if ignore {
			want = append(want, "pendingConnectionAvailable")
			if rerr != nil {
				t.Errorf("ignored errors: client read %v", rerr)
			}
		} else {
			want = append(want, "errorOccurred:SslHandshakeFailedError")
			if rerr == nil {
				t.Error("refused certificate: client read data")
			}
		}
		until(t, loop, "the handshake's end", func() bool { return len(log.log) == len(want) })
		do(loop, func() {
			if d := cmp.Diff(want, log.log); d != "" {
				t.Errorf("ignore=%v: server signals (-want +got):\n%s", ignore, d)
			}
		})
	}
}

// A silent client and one that stops half-way are dropped when the
// handshake timeout expires, with errorOccurred(socket, SocketTimeoutError)
// while the socket is still connected; neither is ever pending.
func TestSSLServerHandshakeTimeout(t *testing.T) {
	p := newTLSPKI(t)
	loop := newLoop(t)
	srv, addr := listenSSL(t, loop, p.serverConfig())
	var log *sslLog
	timedOut := 0
	do(loop, func() {
		if srv.HandshakeTimeout() != 5*time.Second {
			t.Errorf("default handshake timeout %v", srv.HandshakeTimeout())
		}
		srv.SetHandshakeTimeout(200 * time.Millisecond)
		log = recordSSL(srv)
		srv.ErrorOccurred.Connect(func(c *sslsock.Socket, e socket.SocketError) {
			if e == socket.SocketTimeoutError {
				timedOut++
				if c.State() != socket.ConnectedState {
					t.Errorf("timed-out socket is %v in the slot", c.State())
				}
			}
		})
	})
	start := time.Now()
	silent := dial(t, "127.0.0.1", port(addr))
	slow := dial(t, "127.0.0.1", port(addr))
	slow.Write([]byte{0x16, 0x03, 0x01}) // a record header, never finished
	expectClosed(t, silent)
	expectClosed(t, slow)
	if el := time.Since(start); el < 150*time.Millisecond || el > 3*time.Second {
		t.Errorf("dropped after %v, timeout is 200ms", el)
	}
	until(t, loop, "both timeouts", func() bool { return timedOut == 2 })
	do(loop, func() {
		want := []string{"newConnection", "newConnection", "startedEncryptionHandshake",
			"errorOccurred:SocketTimeoutError", "errorOccurred:SocketTimeoutError"}
		if d := cmp.Diff(want, log.log); d != "" {
			t.Errorf("server signals (-want +got):\n%s", d)
		}
		if srv.HasPendingConnections() {
			t.Error("a timed-out connection is pending")
		}
	})
}

// A plain-text client (an HTTP request on the TLS port, or any line) is
// dropped at its first byte, before any handshake signal.
func TestSSLServerPlainTextClientDropped(t *testing.T) {
	p := newTLSPKI(t)
	for _, text := range []string{"GET / HTTP/1.0\r\n\r\n", "h"} {
		loop := newLoop(t)
		srv, addr := listenSSL(t, loop, p.serverConfig())
		var log *sslLog
		do(loop, func() { log = recordSSL(srv) })
		conn := dial(t, "127.0.0.1", port(addr))
		conn.Write([]byte(text))
		expectClosed(t, conn)
		until(t, loop, "the error", func() bool { return len(log.log) == 2 })
		do(loop, func() {
			want := []string{"newConnection", "errorOccurred:SslHandshakeFailedError"}
			if d := cmp.Diff(want, log.log); d != "" {
				t.Errorf("%q: server signals (-want +got):\n%s", text, d)
			}
			if srv.HasPendingConnections() {
				t.Errorf("%q: the plain-text client is pending", text)
			}
		})
	}
}

// A client that connects and leaves without a byte (a health check) is
// RemoteHostClosedError, as Qt reports a dropped handshake.
func TestSSLServerClientLeavesBeforeHello(t *testing.T) {
	p := newTLSPKI(t)
	loop := newLoop(t)
	srv, addr := listenSSL(t, loop, p.serverConfig())
	var log *sslLog
	do(loop, func() { log = recordSSL(srv) })
	c := dial(t, "127.0.0.1", port(addr))
	c.Close()
	until(t, loop, "the error", func() bool { return len(log.log) == 2 })
	do(loop, func() {
		want := []string{"newConnection", "errorOccurred:RemoteHostClosedError"}
		if d := cmp.Diff(want, log.log); d != "" {
			t.Errorf("server signals (-want +got):\n%s", d)
		}
	})
}

// Failed handshakes (a protocol mismatch, a missing client certificate
// under VerifyPeer) report errorOccurred with the socket and never reach
// NextPendingConnection.
func TestSSLServerFailedHandshakeNotQueued(t *testing.T) {
	p := newTLSPKI(t)
	for _, tc := range []struct {
		name   string
		server func(*sslsock.Configuration)
		client func(*tls.Config)
		want   []string
	}{
		{"version mismatch",
			func(c *sslsock.Configuration) { c.Protocol = sslsock.TLSv1_3 },
			func(c *tls.Config) { c.MaxVersion = tls.VersionTLS12 },
			[]string{"newConnection", "startedEncryptionHandshake", "errorOccurred:SslHandshakeFailedError"}},
		{"no client certificate",
			func(c *sslsock.Configuration) { c.PeerVerifyMode = sslsock.VerifyPeer },
			func(*tls.Config) {},
			[]string{"newConnection", "startedEncryptionHandshake", "peerVerifyError:NoPeerCertificate",
				"sslErrors:NoPeerCertificate", "errorOccurred:SslHandshakeFailedError"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			loop := newLoop(t)
			cfg := p.serverConfig()
			tc.server(&cfg)
			srv, addr := listenSSL(t, loop, cfg)
			var log *sslLog
			do(loop, func() { log = recordSSL(srv) })
			cc := p.clientConfig()
			tc.client(cc)
			if conn, err := tls.Dial("tcp", addr, cc); err == nil {
				// TLS 1.3 clients finish before the server checks them.
				conn.SetDeadline(time.Now().Add(5 * time.Second))
				if _, err := conn.Read(make([]byte, 1)); err == nil {
					t.Error("client read data over a refused handshake")
				}
				conn.Close()
			}
			until(t, loop, "the failure", func() bool {
				if len(log.log) > len(tc.want) {
					t.Fatalf("server signals: %v", log.log)
				}
				return len(log.log) == len(tc.want)
			})
			time.Sleep(20 * time.Millisecond)
			do(loop, func() {
				if d := cmp.Diff(tc.want, log.log); d != "" {
					t.Errorf("server signals (-want +got):\n%s", d)
				}
				if srv.HasPendingConnections() || srv.NextPendingConnection() != nil {
					t.Error("a failed handshake is pending")
				}
			})
		})
	}
}

// port returns the port of a "host:port" address.
func port(addr string) uint16 {
	_, p, _ := net.SplitHostPort(addr)
	var n uint16
	for _, c := range p {
		n = n*10 + uint16(c-'0')
	}
	return n
}

var _ = server.DefaultHandshakeTimeout
