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
// loopback address is always served directly; otherwise the server's
// proxy, or the application proxy while that is DefaultProxy, must be
// NoProxy or able to listen. A proxy that cannot (an HTTP proxy) fails
// the Listen with UnsupportedSocketOperationError, as in Qt — so does a
// SOCKS5 proxy, which could in Qt, since BIND is not implemented here.
func (s *TCPServer) checkProxy(addr netip.Addr) error {
	if addr.IsLoopback() {
		return nil
	}
	p := s.proxy
	if p.Type == socket.DefaultProxy {
		p = socket.ApplicationProxy()
	}
	var cause error
	switch {
	case p.Type == socket.NoProxy:
		return nil
	case p.Capabilities()&socket.ListeningCapability == 0:
		cause = errors.New("server: proxy type " + p.Type.String() + " cannot listen (capabilities " + p.Capabilities().String() + ")")
	default:
		cause = errProxyListen
	}
	return s.l.Refuse(socket.UnsupportedSocketOperationError, "Operation on socket is not supported", cause)
}
