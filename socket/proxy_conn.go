package socket

import (
	"context"
	"errors"
	"io"
	"net"
	"net/netip"

	"golang.org/x/sys/unix"

	"github.com/qsock/qsock/engine"
)

// proxyConn is the Transport of a socket that connects through a proxy:
// Qt's QSocks5SocketEngine and QHttpSocketEngine, with the protocol left
// to a proxyProtocol. It owns the control connection to the proxy. While
// the handshake runs it watches that connection with a notifier of its
// own, because the handshake may replace the connection (a retry with new
// credentials opens a new one); once the handshake is done the socket's
// notifier takes over and the transport is a plain byte stream, except
// that bytes which arrived together with the proxy's last reply are handed
// out first.
type proxyConn struct {
	s     *AbstractSocket
	proto proxyProtocol
	proxy Proxy // SOCKS5 keeps the credentials a slot supplied here

	host string     // the target's name; "" when the target is addr
	addr netip.Addr // the target's address, when it was given as one
	port uint16

	ne     *engine.NativeEngine // the control connection
	n      *engine.Notifier     // the handshake's notifier, on a loop
	addrs  []netip.Addr         // the proxy's addresses
	next   int                  // the next of addrs to dial
	lookup chan lookupResult    // the proxy's host lookup, while it runs for a loop
	cancel context.CancelFunc
	opts   []optionValue // options to set on every control connection

	phase   proxyPhase
	in      []byte // read from the proxy, not consumed yet
	out     []byte // handshake bytes waiting for the kernel
	err     error  // how the handshake failed; nil on success
	dialErr error  // why the last dial failed
	local   netip.AddrPort
	closed  bool
	handed  bool // the handshake's notifier is gone
	// blocking runs the handshake on the caller's goroutine even for a
	// socket on a loop: Qt's UDP association through SOCKS5 blocks
	// its bind, and the control connection never becomes the socket's.
	blocking bool
}

// loop is the loop the handshake runs on, nil when it runs blocking.
func (pc *proxyConn) loop() *engine.Loop {
	if pc.blocking {
		return nil
	}
	return pc.s.loop
}

type optionValue struct {
	o engine.Option
	v int
}

type proxyPhase uint8

const (
	proxyIdle      proxyPhase = iota
	proxyLookup               // resolving the proxy's host name
	proxyDialing              // the TCP connect to the proxy is in progress
	proxyHandshake            // talking to the proxy
	proxyDone                 // finished; err tells how
)

// proxyProtocol is what differs between SOCKS5 and HTTP CONNECT.
type proxyProtocol interface {
	// start sends the greeting on a fresh control connection.
	start(pc *proxyConn)
	// received parses pc.in; it consumes what it used and may send,
	// succeed, fail or reconnect.
	received(pc *proxyConn)
	// controlError words a failure of the control connection itself as
	// the protocol's Qt engine does; dialing reports that the TCP
	// connect to the proxy had not completed.
	controlError(code SocketError, text string, cause error, dialing bool) error
}

// proxyError is a failure with the error string Qt's proxy engines give it;
// it unwraps to its code and its cause.
type proxyError struct {
	code SocketError
	text string
	err  error
}

func (e *proxyError) Error() string {
	if e.err != nil {
		return e.text + ": " + e.err.Error()
	}
	return e.text
}

func (e *proxyError) Unwrap() []error {
	if e.err == nil {
		return []error{e.code}
	}
	return []error{e.code, e.err}
}

func proxyFail(code SocketError, text string, cause error) error {
	return &proxyError{code: code, text: text, err: cause}
}

// isProxyError reports whether err is one of the proxy errors after which
// Qt tries no other address of the target (_q_testConnection).
func isProxyError(err error) bool {
	if err == nil {
		return false
	}
	code, _ := codeOf(err)
	switch code {
	case ProxyAuthenticationRequiredError, ProxyConnectionRefusedError, ProxyConnectionClosedError,
		ProxyConnectionTimeoutError, ProxyNotFoundError, ProxyProtocolError:
		return true
	}
	return false
}

var _ Transport = (*proxyConn)(nil)

// Connect starts the connect to addr through the proxy. It always returns
// engine.ErrInProgress: even a proxy that refuses at once is reported from
// the loop (or the next Wait), as Qt reports it after connectToHost
// returned.
func (pc *proxyConn) Connect(addr netip.AddrPort) error {
	pc.host, pc.addr, pc.port = "", addr.Addr(), addr.Port()
	return pc.begin()
}

