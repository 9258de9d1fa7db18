package sslsock_test

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"runtime"
	"testing"
	"time"

	"github.com/qsock/qsock/socket"
	"github.com/qsock/qsock/sslsock"
	"golang.org/x/sys/unix"
)

func connectEncrypted(t *testing.T, cfg sslsock.Configuration, host string, port uint16, setup func(*sslsock.Socket)) (*sslsock.Socket, *events) {
	l := newLoop(t)
	var s *sslsock.Socket
	var ev *events
	l.Invoke(func() {
		s = sslsock.NewSocket(l)
		s.SetSSLConfiguration(cfg)
		ev = record(s)
		if setup != nil {
			setup(s)
		}
		s.ConnectToHostEncrypted(host, port)
		if s.Mode() != sslsock.UnencryptedMode {
			t.Errorf("Mode() = %v just after ConnectToHostEncrypted, want UnencryptedMode", s.Mode())
		}
	})
	return s, ev
}

func TestClientSequenceSuccess(t *testing.T) {
	p := newPKI(t)
	port := tlsEcho(t, serverConfig(p.server))
	s, ev := connectEncrypted(t, clientConfig(p), "127.0.0.1", port, func(s *sslsock.Socket) {
		// Written before Encrypted: queued, sent after it.
		s.Connected.Connect(func() { s.Write([]byte("early")) })
	})
	l := s.Loop()
	until(t, l, "echo", func() bool { return s.BytesAvailable() == 5 })
	l.Invoke(func() {
		ev.Check(t, "handshake", "state:HostLookupState", "state:ConnectingState", "hostFound",
			"state:ConnectedState", "modeChanged:SslClientMode", "connected", "encrypted")
		if got := string(s.ReadAll()); got != "early" {
			t.Errorf("echo %q", got)
		}
		if !s.IsEncrypted() || s.Mode() != sslsock.SSLClientMode {
			t.Errorf("encrypted %v mode %v", s.IsEncrypted(), s.Mode())
		}
		if s.SessionProtocol() != sslsock.TLSv1_3 || s.SessionCipher() == 0 {
			t.Errorf("protocol %v cipher %#x", s.SessionProtocol(), s.SessionCipher())
		}
		if pc := s.PeerCertificate(); pc == nil || !pc.Equal(p.server.cert) || len(s.PeerCertificateChain()) != 1 {
			t.Errorf("peer certificate %v", pc)
		}
		if len(s.SSLHandshakeErrors()) != 0 {
			t.Errorf("handshake errors %v", s.SSLHandshakeErrors())
		}
		s.Abort()
	})
}

func TestSelfSignedWrongNameFails(t *testing.T) {
	p := newPKI(t)
	port := tlsEcho(t, serverConfig(p.selfSigned))
	cfg := sslsock.DefaultConfiguration() // system roots: the self-signed one is unknown
	s, ev := connectEncrypted(t, cfg, "127.0.0.1", port, nil)
	until(t, s.Loop(), "handshake failure", func() bool { return s.State() == socket.UnconnectedState })
	s.Loop().Invoke(func() {
		ev.Check(t, "self-signed, wrong name",
			"state:HostLookupState", "state:ConnectingState", "hostFound", "state:ConnectedState",
			"modeChanged:SslClientMode", "connected",
			"peerVerifyError:SelfSignedCertificate", "peerVerifyError:HostNameMismatch",
			"sslErrors:HostNameMismatch,SelfSignedCertificate",
			"error:SslHandshakeFailedError", "state:ClosingState", "state:UnconnectedState",
			"readChannelFinished", "disconnected")
		if s.Error() != socket.SSLHandshakeFailedError {
			t.Errorf("Error() = %v", s.Error())
		}
		errs := s.SSLHandshakeErrors()
		if len(errs) != 2 || !errs[1].Certificate.Equal(p.selfSigned.cert) {
			t.Errorf("SSLHandshakeErrors = %v", errs)
		}
	})
}

