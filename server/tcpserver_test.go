package server_test

import (
	"errors"
	"net"
	"net/netip"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"github.com/qsock/qsock/server"
	"github.com/qsock/qsock/socket"
	"github.com/qsock/qsock/tcp"
)

// QTcpServer::listen: Any is one dual-stack socket; AnyIPv4 and AnyIPv6
// take one version each; port 0 picks a port.
func TestListenAddresses(t *testing.T) {
	for _, tc := range []struct {
		name       string
		addr       netip.Addr
		want       netip.Addr // ServerAddress
		ok, refuse []string   // hosts that must connect / must not
	}{
		{"Any", socket.Any, socket.Any, []string{"127.0.0.1", "::1"}, nil},
		{"AnyIPv4", socket.AnyIPv4, socket.AnyIPv4, []string{"127.0.0.1"}, []string{"::1"}},
		{"AnyIPv6", socket.AnyIPv6, socket.AnyIPv6, []string{"::1"}, []string{"127.0.0.1"}},
		{"LocalHost", socket.LocalHost, socket.LocalHost, []string{"127.0.0.1"}, []string{"::1"}},
		{"LocalHostIPv6", socket.LocalHostIPv6, socket.LocalHostIPv6, []string{"::1"}, []string{"127.0.0.1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			loop := newLoop(t)
			srv, port := listen(t, loop, tc.addr)
			do(loop, func() {
				if port == 0 || !srv.IsListening() || srv.SocketDescriptor() < 0 {
					t.Errorf("port %d, listening %v, fd %d", port, srv.IsListening(), srv.SocketDescriptor())
				}
				if got := srv.ServerAddress(); got != tc.want {
					t.Errorf("ServerAddress = %v, want %v", got, tc.want)
				}
			})
			for _, h := range tc.ok {
				c := dial(t, h, port)
				var peer *tcp.Socket
				until(t, loop, "a pending connection from "+h, func() bool {
					peer = srv.NextPendingConnection()
					return peer != nil
				})
				do(loop, func() {
					if peer.State() != socket.ConnectedState || peer.Loop() != loop {
						t.Errorf("state %v, loop %p", peer.State(), peer.Loop())
					}
					echo(peer)
				})
				roundTrip(t, c, "hello "+h)
				do(loop, peer.Abort)
			}
			for _, h := range tc.refuse {
				if c, err := net.DialTimeout("tcp", net.JoinHostPort(h, itoa(port)), time.Second); err == nil {
					c.Close()
					t.Errorf("%s reached a server listening on %v", h, tc.addr)
				}
			}
		})
	}
}

func itoa(p uint16) string { return strconv.Itoa(int(p)) }

func TestListenTwice(t *testing.T) {
	loop := newLoop(t)
	srv, port := listen(t, loop, socket.LocalHost)
	do(loop, func() {
		err := srv.Listen(socket.LocalHost, 0)
		if !errors.Is(err, socket.OperationError) {
			t.Errorf("second Listen = %v, want OperationError", err)
		}
		// Qt only warns: the first listen is untouched.
		if !srv.IsListening() || srv.ServerPort() != port || srv.ServerError() != socket.UnknownSocketError {
			t.Errorf("after a second Listen: listening %v port %d error %v", srv.IsListening(), srv.ServerPort(), srv.ServerError())
		}
	})
}

func TestListenPortInUse(t *testing.T) {
	loop := newLoop(t)
	_, port := listen(t, loop, socket.LocalHost)
	srv := server.NewTCPServer(loop)
	do(loop, func() {
		err := srv.Listen(socket.LocalHost, port)
		if !errors.Is(err, socket.AddressInUseError) || !errors.Is(err, unix.EADDRINUSE) {
			t.Errorf("Listen on a used port = %v", err)
		}
		var se *socket.Error
		if !errors.As(err, &se) || se.Code != socket.AddressInUseError {
			t.Errorf("error %#v is not a *socket.Error with AddressInUseError", err)
		}
		if srv.ServerError() != socket.AddressInUseError || srv.ErrorString() != "The bound address is already in use" {
			t.Errorf("ServerError %v, ErrorString %q", srv.ServerError(), srv.ErrorString())
		}
		if srv.IsListening() || srv.SocketDescriptor() != -1 || srv.ServerPort() != 0 {
			t.Error("a failed Listen left the server listening")
		}
		// The error does not stick: listening elsewhere works.
		if err := srv.Listen(socket.LocalHost, 0); err != nil {
			t.Errorf("Listen after a failure: %v", err)
		}
		srv.Close()
	})
}

