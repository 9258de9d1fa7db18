package socket

import (
	"bytes"
	"encoding/base64"
	"errors"
	"net"
	"strconv"
	"strings"

	"golang.org/x/net/idna"
)

// HTTP CONNECT tunnelling, as Qt's QHttpSocketEngine does it: the request
// carries Proxy-Authorization only after the proxy asked for it (Basic
// here; Qt also speaks Digest and NTLM), a 407 is retried with the proxy's
// credentials first and then with those a ProxyAuthenticationRequired
// slot supplies, on the same connection unless the proxy closes it, and
// the status codes map to SocketError values as Qt maps them.

// maxProxyHeader bounds a proxy's reply header.
const maxProxyHeader = 64 << 10

type httpState uint8

const (
	httpReadingHeader httpState = iota
	httpReadingBody             // a 407's body, before the retry
)

type httpConnectProtocol struct {
	state      httpState
	inited     bool
	user, pass string // the credentials to send
	challenged bool   // the proxy asked for Basic: requests carry credentials
	credsSent  bool   // the last request carried them
	bodyLeft   int
	reply      httpReply
}

// httpReply is what the engine needs of a proxy's reply header.
type httpReply struct {
	line          string // the status line
	major, minor  int
	status        int
	contentLength int
	connection    string   // Proxy-Connection, else Connection, lower case
	challenges    []string // Proxy-Authenticate values
}

func (p *httpConnectProtocol) start(pc *proxyConn) {
	if !p.inited {
		p.user, p.pass, p.inited = pc.proxy.User, pc.proxy.Password, true
	}
	p.sendRequest(pc)
}

func (p *httpConnectProtocol) sendRequest(pc *proxyConn) {
	target := pc.addr.String()
	if pc.host != "" {
		name, err := idna.Lookup.ToASCII(pc.host)
		if err != nil {
			pc.fail(proxyFail(HostNotFoundError, HostNotFoundError.Error(), err))
			return
		}
		target = name
	}
	// Qt sends the bare host in Host; the authority form with the port is
	// what RFC 9110 asks for a CONNECT.
	authority := net.JoinHostPort(target, strconv.Itoa(int(pc.port)))
	var b bytes.Buffer
	b.WriteString("CONNECT " + authority + " HTTP/1.1\r\n")
	b.WriteString("Proxy-Connection: keep-alive\r\n")
	b.WriteString("Host: " + authority + "\r\n")
	b.WriteString("User-Agent: Mozilla/5.0\r\n")
	p.credsSent = p.challenged && (p.user != "" || p.pass != "")
	if p.credsSent {
		b.WriteString("Proxy-Authorization: Basic " + base64.StdEncoding.EncodeToString([]byte(p.user+":"+p.pass)) + "\r\n")
	}
	b.WriteString("\r\n")
	pc.send(b.Bytes())
	pc.flush()
	p.state = httpReadingHeader
}

func (p *httpConnectProtocol) received(pc *proxyConn) {
	for pc.phase == proxyHandshake {
		switch p.state {
		case httpReadingHeader:
			if !p.readHeader(pc) {
				return
			}
			if p.reply.status == 407 && p.reply.contentLength > 0 {
				p.state, p.bodyLeft = httpReadingBody, p.reply.contentLength
				continue
			}
		case httpReadingBody:
			n := min(len(pc.in), p.bodyLeft)
			pc.consume(n)
			if p.bodyLeft -= n; p.bodyLeft > 0 {
				return
			}
		}
		p.decide(pc)
	}
}

var httpPrefix = []byte("HTTP/")

// readHeader parses a complete reply header from pc.in, consuming it; it
// reports false when more bytes are needed or the reply is not HTTP.
func (p *httpConnectProtocol) readHeader(pc *proxyConn) bool {
	in := pc.in
	if n := min(len(in), len(httpPrefix)); !bytes.Equal(in[:n], httpPrefix[:n]) {
		pc.fail(proxyFail(ProxyProtocolError, "Did not receive HTTP response from proxy", nil))
		return false
	}
	var lines []string
	end := -1
	for pos := 0; pos < len(in); {
		i := bytes.IndexByte(in[pos:], '\n')
		if i < 0 {
			break
		}
		line := strings.TrimSuffix(string(in[pos:pos+i]), "\r")
		pos += i + 1
		if line == "" {
			end = pos
			break
		}
		lines = append(lines, line)
	}
	if end < 0 {
		if len(in) > maxProxyHeader {
			pc.fail(proxyFail(ProxyProtocolError, "Did not receive HTTP response from proxy", errors.New("socket: proxy reply header too long")))
		}
		return false
	}
	r, ok := parseHTTPReply(lines)
	if !ok {
		pc.fail(proxyFail(ProxyProtocolError, "Did not receive HTTP response from proxy", errors.New("socket: bad status line "+strconv.Quote(lines[0]))))
		return false
	}
	pc.consume(end)
	p.reply = r
	return true
}

