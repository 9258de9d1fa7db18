package server_test

import (
	"crypto/tls"
	"crypto/x509"
	"io"
	"net"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/qsock/qsock/engine"
	"github.com/qsock/qsock/server"
	"github.com/qsock/qsock/socket"
	"github.com/qsock/qsock/sslsock"
)

// groupSSL makes an SSLServer on its own loop that serves on a group of n
// loops, and counts the server's signals that fire off the server's loop.
func groupSSL(t *testing.T, n int, cfg sslsock.Configuration) (*server.SSLServer, *engine.Loop, *engine.LoopGroup, string, *atomic.Int32) {
	t.Helper()
	loop := newLoop(t)
	g := newGroup(t, n)
	srv, addr := listenSSL(t, loop, cfg)
	var off atomic.Int32
	check := func() {
		if !loop.InLoop() {
			off.Add(1)
		}
	}
	do(loop, func() {
		srv.SetLoopGroup(g)
		srv.NewConnection.Connect(check)
		srv.PendingConnectionAvailable.Connect(check)
		srv.StartedEncryptionHandshake.Connect(func(*sslsock.Socket) { check() })
		srv.SSLErrors.Connect(func(*sslsock.Socket, []sslsock.Error) { check() })
		srv.PeerVerifyError.Connect(func(*sslsock.Socket, sslsock.Error) { check() })
		srv.ErrorOccurred.Connect(func(*sslsock.Socket, socket.SocketError) { check() })
	})
	t.Cleanup(func() {
		if n := off.Load(); n != 0 {
			t.Errorf("%d server signals emitted off the server's loop", n)
		}
	})
	return srv, loop, g, addr, &off
}

// inGroup reports whether l is one of g's loops.
func inGroup(g *engine.LoopGroup, l *engine.Loop) bool {
	for i := range g.Len() {
		if g.Loop(i) == l {
			return true
		}
	}
	return false
}

// With a LoopGroup, the sockets handshake on the group's loops and the
// server's signals keep Qt's order on the server's loop: newConnection,
// startedEncryptionHandshake, pendingConnectionAvailable; the pending
// socket belongs to its group loop.
func TestSSLServerLoopGroupOrder(t *testing.T) {
	p := newTLSPKI(t)
	srv, loop, g, addr, _ := groupSSL(t, 3, p.serverConfig())
	var log *sslLog
	var bad atomic.Int32
	var mu sync.Mutex
	perLoop := map[*engine.Loop]int{}
	do(loop, func() {
		log = recordSSL(srv)
		srv.StartedEncryptionHandshake.Connect(func(c *sslsock.Socket) {
			if c.Loop() == loop || !inGroup(g, c.Loop()) {
				bad.Add(1)
			}
		})
		srv.PendingConnectionAvailable.Connect(func() {
			c := srv.NextPendingConnection()
			if c == nil || c.Loop() == loop || !inGroup(g, c.Loop()) {
				bad.Add(1)
				return
			}
			c.Loop().Post(func() {
				if !c.IsEncrypted() || !c.Loop().InLoop() {
					bad.Add(1)
				}
				mu.Lock()
				perLoop[c.Loop()]++
				mu.Unlock()
				c.ReadyRead.Connect(func() {
					if !c.Loop().InLoop() {
						bad.Add(1)
					}
				})
				echoTLS(c)
			})
		})
	})
	const n = 6
	for i := range n {
		conn, err := tls.Dial("tcp", addr, p.clientConfig())
		if err != nil {
			t.Fatal(err)
		}
		roundTrip(t, conn, "over a worker "+string(rune('a'+i)))
		conn.Close()
	}
	var want []string
	for range n {
		want = append(want, "newConnection", "startedEncryptionHandshake", "pendingConnectionAvailable")
	}
	do(loop, func() {
		if d := cmp.Diff(want, log.log); d != "" {
			t.Errorf("server signals (-want +got):\n%s", d)
		}
	})
	if bad.Load() != 0 {
		t.Errorf("%d sockets on the wrong loop, or not encrypted", bad.Load())
	}
	mu.Lock()
	defer mu.Unlock()
	if len(perLoop) != 3 {
		t.Errorf("sockets spread over %d loops, want 3: %v", len(perLoop), perLoop)
	}
}