// connectByName is Connect with a host name the proxy resolves (Qt's
// connectToHostByName).
func (pc *proxyConn) connectByName(host string, port uint16) error {
	pc.host, pc.addr, pc.port = host, netip.Addr{}, port
	return pc.begin()
}

func (pc *proxyConn) begin() error {
	if a, ok := ParseHostAddress(pc.proxy.HostName); ok {
		pc.addrs = []netip.Addr{a.Unmap().WithZone(a.Zone())}
		pc.dial()
	} else if pc.loop() != nil {
		pc.startLookup()
	} else {
		pc.phase = proxyLookup // Wait resolves it
	}
	if pc.phase == proxyDone && pc.loop() != nil {
		pc.s.loop.Post(pc.deliver)
	}
	return engine.ErrInProgress
}

func (pc *proxyConn) startLookup() {
	ctx, cancel := context.WithCancel(context.Background())
	ch := make(chan lookupResult, 1)
	pc.lookup, pc.cancel, pc.phase = ch, cancel, proxyLookup
	host, loop := pc.proxy.HostName, pc.s.loop
	go func() {
		addrs, err := resolve(ctx, host)
		cancel()
		ch <- lookupResult{addrs, err}
		loop.Post(func() { pc.lookupDone(ch) })
	}()
}

func (pc *proxyConn) lookupDone(ch chan lookupResult) {
	if pc.closed || pc.lookup != ch {
		return // abandoned, or taken by a Wait
	}
	pc.resolved(<-ch)
	if pc.phase == proxyDone {
		pc.deliver()
	}
}

func (pc *proxyConn) resolved(r lookupResult) {
	pc.lookup, pc.cancel = nil, nil
	if len(r.addrs) == 0 {
		cause := r.err
		if cause == nil {
			cause = &net.DNSError{Err: "no such host", Name: pc.proxy.HostName, IsNotFound: true}
		}
		pc.fail(pc.proto.controlError(HostNotFoundError, HostNotFoundError.Error(), cause, true))
		return
	}
	pc.addrs, pc.next = r.addrs, 0
	pc.dial()
}

// dial connects to the proxy's next address.
func (pc *proxyConn) dial() {
	for pc.next < len(pc.addrs) {
		a := pc.addrs[pc.next]
		pc.next++
		domain := unix.AF_INET6
		if a.Is4() {
			domain = unix.AF_INET
		}
		e, err := engine.NewNativeEngine(domain, unix.SOCK_STREAM)
		if err != nil {
			pc.dialErr = err
			continue
		}
		for _, o := range pc.opts {
			e.SetOption(o.o, o.v)
		}
		err = e.Connect(netip.AddrPortFrom(a, pc.proxy.Port))
		switch {
		case err == nil:
			pc.ne = e
			pc.connected()
			return
		case errors.Is(err, engine.ErrInProgress):
			pc.ne, pc.phase = e, proxyDialing
			pc.watch()
			return
		}
		e.Close()
		pc.dialErr = err
	}
	pc.fail(pc.controlErr(pc.dialErr, true))
}

// connected starts the handshake on a new control connection.
func (pc *proxyConn) connected() {
	pc.phase = proxyHandshake
	pc.in, pc.out = pc.in[:0], pc.out[:0]
	pc.proto.start(pc)
	pc.flush()
	pc.watch()
}

func (pc *proxyConn) controlErr(err error, dialing bool) error {
	code, text := codeOf(err)
	return pc.proto.controlError(code, text, err, dialing)
}

// step advances the handshake after readiness.
func (pc *proxyConn) step(r, w bool) {
	switch pc.phase {
	case proxyDialing:
		if err := pc.ne.ConnectResult(); err != nil {
			pc.closeEngine()
			pc.dialErr = err
			pc.dial()
			return
		}
		pc.connected()
	case proxyHandshake:
		if w && len(pc.out) > 0 {
			pc.flush()
		}
		if r && pc.phase == proxyHandshake {
			pc.receive()
		}
		pc.watch()
	}
}

// receive reads what the proxy sent and lets the protocol parse it.
func (pc *proxyConn) receive() {
	e := pc.ne
	if cap(pc.in)-len(pc.in) < 512 {
		grown := make([]byte, len(pc.in), 2*cap(pc.in)+4096)
		copy(grown, pc.in)
		pc.in = grown
	}
	n, err := e.Read(pc.in[len(pc.in):cap(pc.in)])
	pc.in = pc.in[:len(pc.in)+n]
	if n > 0 {
		pc.proto.received(pc)
	}
	if pc.closed || pc.ne != e || pc.phase != proxyHandshake || err == nil || errors.Is(err, engine.ErrWouldBlock) {
		return
	}
	if err == io.EOF {
		// The proxy closed mid-handshake.
		pc.fail(pc.proto.controlError(RemoteHostClosedError, RemoteHostClosedError.Error(), err, false))
		return
	}
	pc.fail(pc.controlErr(err, false))
}

