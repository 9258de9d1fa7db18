package server_test

import (
	"bytes"
	"crypto/tls"
	"io"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/qsock/qsock/socket"
	"github.com/qsock/qsock/sslsock"
)

// 10 MiB written to a pending connection, then DisconnectFromHost: the
// client reads every byte, then close_notify.
func TestSSLServerTenMiBThenDisconnect(t *testing.T) {
	p := newTLSPKI(t)
	loop := newLoop(t)
	srv, addr := listenSSL(t, loop, p.serverConfig())
	payload := bytes.Repeat([]byte("qsock-ssl-"), 1<<20)
	var c *sslsock.Socket
	do(loop, func() {
		srv.PendingConnectionAvailable.Connect(func() {
			c = srv.NextPendingConnection()
			c.Write(payload)
			c.DisconnectFromHost()
		})
	})
	conn, err := tls.Dial("tcp", addr, p.clientConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(20 * time.Second))
	got, err := io.ReadAll(conn) // ends at close_notify
	if err != nil || !bytes.Equal(got, payload) {
		t.Fatalf("client read %d bytes (%v), want %d", len(got), err, len(payload))
	}
	until(t, loop, "closed", func() bool { return c.State() == socket.UnconnectedState })
}

// 1,000 handshakes, some concurrent, leave no descriptor and no goroutine
// behind: the handshake goroutines end, the sockets close.
func TestSSLServerNoLeakAfter1000Handshakes(t *testing.T) {
	p := newTLSPKI(t)
	loop := newLoop(t)
	srv, addr := listenSSL(t, loop, p.serverConfig())
	served := 0
	do(loop, func() {
		srv.PendingConnectionAvailable.Connect(func() {
			for c := srv.NextPendingConnection(); c != nil; c = srv.NextPendingConnection() {
				served++
				c.Write([]byte("x"))
				c.DisconnectFromHost()
			}
		})
	})
	cc := p.clientConfig()
	cc.ClientSessionCache = nil // full handshakes
	// Warm up once so lazily started runtime goroutines are counted.
	handshakeOnce(t, addr, cc)
	until(t, loop, "warm-up", func() bool { return served == 1 })
	time.Sleep(20 * time.Millisecond)
	fds, gs := openFDs(t), runtime.NumGoroutine()

	const total, workers = 1000, 8
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
	until(t, loop, "every connection served", func() bool { return served == total+1 })
	if got := settle(gs); got > gs {
		buf := make([]byte, 1<<16)
		t.Errorf("goroutines: %d before, %d after\n%s", gs, got, buf[:runtime.Stack(buf, true)])
	}
	deadline := time.Now().Add(5 * time.Second)
	for openFDs(t) > fds && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if got := openFDs(t); got > fds {
		t.Errorf("descriptors: %d before, %d after", fds, got)
	}
}

func handshakeOnce(t *testing.T, addr string, cc *tls.Config) {
	t.Helper()
	if err := handshakeErr(addr, cc); err != nil {
		t.Fatal(err)
	}
}

// handshakeErr connects, reads the server's byte and the close.
func handshakeErr(addr string, cc *tls.Config) error {
	conn, err := tls.Dial("tcp", addr, cc)
	if err != nil {
		return err
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	_, err = io.ReadAll(conn)
	return err
}
