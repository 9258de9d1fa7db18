package socket

import (
	"strconv"
	"strings"
)

// ProxyType is the kind of a proxy: QNetworkProxy::ProxyType, with Qt's
// numbers. The Go names follow Go's initialisms (HTTPProxy for Qt's
// HttpProxy); String returns Qt's spelling.
type ProxyType int

// The proxy types, with Qt's numbers.
const (
	// DefaultProxy resolves, when the socket connects, to the
	// application proxy (ApplicationProxy). It is a socket's default.
	DefaultProxy ProxyType = 0
	// Socks5Proxy is a SOCKS version 5 proxy (RFC 1928, with RFC 1929
	// user name and password authentication). The proxy resolves host
	// names.
	Socks5Proxy ProxyType = 1
	// NoProxy connects directly, without a proxy.
	NoProxy ProxyType = 2
	// HTTPProxy is an HTTP proxy that tunnels TCP with the CONNECT method
	// (Qt's HttpProxy). The proxy resolves host names.
	HTTPProxy ProxyType = 3
	// HTTPCachingProxy is an HTTP proxy for HTTP requests only (Qt's
	// HttpCachingProxy); sockets cannot use it.
	HTTPCachingProxy ProxyType = 4
	// FTPCachingProxy is an FTP proxy for FTP requests only (Qt's
	// FtpCachingProxy); sockets cannot use it.
	FTPCachingProxy ProxyType = 5
)

var proxyTypeNames = [...]string{
	DefaultProxy:     "DefaultProxy",
	Socks5Proxy:      "Socks5Proxy",
	NoProxy:          "NoProxy",
	HTTPProxy:        "HttpProxy",
	HTTPCachingProxy: "HttpCachingProxy",
	FTPCachingProxy:  "FtpCachingProxy",
}

// String returns Qt's name of the type, such as "HttpProxy", or
// "ProxyType(n)" for a number Qt does not define.
func (t ProxyType) String() string {
	if t >= 0 && int(t) < len(proxyTypeNames) {
		return proxyTypeNames[t]
	}
	return "ProxyType(" + strconv.Itoa(int(t)) + ")"
}

// ProxyCapabilities is a set of what a proxy can do:
// QNetworkProxy::Capabilities, with Qt's bit values.
type ProxyCapabilities uint

// The proxy capabilities, with Qt's values. Go's initialisms apply
// (UDPTunnelingCapability for Qt's UdpTunnelingCapability).
const (
	TunnelingCapability      ProxyCapabilities = 0x01 // opens TCP connections to any host and port
	ListeningCapability      ProxyCapabilities = 0x02 // listens for connections (a server behind the proxy)
	UDPTunnelingCapability   ProxyCapabilities = 0x04 // relays UDP datagrams
	CachingCapability        ProxyCapabilities = 0x08 // caches what it relays
	HostNameLookupCapability ProxyCapabilities = 0x10 // resolves host names itself
	SCTPTunnelingCapability  ProxyCapabilities = 0x20 // opens SCTP connections
	SCTPListeningCapability  ProxyCapabilities = 0x40 // listens for SCTP connections
)

var capabilityNames = [...]string{
	"TunnelingCapability", "ListeningCapability", "UdpTunnelingCapability",
	"CachingCapability", "HostNameLookupCapability", "SctpTunnelingCapability",
	"SctpListeningCapability",
}

// String returns the set's flags with Qt's names, joined by "|", such as
// "TunnelingCapability|HostNameLookupCapability"; "0" for the empty set.
func (c ProxyCapabilities) String() string {
	if c == 0 {
		return "0"
	}
	var b strings.Builder
	for i, name := range capabilityNames {
		if c&(1<<i) != 0 {
			if b.Len() > 0 {
				b.WriteByte('|')
			}
			b.WriteString(name)
		}
	}
	if rest := c &^ (1<<len(capabilityNames) - 1); rest != 0 {
		if b.Len() > 0 {
			b.WriteByte('|')
		}
		b.WriteString("0x" + strconv.FormatUint(uint64(rest), 16))
	}
	return b.String()
}

// DefaultProxyCapabilities returns the capabilities Qt gives a proxy of
// type t unless they are set explicitly: Socks5Proxy tunnels TCP and UDP,
// listens and resolves names (0x17); HTTPProxy tunnels TCP, caches and
// resolves names (0x19); the caching proxies cache and resolve names
// (0x18); NoProxy and DefaultProxy can do everything a direct connection
// can (0x67).
func DefaultProxyCapabilities(t ProxyType) ProxyCapabilities {
	switch t {
	case Socks5Proxy:
		return TunnelingCapability | ListeningCapability | UDPTunnelingCapability | HostNameLookupCapability
	case HTTPProxy:
		return TunnelingCapability | CachingCapability | HostNameLookupCapability
	case HTTPCachingProxy, FTPCachingProxy:
		return CachingCapability | HostNameLookupCapability
	case DefaultProxy, NoProxy:
		return TunnelingCapability | ListeningCapability | UDPTunnelingCapability |
			SCTPTunnelingCapability | SCTPListeningCapability
	}
	return 0
}

