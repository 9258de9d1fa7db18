package server_test

import (
	"crypto/tls"
	"errors"
	"testing"
	"time"

	"github.com/qsock/qsock/server"
	"github.com/qsock/qsock/socket"
	"github.com/qsock/qsock/sslsock"
	"golang.org/x/sys/unix"
)

// Calls in the wrong state give clear results and never panic.
func TestSSLServerWrongState(t *testing.T) {
	srv := server.NewSSLServer(nil)
	if srv.NextPendingConnection() != nil || srv.HasPendingConnections() {
		t.Error("a new server has a pending connection")
	}
	srv.Close()
	srv.AddPendingConnection(nil)
	srv.SetLoopGroup(nil)
	if ok, timedOut := srv.WaitForNewConnection(10 * time.Millisecond); ok || timedOut {
		t.Errorf("WaitForNewConnection when not listening = %v, %v", ok, timedOut)
	}
	if err := srv.WaitForNewConnectionContext(t.Context()); !errors.Is(err, socket.OperationError) {
		t.Errorf("WaitForNewConnectionContext when not listening: %v", err)
	}
	if err := srv.Listen(socket.LocalHost, 0); err != nil {
		t.Fatal(err)
	}
	if err := srv.Listen(socket.LocalHost, 0); !errors.Is(err, socket.OperationError) {
		t.Errorf("second Listen: %v", err)
	}
	if ok, timedOut := srv.WaitForNewConnection(10 * time.Millisecond); ok || !timedOut {
		t.Errorf("WaitForNewConnection on nobody = %v, %v", ok, timedOut)
	}
	srv.Close()
	srv.Close()
	if srv.IsListening() || srv.ServerPort() != 0 {
		t.Error("listening after Close")
	}
}

// A server without a certificate reports SSLInvalidUserDataError for the
// connection and drops it; it does not panic or queue it.
func TestSSLServerWithoutCertificate(t *testing.T) {
	loop := newLoop(t)
	srv, addr := listenSSL(t, loop, sslsock.DefaultConfiguration())
	var log *sslLog
	do(loop, func() { log = recordSSL(srv) })
	conn := dial(t, "127.0.0.1", port(addr))
	expectClosed(t, conn)
	until(t, loop, "the error", func() bool { return len(log.log) == 2 })
	do(loop, func() {
		if log.String() != "errorOccurred:SslInvalidUserDataError newConnection" {
			t.Errorf("server signals %v", log.log)
		}
	})
}

