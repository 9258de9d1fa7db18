package socket

import (
	"net/netip"
	"time"

	"github.com/qsock/qsock/engine"
)

// DefaultConnectTimeout is how long one address may take to connect before
// the next is tried (Qt's DefaultConnectTimeout, 30 s).
const DefaultConnectTimeout = 30 * time.Second

// AbstractSocket is the base of every socket type: Qt's QAbstractSocket
// with the QIODevice reading API it inherits. tcp.Socket, udp.Socket,
// local.Socket and sslsock.Socket embed a *AbstractSocket, so its methods
// and signals are theirs.
//
// An AbstractSocket belongs to the loop it was made with: its signals run
// on that loop's goroutine and its methods must be called there (DESIGN's
// concurrency contract, Qt's thread affinity). Made with a nil loop it is
// driven in blocking style with the WaitFor* methods from one goroutine at
// a time; its signals then fire on that goroutine during the calls.
type AbstractSocket struct {
	// HostFound is emitted after the host lookup succeeded, right after
	// StateChanged(ConnectingState) (QAbstractSocket::hostFound).
	HostFound Signal
	// Connected is emitted once the connection is established; not for
	// sockets accepted by a server or adopted with SetSocketDescriptor.
	Connected Signal
	// Disconnected is the last signal of a close, emitted only when the
	// socket had been connected.
	Disconnected Signal
	// StateChanged is emitted on every state change.
	StateChanged Signal1[State]
	// ErrorOccurred is emitted when an error occurs (QAbstractSocket::
	// errorOccurred); Error and ErrorString describe it.
	ErrorOccurred Signal1[SocketError]
	// ReadyRead is emitted when new data has been buffered. It is not
	// emitted again while one of its slots runs.
	ReadyRead Signal
	// BytesWritten is emitted with the number of bytes the kernel took,
	// after a flush on the loop; never from inside a stream socket's
	// Write. Unbuffered datagram sockets emit it from inside each write,
	// as QUdpSocket does.
	BytesWritten Signal1[int64]
	// ChannelReadyRead is emitted with channel 0 after ReadyRead, and also
	// for data arriving while a ReadyRead slot runs, which gets no second
	// ReadyRead (QIODevice::channelReadyRead; sockets have one channel).
	ChannelReadyRead Signal1[int]
	// ChannelBytesWritten is emitted with channel 0 and the count after
	// BytesWritten, and also where BytesWritten is held back because one
	// of its slots runs (QIODevice::channelBytesWritten). A datagram
	// socket's WriteDatagram emits only BytesWritten, as QUdpSocket does.
	ChannelBytesWritten Signal2[int, int64]
	// AboutToClose is emitted at the start of Close and Abort.
	AboutToClose Signal
	// ReadChannelFinished is emitted when the input side closed; bytes
	// already buffered can still be read.
	ReadChannelFinished Signal

	loop     *engine.Loop
	tr       Transport
	notifier *engine.Notifier
	x        *socketExtra // nil until a rarely used field is set

	localAddr packedAddr // zone, if any, in x.localZone
	peerAddr  packedAddr // zone, if any, in x.peerZone
	localPort uint16
	peerPort  uint16

	st       uint8 // State: Qt's numbers fit
	typ      int8  // SocketType: Qt's numbers fit
	openMode uint8 // OpenMode: Qt's flags fit
	flags    socketFlags

	rbuf readBuffer
	wbuf writeBuffer
}

// socketFlags holds the socket's yes-or-no facts, one bit each, so that
// they cost two bytes instead of one each.
type socketFlags uint16

const (
	flagReadChannel          socketFlags = 1 << iota // ReadChannelCount is 1
	flagWriteChannel                                 // WriteChannelCount is 1
	flagReadPaused                                   // read notifier off because the buffer is full
	flagTxn                                          // a read transaction is open
	flagFlushQueued                                  // a flush is scheduled for the end of the turn
	flagEOF                                          // the peer closed its side and everything was read in
	flagDatagramUnread                               // a datagram socket announced a datagram not yet read
	flagEmittingReadyRead                            // inside ReadyRead's emission
	flagEmittingBytesWritten                         // inside BytesWritten's emission
	flagPendingClose                                 // Close waits for the write buffer to empty
	flagAbortCalled                                  // Abort is under way
)