func parseHTTPReply(lines []string) (httpReply, bool) {
	var r httpReply
	if len(lines) == 0 {
		return r, false
	}
	r.line = lines[0]
	version, rest, _ := strings.Cut(lines[0], " ")
	code, _, _ := strings.Cut(strings.TrimLeft(rest, " "), " ")
	major, minor, ok := strings.Cut(strings.TrimPrefix(version, "HTTP/"), ".")
	var err1, err2, err3 error
	r.major, err1 = strconv.Atoi(major)
	r.minor, err2 = strconv.Atoi(minor)
	r.status, err3 = strconv.Atoi(code)
	if !ok || err1 != nil || err2 != nil || err3 != nil || len(code) != 3 {
		return r, false
	}
	var proxyConn, conn string
	for _, l := range lines[1:] {
		name, value, ok := strings.Cut(l, ":")
		if !ok {
			continue
		}
		value = strings.TrimSpace(value)
		switch strings.ToLower(strings.TrimSpace(name)) {
		case "content-length":
			r.contentLength, _ = strconv.Atoi(value)
		case "proxy-connection":
			proxyConn = strings.ToLower(value)
		case "connection":
			conn = strings.ToLower(value)
		case "proxy-authenticate":
			r.challenges = append(r.challenges, value)
		}
	}
	r.connection = proxyConn
	if r.connection == "" {
		r.connection = conn
	}
	return r, true
}

// decide acts on a complete reply.
func (p *httpConnectProtocol) decide(pc *proxyConn) {
	r := &p.reply
	cause := errors.New("socket: HTTP proxy replied " + strconv.Quote(r.line))
	switch r.status {
	case 200:
		local, err := pc.ne.LocalAddr()
		if err != nil {
			pc.fail(pc.controlErr(err, false))
			return
		}
		pc.succeed(local)
	case 407:
		p.authenticate(pc)
	case 403, 405:
		pc.fail(proxyFail(SocketAccessError, "Proxy denied connection", cause))
	case 404:
		pc.fail(proxyFail(HostNotFoundError, "Host not found", cause))
	case 503:
		pc.fail(proxyFail(ConnectionRefusedError, "Connection refused", cause))
	default:
		pc.fail(proxyFail(ProxyProtocolError, "Error communicating with HTTP proxy", cause))
	}
}

// authenticate answers a 407: the proxy's own credentials first, then the
// ones a slot supplies; the same credentials refused again are asked for
// again, and none at all fail the connect.
func (p *httpConnectProtocol) authenticate(pc *proxyConn) {
	r := &p.reply
	if len(r.challenges) == 0 {
		pc.fail(proxyFail(ProxyProtocolError, "Error parsing authentication request from proxy", errors.New("socket: 407 without Proxy-Authenticate")))
		return
	}
	realm, ok := basicChallenge(r.challenges)
	if !ok {
		pc.fail(proxyFail(ProxyAuthenticationRequiredError, "Authentication required",
			errors.New("socket: the proxy offers no Basic authentication: "+strings.Join(r.challenges, "; "))))
		return
	}
	p.challenged = true
	if p.credsSent || (p.user == "" && p.pass == "") {
		auth := &Authenticator{realm: realm}
		pc.s.emitProxyAuth(pc.proxy, auth)
		if pc.closed {
			return // a slot closed the socket
		}
		if auth.User == "" && auth.Password == "" {
			pc.fail(proxyFail(ProxyAuthenticationRequiredError, "Authentication required", nil))
			return
		}
		p.user, p.pass = auth.User, auth.Password
	}
	willClose := r.connection == "close" ||
		r.connection != "keep-alive" && r.major*0x100+r.minor <= 0x100
	if willClose {
		pc.reconnect()
		return
	}
	p.sendRequest(pc)
}

// basicChallenge finds a Basic challenge among Proxy-Authenticate values
// and returns its realm.
func basicChallenge(values []string) (realm string, ok bool) {
	for _, v := range values {
		for _, part := range strings.Split(v, ",") {
			part = strings.TrimSpace(part)
			scheme, params, _ := strings.Cut(part, " ")
			if !strings.EqualFold(scheme, "Basic") {
				continue
			}
			ok = true
			if i := strings.Index(strings.ToLower(params), "realm="); i >= 0 {
				realm = strings.Trim(strings.TrimSpace(params[i+len("realm="):]), `"`)
			}
			return realm, ok
		}
	}
	return "", false
}

// controlError words a failure of the connection to the proxy as
// QHttpSocketEngine does.
func (p *httpConnectProtocol) controlError(code SocketError, text string, cause error, dialing bool) error {
	switch code {
	case HostNotFoundError:
		return proxyFail(ProxyNotFoundError, "Proxy server not found", cause)
	case ConnectionRefusedError:
		return proxyFail(ProxyConnectionRefusedError, "Proxy connection refused", cause)
	case SocketTimeoutError:
		return proxyFail(ProxyConnectionTimeoutError, "Proxy server connection timed out", cause)
	case RemoteHostClosedError:
		return proxyFail(ProxyConnectionClosedError, "Proxy connection closed prematurely", cause)
	}
	return proxyFail(code, text, cause)
}
