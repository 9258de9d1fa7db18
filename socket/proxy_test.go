package socket

import (
	"errors"
	"fmt"
	"sync"
	"testing"
)

// The values below are Qt 6.4's, printed by a probe program
// (QNetworkProxy(type).capabilities(), isCachingProxy(),
// isTransparentProxy(), applicationProxy()).

func TestProxyTypeNames(t *testing.T) {
	for _, c := range []enumCase{
		{DefaultProxy, int64(DefaultProxy), 0, "DefaultProxy"},
		{Socks5Proxy, int64(Socks5Proxy), 1, "Socks5Proxy"},
		{NoProxy, int64(NoProxy), 2, "NoProxy"},
		{HTTPProxy, int64(HTTPProxy), 3, "HttpProxy"},
		{HTTPCachingProxy, int64(HTTPCachingProxy), 4, "HttpCachingProxy"},
		{FTPCachingProxy, int64(FTPCachingProxy), 5, "FtpCachingProxy"},
		{ProxyType(9), 9, 9, "ProxyType(9)"},
	} {
		if c.num != c.want || c.got.String() != c.name {
			t.Errorf("%v = %d %q, want %d %q", c.name, c.num, c.got.String(), c.want, c.name)
		}
	}
	for _, c := range []struct {
		c    ProxyCapabilities
		want uint
		name string
	}{
		{TunnelingCapability, 0x1, "TunnelingCapability"},
		{ListeningCapability, 0x2, "ListeningCapability"},
		{UDPTunnelingCapability, 0x4, "UdpTunnelingCapability"},
		{CachingCapability, 0x8, "CachingCapability"},
		{HostNameLookupCapability, 0x10, "HostNameLookupCapability"},
		{SCTPTunnelingCapability, 0x20, "SctpTunnelingCapability"},
		{SCTPListeningCapability, 0x40, "SctpListeningCapability"},
		{TunnelingCapability | HostNameLookupCapability | 0x100, 0x111, "TunnelingCapability|HostNameLookupCapability|0x100"},
		{0, 0, "0"},
	} {
		if uint(c.c) != c.want || c.c.String() != c.name {
			t.Errorf("%s = %#x %q", c.name, uint(c.c), c.c.String())
		}
	}
}

func TestProxyCapabilities(t *testing.T) {
	for _, c := range []struct {
		t                    ProxyType
		caps                 ProxyCapabilities
		caching, transparent bool
	}{
		{DefaultProxy, 0x67, false, true},
		{Socks5Proxy, 0x17, false, true},
		{NoProxy, 0x67, false, true},
		{HTTPProxy, 0x19, true, true},
		{HTTPCachingProxy, 0x18, true, false},
		{FTPCachingProxy, 0x18, true, false},
	} {
		p := NewProxy(c.t, "h", 1, "", "")
		if p.Capabilities() != c.caps || p.IsCachingProxy() != c.caching || p.IsTransparentProxy() != c.transparent {
			t.Errorf("%v: caps %#x caching %v transparent %v", c.t, uint(p.Capabilities()), p.IsCachingProxy(), p.IsTransparentProxy())
		}
	}
	// Capabilities set explicitly survive a change of type, as in Qt.
	p := NewProxy(Socks5Proxy, "h", 1, "", "")
	p.SetCapabilities(TunnelingCapability)
	p.Type = HTTPProxy
	if p.Capabilities() != TunnelingCapability {
		t.Errorf("explicit capabilities after a type change: %v", p.Capabilities())
	}
	if (Proxy{}).Type != DefaultProxy {
		t.Error("the zero Proxy is not DefaultProxy")
	}
}

