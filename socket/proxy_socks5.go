package socket

import (
	"encoding/binary"
	"errors"
	"net/netip"
	"strconv"

	"golang.org/x/net/idna"
)

// The SOCKS version 5 protocol (RFC 1928) with user name and password
// authentication (RFC 1929), as Qt's QSocks5SocketEngine speaks it: one
// method offered (user name and password when the proxy has credentials,
// none otherwise), a CONNECT by name when the proxy resolves names, and
// Qt's mapping of every failure to a SocketError and error string.

const (
	socks5Version      = 0x05
	socks5Connect      = 0x01
	socks5UDPAssociate = 0x03
	socks5IPv4         = 0x01
	socks5DomainName   = 0x03
	socks5IPv6         = 0x04
	socks5NoAuth       = 0x00
	socks5PasswordAuth = 0x02
	socks5NoMethod     = 0xff
	socks5PassVersion  = 0x01
)

type socks5State uint8

const (
	socks5MethodSent     socks5State = iota // waiting for the method reply
	socks5Authenticating                    // waiting for the RFC 1929 reply
	socks5RequestSent                       // waiting for the CONNECT reply
)

type socks5Protocol struct {
	state  socks5State
	method byte // the one method offered
	cmd    byte // socks5Connect, or socks5UDPAssociate; 0 is CONNECT
}

var errSocks5Reply = errors.New("socket: malformed SOCKS5 reply")

func socks5ProtocolError() error {
	return proxyFail(ProxyProtocolError, "SOCKS version 5 protocol error", errSocks5Reply)
}

func (p *socks5Protocol) start(pc *proxyConn) {
	p.method = socks5NoAuth
	if pc.proxy.User != "" || pc.proxy.Password != "" {
		p.method = socks5PasswordAuth
	}
	pc.send([]byte{socks5Version, 1, p.method})
	p.state = socks5MethodSent
}

func (p *socks5Protocol) received(pc *proxyConn) {
	for pc.phase == proxyHandshake {
		var done bool
		switch p.state {
		case socks5MethodSent:
			done = p.methodReply(pc)
		case socks5Authenticating:
			done = p.authReply(pc)
		case socks5RequestSent:
			done = p.connectReply(pc)
		}
		if !done {
			return // more bytes needed, or the handshake moved on
		}
	}
}

// methodReply handles the proxy's choice of method. Like every parsing
// step it reports whether it used a complete message.
func (p *socks5Protocol) methodReply(pc *proxyConn) bool {
	if len(pc.in) < 2 {
		return false
	}
	ver, method := pc.in[0], pc.in[1]
	pc.consume(2)
	switch {
	case ver != socks5Version:
		pc.fail(socks5ProtocolError())
	case method == socks5NoAuth:
		p.sendRequest(pc)
	case method == socks5NoMethod:
		p.reauthenticate(pc)
	case method != p.method:
		// Qt words it as an authentication failure but reports
		// SocketAccessError.
		pc.fail(proxyFail(SocketAccessError, "Proxy authentication failed: Socks5 host did not support authentication method.",
			errors.New("socket: SOCKS5 proxy chose method "+strconv.Itoa(int(method)))))
	default:
		user, pass := pc.proxy.User, pc.proxy.Password
		if len(user) > 255 || len(pass) > 255 {
			pc.fail(proxyFail(ProxyAuthenticationRequiredError, "Proxy authentication failed",
				errors.New("socket: SOCKS5 user name or password longer than 255 bytes")))
			break
		}
		msg := make([]byte, 0, 3+len(user)+len(pass))
		msg = append(msg, socks5PassVersion, byte(len(user)))
		msg = append(msg, user...)
		msg = append(msg, byte(len(pass)))
		msg = append(msg, pass...)
		pc.send(msg)
		pc.flush()
		p.state = socks5Authenticating
	}
	return true
}

func (p *socks5Protocol) authReply(pc *proxyConn) bool {
	if len(pc.in) < 2 {
		return false
	}
	ok := pc.in[0] == socks5PassVersion && pc.in[1] == 0
	pc.consume(2)
	if ok {
		p.sendRequest(pc)
	} else {
		p.reauthenticate(pc) // the credentials were refused
	}
	return true
}

// reauthenticate asks the user for credentials (Qt's reauthenticate): new
// ones start over on a new connection, none fail the connect.
func (p *socks5Protocol) reauthenticate(pc *proxyConn) {
	auth := &Authenticator{}
	pc.s.emitProxyAuth(pc.proxy, auth)
	if pc.closed {
		return // a slot closed the socket
	}
	if auth.User == "" && auth.Password == "" {
		pc.fail(proxyFail(ProxyAuthenticationRequiredError, "Proxy authentication failed", nil))
		return
	}
	pc.proxy.User, pc.proxy.Password = auth.User, auth.Password
	pc.reconnect()
}

