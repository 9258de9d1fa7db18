package bridge_test

import (
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/qsock/qsock/bridge"
	"github.com/qsock/qsock/engine"
	"github.com/qsock/qsock/internal/sockettest"
	"github.com/qsock/qsock/local"
	"github.com/qsock/qsock/server"
	"github.com/qsock/qsock/socket"
)

// TestListenerAccept: Accept waits for a client and returns its
// connection with the addresses the client sees reversed; Close ends a
// waiting Accept with net.ErrClosed, and every later call too.
func TestListenerAccept(t *testing.T) {
	loop := sockettest.RunLoop(t)
	checkLeaks(t)
	ln := listenTCP(t, loop)
	addr, ok := ln.Addr().(*net.TCPAddr)
	if !ok || !addr.IP.Equal(net.IPv4(127, 0, 0, 1)) || addr.Port == 0 {
		t.Fatalf("Addr: %#v", ln.Addr())
	}
	ch := acceptAsync(ln)
	select {
	case r := <-ch:
		t.Fatalf("Accept returned without a client: %v", r.err)
	case <-time.After(50 * time.Millisecond):
	}
	client, err := net.Dial("tcp", addr.String())
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	r := <-ch
	if r.err != nil {
		t.Fatal(r.err)
	}
	defer r.c.Close()
	if r.c.LocalAddr().String() != client.RemoteAddr().String() || r.c.RemoteAddr().String() != client.LocalAddr().String() {
		t.Fatalf("addresses %v <- %v; the client sees %v -> %v", r.c.LocalAddr(), r.c.RemoteAddr(), client.LocalAddr(), client.RemoteAddr())
	}
	if r.c.LocalAddr().Network() != "tcp" {
		t.Fatalf("network %q", r.c.LocalAddr().Network())
	}

	ch = acceptAsync(ln)
	time.Sleep(20 * time.Millisecond)
	if err := ln.Close(); err != nil {
		t.Fatal(err)
	}
	if r := <-ch; !errors.Is(r.err, net.ErrClosed) {
		t.Fatalf("Accept during Close: %v", r.err)
	}
	if _, err := ln.Accept(); !errors.Is(err, net.ErrClosed) {
		t.Fatalf("Accept after Close: %v", err)
	}
	if err := ln.Close(); !errors.Is(err, net.ErrClosed) {
		t.Fatalf("second Close: %v", err)
	}
	// The accepted connection outlives the listener.
	client.Write([]byte("still here"))
	buf := make([]byte, 10)
	if _, err := io.ReadFull(r.c, buf); err != nil || string(buf) != "still here" {
		t.Fatalf("Read: %q, %v", buf, err)
	}
}

// TestListenerDualStack: a server on socket.Any reports [::], and its
// IPv4 clients appear without the ::ffff: prefix.
func TestListenerDualStack(t *testing.T) {
	loop := sockettest.RunLoop(t)
	srv := server.NewTCPServer(loop)
	loop.Invoke(func() {
		if err := srv.Listen(socket.Any, 0); err != nil {
			t.Skipf("no dual-stack socket: %v", err)
		}
	})
	ln := bridge.NewListener(srv)
	defer ln.Close()
	addr := ln.Addr().(*net.TCPAddr)
	if !addr.IP.Equal(net.IPv6unspecified) {
		t.Fatalf("Addr: %v; want [::]:port", addr)
	}
	c, s := mustPair(t, ln, func() (net.Conn, error) { return net.Dial("tcp4", fmt.Sprintf("127.0.0.1:%d", addr.Port)) })
	if s.RemoteAddr().String() != c.LocalAddr().String() {
		t.Fatalf("RemoteAddr %v; the client is %v", s.RemoteAddr(), c.LocalAddr())
	}
}

