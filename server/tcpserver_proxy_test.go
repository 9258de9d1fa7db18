package server_test

import (
	"errors"
	"testing"

	"github.com/qsock/qsock/server"
	"github.com/qsock/qsock/socket"
)

// QTcpServer::listen resolves the proxy first: loopback is served
// directly; another address fails with UnsupportedSocketOperationError
// while the application proxy cannot listen (HTTP), and listens when the
// server's own proxy is NoProxy. SOCKS5 could listen in Qt (BIND); here it
// is refused the same way, with its own cause.
func TestListenThroughProxy(t *testing.T) {
	loop := newLoop(t)
	t.Cleanup(func() { socket.SetApplicationProxy(socket.Proxy{Type: socket.NoProxy}) })
	for _, p := range []socket.Proxy{
		{Type: socket.HTTPProxy, HostName: "127.0.0.1", Port: 3128},
		{Type: socket.Socks5Proxy, HostName: "127.0.0.1", Port: 1080},
	} {
		socket.SetApplicationProxy(p)
		srv := server.NewTCPServer(loop)
		do(loop, func() {
			if srv.Proxy().Type != socket.DefaultProxy {
				t.Errorf("a new server's proxy is %v, want DefaultProxy", srv.Proxy().Type)
			}
			err := srv.Listen(socket.AnyIPv4, 0)
			if !errors.Is(err, socket.UnsupportedSocketOperationError) {
				t.Errorf("%v application proxy: Listen(AnyIPv4) = %v, want UnsupportedSocketOperationError", p.Type, err)
			}
			if srv.IsListening() || srv.ServerError() != socket.UnsupportedSocketOperationError ||
				srv.ErrorString() != "Operation on socket is not supported" {
				t.Errorf("%v: listening %v, ServerError %v, ErrorString %q", p.Type, srv.IsListening(), srv.ServerError(), srv.ErrorString())
			}
			if err := srv.Listen(socket.LocalHost, 0); err != nil {
				t.Errorf("%v: Listen(LocalHost) = %v; loopback is never proxied", p.Type, err)
			}
			srv.Close()
			srv.SetProxy(socket.Proxy{Type: socket.NoProxy})
			if err := srv.Listen(socket.AnyIPv4, 0); err != nil {
				t.Errorf("%v: Listen(AnyIPv4) with the server's NoProxy = %v", p.Type, err)
			}
			srv.Close()
		})
	}
}

// With the system configuration on (Qt appends NoProxy to it), an HTTP
// proxy in http_proxy does not stop a server from listening.
func TestListenWithSystemProxy(t *testing.T) {
	loop := newLoop(t)
	t.Setenv("http_proxy", "http://127.0.0.1:3128")
	t.Setenv("all_proxy", "")
	socket.SetUseSystemProxyConfiguration(true)
	t.Cleanup(func() { socket.SetUseSystemProxyConfiguration(false) })
	srv := server.NewTCPServer(loop)
	do(loop, func() {
		if err := srv.Listen(socket.AnyIPv4, 0); err != nil {
			t.Errorf("Listen(AnyIPv4) with http_proxy set = %v", err)
		}
		srv.Close()
	})
}
