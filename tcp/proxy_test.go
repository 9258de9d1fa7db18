package tcp_test

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/qsock/qsock/engine"
	"github.com/qsock/qsock/internal/sockettest"
	"github.com/qsock/qsock/socket"
	"github.com/qsock/qsock/tcp"
)

// The sequences these tests expect are what Qt 6.4 emits for the same
// connects through the same servers (Dante 1.4 and tinyproxy 1.11), read
// from probe programs: a QTcpSocket with setProxy, its signals printed.

var (
	proxyUser = sockettest.ProxyUser
	proxyPass = sockettest.ProxyPassword
)

func socksProxy(port uint16) socket.Proxy {
	return socket.NewProxy(socket.Socks5Proxy, "127.0.0.1", port, "", "")
}

func httpProxy(port uint16) socket.Proxy {
	return socket.NewProxy(socket.HTTPProxy, "127.0.0.1", port, "", "")
}

func withCreds(p socket.Proxy, user, pass string) socket.Proxy {
	p.User, p.Password = user, pass
	return p
}

// proxyCase is one connect through a proxy: the slot credentials, if
// any, are given on the first ProxyAuthenticationRequired only, as the Qt
// probes did.
type proxyCase struct {
	proxy      socket.Proxy
	host       string
	port       uint16
	slotUser   string
	slotPass   string
	noWaitDone bool
}

// recordProxy records the socket's signals, ProxyAuthenticationRequired
// as "proxyAuth:<type>:<proxy user>:<proxy password>:<realm>".
func recordProxy(s *tcp.Socket, slotUser, slotPass string) *events {
	ev := record(s)
	n := 0
	s.ProxyAuthenticationRequired().Connect(func(p socket.Proxy, a *socket.Authenticator) {
		n++
		ev.Add(fmt.Sprintf("proxyAuth:%v:%s:%s:%s", p.Type, p.User, p.Password, a.Realm()))
		if n == 1 && slotUser != "" {
			a.User, a.Password = slotUser, slotPass
		}
	})
	return ev
}

// connectVia connects a new socket on l as c says and waits until it is
// connected or has failed.
func connectVia(t *testing.T, l *engine.Loop, c proxyCase) (*tcp.Socket, *events) {
	t.Helper()
	var s *tcp.Socket
	var ev *events
	l.Invoke(func() {
		s = tcp.NewSocket(l)
		s.SetProxy(c.proxy)
		ev = recordProxy(s, c.slotUser, c.slotPass)
		s.ConnectToHost(c.host, c.port)
	})
	t.Cleanup(func() { l.Invoke(func() { s.Abort() }) })
	until(t, l, "the connect to finish", func() bool {
		n := len(ev.Log)
		return n > 0 && (ev.Log[n-1] == "connected" || strings.HasPrefix(ev.Log[n-1], "error:"))
	})
	return s, ev
}

// echoOnce writes a line through a connected socket and waits for it to
// come back.
func echoOnce(t *testing.T, l *engine.Loop, s *tcp.Socket) {
	t.Helper()
	var got []byte
	l.Invoke(func() {
		s.ReadyRead.Connect(func() { got = append(got, s.ReadAll()...) })
		s.Write([]byte("ping\n"))
	})
	until(t, l, "the echo", func() bool { return string(got) == "ping\n" })
}

func checkErr(t *testing.T, l *engine.Loop, s *tcp.Socket, code socket.SocketError, text string) {
	t.Helper()
	l.Invoke(func() {
		if s.Error() != code || s.ErrorString() != text {
			t.Errorf("error = %v %q, want %v %q", s.Error(), s.ErrorString(), code, text)
		}
		if err := s.LastError(); !errors.Is(err, code) {
			t.Errorf("LastError() = %v, not %v under errors.Is", err, code)
		}
		if s.State() != socket.UnconnectedState || s.SocketDescriptor() != -1 {
			t.Errorf("after failing: state %v, descriptor %d", s.State(), s.SocketDescriptor())
		}
	})
}

var (
	byName    = []string{"state:HostLookupState", "state:ConnectingState"}
	byAddress = []string{"state:HostLookupState", "state:ConnectingState", "hostFound"}
)