func TestIgnoreInsideSlotContinues(t *testing.T) {
	p := newPKI(t)
	port := tlsEcho(t, serverConfig(p.selfSigned))
	s, ev := connectEncrypted(t, sslsock.DefaultConfiguration(), "127.0.0.1", port, func(s *sslsock.Socket) {
		s.SSLErrors.Connect(func([]sslsock.Error) { s.IgnoreSSLErrors() })
	})
	until(t, s.Loop(), "encrypted", func() bool { return s.IsEncrypted() })
	s.Loop().Invoke(func() {
		n := len(ev.Log)
		if ev.Log[n-1] != "encrypted" || ev.Log[n-2] != "sslErrors:HostNameMismatch,SelfSignedCertificate" {
			t.Errorf("sequence ends %v", ev.Log[n-4:])
		}
		if len(s.SSLHandshakeErrors()) != 2 {
			t.Errorf("ignored errors are still listed: %v", s.SSLHandshakeErrors())
		}
		s.Abort()
	})
}

func TestIgnoreListBeforeHandshake(t *testing.T) {
	p := newPKI(t)
	port := tlsEcho(t, serverConfig(p.selfSigned))
	for _, tc := range []struct {
		name   string
		ignore []sslsock.Error
		ok     bool
	}{
		{"both with certificate", []sslsock.Error{
			{Code: sslsock.SelfSignedCertificate, Certificate: p.selfSigned.cert},
			{Code: sslsock.HostNameMismatch, Certificate: p.selfSigned.cert}}, true},
		{"one missing", []sslsock.Error{{Code: sslsock.SelfSignedCertificate, Certificate: p.selfSigned.cert}}, false},
		{"other certificate", []sslsock.Error{
			{Code: sslsock.SelfSignedCertificate, Certificate: p.server.cert},
			{Code: sslsock.HostNameMismatch, Certificate: p.server.cert}}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, _ := connectEncrypted(t, sslsock.DefaultConfiguration(), "127.0.0.1", port, func(s *sslsock.Socket) {
				s.IgnoreSSLErrors(tc.ignore...)
			})
			until(t, s.Loop(), "handshake end", func() bool {
				return s.IsEncrypted() || s.State() == socket.UnconnectedState
			})
			s.Loop().Invoke(func() {
				if s.IsEncrypted() != tc.ok {
					t.Errorf("encrypted = %v, want %v", s.IsEncrypted(), tc.ok)
				}
				s.Abort()
			})
		})
	}
}

func TestPauseOnSSLErrorsAndResume(t *testing.T) {
	p := newPKI(t)
	port := tlsEcho(t, serverConfig(p.selfSigned))
	s, _ := connectEncrypted(t, sslsock.DefaultConfiguration(), "127.0.0.1", port, func(s *sslsock.Socket) {
		s.SetPauseMode(socket.PauseOnSSLErrors)
	})
	until(t, s.Loop(), "paused", func() bool { return len(s.SSLHandshakeErrors()) == 2 })
	time.Sleep(50 * time.Millisecond)
	s.Loop().Invoke(func() {
		if s.IsEncrypted() || s.State() != socket.ConnectedState {
			t.Fatalf("while paused: encrypted %v state %v", s.IsEncrypted(), s.State())
		}
		s.IgnoreSSLErrors()
		s.Resume()
	})
	until(t, s.Loop(), "encrypted after Resume", func() bool { return s.IsEncrypted() })
	s.Loop().Invoke(s.Abort)
}

func TestAbortInsideSSLErrorsSlot(t *testing.T) {
	p := newPKI(t)
	port := tlsEcho(t, serverConfig(p.selfSigned))
	gs := runtime.NumGoroutine()
	s, ev := connectEncrypted(t, sslsock.DefaultConfiguration(), "127.0.0.1", port, func(s *sslsock.Socket) {
		s.SSLErrors.Connect(func([]sslsock.Error) { s.Abort() })
	})
	until(t, s.Loop(), "aborted", func() bool { return s.State() == socket.UnconnectedState })
	s.Loop().Invoke(func() {
		n := len(ev.Log)
		want := []string{"aboutToClose", "state:UnconnectedState", "readChannelFinished", "disconnected"}
		for i, w := range want {
			if ev.Log[n-len(want)+i] != w {
				t.Fatalf("sequence %v", ev.Log)
			}
		}
	})
	// +1: the loop's own goroutine, started after gs was counted.
	if got := settledGoroutines(gs + 1); got > gs+1 {
		buf := make([]byte, 1<<16)
		t.Errorf("goroutines: %d before, %d after the abort\n%s", gs, got, buf[:runtime.Stack(buf, true)])
	}
}