// is reports whether every flag in f is set.
func (s *AbstractSocket) is(f socketFlags) bool { return s.flags&f == f }

// putFlag sets or clears f.
func (s *AbstractSocket) putFlag(f socketFlags, on bool) {
	if on {
		s.flags |= f
	} else {
		s.flags &^= f
	}
}

// socketExtra is the part of a socket most connections never use: an
// accepted connection that only echoes bytes has none, which keeps a
// server's idle connections small. Error texts, the peer's host name,
// options set before a descriptor existed, a read-buffer limit, a
// non-default connect timeout, a proxy or Kind put one in place.
type socketExtra struct {
	kind           Kind            // the class's hooks; Type is AbstractSocket.typ
	layer          Layer           // SetLayer's (TLS)
	conn           *connectAttempt // the ConnectToHost in progress; nil for accepted sockets
	txnPos         int             // bytes read inside the open transaction
	readChannel    int             // SetCurrentReadChannel's; only 0 exists
	writeChannel   int             // SetCurrentWriteChannel's; only 0 exists
	protocolTag    string
	err            SocketError
	errString      string
	lastErr        error
	peerName       string
	localZone      string        // LocalAddress's IPv6 zone
	peerZone       string        // PeerAddress's IPv6 zone
	connectTimeout time.Duration // used when hasTimeout
	hasTimeout     bool
	pauseMode      PauseMode
	options        map[Option]int // set before a descriptor existed
	connectedHook  func()
	rbufMax        int64

	proxy     *Proxy                         // SetProxy's; nil is DefaultProxy
	via       *Proxy                         // the proxy the current connect goes through; nil: direct
	proxyAuth Signal2[Proxy, *Authenticator] // ProxyAuthenticationRequired
}

// extra returns the socket's socketExtra, making it on first use.
func (s *AbstractSocket) extra() *socketExtra {
	if s.x == nil {
		s.x = &socketExtra{err: UnknownSocketError}
	}
	return s.x
}

// attempt returns the ConnectToHost in progress, or nil.
func (s *AbstractSocket) attempt() *connectAttempt {
	if s.x == nil {
		return nil
	}
	return s.x.conn
}

func (s *AbstractSocket) setAttempt(a *connectAttempt) {
	if a != nil || s.x != nil {
		s.extra().conn = a
	}
}

// txnOffset is how far the open transaction has read into the buffer.
func (s *AbstractSocket) txnOffset() int {
	if s.x == nil {
		return 0
	}
	return s.x.txnPos
}

func (s *AbstractSocket) setTxnPos(n int) {
	if n != 0 || s.x != nil {
		s.extra().txnPos = n
	}
}

// Kind is what differs between the socket classes built on AbstractSocket:
// Qt gives each class its own private class, qsock passes the differences
// as data.
type Kind struct {
	// Type is the socket type reported by SocketType.
	Type SocketType
	// ErrorBeforeUnconnected makes a failed connect emit ErrorOccurred
	// while still Connecting, then StateChanged(Unconnected), as
	// QLocalSocket does; QAbstractSocket does it the other way round.
	ErrorBeforeUnconnected bool
	// ErrorText, when set, gives the class's own error string for a
	// code (QLocalSocket words some errors differently); it receives
	// QAbstractSocket's text and returns the one to report.
	ErrorText func(code SocketError, text string) string
	// QuietUnconnectedWrite leaves the socket's error alone when Write
	// finds it open but no longer connected: QLocalSocket writes through
	// an inner socket whose error it does not take over.
	QuietUnconnectedWrite bool
}

// NewAbstractSocket creates a socket of the given type on loop (nil for
// blocking style), as QAbstractSocket's constructor does. Socket packages
// call it; applications use tcp.NewSocket and friends.
func NewAbstractSocket(typ SocketType, loop *engine.Loop) *AbstractSocket {
	return NewAbstractSocketKind(Kind{Type: typ}, loop)
}