func seq(head []string, tail ...string) []string {
	return append(append([]string(nil), head...), tail...)
}

func TestProxySuccess(t *testing.T) {
	l := newLoop(t)
	echo := sockettest.EchoServer(t)
	dante := sockettest.StartDante(t, false)
	tiny := sockettest.StartTinyproxy(t, false)
	for _, tc := range []struct {
		name  string
		proxy socket.Proxy
		host  string
		want  []string
	}{
		{"socks5/name", socksProxy(dante), "localhost", seq(byName, "state:ConnectedState", "connected")},
		{"socks5/address", socksProxy(dante), "127.0.0.1", seq(byAddress, "state:ConnectedState", "connected")},
		{"http/name", httpProxy(tiny), "localhost", seq(byName, "state:ConnectedState", "connected")},
		{"http/address", httpProxy(tiny), "127.0.0.1", seq(byAddress, "state:ConnectedState", "connected")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, ev := connectVia(t, l, proxyCase{proxy: tc.proxy, host: tc.host, port: echo})
			l.Invoke(func() {
				ev.Check(t, "connect", tc.want...)
				// Qt: the peer address is null when the proxy resolved
				// the name; the local end is the proxy's report (SOCKS5)
				// or the connection to the proxy (HTTP).
				wantPeer := ""
				if tc.host == "127.0.0.1" {
					wantPeer = "127.0.0.1"
				}
				peer := ""
				if s.PeerAddress().IsValid() {
					peer = s.PeerAddress().String()
				}
				if peer != wantPeer || s.PeerPort() != echo || s.PeerName() != tc.host {
					t.Errorf("peer %q:%d name %q", peer, s.PeerPort(), s.PeerName())
				}
				if s.LocalPort() == 0 || s.LocalAddress().String() != "127.0.0.1" || s.SocketDescriptor() < 0 {
					t.Errorf("local %v:%d, descriptor %d", s.LocalAddress(), s.LocalPort(), s.SocketDescriptor())
				}
			})
			echoOnce(t, l, s)
			l.Invoke(func() {
				ev.Reset()
				s.DisconnectFromHost()
			})
			until(t, l, "the close", func() bool { return s.State() == socket.UnconnectedState })
			l.Invoke(func() {
				ev.Check(t, "close", "state:ClosingState", "state:UnconnectedState", "readChannelFinished", "disconnected")
			})
		})
	}
}

func TestProxyFailures(t *testing.T) {
	l := newLoop(t)
	dante := sockettest.StartDante(t, false)
	tiny := sockettest.StartTinyproxy(t, false)
	closed := sockettest.FreePort(t)
	for _, tc := range []struct {
		name  string
		proxy socket.Proxy
		host  string
		port  uint16
		head  []string
		code  socket.SocketError
		text  string
	}{
		{"socks5/proxy refused/name", socksProxy(closed), "localhost", 80, byName, socket.ProxyConnectionRefusedError, "Connection to proxy refused"},
		{"socks5/proxy refused/address", socksProxy(closed), "127.0.0.1", 80, byAddress, socket.ProxyConnectionRefusedError, "Connection to proxy refused"},
		{"http/proxy refused/name", httpProxy(closed), "localhost", 80, byName, socket.ProxyConnectionRefusedError, "Proxy connection refused"},
		{"http/proxy refused/address", httpProxy(closed), "127.0.0.1", 80, byAddress, socket.ProxyConnectionRefusedError, "Proxy connection refused"},
		{"socks5/target refused/name", socksProxy(dante), "localhost", closed, byName, socket.ConnectionRefusedError, "Connection refused"},
		{"socks5/target refused/address", socksProxy(dante), "127.0.0.1", closed, byAddress, socket.ConnectionRefusedError, "Connection refused"},
		// tinyproxy answers "500 Unable to connect", which Qt does not map.
		{"http/target refused/name", httpProxy(tiny), "localhost", closed, byName, socket.ProxyProtocolError, "Error communicating with HTTP proxy"},
		{"http/target refused/address", httpProxy(tiny), "127.0.0.1", closed, byAddress, socket.ProxyProtocolError, "Error communicating with HTTP proxy"},
		{"socks5/target not found", socksProxy(dante), "nonexistent.invalid", 80, byName, socket.HostNotFoundError, "Host not found"},
		{"socks5/proxy not found", socket.NewProxy(socket.Socks5Proxy, "nonexistent.invalid", 1080, "", ""), "localhost", 80, byName, socket.ProxyNotFoundError, "Proxy host not found"},
		{"http/proxy not found", socket.NewProxy(socket.HTTPProxy, "nonexistent.invalid", 3128, "", ""), "localhost", 80, byName, socket.ProxyNotFoundError, "Proxy server not found"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, ev := connectVia(t, l, proxyCase{proxy: tc.proxy, host: tc.host, port: tc.port})
			l.Invoke(func() {
				ev.Check(t, "connect", seq(tc.head, "state:UnconnectedState", "error:"+tc.code.String())...)
			})
			checkErr(t, l, s, tc.code, tc.text)
		})
	}
}