func TestApplicationProxyDefault(t *testing.T) {
	defer SetApplicationProxy(Proxy{})
	if got := ApplicationProxy(); got != (Proxy{Type: NoProxy}) {
		t.Fatalf("ApplicationProxy() = %+v, want NoProxy", got)
	}
	p := NewProxy(HTTPProxy, "h", 3128, "u", "p")
	SetApplicationProxy(p)
	if got := ApplicationProxy(); got != p {
		t.Errorf("ApplicationProxy() = %+v, want %+v", got, p)
	}
	// Qt: setting DefaultProxy gives NoProxy back.
	SetApplicationProxy(Proxy{Type: DefaultProxy})
	if got := ApplicationProxy().Type; got != NoProxy {
		t.Errorf("after DefaultProxy: %v", got)
	}
}

// TestApplicationProxyConcurrent sets and reads the application proxy
// from many goroutines; the race detector checks it.
func TestApplicationProxyConcurrent(t *testing.T) {
	defer SetApplicationProxy(Proxy{})
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 200 {
				SetApplicationProxy(NewProxy(Socks5Proxy, fmt.Sprint("h", i), uint16(j), "", ""))
				if p := ApplicationProxy(); p.Type != Socks5Proxy && p.Type != NoProxy {
					t.Errorf("ApplicationProxy() = %v", p.Type)
				}
			}
		}()
	}
	wg.Wait()
}

func TestSocketProxyDefault(t *testing.T) {
	s := NewAbstractSocket(TCPSocket, nil)
	if s.Proxy().Type != DefaultProxy {
		t.Errorf("Proxy() = %v, want DefaultProxy", s.Proxy().Type)
	}
	s.SetProxy(Proxy{})
	if s.x != nil {
		t.Error("SetProxy(DefaultProxy) allocated the socket's extras")
	}
	p := NewProxy(Socks5Proxy, "127.0.0.1", 1080, "u", "p")
	s.SetProxy(p)
	if s.Proxy() != p {
		t.Errorf("Proxy() = %+v", s.Proxy())
	}
	s.SetProxy(Proxy{})
	if s.Proxy() != (Proxy{}) {
		t.Errorf("Proxy() after reset = %+v", s.Proxy())
	}
}

func TestProxyErrorChain(t *testing.T) {
	cause := errors.New("boom")
	err := fmt.Errorf("connect: %w", proxyFail(ProxyConnectionRefusedError, "Connection to proxy refused", cause))
	if !errors.Is(err, ProxyConnectionRefusedError) || !errors.Is(err, cause) || errors.Is(err, ConnectionRefusedError) {
		t.Errorf("errors.Is on %v", err)
	}
	if code, text := codeOf(err); code != ProxyConnectionRefusedError || text != "Connection to proxy refused" {
		t.Errorf("codeOf = %v %q", code, text)
	}
	if !isProxyError(err) || isProxyError(proxyFail(ConnectionRefusedError, "Connection refused", nil)) {
		t.Error("isProxyError")
	}
	if got := err.Error(); got != "connect: Connection to proxy refused: boom" {
		t.Errorf("Error() = %q", got)
	}
}

// TestProxyTimeoutWording checks the connect timer's error while the
// proxy itself has not accepted the connection: each engine's
// ProxyConnectionTimeoutError text; once it has, Qt's "Connection timed
// out".
func TestProxyTimeoutWording(t *testing.T) {
	for _, c := range []struct {
		proto proxyProtocol
		phase proxyPhase
		code  SocketError
		text  string
	}{
		{&socks5Protocol{}, proxyDialing, ProxyConnectionTimeoutError, "Connection to proxy timed out"},
		{&httpConnectProtocol{}, proxyLookup, ProxyConnectionTimeoutError, "Proxy server connection timed out"},
		{&socks5Protocol{}, proxyHandshake, SocketTimeoutError, "Connection timed out"},
	} {
		s := NewAbstractSocket(TCPSocket, nil)
		s.tr = &proxyConn{s: s, proto: c.proto, phase: c.phase}
		code, text, err := s.connectTimeoutError()
		if code != c.code || text != c.text || (c.code != SocketTimeoutError && !errors.Is(err, c.code)) {
			t.Errorf("%T in phase %d: %v %q (%v)", c.proto, c.phase, code, text, err)
		}
		s.tr = nil
	}
}
