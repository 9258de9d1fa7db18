package socket

import (
	"context"
	"errors"
	"net"
	"net/netip"

	"golang.org/x/net/idna"

	"github.com/qsock/qsock/engine"
)

// connectAttempt is the state of a ConnectToHost in progress: the host
// lookup, the addresses left to try, and the per-address timer.
type connectAttempt struct {
	addrs   []netip.Addr
	port    uint16
	proto   NetworkLayerProtocol // only addresses of this family are tried, unless Any
	timer   *engine.Timer
	lookup  chan lookupResult // the result, for a WaitForConnected that cannot wait for the loop
	cancel  context.CancelFunc
	lastErr error
}

type lookupResult struct {
	addrs []netip.Addr
	err   error
}

// ConnectToHost connects to host (a name or a literal address) and port,
// opened ReadWrite, trying every address the name resolves to in turn
// (QAbstractSocket::connectToHost). It returns at once: StateChanged
// (HostLookupState) is emitted before it returns, then Connecting,
// HostFound, Connected and Connected follow on the loop. A literal address
// skips the lookup, so the socket is Connecting when the call returns.
//
// In blocking style (nil loop) a name leaves the socket in HostLookupState:
// WaitForConnected resolves it and connects.
//
// Through a proxy (SetProxy, SetApplicationProxy) the socket connects to
// the proxy and has it open the connection; a name is handed to the proxy
// unresolved, so the socket goes to ConnectingState at once, without
// HostFound, as Qt's does. An unusable proxy fails the call with
// UnsupportedSocketOperationError before any state change.
//
// Called while not Unconnected (or Bound), it sets OperationError, emits
// ErrorOccurred and changes nothing, as Qt does.
func (s *AbstractSocket) ConnectToHost(host string, port uint16) {
	s.ConnectToHostMode(host, port, ReadWrite, AnyIPProtocol)
}

// ConnectToAddress is ConnectToHost with an address (Qt's connectToHost
// overload taking a QHostAddress).
func (s *AbstractSocket) ConnectToAddress(addr netip.Addr, port uint16) {
	s.ConnectToHostMode(addr.String(), port, ReadWrite, AnyIPProtocol)
}

// ConnectToHostMode is ConnectToHost with Qt's optional arguments: the open
// mode and the network-layer protocol to prefer (only addresses of that
// family are tried, unless it is AnyIPProtocol).
func (s *AbstractSocket) ConnectToHostMode(host string, port uint16, mode OpenMode, proto NetworkLayerProtocol) {
	switch s.State() {
	case HostLookupState, ConnectingState, ConnectedState, ClosingState, ListeningState:
		s.setErrorAndEmit(OperationError, "Trying to connect while connection is in progress", nil)
		return
	}
	if s.resolveProxy("connect", host, port) != nil {
		return // Qt refuses an unusable proxy before it opens the device
	}
	if mode&ReadWrite == 0 {
		mode |= ReadWrite
	}
	if s.isUDP() {
		mode |= Unbuffered // QUdpSocket is unbuffered: Qt reports 0x23
	}
	s.resetBuffers()
	s.flags &^= flagReadChannel | flagWriteChannel
	// Qt forgets the previous error when a new connection starts.
	if s.x != nil {
		s.x.err, s.x.errString, s.x.lastErr = UnknownSocketError, "", nil
	}
	s.SetPeerName(host)
	s.cancelLookup()
	s.setAttempt(&connectAttempt{port: port, proto: proto})
	s.flags &^= flagPendingClose | flagAbortCalled | flagEOF
	s.openMode = uint8(mode)
	s.setState(HostLookupState)
	if s.State() != HostLookupState {
		return // a slot changed course
	}
	if a, ok := ParseHostAddress(host); ok {
		s.startConnecting([]netip.Addr{a.Unmap().WithZone(a.Zone())}, nil)
		return
	}
	if s.proxyResolvesNames() {
		s.connectThroughProxyByName(host)
		return
	}
	if s.loop == nil {
		return // WaitForConnected resolves the name
	}
	s.startLookup(host)
}