func TestProxyAuthentication(t *testing.T) {
	l := newLoop(t)
	echo := sockettest.EchoServer(t)
	dante := sockettest.StartDante(t, true)
	tiny := sockettest.StartTinyproxy(t, true)
	socksAuth := func(user, pass string) string { return "proxyAuth:Socks5Proxy:" + user + ":" + pass + ":" }
	httpAuth := "proxyAuth:HttpProxy:::Tinyproxy"
	ok := []string{"state:ConnectedState", "connected"}
	for _, tc := range []struct {
		name string
		c    proxyCase
		want []string
		code socket.SocketError
		text string
	}{
		{"socks5/no credentials", proxyCase{proxy: socksProxy(dante)},
			seq(byName, socksAuth("", ""), "state:UnconnectedState", "error:ProxyAuthenticationRequiredError"),
			socket.ProxyAuthenticationRequiredError, "Proxy authentication failed"},
		{"socks5/slot supplies them", proxyCase{proxy: socksProxy(dante), slotUser: proxyUser, slotPass: proxyPass},
			seq(byName, append([]string{socksAuth("", "")}, ok...)...), 0, ""},
		{"socks5/proxy has them", proxyCase{proxy: withCreds(socksProxy(dante), proxyUser, proxyPass)},
			seq(byName, ok...), 0, ""},
		{"socks5/wrong ones", proxyCase{proxy: withCreds(socksProxy(dante), proxyUser, "wrong")},
			seq(byName, socksAuth(proxyUser, "wrong"), "state:UnconnectedState", "error:ProxyAuthenticationRequiredError"),
			socket.ProxyAuthenticationRequiredError, "Proxy authentication failed"},
		{"socks5/wrong ones, slot corrects", proxyCase{proxy: withCreds(socksProxy(dante), proxyUser, "wrong"), slotUser: proxyUser, slotPass: proxyPass},
			seq(byName, append([]string{socksAuth(proxyUser, "wrong")}, ok...)...), 0, ""},
		{"http/no credentials", proxyCase{proxy: httpProxy(tiny)},
			seq(byName, httpAuth, "state:UnconnectedState", "error:ProxyAuthenticationRequiredError"),
			socket.ProxyAuthenticationRequiredError, "Authentication required"},
		{"http/slot supplies them", proxyCase{proxy: httpProxy(tiny), slotUser: proxyUser, slotPass: proxyPass},
			seq(byName, append([]string{httpAuth}, ok...)...), 0, ""},
		{"http/proxy has them", proxyCase{proxy: withCreds(httpProxy(tiny), proxyUser, proxyPass)},
			seq(byName, ok...), 0, ""},
		// tinyproxy answers wrong credentials with 401, which Qt does not
		// map.
		{"http/wrong ones", proxyCase{proxy: withCreds(httpProxy(tiny), proxyUser, "wrong")},
			seq(byName, "state:UnconnectedState", "error:ProxyProtocolError"),
			socket.ProxyProtocolError, "Error communicating with HTTP proxy"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.c.host, tc.c.port = "localhost", echo
			s, ev := connectVia(t, l, tc.c)
			l.Invoke(func() { ev.Check(t, "connect", tc.want...) })
			if tc.text != "" {
				checkErr(t, l, s, tc.code, tc.text)
				return
			}
			echoOnce(t, l, s)
		})
	}
}

