package socket

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func noProxies() []Proxy { return []Proxy{{Type: NoProxy}} }

// Qt's QGlobalNetworkProxy: nothing set is direct; an application proxy,
// a factory and the system configuration replace one another; local
// destinations are always direct.
func TestProxyForQuery(t *testing.T) {
	t.Cleanup(func() { SetApplicationProxy(Proxy{}) })
	remote := ProxyQuery{Type: TCPSocketQuery, PeerHostName: "example.org", PeerPort: 80, LocalPort: -1}
	opts := cmp.AllowUnexported(Proxy{})

	if d := cmp.Diff(noProxies(), ProxyForQuery(remote), opts); d != "" {
		t.Errorf("nothing set (-want +got):\n%s", d)
	}

	app := NewProxy(Socks5Proxy, "proxy", 1080, "", "")
	SetApplicationProxy(app)
	if d := cmp.Diff([]Proxy{app}, ProxyForQuery(remote), opts); d != "" {
		t.Errorf("application proxy (-want +got):\n%s", d)
	}
	for _, host := range []string{"localhost", "LocalHost", "localhost.localdomain", "127.0.0.1", "127.1", "::1", "[::1]"} {
		q := remote
		q.PeerHostName = host
		if d := cmp.Diff(noProxies(), ProxyForQuery(q), opts); d != "" {
			t.Errorf("local destination %q (-want +got):\n%s", host, d)
		}
	}

	var asked []ProxyQuery
	SetApplicationProxyFactory(ProxyFactoryFunc(func(q ProxyQuery) []Proxy {
		asked = append(asked, q)
		if q.PeerHostName == "empty.example" {
			return nil
		}
		return []Proxy{NewProxy(HTTPProxy, "web", 3128, "", ""), {Type: NoProxy}}
	}))
	if ApplicationProxy().Type != HTTPProxy {
		t.Errorf("with a factory, ApplicationProxy() = %v, want the factory's first (HttpProxy)", ApplicationProxy().Type)
	}
	if got := ProxyForQuery(remote); len(got) != 2 || got[0].Type != HTTPProxy {
		t.Errorf("factory: %+v", got)
	}
	if d := cmp.Diff(noProxies(), ProxyForQuery(ProxyQuery{PeerHostName: "empty.example"}), opts); d != "" {
		t.Errorf("a factory's empty answer (-want +got):\n%s", d)
	}
	if len(asked) == 0 || asked[len(asked)-1].PeerHostName != "empty.example" {
		t.Errorf("the factory was asked %+v", asked)
	}

	t.Setenv("all_proxy", "socks5://u:p@sys.example:9050")
	SetUseSystemProxyConfiguration(true)
	if !UsesSystemProxyConfiguration() {
		t.Error("UsesSystemProxyConfiguration() = false after turning it on")
	}
	want := []Proxy{NewProxy(Socks5Proxy, "sys.example", 9050, "u", "p"), {Type: NoProxy}}
	if d := cmp.Diff(want, ProxyForQuery(remote), opts); d != "" {
		t.Errorf("system configuration, NoProxy last (-want +got):\n%s", d)
	}
	SetApplicationProxy(app)
	if UsesSystemProxyConfiguration() {
		t.Error("an application proxy did not turn the system configuration off")
	}
	// Qt ignores turning off what is already off: the application proxy
	// stays.
	SetUseSystemProxyConfiguration(false)
	if d := cmp.Diff([]Proxy{app}, ProxyForQuery(remote), opts); d != "" {
		t.Errorf("system configuration turned off again (-want +got):\n%s", d)
	}
	SetUseSystemProxyConfiguration(true)
	SetUseSystemProxyConfiguration(false)
	if d := cmp.Diff(noProxies(), ProxyForQuery(remote), opts); d != "" {
		t.Errorf("system configuration turned off (-want +got):\n%s", d)
	}
}

