package sslsock_test

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/qsock/qsock/engine"
	"github.com/qsock/qsock/socket"
	"github.com/qsock/qsock/sslsock"
)

type events struct{ log []string }

func (e *events) add(s string) { e.log = append(e.log, s) }

func record(s *sslsock.Socket) *events {
	e := &events{}
	s.HostFound.Connect(func() { e.add("hostFound") })
	s.Connected.Connect(func() { e.add("connected") })
	s.Disconnected.Connect(func() { e.add("disconnected") })
	s.StateChanged.Connect(func(st socket.State) { e.add("state:" + st.String()) })
	s.ErrorOccurred.Connect(func(err socket.SocketError) { e.add("error:" + err.String()) })
	s.AboutToClose.Connect(func() { e.add("aboutToClose") })
	s.ReadChannelFinished.Connect(func() { e.add("readChannelFinished") })
	s.ModeChanged.Connect(func(m sslsock.Mode) { e.add("modeChanged:" + m.String()) })
	s.Encrypted.Connect(func() { e.add("encrypted") })
	s.PeerVerifyError.Connect(func(err sslsock.Error) { e.add("peerVerifyError:" + err.Code.String()) })
	s.SSLErrors.Connect(func(errs []sslsock.Error) {
		str := "sslErrors:"
		for i, err := range errs {
			if i > 0 {
				str += ","
			}
			str += err.Code.String()
		}
		e.add(str)
	})
	return e
}

func (e *events) check(t *testing.T, what string, want ...string) {
	t.Helper()
	if d := cmp.Diff(want, e.log); d != "" {
		t.Fatalf("%s: signal sequence (-want +got):\n%s", what, d)
	}
}

func newLoop(t testing.TB) *engine.Loop {
	t.Helper()
	l, err := engine.NewLoop()
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { defer close(done); l.Run() }()
	t.Cleanup(func() { l.Quit(); <-done; l.Close() })
	return l
}

func until(t testing.TB, l *engine.Loop, what string, fn func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		var ok bool
		l.Invoke(func() { ok = fn() })
		if ok {
			return
		}
		time.Sleep(2 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s", what)
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

func openFDs(t testing.TB) int {
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skipf("no /proc/self/fd: %v", err)
	}
	return len(ents)
}

func settledGoroutines(want int) int {
	n := runtime.NumGoroutine()
	for i := 0; i < 400 && n > want; i++ {
		time.Sleep(5 * time.Millisecond)
		n = runtime.NumGoroutine()
	}
	return n
}

var _ = fmt.Sprint