// TestProxyBlocking drives proxied connects without a loop: Qt's
// sequences are the same as with one, and ProxyAuthenticationRequired
// fires inside WaitForConnected.
func TestProxyBlocking(t *testing.T) {
	echo := sockettest.EchoServer(t)
	dante := sockettest.StartDante(t, false)
	tiny := sockettest.StartTinyproxy(t, false)
	closed := sockettest.FreePort(t)
	for _, tc := range []struct {
		name string
		c    proxyCase
		want []string
		code socket.SocketError
	}{
		{"socks5/name", proxyCase{proxy: socksProxy(dante), host: "localhost", port: echo}, seq(byName, "state:ConnectedState", "connected"), -1},
		{"socks5/address", proxyCase{proxy: socksProxy(dante), host: "127.0.0.1", port: echo}, seq(byAddress, "state:ConnectedState", "connected"), -1},
		{"http/name", proxyCase{proxy: httpProxy(tiny), host: "localhost", port: echo}, seq(byName, "state:ConnectedState", "connected"), -1},
		{"socks5/proxy by name", proxyCase{proxy: socket.NewProxy(socket.Socks5Proxy, "localhost", dante, "", ""), host: "localhost", port: echo},
			seq(byName, "state:ConnectedState", "connected"), -1},
		{"socks5/proxy refused", proxyCase{proxy: socksProxy(closed), host: "localhost", port: echo},
			seq(byName, "state:UnconnectedState", "error:ProxyConnectionRefusedError"), socket.ProxyConnectionRefusedError},
		{"http/target refused", proxyCase{proxy: httpProxy(tiny), host: "localhost", port: closed},
			seq(byName, "state:UnconnectedState", "error:ProxyProtocolError"), socket.ProxyProtocolError},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := tcp.NewSocket(nil)
			defer s.Abort()
			s.SetProxy(tc.c.proxy)
			ev := recordProxy(s, "", "")
			s.ConnectToHost(tc.c.host, tc.c.port)
			if s.State() != socket.ConnectingState {
				t.Fatalf("after ConnectToHost: %v (a proxy resolves the name itself)", s.State())
			}
			ok := s.WaitForConnected(10 * time.Second)
			ev.Check(t, "connect", tc.want...)
			if ok != (tc.code == -1) || s.Error() != tc.code {
				t.Fatalf("WaitForConnected = %v, error %v %q", ok, s.Error(), s.ErrorString())
			}
			if !ok {
				return
			}
			s.Write([]byte("ping\n"))
			if !s.WaitForBytesWritten(5*time.Second) || !s.WaitForReadyRead(5*time.Second) {
				t.Fatalf("echo: %v", s.ErrorString())
			}
			if got := string(s.ReadAll()); got != "ping\n" {
				t.Errorf("echo = %q", got)
			}
		})
	}
}

func TestProxyBlockingAuthentication(t *testing.T) {
	echo := sockettest.EchoServer(t)
	dante := sockettest.StartDante(t, true)
	tiny := sockettest.StartTinyproxy(t, true)
	for _, tc := range []struct {
		name string
		p    socket.Proxy
		auth string
	}{
		{"socks5", socksProxy(dante), "proxyAuth:Socks5Proxy:::"},
		{"http", httpProxy(tiny), "proxyAuth:HttpProxy:::Tinyproxy"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := tcp.NewSocket(nil)
			defer s.Abort()
			s.SetProxy(tc.p)
			ev := recordProxy(s, proxyUser, proxyPass)
			s.ConnectToHost("localhost", echo)
			if !s.WaitForConnected(10 * time.Second) {
				t.Fatalf("WaitForConnected: %v %q", s.Error(), s.ErrorString())
			}
			ev.Check(t, "connect", seq(byName, tc.auth, "state:ConnectedState", "connected")...)
		})
	}
}

