package sslsock_test

import (
	"testing"
	"time"

	"github.com/qsock/qsock/internal/sockettest"
	"github.com/qsock/qsock/socket"
	"github.com/qsock/qsock/sslsock"
)

// TestEncryptedThroughProxy runs the TLS layer over the proxy transports:
// the handshake starts once the proxy has connected, the certificate is
// checked against the name given to ConnectToHostEncrypted (which the
// proxy resolved), and data flows both ways.
func TestEncryptedThroughProxy(t *testing.T) {
	p := newPKI(t)
	port := tlsEcho(t, serverConfig(p.server))
	for _, tc := range []struct {
		name  string
		proxy func(t *testing.T) socket.Proxy
	}{
		{"socks5", func(t *testing.T) socket.Proxy {
			return socket.NewProxy(socket.Socks5Proxy, "127.0.0.1", sockettest.StartDante(t, false), "", "")
		}},
		{"http", func(t *testing.T) socket.Proxy {
			return socket.NewProxy(socket.HTTPProxy, "127.0.0.1", sockettest.StartTinyproxy(t, false), "", "")
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			proxy := tc.proxy(t)
			l := newLoop(t)
			var s *sslsock.Socket
			var ev *events
			var got []byte
			l.Invoke(func() {
				s = sslsock.NewSocket(l)
				s.SetSSLConfiguration(clientConfig(p))
				s.SetProxy(proxy)
				ev = record(s)
				s.Encrypted.Connect(func() { s.Write([]byte("ping\n")) })
				s.ReadyRead.Connect(func() { got = append(got, s.ReadAll()...) })
				s.ConnectToHostEncrypted("localhost", port)
			})
			defer l.Invoke(func() { s.Abort() })
			until(t, l, "the echo", func() bool { return string(got) == "ping\n" || s.State() == socket.UnconnectedState })
			l.Invoke(func() {
				ev.Check(t, "connect", "state:HostLookupState", "state:ConnectingState", "state:ConnectedState",
					"modeChanged:SslClientMode", "connected", "encrypted")
				if string(got) != "ping\n" {
					t.Errorf("echo %q, error %q", got, s.ErrorString())
				}
			})
		})
	}
	t.Run("blocking", func(t *testing.T) {
		s := sslsock.NewSocket(nil)
		defer s.Abort()
		s.SetSSLConfiguration(clientConfig(p))
		s.SetProxy(socket.NewProxy(socket.Socks5Proxy, "localhost", sockettest.StartDante(t, false), "", ""))
		s.ConnectToHostEncrypted("localhost", port)
		if !s.WaitForEncrypted(10 * time.Second) {
			t.Fatalf("WaitForEncrypted: %v %q", s.Error(), s.ErrorString())
		}
		s.Write([]byte("ping\n"))
		if !s.WaitForReadyRead(5 * time.Second) {
			t.Fatal(s.ErrorString())
		}
		if got := string(s.ReadAll()); got != "ping\n" {
			t.Errorf("echo %q", got)
		}
	})
}