// With a LoopGroup and a handler, the SetBeforeHandshake function and the
// handler run on the socket's loop; nothing is ever pending.
func TestSSLServerLoopGroupHandler(t *testing.T) {
	p := newTLSPKI(t)
	srv, loop, g, addr, _ := groupSSL(t, 3, p.serverConfig())
	var bad, before, handled atomic.Int32
	var log *sslLog
	do(loop, func() {
		log = recordSSL(srv)
		srv.SetBeforeHandshake(func(c *sslsock.Socket) {
			before.Add(1)
			if c.Loop() == loop || !c.Loop().InLoop() || !inGroup(g, c.Loop()) ||
				c.State() != socket.ConnectedState || c.Mode() != sslsock.UnencryptedMode {
				bad.Add(1)
			}
			c.Encrypted.Connect(func() {
				if handled.Load() == 0 {
					bad.Add(1) // the handler comes first
				}
			})
		})
		srv.SetHandler(func(c *sslsock.Socket) {
			if !c.Loop().InLoop() || c.Loop() == loop || !c.IsEncrypted() {
				bad.Add(1)
			}
			handled.Add(1)
			echoTLS(c)
		})
		srv.NewConnection.Connect(func() {
			if srv.NextPendingConnection() != nil {
				bad.Add(1)
			}
		})
	})
	for i := range 6 {
		conn, err := tls.Dial("tcp", addr, p.clientConfig())
		if err != nil {
			t.Fatal(err)
		}
		roundTrip(t, conn, "handled on a worker "+string(rune('a'+i)))
		conn.Close()
	}
	if bad.Load() != 0 || before.Load() != 6 || handled.Load() != 6 {
		t.Errorf("bad %d, before %d, handled %d", bad.Load(), before.Load(), handled.Load())
	}
	do(loop, func() {
		for _, s := range log.log {
			if s == "pendingConnectionAvailable" {
				t.Errorf("pending with a handler: %v", log.log)
			}
		}
		if srv.HasPendingConnections() {
			t.Error("a connection is pending with a handler")
		}
	})
}

// A failed handshake on a worker is reported on the server's loop and
// never queued; a plain-text client is dropped the same way.
func TestSSLServerLoopGroupFailedHandshake(t *testing.T) {
	p := newTLSPKI(t)
	stranger := issue(t, "stranger", nil, nil, false, x509.ExtKeyUsageClientAuth)
	cfg := p.serverConfig()
	cfg.PeerVerifyMode = sslsock.VerifyPeer
	srv, loop, _, addr, _ := groupSSL(t, 2, cfg)
	var log *sslLog
	var decided atomic.Int32
	do(loop, func() {
		log = recordSSL(srv)
		srv.SSLErrors.Connect(func(c *sslsock.Socket, _ []sslsock.Error) {
			// The socket is reached on its own loop only.
			c.Loop().Invoke(func() {
				if len(c.SSLHandshakeErrors()) == 1 {
					decided.Add(1)
				}
			})
		})
	})
	cc := p.clientConfig()
	cc.Certificates = []tls.Certificate{stranger.tls()}
	conn, err := tls.Dial("tcp", addr, cc)
	if err == nil {
		conn.SetDeadline(time.Now().Add(5 * time.Second))
		conn.Write([]byte("x"))
		_, err = io.ReadFull(conn, make([]byte, 1))
		conn.Close()
	}
	if err == nil {
		t.Error("refused certificate: client read data")
	}
	want := []string{"newConnection", "startedEncryptionHandshake",
		"peerVerifyError:SelfSignedCertificate", "sslErrors:SelfSignedCertificate",
		"errorOccurred:SslHandshakeFailedError"}
	until(t, loop, "the failure", func() bool { return len(log.log) >= len(want) })
	do(loop, func() {
		if d := cmp.Diff(want, log.log); d != "" {
			t.Errorf("server signals (-want +got):\n%s", d)
		}
		if srv.HasPendingConnections() {
			t.Error("a failed handshake is pending")
		}
		if decided.Load() != 1 {
			t.Error("the server's sslErrors slot could not reach the socket on its loop")
		}
		log.log = nil
	})

	plain := dial(t, "127.0.0.1", port(addr))
	plain.Write([]byte("GET / HTTP/1.0\r\n\r\n"))
	expectClosed(t, plain)
	until(t, loop, "the plain-text client's end", func() bool { return len(log.log) >= 2 })
	do(loop, func() {
		want := []string{"newConnection", "errorOccurred:SslHandshakeFailedError"}
		if d := cmp.Diff(want, log.log); d != "" {
			t.Errorf("plain-text client (-want +got):\n%s", d)
		}
		if srv.HasPendingConnections() {
			t.Error("a plain-text client is pending")
		}
	})
}

