package socket

import (
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
)

// How a socket whose own proxy is DefaultProxy finds one: Qt's
// QNetworkProxyFactory and the global proxy settings behind
// QNetworkProxy::applicationProxy. One of three sources is in force at a
// time: an application proxy (SetApplicationProxy), an application proxy
// factory (SetApplicationProxyFactory), or the system's configuration
// (SetUseSystemProxyConfiguration: on Unix, the http_proxy family of
// environment variables). With none, connections are direct.

// ProxyQueryType is what a proxy is being chosen for
// (QNetworkProxyQuery::QueryType), with Qt's numbers.
type ProxyQueryType int

// The query types.
const (
	TCPSocketQuery  ProxyQueryType = 0   // a TCP connection (QNetworkProxyQuery::TcpSocket)
	UDPSocketQuery  ProxyQueryType = 1   // a datagram socket (UdpSocket)
	SCTPSocketQuery ProxyQueryType = 2   // an SCTP connection (SctpSocket)
	TCPServerQuery  ProxyQueryType = 100 // a listening server (TcpServer)
	URLRequestQuery ProxyQueryType = 101 // a URL request (UrlRequest)
	SCTPServerQuery ProxyQueryType = 102 // an SCTP server (SctpServer)
)

// ProxyQuery describes a connection or server a proxy is being chosen for
// (QNetworkProxyQuery). Sockets fill it in when they resolve
// DefaultProxy: the host and port they connect to, or the port a server
// listens on, and the socket's protocol tag.
type ProxyQuery struct {
	Type         ProxyQueryType
	PeerHostName string // the host as the application named it; "" for a bind or a server
	PeerPort     int    // -1 when there is none
	LocalPort    int    // the port a server or bind asks for; -1 when there is none
	ProtocolTag  string // the socket's ProtocolTag, such as "http"
}

// ProxyFactory chooses proxies for a query, best first
// (QNetworkProxyFactory::queryProxy). Sockets take the first one that can
// carry them: a TCP socket needs TunnelingCapability, a datagram socket
// UDPTunnelingCapability, a server ListeningCapability. Include
// Proxy{Type: NoProxy} to let the others connect directly. It is called
// from the goroutines of the sockets that connect.
type ProxyFactory interface {
	QueryProxy(q ProxyQuery) []Proxy
}

// ProxyFactoryFunc lets a function be a ProxyFactory.
type ProxyFactoryFunc func(q ProxyQuery) []Proxy

// QueryProxy calls f(q).
func (f ProxyFactoryFunc) QueryProxy(q ProxyQuery) []Proxy { return f(q) }

// proxySettings is what is in force; it is replaced whole, never changed.
type proxySettings struct {
	app     *Proxy // SetApplicationProxy's; nil: none set
	factory ProxyFactory
	system  bool
}

// globalProxy is nil until a setting is made: connections are direct.
var globalProxy atomic.Pointer[proxySettings]

// SetApplicationProxy sets the proxy used by every socket whose own proxy
// is DefaultProxy, from their next connect on
// (QNetworkProxy::setApplicationProxy). It replaces an application proxy
// factory and turns the system configuration off, as in Qt; setting
// DefaultProxy or NoProxy makes connections direct. It is safe to call
// from any goroutine.
func SetApplicationProxy(p Proxy) {
	if p.Type == DefaultProxy || p.Type == NoProxy {
		globalProxy.Store(nil)
		return
	}
	globalProxy.Store(&proxySettings{app: &p})
}

// ApplicationProxy returns the proxy a connection with no particular
// destination would use (QNetworkProxy::applicationProxy): the application
// proxy, or the first proxy the factory or the system configuration
// gives; NoProxy when nothing is set. It is safe to call from any
// goroutine.
func ApplicationProxy() Proxy {
	return ProxyForQuery(ProxyQuery{PeerPort: -1, LocalPort: -1})[0]
}

// SetApplicationProxyFactory makes f choose the proxies of every socket
// and server whose own proxy is DefaultProxy
// (QNetworkProxyFactory::setApplicationProxyFactory). It replaces the
// application proxy and turns the system configuration off; nil removes
// the factory, making connections direct.
func SetApplicationProxyFactory(f ProxyFactory) {
	if f == nil {
		globalProxy.Store(nil)
		return
	}
	globalProxy.Store(&proxySettings{factory: f})
}

// SetUseSystemProxyConfiguration makes sockets and servers whose own
// proxy is DefaultProxy use the system's proxy configuration
// (QNetworkProxyFactory::setUseSystemConfiguration): on Unix, as Qt's
// generic implementation, the environment variables read by
// SystemProxyForQuery, looked up at every connect. Turning it on replaces
// the application proxy and factory; turning it off makes connections
// direct.
func SetUseSystemProxyConfiguration(on bool) {
	if cur := globalProxy.Load(); (cur != nil && cur.system) == on {
		return
	}
	if on {
		globalProxy.Store(&proxySettings{system: true})
	} else {
		globalProxy.Store(nil)
	}
}