// startLookup resolves host on a goroutine and posts the result to the
// loop. The result also goes to a channel, so a WaitForConnected on a
// blocked loop can take it directly; whichever comes second finds the
// lookup already consumed.
func (s *AbstractSocket) startLookup(host string) {
	ctx, cancel := context.WithCancel(context.Background())
	ch := make(chan lookupResult, 1)
	s.attempt().cancel, s.attempt().lookup = cancel, ch
	id := s.attempt()
	loop := s.loop
	go func() {
		addrs, err := resolve(ctx, host)
		cancel()
		ch <- lookupResult{addrs, err}
		loop.Post(func() { s.lookupFinished(id, ch) })
	}()
}

func (s *AbstractSocket) lookupFinished(id *connectAttempt, ch chan lookupResult) {
	if s.State() != HostLookupState || s.attempt() != id || s.attempt().lookup != ch {
		return
	}
	select {
	case r := <-ch:
		s.attempt().lookup, s.attempt().cancel = nil, nil
		s.startConnecting(r.addrs, r.err)
	default:
	}
}

// resolve looks host up with the system resolver, after converting an
// internationalized name to its ASCII form as QUrl::toAce does.
func resolve(ctx context.Context, host string) ([]netip.Addr, error) {
	ascii, err := idna.Lookup.ToASCII(host)
	if err != nil {
		return nil, &net.DNSError{Err: err.Error(), Name: host, IsNotFound: true}
	}
	addrs, err := net.DefaultResolver.LookupNetIP(ctx, "ip", ascii)
	if err != nil {
		return nil, err
	}
	for i, a := range addrs {
		addrs[i] = a.Unmap()
	}
	return addrs, nil
}

// cancelLookup abandons a lookup in progress.
func (s *AbstractSocket) cancelLookup() {
	if s.attempt() == nil {
		return
	}
	if s.attempt().cancel != nil {
		s.attempt().cancel()
	}
	// A result posted later finds no lookup to finish.
	s.attempt().cancel, s.attempt().lookup = nil, nil
}

// startConnecting is Qt's _q_startConnecting: keep the addresses of the
// preferred protocol, report the lookup, and try them in turn.
func (s *AbstractSocket) startConnecting(addrs []netip.Addr, lookupErr error) {
	if s.State() != HostLookupState {
		return
	}
	kept := addrs[:0:0]
	for _, a := range addrs {
		switch {
		case s.attempt().proto == IPv4Protocol && !a.Is4(),
			s.attempt().proto == IPv6Protocol && !a.Is6():
			continue
		}
		kept = append(kept, a)
	}
	if len(kept) == 0 {
		s.st = uint8(UnconnectedState)
		s.setError(HostNotFoundError, "Host not found", lookupErr)
		s.StateChanged.Emit(UnconnectedState)
		s.ErrorOccurred.Emit(HostNotFoundError)
		return
	}
	s.attempt().addrs = kept
	s.setState(ConnectingState)
	if s.State() != ConnectingState {
		return
	}
	s.HostFound.Emit()
	if s.State() != ConnectingState {
		return
	}
	s.connectToNext()
}

// connectToNext is Qt's _q_connectToNextAddress.
func (s *AbstractSocket) connectToNext() {
	for s.State() == ConnectingState {
		if len(s.attempt().addrs) == 0 {
			s.connectFailed(s.attempt().lastErr)
			return
		}
		host := s.attempt().addrs[0]
		s.attempt().addrs = s.attempt().addrs[1:]
		if err := s.initTransport(host); err != nil {
			s.attempt().lastErr = err
			continue
		}
		err := s.tr.Connect(netip.AddrPortFrom(host, s.attempt().port))
		if err == nil {
			s.connectionEstablished()
			return
		}
		if errors.Is(err, engine.ErrInProgress) {
			if s.loop != nil {
				s.attempt().timer = s.loop.AfterFunc(s.ConnectTimeout(), s.connectTimedOut)
				s.setNotify(s.readWanted(), true)
			}
			return
		}
		s.attempt().lastErr = err
		s.releaseTransport()
	}
}

// testConnection runs when a pending connect's descriptor became writable
// (Qt's _q_testConnection).
func (s *AbstractSocket) testConnection() {
	if s.attempt() == nil {
		s.setAttempt(new(connectAttempt)) // a class that connected by its own means
	}
	s.stopConnectTimer()
	err := s.tr.ConnectResult()
	if err == nil {
		s.connectionEstablished()
		return
	}
	s.attempt().lastErr = err
	if isProxyError(err) {
		s.attempt().addrs = nil // Qt tries no other address after a proxy error
	}
	s.releaseTransport()
	s.connectToNext()
}

