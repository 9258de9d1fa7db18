package sslsock_test

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"testing"

	"github.com/qsock/qsock/internal/sockettest"

	"github.com/qsock/qsock/sslsock"
)

type events = sockettest.Recorder

var (
	newLoop           = sockettest.RunLoop
	until             = sockettest.Until
	openFDs           = sockettest.OpenFDs
	settledGoroutines = sockettest.SettledGoroutines
)

func record(s *sslsock.Socket) *events {
	e := sockettest.RecordSocket(&events{}, s.AbstractSocket)
	s.ModeChanged.Connect(func(m sslsock.Mode) { e.Add("modeChanged:" + m.String()) })
	s.Encrypted.Connect(func() { e.Add("encrypted") })
	s.PeerVerifyError.Connect(func(err sslsock.Error) { e.Add("peerVerifyError:" + err.Code.String()) })
	s.SSLErrors.Connect(func(errs []sslsock.Error) {
		str := "sslErrors:"
		for i, err := range errs {
			if i > 0 {
				str += ","
			}
			str += err.Code.String()
		}
		e.Add(str)
	})
	return e
}

// tlsEcho is a Go crypto/tls echo server: a real peer.
func tlsEcho(t testing.TB, cfg *tls.Config) uint16 {
	t.Helper()
	ln, err := tls.Listen("tcp4", "127.0.0.1:0", cfg)
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
				io.Copy(c, c)
			}()
		}
	}()
	return uint16(ln.Addr().(*net.TCPAddr).Port)
}

func serverConfig(id identity) *tls.Config {
	return &tls.Config{Certificates: []tls.Certificate{id.tls()}}
}

func clientConfig(p pki) sslsock.Configuration {
	c := sslsock.DefaultConfiguration()
	c.CACertificates = []*x509.Certificate{p.ca.cert}
	return c
}

var _ = fmt.Sprint
