package socket

import (
	"errors"

	"golang.org/x/sys/unix"
)

// resolveProxy picks the proxy for the connect about to start, as Qt's
// resolveProxy does at the top of connectToHost: the socket's own, or the
// application proxy while the socket's is DefaultProxy; a TCP socket
// needs TunnelingCapability. An unusable proxy (a caching proxy, say) is
// reported as Qt reports it, UnsupportedSocketOperationError through
// ErrorOccurred with no state change, and resolveProxy returns that
// error for op to return.
func (s *AbstractSocket) resolveProxy(op string) error {
	p := s.Proxy()
	if p.Type == DefaultProxy {
		if s.x == nil && applicationProxy.Load() == nil {
			return nil // direct, and nothing to record
		}
		p = ApplicationProxy()
	}
	need := TunnelingCapability
	if s.isUDP() {
		need = UDPTunnelingCapability
	}
	var cause error
	switch {
	case p.Capabilities()&need == 0:
		cause = errors.New("socket: proxy type " + p.Type.String() + " cannot tunnel this socket (capabilities " + p.Capabilities().String() + ")")
	case p.Type == NoProxy:
		if s.x != nil {
			s.x.via = nil
		}
		return nil
	case p.Type == Socks5Proxy || p.Type == HTTPProxy:
		s.extra().via = &p
		return nil
	default:
		cause = errors.New("socket: no engine for proxy type " + p.Type.String())
	}
	if s.x != nil {
		s.x.via = nil
	}
	s.setErrorAndEmit(UnsupportedSocketOperationError, "Operation on socket is not supported", cause)
	return &Error{Code: UnsupportedSocketOperationError, Op: op, Err: cause}
}

// proxyResolvesNames reports whether the current connect goes through a
// proxy with HostNameLookupCapability, which is then given the name.
func (s *AbstractSocket) proxyResolvesNames() bool {
	// A datagram socket resolves names itself: its datagrams name
	// addresses.
	return !s.isUDP() && s.x != nil && s.x.via != nil && s.x.via.Capabilities()&HostNameLookupCapability != 0
}

// connectThroughProxyByName is Qt's startConnectingByName: the proxy
// resolves the name, so the socket goes from HostLookup straight to
// Connecting, without HostFound. Unlike Qt, which waits for ever for a
// proxy that accepted the connection and then stays silent, the connect
// timeout (SetConnectTimeout) bounds the attempt as it bounds a connect to
// an address.
func (s *AbstractSocket) connectThroughProxyByName(host string) {
	s.setState(ConnectingState)
	if s.state != ConnectingState {
		return // a slot changed course
	}
	pc := s.newProxyConn()
	pc.connectByName(host, s.attempt().port)
	if s.loop != nil && s.tr == Transport(pc) && s.state == ConnectingState && pc.phase != proxyDone {
		s.attempt().timer = s.loop.AfterFunc(s.ConnectTimeout(), s.connectTimedOut)
	}
}

// newProxyConn makes the proxy transport for the connect about to start
// and installs it. The socket's notifier is not registered yet: the
// transport watches the proxy connection itself until the handshake is
// done. A transport left from Bind is dropped; the proxy's connection has
// its own local end.
func (s *AbstractSocket) newProxyConn() *proxyConn {
	s.releaseTransport()
	pc := &proxyConn{s: s, proxy: *s.x.via}
	if pc.proxy.Type == Socks5Proxy {
		pc.proto = &socks5Protocol{}
	} else {
		pc.proto = &httpConnectProtocol{}
	}
	s.tr = pc
	for o, v := range s.presetOptions() {
		s.applyOption(o, v)
	}
	return pc
}

// connectTimeoutError is how a connect that ran out of time fails: Qt's
// "Connection timed out", or, when a proxy has not even accepted the TCP
// connection, the proxy engine's ProxyConnectionTimeoutError.
func (s *AbstractSocket) connectTimeoutError() (SocketError, string, error) {
	if pc, ok := s.tr.(*proxyConn); ok && (pc.phase == proxyLookup || pc.phase == proxyDialing) {
		err := pc.proto.controlError(SocketTimeoutError, "Connection timed out", unix.ETIMEDOUT, true)
		code, text := codeOf(err)
		return code, text, err
	}
	return SocketTimeoutError, "Connection timed out", unix.ETIMEDOUT
}