// Qt's generic Unix systemProxyForQuery: the variable by protocol tag,
// http_proxy as the fallback, the URL's scheme, default ports and
// credentials, no HTTP proxy for datagram sockets and servers, and
// no_proxy's suffix match.
func TestSystemProxyForQuery(t *testing.T) {
	for _, name := range []string{"http_proxy", "https_proxy", "ftp_proxy", "all_proxy", "no_proxy",
		"HTTP_PROXY", "HTTPS_PROXY", "FTP_PROXY", "ALL_PROXY", "NO_PROXY"} {
		t.Setenv(name, "")
	}
	opts := cmp.AllowUnexported(Proxy{})
	q := func(typ ProxyQueryType, host, tag string) ProxyQuery {
		return ProxyQuery{Type: typ, PeerHostName: host, PeerPort: 1, LocalPort: -1, ProtocolTag: tag}
	}
	if d := cmp.Diff(noProxies(), SystemProxyForQuery(q(TCPSocketQuery, "a.example", "")), opts); d != "" {
		t.Errorf("no variables (-want +got):\n%s", d)
	}
	t.Setenv("http_proxy", "http://web.example")
	t.Setenv("https_proxy", "socks5h://tls.example")
	t.Setenv("no_proxy", "internal.example, *.corp.example.,")
	for _, c := range []struct {
		q    ProxyQuery
		want []Proxy
	}{
		{q(TCPSocketQuery, "a.example", ""), []Proxy{NewProxy(HTTPProxy, "web.example", 8080, "", "")}},
		{q(TCPSocketQuery, "a.example", "https"), []Proxy{NewProxy(Socks5Proxy, "tls.example", 1080, "", "")}},
		{q(UDPSocketQuery, "a.example", ""), noProxies()},
		{q(TCPServerQuery, "", ""), noProxies()},
		{q(TCPSocketQuery, "internal.example", ""), noProxies()},
		{q(TCPSocketQuery, "db.internal.example", ""), noProxies()},
		{q(TCPSocketQuery, "notinternal.example", ""), []Proxy{NewProxy(HTTPProxy, "web.example", 8080, "", "")}},
		{q(TCPSocketQuery, "x.corp.example", ""), noProxies()},
	} {
		if d := cmp.Diff(c.want, SystemProxyForQuery(c.q), opts); d != "" {
			t.Errorf("%+v (-want +got):\n%s", c.q, d)
		}
	}
	t.Setenv("http_proxy", "")
	t.Setenv("HTTP_PROXY", "http://UPPER.example:3128")
	if got := SystemProxyForQuery(q(TCPSocketQuery, "a.example", "")); got[0].HostName != "upper.example" || got[0].Port != 3128 {
		t.Errorf("HTTP_PROXY: %+v", got)
	}
	t.Setenv("HTTP_PROXY", "ftp://nope.example")
	if d := cmp.Diff(noProxies(), SystemProxyForQuery(q(TCPSocketQuery, "a.example", "")), opts); d != "" {
		t.Errorf("an unknown scheme (-want +got):\n%s", d)
	}
}

// A socket takes the first proxy that can carry it, as Qt's resolveProxy
// does: a factory answering [caching proxy, NoProxy] connects directly;
// one answering only a caching proxy fails with
// UnsupportedSocketOperationError.
func TestChooseProxy(t *testing.T) {
	caching := NewProxy(HTTPCachingProxy, "cache", 3128, "", "")
	if p, err := ChooseProxy([]Proxy{caching, {Type: NoProxy}}, TunnelingCapability); err != nil || p.Type != NoProxy {
		t.Errorf("ChooseProxy([caching, NoProxy]) = %v, %v; want NoProxy", p.Type, err)
	}
	if _, err := ChooseProxy([]Proxy{caching}, TunnelingCapability); err == nil {
		t.Error("ChooseProxy([caching]) found a usable proxy")
	}
	socks := NewProxy(Socks5Proxy, "s", 1080, "", "")
	if p, err := ChooseProxy([]Proxy{NewProxy(HTTPProxy, "h", 1, "", ""), socks}, ListeningCapability); err != nil || p.Type != Socks5Proxy {
		t.Errorf("a server's choice = %v, %v; want the SOCKS5 proxy", p.Type, err)
	}
}
