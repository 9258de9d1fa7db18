package tcp_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/textproto"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/qsock/qsock/internal/sockettest"
	"github.com/qsock/qsock/socket"
	"github.com/qsock/qsock/tcp"
)

// Tiny in-test proxies, for what Dante and tinyproxy never do: protocol
// errors, every SOCKS5 reply code, closing mid-handshake, silence, bytes
// that arrive together with the reply, and a 407 on a kept-alive
// connection. The expected sequences and texts are Qt 6.4's against the
// same fakes.

// drain reads until the peer closes: a proxy that never answers.
func drain(c net.Conn) { io.Copy(io.Discard, c) }

func readN(c net.Conn, n int) []byte {
	b := make([]byte, n)
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.ReadFull(c, b); err != nil {
		return nil
	}
	return b
}

// socksFake answers the method request with "no authentication", reads
// the CONNECT request and answers with reply.
func socksFake(reply []byte) func(net.Conn) {
	return func(c net.Conn) {
		if readN(c, 3) == nil {
			return
		}
		c.Write([]byte{5, 0})
		h := readN(c, 4)
		if h == nil {
			return
		}
		switch h[3] {
		case 1:
			readN(c, 4+2)
		case 4:
			readN(c, 16+2)
		case 3:
			l := readN(c, 1)
			readN(c, int(l[0])+2)
		}
		c.Write(reply)
		drain(c)
	}
}

func socksReply(rep byte) []byte { return []byte{5, rep, 0, 1, 127, 0, 0, 1, 0, 80} }

// httpFake reads one request header and writes answer.
func httpFake(answer string) func(net.Conn) {
	return func(c net.Conn) {
		r := textproto.NewReader(bufio.NewReader(c))
		if _, err := r.ReadMIMEHeader(); err != nil {
			return
		}
		io.WriteString(c, answer)
		drain(c)
	}
}

func TestProxyProtocolErrors(t *testing.T) {
	l := newLoop(t)
	closeAfterRead := sockettest.Serve(t, func(c net.Conn) { c.Read(make([]byte, 512)) })
	for _, tc := range []struct {
		name string
		typ  socket.ProxyType
		fake func(net.Conn)
		host string
		code socket.SocketError
		text string
	}{
		{"socks5/bad version", socket.Socks5Proxy, func(c net.Conn) { readN(c, 3); c.Write([]byte{4, 0}); drain(c) },
			"localhost", socket.ProxyProtocolError, "SOCKS version 5 protocol error"},
		{"socks5/bad address type", socket.Socks5Proxy, socksFake([]byte{5, 0, 0, 9, 0, 0}),
			"localhost", socket.ProxyProtocolError, "SOCKS version 5 protocol error"},
		{"socks5/unoffered method", socket.Socks5Proxy, func(c net.Conn) { readN(c, 3); c.Write([]byte{5, 2}); drain(c) },
			"localhost", socket.SocketAccessError, "Proxy authentication failed: Socks5 host did not support authentication method."},
		{"http/not HTTP", socket.HTTPProxy, httpFake("FOO BAR\r\n\r\n"),
			"localhost", socket.ProxyProtocolError, "Did not receive HTTP response from proxy"},
		{"http/407 without a challenge", socket.HTTPProxy, httpFake("HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n"),
			"localhost", socket.ProxyProtocolError, "Error parsing authentication request from proxy"},
		{"http/403", socket.HTTPProxy, httpFake("HTTP/1.1 403 X\r\nContent-Length: 0\r\n\r\n"), "localhost", socket.SocketAccessError, "Proxy denied connection"},
		{"http/404", socket.HTTPProxy, httpFake("HTTP/1.1 404 X\r\nContent-Length: 0\r\n\r\n"), "localhost", socket.HostNotFoundError, "Host not found"},
		{"http/405", socket.HTTPProxy, httpFake("HTTP/1.1 405 X\r\nContent-Length: 0\r\n\r\n"), "localhost", socket.SocketAccessError, "Proxy denied connection"},
		{"http/503", socket.HTTPProxy, httpFake("HTTP/1.1 503 X\r\nContent-Length: 0\r\n\r\n"), "localhost", socket.ConnectionRefusedError, "Connection refused"},
		{"http/502", socket.HTTPProxy, httpFake("HTTP/1.1 502 X\r\nContent-Length: 0\r\n\r\n"), "localhost", socket.ProxyProtocolError, "Error communicating with HTTP proxy"},
		{"socks5/closed mid-handshake", socket.Socks5Proxy, nil, "localhost", socket.ProxyConnectionClosedError, "Connection to proxy closed prematurely"},
		{"http/closed mid-handshake", socket.HTTPProxy, nil, "localhost", socket.ProxyConnectionClosedError, "Proxy connection closed prematurely"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			port := closeAfterRead
			if tc.fake != nil {
				port = sockettest.Serve(t, tc.fake)
			}
			p := socket.NewProxy(tc.typ, "127.0.0.1", port, "", "")
			s, ev := connectVia(t, l, proxyCase{proxy: p, host: tc.host, port: 80})
			l.Invoke(func() { ev.Check(t, "connect", seq(byName, "state:UnconnectedState", "error:"+tc.code.String())...) })
			checkErr(t, l, s, tc.code, tc.text)
		})
	}
}

