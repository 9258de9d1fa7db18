package bridge_test

import (
	"crypto/tls"
	"crypto/x509"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/qsock/qsock/bridge"
	"github.com/qsock/qsock/engine"
	"github.com/qsock/qsock/internal/sockettest"
	"github.com/qsock/qsock/local"
	"github.com/qsock/qsock/server"
	"github.com/qsock/qsock/socket"
	"github.com/qsock/qsock/sslsock"
)

// listenTCP returns a listener over a TCPServer on 127.0.0.1, closed when
// the test ends.
func listenTCP(t testing.TB, loop *engine.Loop) net.Listener {
	t.Helper()
	srv := server.NewTCPServer(loop)
	loop.Invoke(func() {
		if err := srv.Listen(socket.LocalHost, 0); err != nil {
			t.Errorf("Listen: %v", err)
		}
	})
	ln := bridge.NewListener(srv)
	t.Cleanup(func() { ln.Close() })
	return ln
}

// listenLocal returns a listener over a local.Server in a temporary
// directory.
func listenLocal(t testing.TB, loop *engine.Loop) net.Listener {
	t.Helper()
	srv := local.NewServer(loop)
	path := filepath.Join(t.TempDir(), "s")
	loop.Invoke(func() {
		if err := srv.Listen(path); err != nil {
			t.Errorf("Listen: %v", err)
		}
	})
	ln := bridge.NewListener(srv)
	t.Cleanup(func() { ln.Close() })
	return ln
}

// pki is a CA and a server certificate for "localhost" and 127.0.0.1.
type pki struct {
	ca, server *x509.Certificate
	serverKey  any
	caKey      any
}

func newPKI(t testing.TB) pki {
	t.Helper()
	now := time.Now()
	ca, caKey := sockettest.Cert(t, "bridge test CA", nil, nil, nil, true, now.Add(-time.Hour), now.Add(time.Hour), x509.ExtKeyUsageAny)
	srv, srvKey := sockettest.Cert(t, "localhost", []string{"localhost", "127.0.0.1"}, ca, caKey, false, now.Add(-time.Hour), now.Add(time.Hour), x509.ExtKeyUsageServerAuth)
	return pki{ca: ca, server: srv, serverKey: srvKey, caKey: caKey}
}

// sslConfig is the qsock server side.
func (p pki) sslServerConfig() sslsock.Configuration {
	c := sslsock.DefaultConfiguration()
	c.LocalCertificateChain = []*x509.Certificate{p.server}
	c.PrivateKey = p.serverKey
	c.PeerVerifyMode = sslsock.VerifyNone
	return c
}

// sslClientConfig is a qsock client that trusts the CA.
func (p pki) sslClientConfig() sslsock.Configuration {
	c := sslsock.DefaultConfiguration()
	c.CACertificates = []*x509.Certificate{p.ca}
	return c
}

// tlsServerConfig is a crypto/tls server.
func (p pki) tlsServerConfig() *tls.Config {
	return &tls.Config{Certificates: []tls.Certificate{{
		Certificate: [][]byte{p.server.Raw}, PrivateKey: p.serverKey, Leaf: p.server,
	}}}
}

// tlsClientConfig is a crypto/tls client that trusts the CA.
func (p pki) tlsClientConfig() *tls.Config {
	roots := x509.NewCertPool()
	roots.AddCert(p.ca)
	return &tls.Config{RootCAs: roots, ServerName: "localhost"}
}

// listenSSL returns a listener over an SSLServer on 127.0.0.1.
func listenSSL(t testing.TB, loop *engine.Loop, p pki) net.Listener {
	t.Helper()
	srv := server.NewSSLServer(loop)
	loop.Invoke(func() {
		srv.SetSSLConfiguration(p.sslServerConfig())
		if err := srv.Listen(socket.LocalHost, 0); err != nil {
			t.Errorf("Listen: %v", err)
		}
	})
	ln := bridge.NewListener(srv)
	t.Cleanup(func() { ln.Close() })
	return ln
}

// dialSSL connects an sslsock client on loop to addr and bridges it at
// once, while it still handshakes.
func dialSSL(loop *engine.Loop, p pki, addr *net.TCPAddr) net.Conn {
	s := sslsock.NewSocket(loop)
	loop.Invoke(func() {
		s.SetSSLConfiguration(p.sslClientConfig())
		s.ConnectToHostEncryptedPeerName(addr.IP.String(), uint16(addr.Port), "localhost")
	})
	return bridge.NewConn(s)
}

// accepted runs Accept on its own goroutine.
func acceptAsync(ln net.Listener) <-chan acceptResult {
	ch := make(chan acceptResult, 1)
	go func() {
		c, err := ln.Accept()
		ch <- acceptResult{c, err}
	}()
	return ch
}

type acceptResult struct {
	c   net.Conn
	err error
}

// pair makes a connection with dial and accepts its other end on ln.
func pair(ln net.Listener, dial func() (net.Conn, error)) (c1, c2 net.Conn, err error) {
	ch := acceptAsync(ln)
	c1, err = dial()
	if err != nil {
		ln.Close()
		<-ch
		return nil, nil, err
	}
	r := <-ch
	if r.err != nil {
		c1.Close()
		return nil, nil, r.err
	}
	return c1, r.c, nil
}

// checkLeaks records goroutines and descriptors now and fails the test if
// either grew by its end. Called after the test's loops are made, it
// checks before they close (cleanups run last-in first-out), so what a
// Conn or listener holds must be gone by its own Close.
func checkLeaks(t *testing.T) {
	t.Helper()
	g0 := runtime.NumGoroutine()
	fd0 := sockettest.OpenFDs(t)
	t.Cleanup(func() {
		if t.Failed() {
			return
		}
		fd := sockettest.OpenFDs(t)
		for i := 0; i < 400 && fd > fd0; i++ {
			time.Sleep(5 * time.Millisecond)
			fd = sockettest.OpenFDs(t)
		}
		if fd > fd0 {
			t.Errorf("descriptors: %d before, %d after", fd0, fd)
			ents, _ := os.ReadDir("/proc/self/fd")
			for _, e := range ents {
				l, _ := os.Readlink("/proc/self/fd/" + e.Name())
				t.Logf("fd %s -> %s", e.Name(), l)
			}
		}
		if g := sockettest.SettledGoroutines(g0); g > g0 {
			t.Errorf("goroutines: %d before, %d after", g0, g)
		}
	})
}