func (s *AbstractSocket) stopConnectTimer() {
	if s.attempt() != nil && s.attempt().timer != nil {
		s.attempt().timer.Stop()
		s.attempt().timer = nil
	}
}

// connectTimedOut is Qt's _q_abortConnectionAttempt.
func (s *AbstractSocket) connectTimedOut() {
	if s.State() != ConnectingState || s.attempt() == nil {
		return
	}
	s.attempt().timer = nil
	code, msg, cause := s.connectTimeoutError()
	s.releaseTransport()
	if len(s.attempt().addrs) > 0 && !isProxyError(cause) {
		s.connectToNext()
		return
	}
	s.attempt().lastErr = cause
	s.failConnect(code, msg, cause)
}

// connectFailed ends a connect whose every address failed with the last
// address's error (ConnectionRefusedError when there was none).
func (s *AbstractSocket) connectFailed(cause error) {
	code, msg := ConnectionRefusedError, "Connection refused"
	if cause != nil {
		code, msg = codeOf(cause)
	}
	s.failConnect(code, msg, cause)
}

func (s *AbstractSocket) failConnect(code SocketError, msg string, cause error) {
	s.releaseTransport()
	s.resetBuffers()
	s.setError(code, msg, cause)
	if s.x != nil && s.x.kind.ErrorBeforeUnconnected {
		// QLocalSocket: errorOccurred while still Connecting.
		s.ErrorOccurred.Emit(code)
		if s.State() != ConnectingState {
			return // a slot aborted or reconnected
		}
		s.st = uint8(UnconnectedState)
		s.StateChanged.Emit(UnconnectedState)
		return
	}
	s.st = uint8(UnconnectedState)
	s.StateChanged.Emit(UnconnectedState)
	s.ErrorOccurred.Emit(code)
}

// connectionEstablished is Qt's fetchConnectionParameters followed by the
// connected signals.
func (s *AbstractSocket) connectionEstablished() {
	s.stopConnectTimer()
	s.setAttempt(nil)
	s.fetchAddresses()
	s.setNotify(true, s.wbuf.Len() > 0)
	s.setState(ConnectedState)
	if s.State() != ConnectedState {
		return
	}
	if s.x != nil && s.x.connectedHook != nil {
		s.x.connectedHook()
		if s.State() != ConnectedState {
			return
		}
	}
	s.Connected.Emit()
	if s.State() == ConnectedState && s.is(flagPendingClose) {
		s.flags &^= flagPendingClose
		s.DisconnectFromHost()
	}
}

func (s *AbstractSocket) fetchAddresses() {
	if s.tr == nil {
		return
	}
	s.fetchLocalAddress()
	if ap, err := s.tr.PeerAddr(); err == nil {
		s.SetPeerAddress(ap.Addr())
		s.peerPort = ap.Port()
	}
}

func (s *AbstractSocket) fetchLocalAddress() {
	if ap, err := s.tr.LocalAddr(); err == nil {
		s.SetLocalAddress(ap.Addr())
		s.localPort = ap.Port()
	}
}

// EstablishConnection makes t the socket's connected transport and runs
// the end of a successful connect: the addresses are read from t, reading
// starts, StateChanged(ConnectedState) and Connected are emitted, and
// writes queued meanwhile are flushed. Socket classes that connect by
// their own means (local.Socket over a Unix-domain path) call it; the
// socket must be opened (SetOpenMode) before.
func (s *AbstractSocket) EstablishConnection(t Transport) error {
	if t != s.tr {
		if err := s.SetTransport(t); err != nil {
			return err
		}
	}
	s.flags &^= flagAbortCalled | flagEOF
	s.connectionEstablished()
	return nil
}

// FailConnection ends a connect attempt with code: the transport is
// released and the class's order of ErrorOccurred and
// StateChanged(UnconnectedState) is kept (Kind.ErrorBeforeUnconnected).
func (s *AbstractSocket) FailConnection(code SocketError, msg string, cause error) {
	s.failConnect(code, msg, cause)
}

// SetOpenMode sets the QIODevice open mode (Qt's protected setOpenMode),
// for socket classes that open the device themselves. Bits beyond Qt's
// flags (above ExistingOnly) are not kept.
func (s *AbstractSocket) SetOpenMode(m OpenMode) { s.openMode = uint8(m) }