// NewAbstractSocketKind is NewAbstractSocket with the per-class
// differences spelled out.
func NewAbstractSocketKind(k Kind, loop *engine.Loop) *AbstractSocket {
	s := &AbstractSocket{loop: loop, typ: int8(k.Type)}
	if k.ErrorBeforeUnconnected || k.ErrorText != nil || k.QuietUnconnectedWrite {
		s.extra().kind = k
	}
	return s
}

// Loop returns the loop the socket belongs to, nil in blocking style.
func (s *AbstractSocket) Loop() *engine.Loop { return s.loop }

// SocketType returns TCPSocket, UDPSocket, ...
func (s *AbstractSocket) SocketType() SocketType { return SocketType(s.typ) }

func (s *AbstractSocket) isUDP() bool { return SocketType(s.typ) == UDPSocket }

// State returns the current state.
func (s *AbstractSocket) State() State { return State(s.st) }

// Error returns the last error (UnknownSocketError until one happens).
func (s *AbstractSocket) Error() SocketError {
	if s.x == nil {
		return UnknownSocketError
	}
	return s.x.err
}

// ErrorString returns a human-readable description of the last error.
func (s *AbstractSocket) ErrorString() string {
	if s.x == nil || s.x.errString == "" {
		return s.Error().Error()
	}
	return s.x.errString
}

// LastError returns the last error with its cause (an *Error whose chain
// holds the SocketError and the errno), or nil when none happened.
func (s *AbstractSocket) LastError() error {
	if s.x == nil {
		return nil
	}
	return s.x.lastErr
}

// IsValid reports whether the socket is usable: it has a descriptor, or,
// as in Qt, it has none any more but is still open (the peer closed it and
// buffered bytes can still be read).
func (s *AbstractSocket) IsValid() bool { return s.tr != nil || s.OpenMode() != NotOpen }

// OpenMode returns the QIODevice open mode: ReadWrite from ConnectToHost
// until Close or Abort; a socket the peer closed stays open so its
// buffered bytes can be read.
func (s *AbstractSocket) OpenMode() OpenMode { return OpenMode(s.openMode) }

// IsOpen reports whether OpenMode is not NotOpen.
func (s *AbstractSocket) IsOpen() bool { return s.OpenMode() != NotOpen }

// IsReadable reports whether the socket was opened for reading.
func (s *AbstractSocket) IsReadable() bool { return s.OpenMode()&ReadOnly != 0 }

// IsWritable reports whether the socket was opened for writing.
func (s *AbstractSocket) IsWritable() bool { return s.OpenMode()&WriteOnly != 0 }

// IsSequential is always true for sockets.
func (s *AbstractSocket) IsSequential() bool { return true }

// SocketDescriptor returns the native descriptor, -1 when there is none.
func (s *AbstractSocket) SocketDescriptor() int {
	if s.tr == nil {
		return -1
	}
	return s.tr.FD()
}

// Transport returns the transport the socket moves bytes through, nil when
// it has none (for socket packages and proxies).
func (s *AbstractSocket) Transport() Transport { return s.tr }

// LocalAddress returns the local address, the zero Addr when there is none.
func (s *AbstractSocket) LocalAddress() netip.Addr {
	if s.localAddr.kind == packedV6Zone {
		return s.localAddr.addr(s.x.localZone)
	}
	return s.localAddr.addr("")
}

// LocalPort returns the local port, 0 when there is none.
func (s *AbstractSocket) LocalPort() uint16 { return s.localPort }

// PeerAddress returns the peer's address while connected. A dual-stack
// server sees IPv4 peers as ::ffff:a.b.c.d, as Qt reports them.
func (s *AbstractSocket) PeerAddress() netip.Addr {
	if s.peerAddr.kind == packedV6Zone {
		return s.peerAddr.addr(s.x.peerZone)
	}
	return s.peerAddr.addr("")
}

// PeerPort returns the peer's port while connected.
func (s *AbstractSocket) PeerPort() uint16 { return s.peerPort }