func (p *socks5Protocol) sendRequest(pc *proxyConn) {
	cmd := p.cmd
	if cmd == 0 {
		cmd = socks5Connect
	}
	msg := []byte{socks5Version, cmd, 0}
	switch {
	case pc.host != "":
		name, err := idna.Lookup.ToASCII(pc.host)
		if err != nil || len(name) > 255 {
			if err == nil {
				err = errors.New("socket: host name longer than 255 bytes")
			}
			pc.fail(proxyFail(HostNotFoundError, HostNotFoundError.Error(), err))
			return
		}
		msg = append(msg, socks5DomainName, byte(len(name)))
		msg = append(msg, name...)
	case pc.addr.Is4():
		a := pc.addr.As4()
		msg = append(msg, socks5IPv4)
		msg = append(msg, a[:]...)
	default:
		a := pc.addr.As16()
		msg = append(msg, socks5IPv6)
		msg = append(msg, a[:]...)
	}
	msg = binary.BigEndian.AppendUint16(msg, pc.port)
	pc.send(msg)
	pc.flush()
	p.state = socks5RequestSent
}

func (p *socks5Protocol) connectReply(pc *proxyConn) bool {
	in := pc.in
	if len(in) < 3 {
		return false
	}
	if in[0] != socks5Version || in[2] != 0 {
		pc.fail(socks5ProtocolError())
		return true
	}
	if rep := in[1]; rep != 0 {
		pc.fail(socks5ReplyError(rep, pc.host != ""))
		return true
	}
	if len(in) < 5 {
		return false
	}
	var addr netip.Addr
	var n int // the length of the whole reply
	switch in[3] {
	case socks5IPv4:
		n = 4 + 4 + 2
		if len(in) >= n {
			addr = netip.AddrFrom4([4]byte(in[4:8]))
		}
	case socks5IPv6:
		n = 4 + 16 + 2
		if len(in) >= n {
			addr = netip.AddrFrom16([16]byte(in[4:20])).Unmap()
		}
	case socks5DomainName:
		// Qt fails on a name here; the address is just left unknown.
		n = 4 + 1 + int(in[4]) + 2
	default:
		pc.fail(socks5ProtocolError())
		return true
	}
	if len(in) < n {
		return false
	}
	port := binary.BigEndian.Uint16(in[n-2 : n])
	pc.consume(n)
	pc.succeed(netip.AddrPortFrom(addr, port))
	return true
}

// socks5ReplyError maps a CONNECT reply code as QSocks5SocketEngine does.
// Dante answers a name it cannot resolve with "general failure" or "not
// allowed", so those mean HostNotFoundError for a connect by name.
func socks5ReplyError(rep byte, byName bool) error {
	cause := errors.New("socket: SOCKS5 reply code " + strconv.Itoa(int(rep)))
	if byName && (rep == 0x01 || rep == 0x02) {
		return proxyFail(HostNotFoundError, "Host not found", cause)
	}
	switch rep {
	case 0x01:
		return proxyFail(NetworkError, "General SOCKSv5 server failure", cause)
	case 0x02:
		return proxyFail(SocketAccessError, "Connection not allowed by SOCKSv5 server", cause)
	case 0x03:
		return proxyFail(NetworkError, "Network unreachable", cause)
	case 0x04:
		return proxyFail(HostNotFoundError, "Host not found", cause)
	case 0x05:
		return proxyFail(ConnectionRefusedError, "Connection refused", cause)
	case 0x06:
		return proxyFail(NetworkError, "TTL expired", cause)
	case 0x07:
		return proxyFail(UnsupportedSocketOperationError, "SOCKSv5 command not supported", cause)
	case 0x08:
		return proxyFail(UnsupportedSocketOperationError, "Address type not supported", cause)
	}
	// Qt pads the number to 16 columns here ("0x               9");
	// qsock prints it plainly.
	return proxyFail(UnknownSocketError, "Unknown SOCKSv5 proxy error code 0x"+strconv.FormatUint(uint64(rep), 16), cause)
}

// controlError words a failure of the connection to the proxy as
// QSocks5SocketEngine does.
func (p *socks5Protocol) controlError(code SocketError, text string, cause error, dialing bool) error {
	switch code {
	case ConnectionRefusedError:
		return proxyFail(ProxyConnectionRefusedError, "Connection to proxy refused", cause)
	case RemoteHostClosedError:
		return proxyFail(ProxyConnectionClosedError, "Connection to proxy closed prematurely", cause)
	case HostNotFoundError:
		return proxyFail(ProxyNotFoundError, "Proxy host not found", cause)
	case SocketTimeoutError:
		if dialing {
			return proxyFail(ProxyConnectionTimeoutError, "Connection to proxy timed out", cause)
		}
	}
	return proxyFail(code, text, cause)
}
