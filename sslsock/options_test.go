package sslsock_test

import (
	"crypto/tls"
	"slices"
	"testing"

	"github.com/qsock/qsock/socket"
	"github.com/qsock/qsock/sslsock"
)

// QSslConfiguration's default options, and the set/test pair; the
// session-persistence option is SessionPersistence turned off.
func TestSSLOptions(t *testing.T) {
	c := sslsock.DefaultConfiguration()
	def := sslsock.SSLOptionDisableEmptyFragments | sslsock.SSLOptionDisableLegacyRenegotiation |
		sslsock.SSLOptionDisableCompression | sslsock.SSLOptionDisableSessionPersistence
	if !c.TestSSLOption(def) {
		t.Errorf("the default options do not include Qt's %v", def)
	}
	for _, o := range []sslsock.SSLOption{sslsock.SSLOptionDisableSessionTickets, sslsock.SSLOptionDisableServerNameIndication,
		sslsock.SSLOptionDisableSessionSharing, sslsock.SSLOptionDisableServerCipherPreference} {
		if c.TestSSLOption(o) {
			t.Errorf("%v is on by default", o)
		}
	}
	c.SetSSLOption(sslsock.SSLOptionDisableSessionPersistence, false)
	if !c.SessionPersistence || c.TestSSLOption(sslsock.SSLOptionDisableSessionPersistence) {
		t.Errorf("turning DisableSessionPersistence off: SessionPersistence %v", c.SessionPersistence)
	}
	c.SetSSLOption(sslsock.SSLOptionDisableSessionTickets|sslsock.SSLOptionDisableCompression, true)
	c.SetSSLOption(sslsock.SSLOptionDisableCompression, false)
	if !c.TestSSLOption(sslsock.SSLOptionDisableSessionTickets) || c.TestSSLOption(sslsock.SSLOptionDisableCompression) {
		t.Errorf("options after set and clear: %v", c.Options)
	}
	if got := (sslsock.SSLOptionDisableEmptyFragments | sslsock.SSLOptionDisableSessionTickets).String(); got != "SslOptionDisableEmptyFragments|SslOptionDisableSessionTickets" {
		t.Errorf("String() = %q", got)
	}
}

// DisableServerNameIndication: the server sees no name, and the client
// still checks the certificate against the host it connected to.
func TestDisableServerNameIndication(t *testing.T) {
	p := newPKI(t)
	names := make(chan string, 4)
	sc := serverConfig(p.server)
	sc.GetConfigForClient = func(h *tls.ClientHelloInfo) (*tls.Config, error) {
		names <- h.ServerName
		return nil, nil
	}
	port := tlsEcho(t, sc)
	for _, off := range []bool{false, true} {
		cfg := clientConfig(p)
		cfg.SetSSLOption(sslsock.SSLOptionDisableServerNameIndication, off)
		s, _ := connectEncrypted(t, cfg, "localhost", port, nil)
		until(t, s.Loop(), "encrypted", s.IsEncrypted)
		s.Loop().Invoke(s.Abort)
		want := "localhost"
		if off {
			want = ""
		}
		if got := <-names; got != want {
			t.Errorf("SNI off %v: the server saw the name %q, want %q", off, got, want)
		}
	}
}

// DisableSessionTickets: a client keeping sessions gets no ticket from a
// server that offers them, so nothing can be resumed.
func TestDisableSessionTickets(t *testing.T) {
	p := newPKI(t)
	for _, version := range []uint16{tls.VersionTLS12, tls.VersionTLS13} {
		t.Run(tls.VersionName(version), func(t *testing.T) {
			sc := serverConfig(p.server)
			sc.MaxVersion = version
			port := tlsEcho(t, sc)
			cfg := clientConfig(p)
			cfg.SessionPersistence = true
			cfg.SetSSLOption(sslsock.SSLOptionDisableSessionTickets, true)
			s, _ := connectEncrypted(t, cfg, "localhost", port, func(s *sslsock.Socket) {
				s.Encrypted.Connect(func() { s.Write([]byte("x")) })
			})
			l := s.Loop()
			until(t, l, "the echo", func() bool { return s.BytesAvailable() == 1 })
			l.Invoke(func() {
				if ticket := s.SSLConfiguration().SessionTicket; len(ticket) != 0 {
					t.Errorf("a %d-byte ticket arrived with tickets disabled", len(ticket))
				}
				s.DisconnectFromHost()
			})
			until(t, l, "closed", func() bool { return s.State() == socket.UnconnectedState })
		})
	}
}

// EllipticCurves is what the client offers (crypto/tls chooses the order).
func TestEllipticCurves(t *testing.T) {
	p := newPKI(t)
	offered := make(chan []tls.CurveID, 1)
	sc := serverConfig(p.server)
	sc.GetConfigForClient = func(h *tls.ClientHelloInfo) (*tls.Config, error) {
		offered <- h.SupportedCurves
		return nil, nil
	}
	port := tlsEcho(t, sc)
	cfg := clientConfig(p)
	cfg.EllipticCurves = []tls.CurveID{tls.CurveP384, tls.CurveP256}
	s, _ := connectEncrypted(t, cfg, "localhost", port, nil)
	until(t, s.Loop(), "encrypted", s.IsEncrypted)
	s.Loop().Invoke(s.Abort)
	got := <-offered
	slices.Sort(got)
	if want := []tls.CurveID{tls.CurveP256, tls.CurveP384}; !slices.Equal(got, want) {
		t.Errorf("the client offered %v, want %v", got, want)
	}
}