func TestDefaults(t *testing.T) {
	srv := server.NewTCPServer(nil)
	if srv.MaxPendingConnections() != 30 || srv.ListenBacklogSize() != 50 {
		t.Errorf("defaults: max pending %d, backlog %d; Qt has 30 and 50", srv.MaxPendingConnections(), srv.ListenBacklogSize())
	}
	if srv.ServerError() != socket.UnknownSocketError || srv.ErrorString() != "" {
		t.Errorf("fresh server error %v %q", srv.ServerError(), srv.ErrorString())
	}
}

// Qt 6: incomingConnection → addPendingConnection → pendingConnectionAvailable
// → newConnection; the socket is Connected without a connected() signal.
func TestSignalOrder(t *testing.T) {
	loop := newLoop(t)
	srv, port := listen(t, loop, socket.LocalHost)
	var log []string
	var got *tcp.Socket
	do(loop, func() {
		record(srv, &log)
		srv.NewConnection.Connect(func() {
			got = srv.NextPendingConnection()
			if got == nil {
				log = append(log, "nil in newConnection")
				return
			}
			log = append(log, "taken:"+got.State().String())
			got.Connected.Connect(func() { log = append(log, "connected") })
		})
	})
	dial(t, "127.0.0.1", port)
	until(t, loop, "newConnection", func() bool { return got != nil })
	time.Sleep(20 * time.Millisecond)
	do(loop, func() {
		want := []string{"pendingConnectionAvailable", "newConnection", "taken:ConnectedState"}
		if d := cmp.Diff(want, log); d != "" {
			t.Errorf("signals (-want +got):\n%s", d)
		}
		got.Abort()
	})
}

// QTcpServer's incomingConnection(qintptr) override gets the accepted
// descriptor; a subclass queues its own socket with addPendingConnection.
func TestIncomingConnectionHook(t *testing.T) {
	loop := newLoop(t)
	srv, port := listen(t, loop, socket.LocalHost)
	var log []string
	var fds []int
	do(loop, func() {
		record(srv, &log)
		srv.SetIncomingConnection(func(fd int) {
			log = append(log, "incomingConnection")
			fds = append(fds, fd)
			c := tcp.NewSocket(loop)
			if err := c.SetSocketDescriptor(fd, socket.ConnectedState); err != nil {
				t.Errorf("SetSocketDescriptor: %v", err)
			}
			srv.AddPendingConnection(c)
		})
	})
	conn := dial(t, "127.0.0.1", port)
	until(t, loop, "newConnection", func() bool { return len(log) >= 3 })
	do(loop, func() {
		want := []string{"incomingConnection", "pendingConnectionAvailable", "newConnection"}
		if d := cmp.Diff(want, log); d != "" {
			t.Errorf("signals (-want +got):\n%s", d)
		}
		c := srv.NextPendingConnection()
		if c == nil || c.SocketDescriptor() != fds[0] {
			t.Fatalf("queued socket %v does not hold the hook's fd %d", c, fds[0])
		}
		// The descriptor is the accepted end of this very client.
		sa, err := unix.Getpeername(fds[0])
		if err != nil {
			t.Fatal(err)
		}
		if p := sa.(*unix.SockaddrInet4).Port; p != conn.LocalAddr().(*net.TCPAddr).Port {
			t.Errorf("fd's peer port %d, client's %d", p, conn.LocalAddr().(*net.TCPAddr).Port)
		}
		echo(c)
	})
	roundTrip(t, conn, "via the hook")
}

// setMaxPendingConnections: at the limit the server stops accepting; the
// kernel backlog holds the rest until queued ones are taken.
func TestMaxPendingConnections(t *testing.T) {
	loop := newLoop(t)
	srv := server.NewTCPServer(loop)
	var port uint16
	do(loop, func() {
		srv.SetMaxPendingConnections(2)
		if err := srv.Listen(socket.LocalHost, 0); err != nil {
			t.Fatal(err)
		}
		port = srv.ServerPort()
	})
	defer do(loop, srv.Close)
	news := 0
	do(loop, func() { srv.NewConnection.Connect(func() { news++ }) })
	for range 5 {
		dial(t, "127.0.0.1", port) // the kernel completes the handshake
	}
	until(t, loop, "2 connections", func() bool { return news == 2 })
	time.Sleep(50 * time.Millisecond)
	taken := 0
	do(loop, func() {
		if news != 2 {
			t.Fatalf("%d connections accepted with a limit of 2", news)
		}
		for srv.NextPendingConnection() != nil {
			taken++
		}
	})
	if taken != 2 {
		t.Fatalf("took %d, want 2", taken)
	}
	until(t, loop, "the next 2", func() bool { return news == 4 })
	do(loop, func() {
		srv.NextPendingConnection()
	})
	until(t, loop, "the last one", func() bool { return news == 5 })
	do(loop, func() {
		n := 0
		for srv.HasPendingConnections() {
			srv.NextPendingConnection().Abort()
			n++
		}
		if n != 2 {
			t.Errorf("%d left pending, want 2", n)
		}
	})
}