// TestSocks5ReplyCodes checks QSocks5SocketEngine's mapping of every
// reply code, by name and by address (Dante uses 1 and 2 for a name it
// cannot resolve, so Qt reads those as HostNotFoundError for a name).
func TestSocks5ReplyCodes(t *testing.T) {
	l := newLoop(t)
	type want struct {
		code socket.SocketError
		text string
	}
	for rep, w := range map[byte][2]want{
		1: {{socket.HostNotFoundError, "Host not found"}, {socket.NetworkError, "General SOCKSv5 server failure"}},
		2: {{socket.HostNotFoundError, "Host not found"}, {socket.SocketAccessError, "Connection not allowed by SOCKSv5 server"}},
		3: {{socket.NetworkError, "Network unreachable"}, {socket.NetworkError, "Network unreachable"}},
		4: {{socket.HostNotFoundError, "Host not found"}, {socket.HostNotFoundError, "Host not found"}},
		5: {{socket.ConnectionRefusedError, "Connection refused"}, {socket.ConnectionRefusedError, "Connection refused"}},
		6: {{socket.NetworkError, "TTL expired"}, {socket.NetworkError, "TTL expired"}},
		7: {{socket.UnsupportedSocketOperationError, "SOCKSv5 command not supported"}, {socket.UnsupportedSocketOperationError, "SOCKSv5 command not supported"}},
		8: {{socket.UnsupportedSocketOperationError, "Address type not supported"}, {socket.UnsupportedSocketOperationError, "Address type not supported"}},
		// Qt prints the number padded to 16 columns; qsock does not.
		9: {{socket.UnknownSocketError, "Unknown SOCKSv5 proxy error code 0x9"}, {socket.UnknownSocketError, "Unknown SOCKSv5 proxy error code 0x9"}},
	} {
		port := sockettest.Serve(t, socksFake(socksReply(rep)))
		for i, host := range []string{"localhost", "127.0.0.1"} {
			t.Run(fmt.Sprintf("%d/%s", rep, host), func(t *testing.T) {
				head := byName
				if i == 1 {
					head = byAddress
				}
				s, ev := connectVia(t, l, proxyCase{proxy: socksProxy(port), host: host, port: 80})
				l.Invoke(func() { ev.Check(t, "connect", seq(head, "state:UnconnectedState", "error:"+w[i].code.String())...) })
				checkErr(t, l, s, w[i].code, w[i].text)
			})
		}
	}
}