// UsesSystemProxyConfiguration reports whether the system's proxy
// configuration is in use (QNetworkProxyFactory::usesSystemConfiguration).
func UsesSystemProxyConfiguration() bool {
	cur := globalProxy.Load()
	return cur != nil && cur.system
}

// ProxyForQuery returns the proxies for q under the settings in force,
// best first, never an empty list (QNetworkProxyFactory::proxyForQuery).
// As in Qt, a connection to "localhost", a "localhost." name or a
// loopback address is always direct; the system configuration's list
// ends with NoProxy, so that servers and datagram sockets, which an HTTP
// proxy cannot carry, still work.
func ProxyForQuery(q ProxyQuery) []Proxy {
	direct := []Proxy{{Type: NoProxy}}
	if isLocalHost(q.PeerHostName) {
		return direct
	}
	cur := globalProxy.Load()
	switch {
	case cur == nil:
		return direct
	case cur.factory != nil:
		if l := cur.factory.QueryProxy(q); len(l) > 0 {
			return l
		}
		return direct
	case cur.app != nil:
		return []Proxy{*cur.app}
	case cur.system:
		return append(SystemProxyForQuery(q), direct...)
	}
	return direct
}

// isLocalHost is Qt's test for a connection that never goes through a
// proxy.
func isLocalHost(host string) bool {
	host = strings.ToLower(strings.TrimSuffix(strings.TrimPrefix(host, "["), "]"))
	if host == "localhost" || strings.HasPrefix(host, "localhost.") {
		return true
	}
	a, ok := ParseHostAddress(host)
	return ok && a.IsLoopback()
}

// SystemProxyForQuery returns the system's proxies for q
// (QNetworkProxyFactory::systemProxyForQuery), read as Qt's generic Unix
// implementation reads them: no_proxy first, a comma-separated list of
// host suffixes ("example.com" also matches "www.example.com", a leading
// "*" is ignored), which makes the answer NoProxy; then the variable for
// the query's protocol tag (http_proxy for "http", https_proxy for
// "https", ftp_proxy for "ftp", all_proxy otherwise), falling back to
// http_proxy. Its URL gives a SOCKS5 proxy for the schemes socks5 and
// socks5h (port 1080 by default), or an HTTP proxy for http or no scheme
// (port 8080 by default), which is not offered to datagram sockets and
// servers. User and password come from the URL. Nothing usable gives
// NoProxy. Lower-case names are read first, then upper-case ones.
func SystemProxyForQuery(q ProxyQuery) []Proxy {
	direct := []Proxy{{Type: NoProxy}}
	if ignoreProxyFor(q.PeerHostName) {
		return direct
	}
	var env string
	switch q.ProtocolTag {
	case "http":
		env = proxyEnv("http_proxy")
	case "https":
		env = proxyEnv("https_proxy")
	case "ftp":
		env = proxyEnv("ftp_proxy")
	default:
		env = proxyEnv("all_proxy")
	}
	if env == "" {
		env = proxyEnv("http_proxy")
	}
	if env == "" {
		return direct
	}
	u, err := url.Parse(env)
	if err != nil {
		return direct
	}
	port := func(def uint16) uint16 {
		if n, err := strconv.ParseUint(u.Port(), 10, 16); err == nil && n != 0 {
			return uint16(n)
		}
		return def
	}
	pass, _ := u.User.Password()
	host := strings.ToLower(u.Hostname()) // QUrl's host is lower-case
	switch strings.ToLower(u.Scheme) {
	case "socks5", "socks5h":
		return []Proxy{NewProxy(Socks5Proxy, host, port(1080), u.User.Username(), pass)}
	case "http", "":
		if q.Type == UDPSocketQuery || q.Type == TCPServerQuery {
			return direct
		}
		return []Proxy{NewProxy(HTTPProxy, host, port(8080), u.User.Username(), pass)}
	}
	return direct
}

// proxyEnv reads a proxy variable, the lower-case name first.
func proxyEnv(name string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return os.Getenv(strings.ToUpper(name))
}

// ignoreProxyFor is Qt's no_proxy test: a suffix match on whole labels.
func ignoreProxyFor(host string) bool {
	noProxy := strings.TrimSpace(proxyEnv("no_proxy"))
	if noProxy == "" {
		return false
	}
	if !strings.HasPrefix(host, ".") {
		host = "." + host
	}
	for _, tok := range strings.Split(noProxy, ",") {
		tok = strings.TrimPrefix(strings.TrimSpace(tok), "*")
		if strings.HasSuffix(tok, ".") && !strings.HasSuffix(host, ".") {
			tok = strings.TrimSuffix(tok, ".")
		}
		if !strings.HasPrefix(tok, ".") {
			tok = "." + tok
		}
		if strings.HasSuffix(host, tok) {
			return true
		}
	}
	return false
}