// pauseAccepting: clients still connect, nothing is queued until
// resumeAccepting.
func TestPauseResume(t *testing.T) {
	loop := newLoop(t)
	srv, port := listen(t, loop, socket.LocalHost)
	news := 0
	do(loop, func() {
		srv.NewConnection.Connect(func() { news++ })
		srv.PauseAccepting()
	})
	dial(t, "127.0.0.1", port)
	dial(t, "127.0.0.1", port)
	time.Sleep(50 * time.Millisecond)
	do(loop, func() {
		if news != 0 || srv.HasPendingConnections() {
			t.Errorf("paused server accepted %d", news)
		}
		srv.ResumeAccepting()
	})
	until(t, loop, "both after resume", func() bool { return news == 2 })
}

// Qt's nextPendingConnection re-enables accepting even after
// pauseAccepting (pausing only turns the notifier off): with a limit of
// 2, 4 clients, a pause and 2 connections taken, Qt accepts the rest.
func TestNextPendingConnectionResumesPausedServer(t *testing.T) {
	loop := newLoop(t)
	srv, port := listen(t, loop, socket.LocalHost)
	news := 0
	do(loop, func() {
		srv.SetMaxPendingConnections(2)
		srv.NewConnection.Connect(func() { news++ })
	})
	for range 4 {
		dial(t, "127.0.0.1", port)
	}
	until(t, loop, "2 connections", func() bool { return news == 2 })
	do(loop, func() {
		srv.PauseAccepting()
		for srv.NextPendingConnection() != nil {
		}
	})
	until(t, loop, "the other 2 after taking while paused", func() bool { return news == 4 })
}

// Close drops the connections nobody took (their clients see the
// connection closed) and leaves the taken ones alone.
func TestCloseDropsUntaken(t *testing.T) {
	loop := newLoop(t)
	srv, port := listen(t, loop, socket.LocalHost)
	takenConn := dial(t, "127.0.0.1", port)
	var taken *tcp.Socket
	until(t, loop, "first", func() bool {
		taken = srv.NextPendingConnection()
		return taken != nil
	})
	do(loop, func() { echo(taken) })
	untaken := dial(t, "127.0.0.1", port)
	until(t, loop, "second pending", srv.HasPendingConnections)
	do(loop, func() {
		srv.Close()
		if srv.IsListening() || srv.HasPendingConnections() || srv.SocketDescriptor() != -1 {
			t.Error("Close left the server listening or with pending connections")
		}
	})
	expectClosed(t, untaken)
	roundTrip(t, takenConn, "still served")
	if c, err := net.DialTimeout("tcp", "127.0.0.1:"+itoa(port), time.Second); err == nil {
		c.Close()
		t.Error("connect after Close succeeded")
	}
	do(loop, taken.Abort)
}

// Calls in the wrong state do nothing harmful, as in Qt.
func TestWrongStateCalls(t *testing.T) {
	for _, loop := range []bool{false, true} {
		srv := server.NewTCPServer(nil)
		if loop {
			srv = server.NewTCPServer(newLoop(t))
		}
		do(srv.Loop(), func() {
			srv.Close()
			srv.PauseAccepting()
			srv.ResumeAccepting()
			if srv.NextPendingConnection() != nil || srv.HasPendingConnections() {
				t.Error("pending connections on a fresh server")
			}
			if ok, to := srv.WaitForNewConnection(10 * time.Millisecond); ok || to {
				t.Errorf("WaitForNewConnection when not listening = %v, %v; Qt gives false, false", ok, to)
			}
			if srv.SocketDescriptor() != -1 || srv.ServerPort() != 0 || srv.IsListening() {
				t.Error("fresh server looks listening")
			}
			if err := srv.SetSocketDescriptor(-1); err == nil {
				t.Error("SetSocketDescriptor(-1) succeeded")
			}
			srv.SetMaxPendingConnections(0)
			srv.SetListenBacklogSize(-1)
			srv.Close()
			srv.Close()
		})
	}
}