// TestListenerLocal: a local.Server's listener and connections report
// Unix addresses as Go's net does.
func TestListenerLocal(t *testing.T) {
	loop := sockettest.RunLoop(t)
	checkLeaks(t)
	srv := local.NewServer(loop)
	path := filepath.Join(t.TempDir(), "sock")
	loop.Invoke(func() {
		if err := srv.Listen(path); err != nil {
			t.Fatal(err)
		}
	})
	ln := bridge.NewListener(srv)
	defer ln.Close()
	if a, ok := ln.Addr().(*net.UnixAddr); !ok || a.Name != path || a.Network() != "unix" {
		t.Fatalf("Addr: %#v", ln.Addr())
	}
	client, s := mustPair(t, ln, func() (net.Conn, error) { return net.Dial("unix", path) })
	if s.LocalAddr().String() != path || client.RemoteAddr().String() != path {
		t.Fatalf("server end %v, client's peer %v; want %s", s.LocalAddr(), client.RemoteAddr(), path)
	}
	d := &bridge.Dialer{Loop: loop}
	q, s2 := mustPair(t, ln, func() (net.Conn, error) { return d.Dial("unix", path) })
	if q.RemoteAddr().String() != path || s2.LocalAddr().String() != path {
		t.Fatalf("bridged client's peer %v, server end %v; want %s", q.RemoteAddr(), s2.LocalAddr(), path)
	}
	q.Write([]byte("ping"))
	buf := make([]byte, 4)
	if _, err := io.ReadFull(s2, buf); err != nil || string(buf) != "ping" {
		t.Fatalf("Read: %q, %v", buf, err)
	}
}

// TestListenerSSL: an SSLServer's listener hands out connections once
// they are encrypted; their bytes are the plaintext.
func TestListenerSSL(t *testing.T) {
	p := newPKI(t)
	loop := sockettest.RunLoop(t)
	checkLeaks(t)
	ln := listenSSL(t, loop, p)
	client, s := mustPair(t, ln, func() (net.Conn, error) {
		return tls.Dial("tcp", ln.Addr().String(), p.tlsClientConfig())
	})
	client.Write([]byte("ping"))
	buf := make([]byte, 4)
	if _, err := io.ReadFull(s, buf); err != nil || string(buf) != "ping" {
		t.Fatalf("server Read: %q, %v", buf, err)
	}
	s.Write([]byte("pong"))
	if _, err := io.ReadFull(client, buf); err != nil || string(buf) != "pong" {
		t.Fatalf("client Read: %q, %v", buf, err)
	}
}

// TestListenerLoopGroup: a server that makes its sockets on a LoopGroup
// hands out Conns that live on the group's loops.
func TestListenerLoopGroup(t *testing.T) {
	loop := sockettest.RunLoop(t)
	group, err := engine.NewLoopGroup(2)
	if err != nil {
		t.Fatal(err)
	}
	defer group.Close()
	srv := server.NewTCPServer(loop)
	loop.Invoke(func() {
		srv.SetLoopGroup(group)
		if err := srv.Listen(socket.LocalHost, 0); err != nil {
			t.Fatal(err)
		}
	})
	ln := bridge.NewListener(srv)
	defer ln.Close()
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
	for i := range 6 {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		msg := fmt.Sprintf("message %d", i)
		c.Write([]byte(msg))
		buf := make([]byte, len(msg))
		if _, err := io.ReadFull(c, buf); err != nil || string(buf) != msg {
			t.Fatalf("echo: %q, %v", buf, err)
		}
		c.Close()
	}
}

// TestListenerPending: clients that connect before anyone accepts wait in
// the server's queue and are accepted in order; those still waiting when
// the listener closes are cut off.
func TestListenerPending(t *testing.T) {
	loop := sockettest.RunLoop(t)
	checkLeaks(t)
	ln := listenTCP(t, loop)
	var clients []net.Conn
	for i := range 4 {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		c.Write([]byte{byte('a' + i)})
		clients = append(clients, c)
	}
	time.Sleep(50 * time.Millisecond)
	for i := range 2 {
		s, err := ln.Accept()
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		buf := make([]byte, 1)
		if _, err := io.ReadFull(s, buf); err != nil || buf[0] != byte('a'+i) {
			t.Fatalf("connection %d: %q, %v", i, buf, err)
		}
	}
	ln.Close()
	for _, c := range clients[2:] {
		c.SetReadDeadline(time.Now().Add(5 * time.Second))
		if _, err := c.Read(make([]byte, 1)); err == nil || errors.Is(err, os.ErrDeadlineExceeded) {
			t.Fatalf("a client nobody accepted: %v; want the connection closed", err)
		}
	}
}
