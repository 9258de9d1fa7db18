package bridge_test

import (
	"bytes"
	"crypto/tls"
	"io"
	"net"
	"testing"

	"github.com/qsock/qsock/bridge"
	"github.com/qsock/qsock/internal/sockettest"
)

// TestCryptoTLS runs crypto/tls over bridged TCP connections: a bridged
// accepted connection under tls.Server, a bridged dialed one under
// tls.Client, and both at once, echoing 2 MiB.
func TestCryptoTLS(t *testing.T) {
	p := newPKI(t)
	data := randomBytes(2<<20, 4)

	// echo serves one TLS connection from ln, wrapping with tls.Server.
	echo := func(ln net.Listener) {
		c, err := ln.Accept()
		if err != nil {
			t.Error(err)
			return
		}
		tc := tls.Server(c, p.tlsServerConfig())
		defer tc.Close()
		io.Copy(tc, tc)
	}
	roundTrip := func(t *testing.T, c *tls.Conn) {
		t.Helper()
		defer c.Close()
		if err := c.Handshake(); err != nil {
			t.Fatalf("Handshake: %v", err)
		}
		if cs := c.ConnectionState(); cs.Version < tls.VersionTLS12 {
			t.Fatalf("version %x", cs.Version)
		}
		go c.Write(data)
		got := make([]byte, len(data))
		if _, err := io.ReadFull(c, got); err != nil || !bytes.Equal(got, data) {
			t.Fatalf("echo: %v", err)
		}
	}

	t.Run("BridgedServer", func(t *testing.T) {
		ln := listenTCP(t, sockettest.RunLoop(t))
		go echo(ln)
		c, err := tls.Dial("tcp", ln.Addr().String(), p.tlsClientConfig())
		if err != nil {
			t.Fatal(err)
		}
		roundTrip(t, c)
	})
	t.Run("BridgedClient", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		go echo(ln)
		d := &bridge.Dialer{Loop: sockettest.RunLoop(t)}
		c, err := d.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		roundTrip(t, tls.Client(c, p.tlsClientConfig()))
	})
	t.Run("BothBridged", func(t *testing.T) {
		l1, l2 := sockettest.RunLoop(t), sockettest.RunLoop(t)
		ln := listenTCP(t, l1)
		go echo(ln)
		c, err := (&bridge.Dialer{Loop: l2}).Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		roundTrip(t, tls.Client(c, p.tlsClientConfig()))
	})
}
