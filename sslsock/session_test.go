package sslsock_test

import (
	"crypto/tls"
	"io"
	"net"
	"testing"

	"github.com/qsock/qsock/socket"
	"github.com/qsock/qsock/sslsock"
)

// Session tickets, as Qt 6.4 handles them against s_server: with session
// persistence off (Qt's default) nothing is kept and nothing emitted; with
// it on, newSessionTicketReceived comes once per TLS 1.3 ticket (s_server
// sends two) and the ticket is in the configuration; a TLS 1.2 ticket is
// kept without the signal.
func TestOpenSSLSessionTickets(t *testing.T) {
	bin := needOpenSSL(t)
	p := interopPKI(t)
	f := writePKI(t, p)
	for _, tc := range []struct {
		name        string
		args        []string
		persistence bool
		signals     int
		ticket      bool
	}{
		{"tls1.3 default", []string{"-tls1_3"}, false, 0, false},
		{"tls1.3 persistence", []string{"-tls1_3"}, true, 2, true},
		{"tls1.2 persistence", []string{"-tls1_2"}, true, 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, port := sServer(t, bin, f.serverCert, f.serverKey, tc.args...)
			cfg := clientConfig(p)
			cfg.SessionPersistence = tc.persistence
			tickets := 0
			s, ev := connectEncrypted(t, cfg, "localhost", port, func(s *sslsock.Socket) {
				s.NewSessionTicketReceived.Connect(func() {
					tickets++
					if len(s.SSLConfiguration().SessionTicket) == 0 {
						t.Error("newSessionTicketReceived without a ticket in the configuration")
					}
				})
				s.Encrypted.Connect(func() { s.Write([]byte("ping\n")) })
			})
			l := s.Loop()
			until(t, l, "the reply", func() bool { return s.BytesAvailable() >= 5 })
			l.Invoke(func() {
				if tickets != tc.signals {
					t.Errorf("newSessionTicketReceived %d times, want %d; signals %v", tickets, tc.signals, ev.Log)
				}
				if got := len(s.SSLConfiguration().SessionTicket) > 0; got != tc.ticket {
					t.Errorf("ticket kept = %v, want %v", got, tc.ticket)
				}
				s.Abort()
			})
		})
	}
}

// A ticket put back into the configuration resumes the session.
func TestSessionTicketResumes(t *testing.T) {
	p := newPKI(t)
	for _, version := range []uint16{tls.VersionTLS12, tls.VersionTLS13} {
		t.Run(tls.VersionName(version), func(t *testing.T) {
			sc := serverConfig(p.server)
			sc.MaxVersion = version
			ln, err := tls.Listen("tcp4", "127.0.0.1:0", sc)
			if err != nil {
				t.Fatal(err)
			}
			defer ln.Close()
			resumed := make(chan bool, 2)
			go func() {
				for {
					c, err := ln.Accept()
					if err != nil {
						return
					}
					go func() {
						defer c.Close()
						tc := c.(*tls.Conn)
						if err := tc.Handshake(); err != nil {
							resumed <- false
							return
						}
						resumed <- tc.ConnectionState().DidResume
						io.Copy(c, c)
					}()
				}
			}()
			port := uint16(ln.Addr().(*net.TCPAddr).Port)
			cfg := clientConfig(p)
			cfg.SessionPersistence = true
			var ticket []byte
			for i := range 2 {
				s, _ := connectEncrypted(t, cfg, "localhost", port, func(s *sslsock.Socket) {
					s.Encrypted.Connect(func() { s.Write([]byte("x")) })
				})
				l := s.Loop()
				until(t, l, "the echo", func() bool { return s.BytesAvailable() == 1 })
				if got := <-resumed; got != (i == 1) {
					t.Errorf("connection %d: resumed = %v", i, got)
				}
				l.Invoke(func() {
					ticket = s.SSLConfiguration().SessionTicket
					s.DisconnectFromHost()
				})
				until(t, l, "closed", func() bool { return s.State() == socket.UnconnectedState })
				if len(ticket) == 0 {
					t.Fatalf("connection %d: no ticket", i)
				}
				cfg.SessionTicket = ticket
			}
		})
	}
}