// With a LoopGroup the decision on SSL errors is made on the socket's
// loop: by a slot the SetBeforeHandshake function connects, or by the
// server's slot answering a paused socket through its loop.
func TestSSLServerLoopGroupIgnoreErrors(t *testing.T) {
	p := newTLSPKI(t)
	stranger := issue(t, "stranger", nil, nil, false, x509.ExtKeyUsageClientAuth)
	cfg := p.serverConfig()
	cfg.PeerVerifyMode = sslsock.VerifyPeer
	for _, how := range []string{"socket slot", "paused"} {
		t.Run(how, func(t *testing.T) {
			srv, loop, _, addr, _ := groupSSL(t, 2, cfg)
			var log *sslLog
			var bad atomic.Int32
			do(loop, func() {
				log = recordSSL(srv)
				srv.SetBeforeHandshake(func(c *sslsock.Socket) {
					if how == "paused" {
						c.SetPauseMode(socket.PauseOnSSLErrors)
						return
					}
					c.SSLErrors.Connect(func([]sslsock.Error) {
						if !c.Loop().InLoop() {
							bad.Add(1)
						}
						c.IgnoreSSLErrors()
					})
				})
				if how == "paused" {
					srv.SSLErrors.Connect(func(c *sslsock.Socket, _ []sslsock.Error) {
						c.Loop().Post(func() { c.IgnoreSSLErrors(); c.Resume() })
					})
				}
				srv.PendingConnectionAvailable.Connect(func() {
					c := srv.NextPendingConnection()
					c.Loop().Post(func() { echoTLS(c) })
				})
			})
			cc := p.clientConfig()
			cc.Certificates = []tls.Certificate{stranger.tls()}
			conn, err := tls.Dial("tcp", addr, cc)
			if err != nil {
				t.Fatal(err)
			}
			roundTrip(t, conn, "ignored on the worker")
			conn.Close()
			do(loop, func() {
				want := []string{"newConnection", "startedEncryptionHandshake",
					"peerVerifyError:SelfSignedCertificate", "sslErrors:SelfSignedCertificate",
					"pendingConnectionAvailable"}
				if d := cmp.Diff(want, log.log); d != "" {
					t.Errorf("server signals (-want +got):\n%s", d)
				}
			})
			if bad.Load() != 0 {
				t.Error("the socket's SSLErrors slot ran off its loop")
			}
		})
	}
}

// A silent client times out on its worker's timer: ErrorOccurred(socket,
// SocketTimeoutError) on the server's loop, the connection dropped, and
// its place under the pending limit given back.
func TestSSLServerLoopGroupHandshakeTimeout(t *testing.T) {
	p := newTLSPKI(t)
	srv, loop, _, addr, _ := groupSSL(t, 3, p.serverConfig())
	var log *sslLog
	do(loop, func() {
		log = recordSSL(srv)
		srv.SetHandshakeTimeout(150 * time.Millisecond)
		srv.SetMaxPendingConnections(1)
	})
	start := time.Now()
	silent := dial(t, "127.0.0.1", port(addr))
	expectClosed(t, silent)
	if d := time.Since(start); d < 100*time.Millisecond {
		t.Errorf("dropped after %v, before the timeout", d)
	}
	until(t, loop, "the timeout", func() bool { return len(log.log) >= 2 })
	do(loop, func() {
		want := []string{"newConnection", "errorOccurred:SocketTimeoutError"}
		if d := cmp.Diff(want, log.log); d != "" {
			t.Errorf("server signals (-want +got):\n%s", d)
		}
		log.log = nil
		srv.SetHandshakeTimeout(5 * time.Second)
	})
	// The limit is 1: the timed-out handshake gave its place back.
	conn, err := tls.Dial("tcp", addr, p.clientConfig())
	if err != nil {
		t.Fatal(err)
	}
	conn.Close()
	until(t, loop, "the next connection", func() bool { return len(log.log) >= 3 })
}