func TestUnusableProtocolFailsAtOnce(t *testing.T) {
	l := newLoop(t)
	l.Invoke(func() {
		s := sslsock.NewSocket(l)
		cfg := sslsock.DefaultConfiguration()
		cfg.Protocol = sslsock.DTLSv1_2
		s.SetSSLConfiguration(cfg)
		ev := record(s)
		s.ConnectToHostEncrypted("127.0.0.1", 1)
		ev.Check(t, "unusable protocol", "error:SslInvalidUserDataError")
		if s.State() != socket.UnconnectedState {
			t.Errorf("state %v", s.State())
		}
	})
}

func TestProtocolMismatchIsHandshakeError(t *testing.T) {
	p := newPKI(t)
	sc := serverConfig(p.server)
	sc.MaxVersion = tls.VersionTLS12
	port := tlsEcho(t, sc)
	cfg := clientConfig(p)
	cfg.Protocol = sslsock.TLSv1_3OrLater
	s, ev := connectEncrypted(t, cfg, "127.0.0.1", port, nil)
	until(t, s.Loop(), "failure", func() bool { return s.State() == socket.UnconnectedState })
	s.Loop().Invoke(func() {
		for _, e := range ev.Log {
			if e == "sslErrors:" || len(e) > 10 && e[:10] == "sslErrors:" {
				t.Errorf("a version mismatch must not be reported as SSLErrors: %v", ev.Log)
			}
		}
		if s.Error() != socket.SSLHandshakeFailedError {
			t.Errorf("Error() = %v", s.Error())
		}
	})
}

func TestALPN(t *testing.T) {
	p := newPKI(t)
	sc := serverConfig(p.server)
	sc.NextProtos = []string{"h2", "http/1.1"}
	port := tlsEcho(t, sc)
	cfg := clientConfig(p)
	cfg.AllowedNextProtocols = []string{"http/1.1"}
	s, _ := connectEncrypted(t, cfg, "localhost", port, nil)
	until(t, s.Loop(), "encrypted", func() bool { return s.IsEncrypted() })
	s.Loop().Invoke(func() {
		if got := s.NextNegotiatedProtocol(); got != "http/1.1" {
			t.Errorf("ALPN = %q", got)
		}
		s.Abort()
	})
}

func TestExpiredCertificate(t *testing.T) {
	p := newPKI(t)
	port := tlsEcho(t, serverConfig(p.expired))
	s, ev := connectEncrypted(t, clientConfig(p), "127.0.0.1", port, nil)
	until(t, s.Loop(), "failure", func() bool { return s.State() == socket.UnconnectedState })
	s.Loop().Invoke(func() {
		if ev.Log[6] != "peerVerifyError:CertificateExpired" || ev.Log[7] != "sslErrors:CertificateExpired" {
			t.Errorf("sequence %v", ev.Log)
		}
	})
}

func TestTenMiBThenDisconnectArrivesWhole(t *testing.T) {
	p := newPKI(t)
	ln, err := tls.Listen("tcp4", "127.0.0.1:0", serverConfig(p.server))
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	got := make(chan []byte, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			got <- nil
			return
		}
		defer c.Close()
		b, _ := io.ReadAll(c) // ends at close_notify
		got <- b
	}()
	payload := bytes.Repeat([]byte("qsock-tls-"), 1<<20)
	s, _ := connectEncrypted(t, clientConfig(p), "127.0.0.1", uint16(ln.Addr().(*net.TCPAddr).Port), func(s *sslsock.Socket) {
		s.Connected.Connect(func() {
			s.Write(payload)
			s.DisconnectFromHost()
		})
	})
	select {
	case b := <-got:
		if !bytes.Equal(b, payload) {
			t.Fatalf("peer got %d bytes, want %d", len(b), len(payload))
		}
	case <-time.After(20 * time.Second):
		t.Fatal("timed out")
	}
	until(t, s.Loop(), "closed", func() bool { return s.State() == socket.UnconnectedState })
}