// TestProxyBytesWithReply checks that bytes a server sends at once, which
// reach the client in the same segment as the proxy's reply, are not
// lost: Qt emits a read notification for them.
func TestProxyBytesWithReply(t *testing.T) {
	l := newLoop(t)
	for _, tc := range []struct {
		name string
		p    socket.Proxy
	}{
		{"socks5", socksProxy(sockettest.Serve(t, socksFake(append(socksReply(0), "hello\n"...))))},
		{"http", httpProxy(sockettest.Serve(t, httpFake("HTTP/1.0 200 Connection established\r\n\r\nhello\n")))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []byte
			s, ev := connectVia(t, l, proxyCase{proxy: tc.p, host: "localhost", port: 80})
			l.Invoke(func() {
				ev.Check(t, "connect", seq(byName, "state:ConnectedState", "connected")...)
				got = append(got, s.ReadAll()...)
				s.ReadyRead.Connect(func() { got = append(got, s.ReadAll()...) })
			})
			until(t, l, "the greeting", func() bool { return string(got) == "hello\n" })
		})
	}
	t.Run("blocking", func(t *testing.T) {
		s := tcp.NewSocket(nil)
		defer s.Abort()
		s.SetProxy(socksProxy(sockettest.Serve(t, socksFake(append(socksReply(0), "hello\n"...)))))
		s.ConnectToHost("localhost", 80)
		if !s.WaitForConnected(5*time.Second) || !s.WaitForReadyRead(5*time.Second) {
			t.Fatal(s.ErrorString())
		}
		if got := string(s.ReadAll()); got != "hello\n" {
			t.Errorf("read %q", got)
		}
	})
}

// TestHTTPProxyKeepAlive407 runs Qt's retry on a connection the proxy
// keeps open: the 407's body is skipped and the CONNECT is sent again with
// the credentials, after the proxy's own, rejected ones.
func TestHTTPProxyKeepAlive407(t *testing.T) {
	l := newLoop(t)
	var mu sync.Mutex
	var auths []string
	echo := sockettest.EchoServer(t)
	port := sockettest.Serve(t, func(c net.Conn) {
		r := textproto.NewReader(bufio.NewReader(c))
		for {
			h, err := r.ReadMIMEHeader()
			if err != nil {
				return
			}
			mu.Lock()
			auths = append(auths, h.Get("Proxy-Authorization"))
			mu.Unlock()
			if h.Get("Proxy-Authorization") == "Basic cXNvY2s6c2VjcmV0" { // qsock:secret
				io.WriteString(c, "HTTP/1.1 200 OK\r\n\r\n")
				e, err := net.Dial("tcp4", addr(echo))
				if err != nil {
					return
				}
				go func() { io.Copy(e, r.R); e.Close() }()
				io.Copy(c, e)
				return
			}
			io.WriteString(c, "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"R2\"\r\nContent-Length: 5\r\n\r\nabcde")
		}
	})
	s, ev := connectVia(t, l, proxyCase{
		proxy: withCreds(httpProxy(port), proxyUser, "wrong"), host: "localhost", port: echo,
		slotUser: proxyUser, slotPass: proxyPass,
	})
	l.Invoke(func() {
		ev.Check(t, "connect", seq(byName, "proxyAuth:HttpProxy:qsock:wrong:R2", "state:ConnectedState", "connected")...)
	})
	echoOnce(t, l, s)
	mu.Lock()
	defer mu.Unlock()
	want := []string{"", "Basic cXNvY2s6d3Jvbmc=", "Basic cXNvY2s6c2VjcmV0"} // none, qsock:wrong, qsock:secret
	if strings.Join(auths, "|") != strings.Join(want, "|") {
		t.Errorf("Proxy-Authorization per request = %q, want %q", auths, want)
	}
}

// TestHTTPProxyRepeated407 is Qt's sequence against a proxy that closes
// after every 407 and never accepts: the credentials from the first slot
// call are sent, refused, and the second call, left empty, ends it.
func TestHTTPProxyRepeated407(t *testing.T) {
	l := newLoop(t)
	port := sockettest.Serve(t, httpFake("HTTP/1.0 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"R1\"\r\nConnection: close\r\n\r\n"))
	s, ev := connectVia(t, l, proxyCase{proxy: httpProxy(port), host: "localhost", port: 80, slotUser: proxyUser, slotPass: proxyPass})
	l.Invoke(func() {
		ev.Check(t, "connect", seq(byName, "proxyAuth:HttpProxy:::R1", "proxyAuth:HttpProxy:::R1",
			"state:UnconnectedState", "error:ProxyAuthenticationRequiredError")...)
	})
	checkErr(t, l, s, socket.ProxyAuthenticationRequiredError, "Authentication required")
}