// Connections handshaking on workers count toward MaxPendingConnections:
// at the limit nothing more is accepted until one ends.
func TestSSLServerLoopGroupPendingLimit(t *testing.T) {
	p := newTLSPKI(t)
	srv, loop, _, addr, _ := groupSSL(t, 3, p.serverConfig())
	news := 0
	do(loop, func() {
		srv.SetMaxPendingConnections(2)
		srv.NewConnection.Connect(func() { news++ })
	})
	a := dial(t, "127.0.0.1", port(addr))
	dial(t, "127.0.0.1", port(addr))
	until(t, loop, "two accepted", func() bool { return news == 2 })
	c := dial(t, "127.0.0.1", port(addr))
	time.Sleep(100 * time.Millisecond)
	do(loop, func() {
		if news != 2 {
			t.Errorf("%d accepted at a limit of 2 handshaking", news)
		}
	})
	a.Close() // its handshake ends: room for the third
	until(t, loop, "the third accepted", func() bool { return news == 3 })
	_ = c
}

// Close aborts the handshakes in flight on every worker: their clients
// see the connection close, nothing becomes pending, no descriptor stays.
func TestSSLServerLoopGroupCloseInFlight(t *testing.T) {
	p := newTLSPKI(t)
	srv, loop, g, addr, _ := groupSSL(t, 3, p.serverConfig())
	for i := range g.Len() { // the workers' own descriptors exist already
		g.Loop(i).Invoke(func() {})
	}
	fds := openFDs(t)
	news, started := 0, 0
	var log *sslLog
	do(loop, func() {
		log = recordSSL(srv)
		srv.SetHandshakeTimeout(0) // only Close ends these
		srv.NewConnection.Connect(func() { news++ })
		srv.StartedEncryptionHandshake.Connect(func(*sslsock.Socket) { started++ })
	})
	const n = 9
	var conns []net.Conn
	for i := range n {
		c := dial(t, "127.0.0.1", port(addr))
		if i%2 == 0 {
			// A ClientHello's first bytes, then nothing: mid-handshake.
			c.Write([]byte{0x16, 0x03, 0x01, 0x00})
		}
		conns = append(conns, c)
	}
	until(t, loop, "all accepted", func() bool { return news == n && started == (n+1)/2 })
	do(loop, func() {
		log.log = nil
		srv.Close()
	})
	for _, c := range conns {
		expectClosed(t, c)
		c.Close()
	}
	time.Sleep(50 * time.Millisecond)
	do(loop, func() {
		if len(log.log) != 0 || srv.HasPendingConnections() {
			t.Errorf("after Close: signals %v, pending %v", log.log, srv.HasPendingConnections())
		}
	})
	deadline := time.Now().Add(5 * time.Second)
	for openFDs(t) > fds-1 && time.Now().Before(deadline) { // -1: the listener
		time.Sleep(10 * time.Millisecond)
	}
	if got := openFDs(t); got > fds-1 {
		t.Errorf("descriptors: %d with the listener, %d after Close", fds, got)
	}
}

// Closing a worker loop releases its sockets mid-handshake, and the
// server stops counting them toward the pending limit.
func TestSSLServerLoopGroupWorkerClosed(t *testing.T) {
	p := newTLSPKI(t)
	srv, loop, g, addr, _ := groupSSL(t, 1, p.serverConfig())
	news, started := 0, 0
	do(loop, func() {
		srv.SetMaxPendingConnections(1)
		srv.NewConnection.Connect(func() { news++ })
		srv.StartedEncryptionHandshake.Connect(func(*sslsock.Socket) { started++ })
	})
	a := dial(t, "127.0.0.1", port(addr))
	a.Write([]byte{0x16, 0x03, 0x01})
	until(t, loop, "handshaking", func() bool { return news == 1 && started == 1 })
	g.Close()
	expectClosed(t, a)
	// Its place is free: the next client is accepted (and, its worker
	// being gone, closed at once).
	b := dial(t, "127.0.0.1", port(addr))
	until(t, loop, "the next accepted", func() bool { return news == 2 })
	expectClosed(t, b)
}