func TestBlockingStyle(t *testing.T) {
	p := newPKI(t)
	port := tlsEcho(t, serverConfig(p.server))
	s := sslsock.NewSocket(nil)
	s.SetSSLConfiguration(clientConfig(p))
	s.ConnectToHostEncrypted("localhost", port)
	if !s.WaitForEncrypted(10 * time.Second) {
		t.Fatalf("WaitForEncrypted: %v", s.ErrorString())
	}
	s.Write([]byte("blocking"))
	var got []byte
	for len(got) < 8 && s.WaitForReadyRead(5*time.Second) {
		got = append(got, s.ReadAll()...)
	}
	if string(got) != "blocking" {
		t.Fatalf("got %q", got)
	}
	s.DisconnectFromHost()
	if s.State() != socket.UnconnectedState && !s.WaitForDisconnected(5*time.Second) {
		t.Fatal("not disconnected")
	}
}

func TestServerSideWithClientCertificate(t *testing.T) {
	p := newPKI(t)
	for _, tc := range []struct {
		name       string
		mode       sslsock.PeerVerifyMode
		clientCert bool
		ok         bool
		errs       []sslsock.ErrorCode
	}{
		{"verify with cert", sslsock.VerifyPeer, true, true, nil},
		{"verify without cert", sslsock.VerifyPeer, false, false, []sslsock.ErrorCode{sslsock.NoPeerCertificate}},
		{"query without cert", sslsock.QueryPeer, false, true, nil},
		{"auto without cert", sslsock.AutoVerifyPeer, false, true, nil},
		{"none", sslsock.VerifyNone, true, true, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := newLoop(t)
			ln, err := net.Listen("tcp4", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			defer ln.Close()
			cc := &tls.Config{RootCAs: x509.NewCertPool(), ServerName: "localhost"}
			cc.RootCAs.AddCert(p.ca.cert)
			if tc.clientCert {
				cc.Certificates = []tls.Certificate{p.client.tls()}
			}
			clientDone := make(chan error, 1)
			go func() {
				c, err := tls.Dial("tcp4", ln.Addr().String(), cc)
				if err == nil {
					c.Write([]byte("hi"))
					buf := make([]byte, 2)
					_, err = io.ReadFull(c, buf)
					c.Close()
				}
				clientDone <- err
			}()
			c, err := ln.Accept()
			if err != nil {
				t.Fatal(err)
			}
			f, _ := c.(*net.TCPConn).File()
			c.Close()
			// The socket owns what it adopts: give it a descriptor of its own.
			fd, _ := unix.Dup(int(f.Fd()))
			f.Close()
			var s *sslsock.Socket
			var ev *events
			encrypted := false
			l.Invoke(func() {
				s = sslsock.NewSocket(l)
				cfg := sslsock.DefaultConfiguration()
				cfg.LocalCertificateChain = []*x509.Certificate{p.server.cert}
				cfg.PrivateKey = p.server.key
				cfg.CACertificates = []*x509.Certificate{p.ca.cert}
				cfg.PeerVerifyMode = tc.mode
				s.SetSSLConfiguration(cfg)
				if err := s.SetSocketDescriptor(fd, socket.ConnectedState); err != nil {
					t.Fatal(err)
				}
				ev = record(s)
				s.Encrypted.Connect(func() { encrypted = true })
				s.ReadyRead.Connect(func() { s.Write(s.ReadAll()) })
				s.StartServerEncryption()
			})
			until(t, l, "handshake end", func() bool { return encrypted || s.State() == socket.UnconnectedState })
			cerr := <-clientDone
			l.Invoke(func() {
				if encrypted != tc.ok {
					t.Errorf("encrypted = %v, want %v; signals %v", encrypted, tc.ok, ev.Log)
				}
				var codes []sslsock.ErrorCode
				for _, e := range s.SSLHandshakeErrors() {
					codes = append(codes, e.Code)
				}
				if len(codes) != len(tc.errs) || len(codes) > 0 && codes[0] != tc.errs[0] {
					t.Errorf("errors %v, want %v", codes, tc.errs)
				}
				if ev.Log[0] != "modeChanged:SslServerMode" {
					t.Errorf("server sequence %v", ev.Log)
				}
				s.Abort()
			})
			if tc.ok && cerr != nil {
				t.Errorf("client: %v", cerr)
			}
		})
	}
}

var _ = errors.Is