// send queues handshake bytes; they leave at the next flush.
func (pc *proxyConn) send(p []byte) { pc.out = append(pc.out, p...) }

func (pc *proxyConn) flush() {
	for len(pc.out) > 0 && pc.phase == proxyHandshake {
		n, err := pc.ne.Write(pc.out)
		pc.out = pc.out[n:]
		if err != nil {
			if !errors.Is(err, engine.ErrWouldBlock) {
				pc.fail(pc.controlErr(err, false))
			}
			return
		}
	}
}

// consume drops n parsed bytes from the front of in.
func (pc *proxyConn) consume(n int) { pc.in = pc.in[n:] }

func (pc *proxyConn) succeed(local netip.AddrPort) {
	pc.phase, pc.local, pc.err, pc.out = proxyDone, local, nil, nil
	pc.watch()
}

func (pc *proxyConn) fail(err error) {
	pc.phase, pc.err = proxyDone, err
	pc.out = nil
	pc.closeEngine() // Qt closes the control socket
}

// reconnect opens a new control connection and starts over, keeping the
// protocol's credentials: Qt's retry after new credentials when the proxy
// closes (SOCKS5 always does).
func (pc *proxyConn) reconnect() {
	pc.closeEngine()
	pc.in, pc.out = pc.in[:0], pc.out[:0]
	pc.next = 0
	pc.dial()
}

// watch sets the handshake notifier's interest (loop only).
func (pc *proxyConn) watch() {
	if pc.loop() == nil || pc.handed || pc.closed {
		return
	}
	var ev engine.Events
	switch pc.phase {
	case proxyDialing:
		ev = engine.Writable
	case proxyHandshake:
		ev = engine.Readable
		if len(pc.out) > 0 {
			ev |= engine.Writable
		}
	}
	if pc.ne == nil || ev == 0 {
		if pc.n != nil {
			pc.n.SetEnabled(0)
		}
		return
	}
	if pc.n == nil {
		n, err := pc.s.loop.NewNotifier(pc.ne.FD(), (*proxyHandler)(pc))
		if err != nil {
			pc.fail(proxyFail(SocketResourceError, SocketResourceError.Error(), err))
			return
		}
		pc.n = n
	}
	pc.n.SetEnabled(ev)
}

// proxyHandler is the handshake's notifier handler.
type proxyHandler proxyConn

func (h *proxyHandler) Ready(ev engine.Events) {
	pc := (*proxyConn)(h)
	hup := ev&engine.Hangup != 0
	pc.step(hup || ev&engine.Readable != 0, hup || ev&engine.Writable != 0)
	if pc.phase == proxyDone {
		pc.deliver()
	}
}

func (h *proxyHandler) LoopClosed() {
	pc := (*proxyConn)(h)
	if !pc.closed && pc.s.tr == Transport(pc) {
		pc.s.loopClosed()
	}
}

// handOver retires the handshake's notifier and, after a success on a
// loop, registers the socket's own for the connection, with a read posted
// for the bytes that came with the proxy's reply (Qt emits a read
// notification for them).
func (pc *proxyConn) handOver() {
	if pc.handed {
		return
	}
	pc.handed = true
	if pc.n != nil {
		pc.n.Close()
		pc.n = nil
	}
	s := pc.s
	if pc.err != nil || pc.loop() == nil || pc.ne == nil {
		return
	}
	n, err := s.loop.NewNotifier(pc.ne.FD(), (*handler)(s))
	if err != nil {
		pc.err = proxyFail(SocketResourceError, SocketResourceError.Error(), err)
		return
	}
	s.notifier = n
	if len(pc.in) > 0 {
		s.loop.Post(func() {
			if s.tr == Transport(pc) && s.readWanted() {
				s.canRead()
			}
		})
	}
}

// deliver reports the finished handshake to the socket (Qt's
// connectionNotification, then _q_testConnection).
func (pc *proxyConn) deliver() {
	s := pc.s
	if pc.closed || s.tr != Transport(pc) || s.State() != ConnectingState {
		return
	}
	pc.handOver()
	s.testConnection()
}

func (pc *proxyConn) closeEngine() {
	if pc.n != nil {
		pc.n.Close()
		pc.n = nil
	}
	if pc.ne != nil {
		pc.ne.Close()
		pc.ne = nil
	}
}