// 300 handshakes spread over three loops leave no descriptor and no
// goroutine behind.
func TestSSLServerLoopGroupNoLeak(t *testing.T) {
	p := newTLSPKI(t)
	srv, loop, _, addr, _ := groupSSL(t, 3, p.serverConfig())
	var served atomic.Int32
	do(loop, func() {
		srv.PendingConnectionAvailable.Connect(func() {
			for c := srv.NextPendingConnection(); c != nil; c = srv.NextPendingConnection() {
				c.Loop().Post(func() {
					served.Add(1)
					c.Write([]byte("x"))
					c.DisconnectFromHost()
				})
			}
		})
	})
	cc := p.clientConfig()
	cc.ClientSessionCache = nil
	handshakeOnce(t, addr, cc)
	for served.Load() != 1 {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(20 * time.Millisecond)
	fds, gs := openFDs(t), runtime.NumGoroutine()

	const total, workers = 300, 6
	var wg sync.WaitGroup
	errs := make(chan error, total)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < total; i += workers {
				if err := handshakeErr(addr, cc); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for served.Load() != total+1 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if served.Load() != total+1 {
		t.Fatalf("served %d of %d", served.Load(), total+1)
	}
	if got := settle(gs); got > gs {
		buf := make([]byte, 1<<16)
		t.Errorf("goroutines: %d before, %d after\n%s", gs, got, buf[:runtime.Stack(buf, true)])
	}
	for openFDs(t) > fds && time.Now().Before(deadline.Add(5*time.Second)) {
		time.Sleep(10 * time.Millisecond)
	}
	if got := openFDs(t); got > fds {
		t.Errorf("descriptors: %d before, %d after", fds, got)
	}
	do(loop, func() {
		if srv.HasPendingConnections() {
			t.Error("connections left pending")
		}
	})
}

// SetBeforeHandshake works on a single loop too, and in blocking style:
// IgnoreSSLErrors(list) set there lets a known certificate through.
func TestSSLServerBeforeHandshakeIgnoreList(t *testing.T) {
	p := newTLSPKI(t)
	stranger := issue(t, "stranger", nil, nil, false, x509.ExtKeyUsageClientAuth)
	cfg := p.serverConfig()
	cfg.PeerVerifyMode = sslsock.VerifyPeer
	for _, blocking := range []bool{false, true} {
		var loop *engine.Loop
		if !blocking {
			loop = newLoop(t)
		}
		srv, addr := listenSSL(t, loop, cfg)
		var log *sslLog
		do(loop, func() {
			log = recordSSL(srv)
			srv.SetBeforeHandshake(func(c *sslsock.Socket) {
				if loop != nil && !loop.InLoop() {
					t.Error("SetBeforeHandshake function off the loop")
				}
				c.IgnoreSSLErrors(sslsock.Error{Code: sslsock.SelfSignedCertificate, Certificate: stranger.cert})
			})
		})
		cc := p.clientConfig()
		cc.Certificates = []tls.Certificate{stranger.tls()}
		done := make(chan error, 1)
		go func() {
			conn, err := tls.Dial("tcp", addr, cc)
			if err == nil {
				err = conn.Close()
			}
			done <- err
		}()
		if blocking {
			if ok, _ := srv.WaitForNewConnection(5 * time.Second); !ok {
				t.Fatal("blocking: no connection encrypted")
			}
		}
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		if loop != nil {
			until(t, loop, "pending", func() bool { return srv.HasPendingConnections() })
		}
		do(loop, func() {
			want := []string{"newConnection", "startedEncryptionHandshake",
				"peerVerifyError:SelfSignedCertificate", "sslErrors:SelfSignedCertificate",
				"pendingConnectionAvailable"}
			if d := cmp.Diff(want, log.log); d != "" {
				t.Errorf("blocking %v: server signals (-want +got):\n%s", blocking, d)
			}
			srv.NextPendingConnection().Abort()
		})
	}
}