// TestApplicationProxy checks that DefaultProxy follows the application
// proxy, except for local destinations, which Qt always connects to
// directly ("localhost", loopback addresses); and that a socket's own
// NoProxy overrides it.
func TestApplicationProxy(t *testing.T) {
	l := newLoop(t)
	echo := sockettest.EchoServer(t)
	dante := sockettest.StartDante(t, false)
	if got := socket.ApplicationProxy(); got.Type != socket.NoProxy {
		t.Fatalf("ApplicationProxy() = %v, want NoProxy", got.Type)
	}
	socket.SetApplicationProxy(socksProxy(dante))
	t.Cleanup(func() { socket.SetApplicationProxy(socket.Proxy{Type: socket.NoProxy}) })

	// Local: direct, the name looked up here (hostFound comes).
	for _, host := range []string{"localhost", "127.0.0.1"} {
		s, ev := connectVia(t, l, proxyCase{host: host, port: echo})
		l.Invoke(func() {
			ev.Check(t, "local destination "+host, seq(byAddress, "state:ConnectedState", "connected")...)
			if s.Proxy().Type != socket.DefaultProxy {
				t.Errorf("Proxy() = %v, want DefaultProxy", s.Proxy().Type)
			}
		})
		echoOnce(t, l, s)
	}

	// Elsewhere: through the application proxy. This host's own
	// non-loopback address stands for elsewhere.
	addr, port, from := externalEchoServer(t)
	s, ev := connectVia(t, l, proxyCase{host: addr.String(), port: port})
	l.Invoke(func() {
		ev.Check(t, "through the application proxy", seq(byAddress, "state:ConnectedState", "connected")...)
	})
	echoOnce(t, l, s)
	if got := <-from; got != socket.LocalHost {
		t.Errorf("the server saw the connection come from %v, want the proxy's 127.0.0.1", got)
	}

	// A socket's own NoProxy connects directly.
	s2, ev2 := connectVia(t, l, proxyCase{proxy: socket.Proxy{Type: socket.NoProxy}, host: addr.String(), port: port})
	l.Invoke(func() {
		ev2.Check(t, "direct", seq(byAddress, "state:ConnectedState", "connected")...)
	})
	echoOnce(t, l, s2)
	if got := <-from; got != addr {
		t.Errorf("the server saw the direct connection come from %v, want %v", got, addr)
	}
}

// externalEchoServer serves echo on this host's first non-loopback IPv4
// address, or skips the test where the host has none. from gives the
// source address of each connection in turn.
func externalEchoServer(t *testing.T) (addr netip.Addr, port uint16, from <-chan netip.Addr) {
	t.Helper()
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		t.Skipf("no interface addresses: %v", err)
	}
	for _, a := range addrs {
		pfx, err := netip.ParsePrefix(a.String())
		if err != nil || !pfx.Addr().Is4() || pfx.Addr().IsLoopback() || pfx.Addr().IsLinkLocalUnicast() {
			continue
		}
		ln, err := net.Listen("tcp4", netip.AddrPortFrom(pfx.Addr(), 0).String())
		if err != nil {
			continue
		}
		t.Cleanup(func() { ln.Close() })
		sources := make(chan netip.Addr, 16)
		go func() {
			for {
				c, err := ln.Accept()
				if err != nil {
					return
				}
				sources <- c.RemoteAddr().(*net.TCPAddr).AddrPort().Addr().Unmap()
				go func() { defer c.Close(); io.Copy(c, c) }()
			}
		}()
		return pfx.Addr(), uint16(ln.Addr().(*net.TCPAddr).Port), sources
	}
	t.Skip("this host has no non-loopback IPv4 address to stand for a remote destination")
	return netip.Addr{}, 0, nil
}

// TestProxyUnusable checks Qt's refusal of proxies a socket cannot
// tunnel through: errorOccurred(UnsupportedSocketOperationError), before
// any state change.
func TestProxyUnusable(t *testing.T) {
	l := newLoop(t)
	noTunnel := socket.NewProxy(socket.Socks5Proxy, "127.0.0.1", 1080, "", "")
	noTunnel.SetCapabilities(socket.HostNameLookupCapability)
	for _, p := range []socket.Proxy{
		socket.NewProxy(socket.HTTPCachingProxy, "127.0.0.1", 3128, "", ""),
		socket.NewProxy(socket.FTPCachingProxy, "127.0.0.1", 21, "", ""),
		noTunnel,
	} {
		t.Run(p.Type.String(), func(t *testing.T) {
			l.Invoke(func() {
				s := tcp.NewSocket(l)
				s.SetProxy(p)
				ev := record(s)
				s.ConnectToHost("localhost", 80)
				ev.Check(t, "connect", "error:UnsupportedSocketOperationError")
				if s.State() != socket.UnconnectedState || s.ErrorString() != "Operation on socket is not supported" || s.IsOpen() {
					t.Errorf("state %v, error %q, open %v", s.State(), s.ErrorString(), s.IsOpen())
				}
			})
		})
	}
}

