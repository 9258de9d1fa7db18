package sslsock_test

import (
	"crypto/tls"
	"crypto/x509"
	"io"
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/qsock/qsock/server"
	"github.com/qsock/qsock/socket"
	"github.com/qsock/qsock/sslsock"
)

// The TLS benchmarks: a qsock server (server.SSLServer on one loop, the
// sockets echoing on ReadyRead, as bench/servers/qsocktls does) and, for
// comparison in the same process, a Go net + crypto/tls server with a
// goroutine per connection, both driven by a Go crypto/tls client: TLS
// 1.3, an ECDSA P-256 self-signed certificate, no ALPN, no client
// certificate, no session cache (every handshake is a full one).
//
// The figures include the client, which runs in the same process: ns/op
// and allocs/op are comparable between the "qsock" and "go" sub-benchmarks,
// not absolute server costs. Run with
//
//	go test -run '^$' -bench 'Handshake|TLSEcho' -benchmem ./sslsock

// benchServerCert is the servers' certificate.
func benchServerCert(b *testing.B) identity {
	now := time.Now()
	return makeCert(b, "localhost", []string{"localhost", "127.0.0.1"}, nil, false,
		now.Add(-time.Hour), now.Add(time.Hour), x509.ExtKeyUsageServerAuth)
}

var benchClientConfig = &tls.Config{
	InsecureSkipVerify: true,
	MinVersion:         tls.VersionTLS13,
	MaxVersion:         tls.VersionTLS13,
}

// qsockEchoServer starts a qsock TLS echo server on a loop of its own and
// returns its port.
func qsockEchoServer(b *testing.B, id identity) uint16 {
	l := newLoop(b)
	cfg := sslsock.DefaultConfiguration()
	cfg.Protocol = sslsock.TLSv1_3
	cfg.PeerVerifyMode = sslsock.VerifyNone
	cfg.LocalCertificateChain = []*x509.Certificate{id.cert}
	cfg.PrivateKey = id.key
	var port uint16
	l.Invoke(func() {
		buf := make([]byte, 64<<10)
		srv := server.NewSSLServer(l)
		srv.SetSSLConfiguration(cfg)
		srv.SetMaxPendingConnections(1024)
		srv.PendingConnectionAvailable.Connect(func() {
			for c := srv.NextPendingConnection(); c != nil; c = srv.NextPendingConnection() {
				c.SetSocketOption(socket.LowDelayOption, 1)
				c.ReadyRead.Connect(func() {
					for {
						n, _ := c.Read(buf)
						if n == 0 {
							return
						}
						c.Write(buf[:n])
					}
				})
				c.Disconnected.Connect(c.Close)
			}
		})
		if err := srv.Listen(socket.AnyIPv4, 0); err != nil {
			b.Fatal(err)
		}
		port = srv.ServerPort()
		b.Cleanup(func() { l.Invoke(srv.Close) })
	})
	return port
}

// goEchoServer starts a Go net + crypto/tls echo server, a goroutine per
// connection, and returns its port.
func goEchoServer(b *testing.B, id identity) uint16 {
	ln, err := net.Listen("tcp4", "0.0.0.0:0")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { ln.Close() })
	cfg := &tls.Config{
		MinVersion:   tls.VersionTLS13,
		MaxVersion:   tls.VersionTLS13,
		Certificates: []tls.Certificate{id.tls()},
	}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				tc := tls.Server(c, cfg)
				defer tc.Close()
				buf := make([]byte, 64<<10)
				for {
					n, err := tc.Read(buf)
					if n > 0 {
						if _, err := tc.Write(buf[:n]); err != nil {
							return
						}
					}
					if err != nil {
						return
					}
				}
			}()
		}
	}()
	return uint16(ln.Addr().(*net.TCPAddr).Port)
}

var benchServers = []struct {
	name  string
	start func(*testing.B, identity) uint16
}{
	{"qsock", qsockEchoServer},
	{"go", goEchoServer},
}

// BenchmarkHandshake is one full TLS 1.3 handshake per op: connect,
// handshake, a 1-byte echo (so the server finished its side), close. The
// destination rotates over 127.0.0.1–8 so that the client's TIME_WAIT
// sockets do not use up the ephemeral ports.
func BenchmarkHandshake(b *testing.B) {
	id := benchServerCert(b)
	for _, srv := range benchServers {
		b.Run(srv.name, func(b *testing.B) {
			port := srv.start(b, id)
			addrs := make([]string, 8)
			for i := range addrs {
				addrs[i] = "127.0.0." + strconv.Itoa(i+1) + ":" + strconv.Itoa(int(port))
			}
			one, in := []byte{'x'}, make([]byte, 1)
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				c, err := net.Dial("tcp4", addrs[i%len(addrs)])
				if err != nil {
					b.Fatal(err)
				}
				c.SetDeadline(time.Now().Add(10 * time.Second))
				tc := tls.Client(c, benchClientConfig)
				if err := tc.Handshake(); err != nil {
					b.Fatal(err)
				}
				if _, err := tc.Write(one); err != nil {
					b.Fatal(err)
				}
				if _, err := io.ReadFull(tc, in); err != nil {
					b.Fatal(err)
				}
				tc.Close()
			}
		})
	}
}

// BenchmarkTLSEcho64 is one 64-byte message echoed per op over one
// established TLS connection (write, then read the echo back). The goal
// for the qsock server is no allocation per echoed message: the "go"
// sub-benchmark shows what the client (and Go's server) allocate.
func BenchmarkTLSEcho64(b *testing.B) {
	id := benchServerCert(b)
	for _, srv := range benchServers {
		b.Run(srv.name, func(b *testing.B) {
			port := srv.start(b, id)
			tc, err := tls.Dial("tcp4", "127.0.0.1:"+strconv.Itoa(int(port)), benchClientConfig)
			if err != nil {
				b.Fatal(err)
			}
			defer tc.Close()
			out, in := make([]byte, 64), make([]byte, 64)
			// Warm up: the first messages grow buffers on both sides.
			for range 100 {
				tc.Write(out)
				if _, err := io.ReadFull(tc, in); err != nil {
					b.Fatal(err)
				}
			}
			b.SetBytes(64)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := tc.Write(out); err != nil {
					b.Fatal(err)
				}
				if _, err := io.ReadFull(tc, in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