// PeerName returns the host name given to ConnectToHost, or what
// SetPeerName set.
func (s *AbstractSocket) PeerName() string {
	if s.x == nil {
		return ""
	}
	return s.x.peerName
}

// SetLocalAddress sets what LocalAddress reports (Qt's protected
// setLocalAddress, for socket classes).
func (s *AbstractSocket) SetLocalAddress(a netip.Addr) {
	var zone string
	s.localAddr, zone = packAddr(a)
	if zone != "" {
		s.extra().localZone = zone
	}
}

// SetLocalPort sets what LocalPort reports.
func (s *AbstractSocket) SetLocalPort(p uint16) { s.localPort = p }

// SetPeerAddress sets what PeerAddress reports.
func (s *AbstractSocket) SetPeerAddress(a netip.Addr) {
	var zone string
	s.peerAddr, zone = packAddr(a)
	if zone != "" {
		s.extra().peerZone = zone
	}
}

// SetPeerPort sets what PeerPort reports.
func (s *AbstractSocket) SetPeerPort(p uint16) { s.peerPort = p }

// SetPeerName sets what PeerName reports.
func (s *AbstractSocket) SetPeerName(name string) {
	if name != "" || s.x != nil {
		s.extra().peerName = name
	}
}

// SetConnectTimeout sets how long each address may take to connect before
// the next one is tried, or the connect fails with SocketTimeoutError
// (default DefaultConnectTimeout; Qt fixes it at 30 s).
func (s *AbstractSocket) SetConnectTimeout(d time.Duration) {
	x := s.extra()
	x.connectTimeout, x.hasTimeout = d, true
}

// ConnectTimeout returns the per-address connect timeout.
func (s *AbstractSocket) ConnectTimeout() time.Duration {
	if s.x == nil || !s.x.hasTimeout {
		return DefaultConnectTimeout
	}
	return s.x.connectTimeout
}

// SetPauseMode sets when data transfer pauses for the user to Resume
// (PauseOnSSLErrors). Set it before connecting.
func (s *AbstractSocket) SetPauseMode(m PauseMode) { s.extra().pauseMode = m }

// PauseMode returns the pause mode.
func (s *AbstractSocket) PauseMode() PauseMode {
	if s.x == nil {
		return 0
	}
	return s.x.pauseMode
}

// Resume continues a transfer paused on a notification. A plain socket
// never pauses, so it does nothing here; TLS layers override it.
func (s *AbstractSocket) Resume() {}

// SetSocketState sets the state and emits StateChanged when it changes
// (Qt's protected setSocketState, for socket classes).
func (s *AbstractSocket) SetSocketState(st State) {
	if s.State() == st {
		return
	}
	s.st = uint8(st)
	s.StateChanged.Emit(st)
}

// SetSocketError records an error without emitting ErrorOccurred (Qt's
// protected setSocketError).
func (s *AbstractSocket) SetSocketError(code SocketError, msg string) {
	s.setError(code, msg, nil)
}

func (s *AbstractSocket) setError(code SocketError, msg string, cause error) {
	if msg == "" {
		msg = code.Error()
	}
	x := s.extra()
	if x.kind.ErrorText != nil {
		msg = x.kind.ErrorText(code, msg)
	}
	x.err, x.errString = code, msg
	x.lastErr = &Error{Code: code, Err: cause}
}

// SetErrorAndEmit records an error with its cause and emits
// ErrorOccurred (Qt's private setErrorAndEmit, for socket classes).
func (s *AbstractSocket) SetErrorAndEmit(code SocketError, msg string, cause error) {
	s.setErrorAndEmit(code, msg, cause)
}

func (s *AbstractSocket) setErrorAndEmit(code SocketError, msg string, cause error) {
	s.setError(code, msg, cause)
	s.ErrorOccurred.Emit(code)
}

// setState changes the state and emits StateChanged.
func (s *AbstractSocket) setState(st State) {
	s.st = uint8(st)
	if st == ConnectedState {
		s.flags |= flagReadChannel | flagWriteChannel
	}
	s.StateChanged.Emit(st)
}