// TestProxyNoLeaks connects through both proxies, successfully, failing
// and aborted mid-handshake, and checks that every descriptor and
// goroutine is gone afterwards.
func TestProxyNoLeaks(t *testing.T) {
	l := newLoop(t)
	echo := sockettest.EchoServer(t)
	dante := sockettest.StartDante(t, false)
	tiny := sockettest.StartTinyproxy(t, false)
	silent := sockettest.Serve(t, drain)
	closed := sockettest.FreePort(t)
	fds, gs := openFDs(t), runtime.NumGoroutine()
	for range 3 {
		for _, c := range []proxyCase{
			{proxy: socksProxy(dante), host: "localhost", port: echo},
			{proxy: httpProxy(tiny), host: "127.0.0.1", port: echo},
			{proxy: socksProxy(closed), host: "localhost", port: echo},
			{proxy: httpProxy(tiny), host: "localhost", port: closed},
		} {
			s, _ := connectVia(t, l, c)
			l.Invoke(func() { s.Abort() })
		}
		for _, p := range []socket.Proxy{socksProxy(silent), httpProxy(silent), socket.NewProxy(socket.Socks5Proxy, "localhost", silent, "", "")} {
			var s *tcp.Socket
			l.Invoke(func() {
				s = tcp.NewSocket(l)
				s.SetProxy(p)
				s.ConnectToHost("localhost", echo)
			})
			time.Sleep(20 * time.Millisecond)
			l.Invoke(func() {
				if s.State() != socket.ConnectingState {
					t.Errorf("silent proxy: %v", s.State())
				}
				s.Abort()
			})
		}
		s := tcp.NewSocket(nil)
		s.SetProxy(socksProxy(dante))
		s.ConnectToHost("localhost", echo)
		if !s.WaitForConnected(5 * time.Second) {
			t.Fatal(s.ErrorString())
		}
		s.Close()
	}
	// The test servers close their sides on goroutines of their own.
	got := openFDs(t)
	for i := 0; i < 200 && got > fds; i++ {
		time.Sleep(10 * time.Millisecond)
		got = openFDs(t)
	}
	if got > fds {
		t.Errorf("descriptors: %d before, %d after", fds, got)
	}
	if got := settledGoroutines(gs); got > gs {
		t.Errorf("goroutines: %d before, %d after", gs, got)
	}
}

// TestProxyWaitInsideLoop calls WaitForConnected from a callback of a
// running loop (which blocks the loop, as in Qt): the handshake is driven
// by the wait, and afterwards the loop serves the socket as usual.
func TestProxyWaitInsideLoop(t *testing.T) {
	l := newLoop(t)
	echo := sockettest.EchoServer(t)
	dante := sockettest.StartDante(t, false)
	tiny := sockettest.StartTinyproxy(t, false)
	for _, p := range []socket.Proxy{socksProxy(dante), httpProxy(tiny)} {
		t.Run(p.Type.String(), func(t *testing.T) {
			var s *tcp.Socket
			var ev *events
			var ok bool
			l.Invoke(func() {
				s = tcp.NewSocket(l)
				s.SetProxy(p)
				ev = record(s)
				s.ConnectToHost("localhost", echo)
				ok = s.WaitForConnected(5 * time.Second)
			})
			defer l.Invoke(func() { s.Abort() })
			if !ok {
				t.Fatalf("WaitForConnected: %v", s.ErrorString())
			}
			echoOnce(t, l, s)
			l.Invoke(func() { ev.Check(t, "connect", seq(byName, "state:ConnectedState", "connected")...) })
		})
	}
}