// Proxy describes a network proxy: QNetworkProxy. A socket uses one
// through SetProxy, or through the application proxy (SetApplicationProxy)
// while its own is DefaultProxy. The zero Proxy is DefaultProxy; Proxy
// values are comparable with ==.
//
// Sockets tunnel TCP through Socks5Proxy and HTTPProxy. User and Password,
// when set, are offered to the proxy: SOCKS5 user name and password
// authentication (RFC 1929), or HTTP Basic authentication once the proxy
// asks for it. A proxy that wants credentials the socket lacks makes the
// socket emit ProxyAuthenticationRequired.
type Proxy struct {
	// Type is the kind of proxy.
	Type ProxyType
	// HostName is the proxy's host name or literal address.
	HostName string
	// Port is the proxy's port.
	Port uint16
	// User is the user name to authenticate with, empty for none.
	User string
	// Password is the password to authenticate with.
	Password string

	caps    ProxyCapabilities
	capsSet bool
}

// NewProxy returns a proxy of type t at host and port with the given
// credentials (empty for none), as QNetworkProxy's constructor does.
func NewProxy(t ProxyType, host string, port uint16, user, password string) Proxy {
	return Proxy{Type: t, HostName: host, Port: port, User: user, Password: password}
}

// Capabilities returns what the proxy can do: the value SetCapabilities
// set, or else DefaultProxyCapabilities(p.Type), as in Qt, where the
// capabilities follow setType until they are set explicitly.
func (p Proxy) Capabilities() ProxyCapabilities {
	if p.capsSet {
		return p.caps
	}
	return DefaultProxyCapabilities(p.Type)
}

// SetCapabilities sets what the proxy can do, overriding the type's
// defaults. Without TunnelingCapability a TCP socket cannot use the proxy;
// without HostNameLookupCapability the socket resolves host names itself
// and hands the proxy an address.
func (p *Proxy) SetCapabilities(c ProxyCapabilities) {
	p.caps, p.capsSet = c, true
}

// IsCachingProxy reports whether the proxy has CachingCapability.
func (p Proxy) IsCachingProxy() bool { return p.Capabilities()&CachingCapability != 0 }

// IsTransparentProxy reports whether the proxy has TunnelingCapability:
// it can relay arbitrary connections.
func (p Proxy) IsTransparentProxy() bool { return p.Capabilities()&TunnelingCapability != 0 }

// Authenticator carries the credentials a ProxyAuthenticationRequired
// slot supplies (QAuthenticator). The slot fills User and Password before
// it returns; leaving both empty makes the connect fail with
// ProxyAuthenticationRequiredError.
type Authenticator struct {
	// User is the user name to try.
	User string
	// Password is the password to try.
	Password string

	realm string
}

// Realm returns the realm the proxy named in its challenge (an HTTP
// proxy's Proxy-Authenticate realm); SOCKS5 has none.
func (a *Authenticator) Realm() string { return a.realm }

// SetProxy sets the proxy the socket connects through from its next
// ConnectToHost on (QAbstractSocket::setProxy). Proxy{Type: NoProxy}
// connects directly; the default, DefaultProxy, takes the first usable
// proxy ProxyForQuery gives: the application proxy, a factory's choice or
// the system configuration's, except that, as in Qt, "localhost" and
// loopback addresses are always reached directly.
func (s *AbstractSocket) SetProxy(p Proxy) {
	if p == (Proxy{}) {
		if s.x != nil {
			s.x.proxy = nil
		}
		return // DefaultProxy needs no storage
	}
	s.extra().proxy = &p
}

// Proxy returns the proxy set with SetProxy: DefaultProxy (the zero Proxy)
// until one is set.
func (s *AbstractSocket) Proxy() Proxy {
	if s.x == nil || s.x.proxy == nil {
		return Proxy{}
	}
	return *s.x.proxy
}

// ProxyAuthenticationRequired returns the signal a socket emits when its
// proxy asks for credentials it does not have, or rejects the ones it
// sent (QAbstractSocket::proxyAuthenticationRequired). The slot receives
// the proxy and an *Authenticator to fill synchronously; the socket then
// retries with those credentials, or fails with
// ProxyAuthenticationRequiredError when the slot left them empty.
//
// The signal is reached through a method rather than a field, so that
// sockets that never use a proxy do not carry it.
func (s *AbstractSocket) ProxyAuthenticationRequired() *Signal2[Proxy, *Authenticator] {
	return &s.extra().proxyAuth
}

// emitProxyAuth emits ProxyAuthenticationRequired if anyone listens.
func (s *AbstractSocket) emitProxyAuth(p Proxy, a *Authenticator) {
	if s.x != nil {
		s.x.proxyAuth.Emit(p, a)
	}
}