// Close aborts the handshakes in progress as well as the pending
// connections nobody took.
func TestSSLServerCloseAbortsHandshakes(t *testing.T) {
	p := newTLSPKI(t)
	loop := newLoop(t)
	srv, addr := listenSSL(t, loop, p.serverConfig())
	accepted := 0
	do(loop, func() { srv.NewConnection.Connect(func() { accepted++ }) })
	silent := dial(t, "127.0.0.1", port(addr))
	done, err := tls.Dial("tcp", addr, p.clientConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer done.Close()
	until(t, loop, "both accepted and one pending", func() bool { return accepted == 2 && srv.HasPendingConnections() })
	do(loop, srv.Close)
	expectClosed(t, silent)
	expectClosed(t, done)
}

// Handshakes in progress count toward MaxPendingConnections, as in Qt 6:
// with a limit of 1, a silent client holds the only place.
func TestSSLServerHandshakesCountTowardMaxPending(t *testing.T) {
	p := newTLSPKI(t)
	loop := newLoop(t)
	srv, addr := listenSSL(t, loop, p.serverConfig())
	accepted := 0
	do(loop, func() {
		srv.SetMaxPendingConnections(1)
		srv.SetHandshakeTimeout(300 * time.Millisecond)
		srv.NewConnection.Connect(func() { accepted++ })
	})
	dial(t, "127.0.0.1", port(addr)) // silent
	until(t, loop, "the silent one", func() bool { return accepted == 1 })
	start := time.Now()
	conn, err := tls.Dial("tcp", addr, p.clientConfig()) // waits in the backlog
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// TLS 1.3: the client is done before the server answered its Finished;
	// the server's handshake completes only once it was accepted.
	until(t, loop, "the second pending", func() bool { return srv.HasPendingConnections() })
	if el := time.Since(start); el < 200*time.Millisecond {
		t.Errorf("second client accepted after %v, before the silent one timed out", el)
	}
}

// The blocking style: WaitForNewConnection accepts and drives the
// handshake on the calling goroutine until the connection is pending.
func TestSSLServerBlocking(t *testing.T) {
	p := newTLSPKI(t)
	srv := server.NewSSLServer(nil)
	srv.SetSSLConfiguration(p.serverConfig())
	if err := srv.Listen(socket.LocalHost, 0); err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	var log []string
	srv.NewConnection.Connect(func() { log = append(log, "newConnection") })
	srv.StartedEncryptionHandshake.Connect(func(*sslsock.Socket) { log = append(log, "started") })
	srv.PendingConnectionAvailable.Connect(func() { log = append(log, "pending") })
	addr := "127.0.0.1:" + itoa(srv.ServerPort())
	reply := make(chan string, 1)
	go func() {
		conn, err := tls.Dial("tcp", addr, p.clientConfig())
		if err != nil {
			reply <- err.Error()
			return
		}
		defer conn.Close()
		conn.Write([]byte("ping"))
		buf := make([]byte, 4)
		conn.SetDeadline(time.Now().Add(5 * time.Second))
		n, _ := conn.Read(buf)
		reply <- string(buf[:n])
	}()
	if ok, timedOut := srv.WaitForNewConnection(10 * time.Second); !ok {
		t.Fatalf("WaitForNewConnection: timed out %v; signals %v", timedOut, log)
	}
	if got := len(log); got != 3 || log[0] != "newConnection" || log[1] != "started" || log[2] != "pending" {
		t.Errorf("signals %v", log)
	}
	c := srv.NextPendingConnection()
	for c.BytesAvailable() < 4 && c.WaitForReadyRead(5*time.Second) {
	}
	c.Write(c.ReadAll())
	c.WaitForBytesWritten(5 * time.Second)
	if got := <-reply; got != "ping" {
		t.Errorf("client got %q", got)
	}
	c.Abort()

	// A silent client in blocking style: the wait enforces the timeout.
	srv.SetHandshakeTimeout(100 * time.Millisecond)
	var timeouts int
	srv.ErrorOccurred.Connect(func(_ *sslsock.Socket, e socket.SocketError) {
		if e == socket.SocketTimeoutError {
			timeouts++
		}
	})
	silent := dial(t, "127.0.0.1", srv.ServerPort())
	if ok, timedOut := srv.WaitForNewConnection(400 * time.Millisecond); ok || !timedOut {
		t.Errorf("WaitForNewConnection with a silent client = %v, %v", ok, timedOut)
	}
	if timeouts != 1 {
		t.Errorf("%d timeouts reported", timeouts)
	}
	expectClosed(t, silent)
}

// SetHandler receives each socket once encrypted, instead of the queue;
// SetIncomingConnection replaces the whole per-descriptor work.
func TestSSLServerHandlerAndIncoming(t *testing.T) {
	p := newTLSPKI(t)
	loop := newLoop(t)
	srv, addr := listenSSL(t, loop, p.serverConfig())
	var log *sslLog
	do(loop, func() {
		log = recordSSL(srv)
		srv.SetHandler(func(c *sslsock.Socket) {
			log.add("handler")
			if !c.IsEncrypted() {
				t.Error("handler got a socket that is not encrypted")
			}
			echoTLS(c)
		})
	})
	conn, err := tls.Dial("tcp", addr, p.clientConfig())
	if err != nil {
		t.Fatal(err)
	}
	roundTrip(t, conn, "handled")
	conn.Close()
	do(loop, func() {
		if log.String() != "newConnection startedEncryptionHandshake handler" || srv.HasPendingConnections() {
			t.Errorf("signals %v, pending %v", log.log, srv.HasPendingConnections())
		}
		log.log = nil
		srv.SetIncomingConnection(func(fd int) { log.add("incoming"); unix.Close(fd) })
	})
	c := dial(t, "127.0.0.1", port(addr))
	expectClosed(t, c)
	do(loop, func() {
		if log.String() != "incoming newConnection" {
			t.Errorf("with SetIncomingConnection: signals %v", log.log)
		}
	})
}
