package server

import (
	"errors"
	"net/netip"

	"github.com/qsock/qsock/socket"
)

// errProxyListen is why a server refuses a SOCKS5 proxy: listening
// through one (the BIND command) is not implemented.
var errProxyListen = errors.New("server: listening through a SOCKS5 proxy is not supported")

// SetProxy sets the proxy the server listens through (QTcpServer::
// setProxy). The default, DefaultProxy, resolves to the application proxy
// (socket.SetApplicationProxy) at Listen; NoProxy listens directly.
func (s *TCPServer) SetProxy(p socket.Proxy) { s.proxy = p }

// Proxy returns the proxy set with SetProxy (QTcpServer::proxy).
func (s *TCPServer) Proxy() socket.Proxy { return s.proxy }

// checkProxy is the proxy resolution at the top of QTcpServer::listen: a
// loopback address is always served directly; otherwise the server's own
// proxy, or while that is DefaultProxy the proxies socket.ProxyForQuery
// gives for a TCPServerQuery, must offer one able to listen. NoProxy can;
// an HTTP proxy cannot, and fails the Listen with
// UnsupportedSocketOperationError, as in Qt; so does a SOCKS5 proxy,
// which could in Qt, since BIND is not implemented here.
func (s *TCPServer) checkProxy(addr netip.Addr, port uint16) error {
	if addr.IsLoopback() {
		return nil
	}
	proxies := []socket.Proxy{s.proxy}
	if s.proxy.Type == socket.DefaultProxy {
		proxies = socket.ProxyForQuery(socket.ProxyQuery{Type: socket.TCPServerQuery, PeerPort: -1, LocalPort: int(port)})
	}
	p, err := socket.ChooseProxy(proxies, socket.ListeningCapability)
	switch {
	case err != nil:
	case p.Type == socket.NoProxy:
		return nil
	default:
		err = errProxyListen
	}
	return s.l.Refuse(socket.UnsupportedSocketOperationError, "Operation on socket is not supported", err)
}
