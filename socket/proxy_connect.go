package socket

import (
	"errors"

	"golang.org/x/sys/unix"
)

// resolveProxy picks the proxy for the connect or bind about to start, as
// Qt's resolveProxy does: the socket's own proxy, or, while that is
// DefaultProxy, the first usable one ProxyForQuery gives for host and
// port; a TCP socket needs TunnelingCapability, a datagram socket
// UDPTunnelingCapability. When none is usable (a caching proxy, say) it
// reports what Qt reports, UnsupportedSocketOperationError through
// ErrorOccurred with no state change, and returns that error for op to
// return.
func (s *AbstractSocket) resolveProxy(op, host string, port uint16) error {
	var proxies []Proxy
	if own := s.Proxy(); own.Type != DefaultProxy {
		proxies = []Proxy{own}
	} else {
		if s.x == nil && globalProxy.Load() == nil {
			return nil // direct, and nothing to record
		}
		q := ProxyQuery{Type: TCPSocketQuery, PeerHostName: host, PeerPort: int(port), LocalPort: -1, ProtocolTag: s.ProtocolTag()}
		if s.isUDP() {
			q.Type = UDPSocketQuery
		}
		if host == "" { // a bind: Qt asks about the local port
			q.PeerPort, q.LocalPort = -1, int(port)
		}
		proxies = ProxyForQuery(q)
	}
	need := TunnelingCapability
	if s.isUDP() {
		need = UDPTunnelingCapability
	}
	p, cause := ChooseProxy(proxies, need)
	switch {
	case cause != nil:
	case p.Type == NoProxy:
		if s.x != nil {
			s.x.via = nil
		}
		return nil
	default:
		s.extra().via = &p
		return nil
	}
	if s.x != nil {
		s.x.via = nil
	}
	s.setErrorAndEmit(UnsupportedSocketOperationError, "Operation on socket is not supported", cause)
	return &Error{Code: UnsupportedSocketOperationError, Op: op, Err: cause}
}

// ChooseProxy makes the choice at the end of Qt's resolveProxy: the first
// of proxies with the capability need (TunnelingCapability for a TCP
// socket, UDPTunnelingCapability for a datagram socket,
// ListeningCapability for a server), which must then be one qsock has an
// engine for (NoProxy, SOCKS5 or HTTP). The error says why none is
// usable; Qt reports that case as UnsupportedSocketOperationError.
func ChooseProxy(proxies []Proxy, need ProxyCapabilities) (Proxy, error) {
	var cause error
	for _, p := range proxies {
		if p.Capabilities()&need == 0 {
			cause = errors.New("socket: proxy type " + p.Type.String() + " cannot carry this socket (capabilities " + p.Capabilities().String() + ")")
			continue
		}
		switch p.Type {
		case NoProxy, Socks5Proxy, HTTPProxy:
			return p, nil
		}
		return Proxy{}, errors.New("socket: no engine for proxy type " + p.Type.String())
	}
	if cause == nil {
		cause = errors.New("socket: no proxy to use")
	}
	return Proxy{}, cause
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
	if s.State() != ConnectingState {
		return // a slot changed course
	}
	pc := s.newProxyConn()
	pc.connectByName(host, s.attempt().port)
	if s.loop != nil && s.tr == Transport(pc) && s.State() == ConnectingState && pc.phase != proxyDone {
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