// TestProxySilent bounds a proxy that accepts and never answers with the
// connect timeout: "Connection timed out", as Qt's connect timer says it.
func TestProxySilent(t *testing.T) {
	l := newLoop(t)
	port := sockettest.Serve(t, drain)
	for _, p := range []socket.Proxy{socksProxy(port), httpProxy(port)} {
		t.Run(p.Type.String(), func(t *testing.T) {
			var s *tcp.Socket
			var ev *events
			l.Invoke(func() {
				s = tcp.NewSocket(l)
				s.SetProxy(p)
				s.SetConnectTimeout(200 * time.Millisecond)
				ev = record(s)
				s.ConnectToHost("localhost", 80)
			})
			until(t, l, "the time-out", func() bool { return s.State() == socket.UnconnectedState })
			l.Invoke(func() { ev.Check(t, "connect", seq(byName, "state:UnconnectedState", "error:SocketTimeoutError")...) })
			checkErr(t, l, s, socket.SocketTimeoutError, "Connection timed out")
		})
	}
}

// TestProxyAbortInSlot aborts the socket from ProxyAuthenticationRequired:
// nothing of the handshake may run afterwards.
func TestProxyAbortInSlot(t *testing.T) {
	l := newLoop(t)
	port := sockettest.Serve(t, func(c net.Conn) { readN(c, 3); c.Write([]byte{5, 0xff}); drain(c) })
	var s *tcp.Socket
	var ev *events
	l.Invoke(func() {
		s = tcp.NewSocket(l)
		s.SetProxy(socksProxy(port))
		ev = record(s)
		s.ProxyAuthenticationRequired().Connect(func(socket.Proxy, *socket.Authenticator) {
			ev.Add("proxyAuth")
			s.Abort()
		})
		s.ConnectToHost("localhost", 80)
	})
	until(t, l, "the abort", func() bool { return s.State() == socket.UnconnectedState })
	time.Sleep(20 * time.Millisecond)
	l.Invoke(func() {
		ev.Check(t, "abort", seq(byName, "proxyAuth", "aboutToClose", "state:UnconnectedState", "readChannelFinished")...)
		if s.SocketDescriptor() != -1 {
			t.Errorf("descriptor %d after Abort", s.SocketDescriptor())
		}
	})
}

// TestSocks5AddressForms covers the reply's bound address as IPv4, IPv6
// and a name (which Qt cannot parse; qsock leaves the local address
// unknown), and a CONNECT to an IPv6 literal.
func TestSocks5AddressForms(t *testing.T) {
	l := newLoop(t)
	v6 := append([]byte{5, 0, 0, 4}, make([]byte, 15)...)
	v6 = append(v6, 1, 0x12, 0x34) // ::1 port 0x1234
	name := append([]byte{5, 0, 0, 3, 9}, "proxy.lan"...)
	name = append(name, 0, 7)
	for _, tc := range []struct {
		name, host, local string
		reply             []byte
		localPort         uint16
	}{
		{"v4", "localhost", "127.0.0.1", socksReply(0), 80},
		{"v6", "localhost", "::1", v6, 0x1234},
		{"name", "localhost", "invalid IP", name, 7},
		{"v6 target", "::1", "127.0.0.1", socksReply(0), 80},
	} {
		t.Run(tc.name, func(t *testing.T) {
			port := sockettest.Serve(t, socksFake(tc.reply))
			s, ev := connectVia(t, l, proxyCase{proxy: socksProxy(port), host: tc.host, port: 443})
			l.Invoke(func() {
				if got := ev.Log[len(ev.Log)-1]; got != "connected" {
					t.Fatalf("connect: %v", ev.Log)
				}
				if s.LocalAddress().String() != tc.local || s.LocalPort() != tc.localPort {
					t.Errorf("local %v:%d, want %s:%d", s.LocalAddress(), s.LocalPort(), tc.local, tc.localPort)
				}
				if tc.host == "::1" && s.PeerAddress().String() != "::1" {
					t.Errorf("peer %v", s.PeerAddress())
				}
			})
		})
	}
}
