package server_test

import (
	"crypto"
	"crypto/tls"
	"crypto/x509"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/qsock/qsock/internal/sockettest"

	"github.com/qsock/qsock/engine"
	"github.com/qsock/qsock/server"
	"github.com/qsock/qsock/socket"
	"github.com/qsock/qsock/sslsock"
)

// identity is an ECDSA P-256 certificate and its key, made in the test.
type identity struct {
	cert *x509.Certificate
	key  crypto.PrivateKey
}

func (id identity) tls() tls.Certificate {
	return tls.Certificate{Certificate: [][]byte{id.cert.Raw}, PrivateKey: id.key, Leaf: id.cert}
}

// issue signs a certificate for names with parent (nil: self-signed).
func issue(t testing.TB, cn string, names []string, parent *identity, isCA bool, usage x509.ExtKeyUsage) identity {
	t.Helper()
	var pc *x509.Certificate
	var pk crypto.PrivateKey
	if parent != nil {
		pc, pk = parent.cert, parent.key
	}
	now := time.Now()
	c, k := sockettest.Cert(t, cn, names, pc, pk, isCA, now.Add(-time.Hour), now.Add(time.Hour), usage)
	return identity{cert: c, key: k}
}

// tlsPKI is a CA with a server and a client certificate.
type tlsPKI struct{ ca, server, client identity }

func newTLSPKI(t testing.TB) tlsPKI {
	ca := issue(t, "qsock test CA", nil, nil, true, x509.ExtKeyUsageAny)
	return tlsPKI{
		ca:     ca,
		server: issue(t, "localhost", []string{"localhost", "127.0.0.1"}, &ca, false, x509.ExtKeyUsageServerAuth),
		client: issue(t, "client", nil, &ca, false, x509.ExtKeyUsageClientAuth),
	}
}

// serverConfig is the SSLServer side: the server certificate, the test
// CA for client certificates.
func (p tlsPKI) serverConfig() sslsock.Configuration {
	c := sslsock.DefaultConfiguration()
	c.LocalCertificateChain = []*x509.Certificate{p.server.cert}
	c.PrivateKey = p.server.key
	c.CACertificates = []*x509.Certificate{p.ca.cert}
	return c
}

// clientConfig is a Go crypto/tls client that trusts the test CA.
func (p tlsPKI) clientConfig() *tls.Config {
	cc := &tls.Config{RootCAs: x509.NewCertPool(), ServerName: "localhost"}
	cc.RootCAs.AddCert(p.ca.cert)
	return cc
}

// listenSSL makes an SSLServer on loop listening on 127.0.0.1.
func listenSSL(t testing.TB, loop *engine.Loop, cfg sslsock.Configuration) (*server.SSLServer, string) {
	t.Helper()
	srv := server.NewSSLServer(loop)
	var port uint16
	do(loop, func() {
		srv.SetSSLConfiguration(cfg)
		if err := srv.Listen(socket.LocalHost, 0); err != nil {
			t.Fatalf("Listen: %v", err)
		}
		port = srv.ServerPort()
	})
	t.Cleanup(func() { do(loop, srv.Close) })
	return srv, "127.0.0.1:" + strconv.Itoa(int(port))
}

// sslLog records an SSLServer's signals, in order; read it on the loop.
type sslLog struct{ log []string }

func (l *sslLog) add(s string) { l.log = append(l.log, s) }

func (l *sslLog) String() string { return strings.Join(l.log, " ") }

func recordSSL(srv *server.SSLServer) *sslLog {
	l := &sslLog{}
	srv.NewConnection.Connect(func() { l.add("newConnection") })
	srv.StartedEncryptionHandshake.Connect(func(*sslsock.Socket) { l.add("startedEncryptionHandshake") })
	srv.PendingConnectionAvailable.Connect(func() { l.add("pendingConnectionAvailable") })
	srv.AcceptError.Connect(func(e socket.SocketError) { l.add("acceptError:" + e.String()) })
	srv.PeerVerifyError.Connect(func(_ *sslsock.Socket, e sslsock.Error) { l.add("peerVerifyError:" + e.Code.String()) })
	srv.SSLErrors.Connect(func(_ *sslsock.Socket, errs []sslsock.Error) {
		s := "sslErrors:"
		for i, e := range errs {
			if i > 0 {
				s += ","
			}
			s += e.Code.String()
		}
		l.add(s)
	})
	srv.ErrorOccurred.Connect(func(_ *sslsock.Socket, e socket.SocketError) { l.add("errorOccurred:" + e.String()) })
	return l
}
