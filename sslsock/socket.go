package sslsock

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"time"

	"github.com/qsock/qsock/engine"
	"github.com/qsock/qsock/socket"
	"github.com/qsock/qsock/tcp"
)

// Socket is a TLS socket (QSslSocket): a tcp.Socket with a TLS layer
// between the connection and the plaintext buffers, over stock crypto/tls.
// Everything of tcp.Socket works on the plaintext: Read, Write,
// transactions, ReadBufferSize, BytesWritten (plaintext bytes when they
// are encrypted).
type Socket struct {
	*tcp.Socket

	// Encrypted is emitted when the handshake is done and plaintext can
	// flow (QSslSocket::encrypted).
	Encrypted socket.Signal
	// SSLErrors is emitted once per handshake with every verification
	// problem; call IgnoreSSLErrors from a slot to continue.
	SSLErrors socket.Signal1[[]Error]
	// PeerVerifyError is emitted for each problem, before SSLErrors.
	PeerVerifyError socket.Signal1[Error]
	// ModeChanged is emitted when the socket becomes a client or server
	// of a TLS session: right after StateChanged(ConnectedState) and
	// before Connected for ConnectToHostEncrypted.
	ModeChanged socket.Signal1[Mode]
	// EncryptedBytesWritten is emitted with the ciphertext bytes the
	// kernel took, after the BytesWritten of the plaintext they carry
	// (at the loop's next turn, as Qt's comes when its plain socket
	// flushes). The handshake's last flight is written after Encrypted.
	EncryptedBytesWritten socket.Signal1[int64]
	// NewSessionTicketReceived is emitted for each TLS 1.3 session
	// ticket the server sends after the handshake, once it is in
	// SSLConfiguration().SessionTicket, when the configuration's
	// SessionPersistence is on (QSslSocket::newSessionTicketReceived).
	NewSessionTicketReceived socket.Signal

	mode            Mode
	config          Configuration
	peerVerifyName  string
	autoStart       bool
	ignoreAll       bool
	ignoreList      []Error
	handshakeErrors []Error
	layer           *tlsLayer
	paused          chan error // the handshake waits on it while PauseOnSSLErrors holds it
	state           tls.ConnectionState
	haveState       bool
	lastState       socket.State
}

// NewSocket creates an unencrypted, unconnected TLS socket on loop (nil:
// blocking style).
func NewSocket(loop *engine.Loop) *Socket {
	s := &Socket{Socket: tcp.NewSocket(loop), config: DefaultConfiguration()}
	s.SetConnectedHook(s.connectedHook)
	// Runs before any user slot: a socket that leaves the connection
	// stops its handshake and forgets its session, but keeps its mode;
	// a new connection (ConnectToHost, SetSocketDescriptor) starts from
	// UnencryptedMode, as QSslSocketPrivate::init does.
	s.StateChanged.Connect(func(st socket.State) {
		prev := s.lastState
		s.lastState = st
		switch {
		case st == socket.UnconnectedState:
			s.resetSession()
		case prev == socket.UnconnectedState && st != socket.BoundState:
			s.initSession()
		}
	})
	return s
}

// ConnectToHostEncrypted connects to host and port and starts the client
// handshake once connected, verifying the certificate against host
// (QSslSocket::connectToHostEncrypted). A configuration whose protocol
// cannot be used fails at once with SSLInvalidUserDataError, as in Qt 6.
func (s *Socket) ConnectToHostEncrypted(host string, port uint16) {
	s.ConnectToHostEncryptedPeerName(host, port, "")
}

// ConnectToHostEncryptedPeerName is ConnectToHostEncrypted with the name
// used for SNI and certificate verification given separately. On a
// socket that is connecting or connected it does nothing (Qt only logs a
// warning).
func (s *Socket) ConnectToHostEncryptedPeerName(host string, port uint16, peerName string) {
	if st := s.State(); st == socket.ConnectingState || st == socket.ConnectedState {
		return
	}
	if _, _, err := s.config.Protocol.versions(); err != nil {
		s.failUserData()
		return
	}
	if peerName != "" {
		s.peerVerifyName = peerName
	}
	s.initSession()
	s.autoStart = true
	s.ConnectToHost(host, port)
}

func (s *Socket) failUserData() {
	s.SetSocketError(socket.SSLInvalidUserDataError, socket.SSLInvalidUserDataError.Error())
	s.ErrorOccurred.Emit(socket.SSLInvalidUserDataError)
}

func (s *Socket) connectedHook() {
	if s.autoStart {
		s.autoStart = false
		s.startHandshake(false)
	}
}

// StartClientEncryption starts the client handshake on a connected plain
// socket (STARTTLS). On a socket that is not connected, or not plain, it
// does nothing (Qt only logs a warning).
func (s *Socket) StartClientEncryption() {
	if s.mode != UnencryptedMode || s.State() != socket.ConnectedState {
		return
	}
	s.startHandshake(false)
}

// StartServerEncryption starts the server handshake, normally on a socket
// made with SetSocketDescriptor from an accepted connection. The
// configuration must hold a certificate and its private key. On a socket
// that is not connected, or not plain, it does nothing (Qt only logs a
// warning).
func (s *Socket) StartServerEncryption() {
	if s.mode != UnencryptedMode || s.State() != socket.ConnectedState {
		return
	}
	if len(s.config.LocalCertificateChain) == 0 || s.config.PrivateKey == nil {
		s.SetSocketError(socket.SSLInvalidUserDataError, "Cannot provide a certificate with no key")
		s.ErrorOccurred.Emit(socket.SSLInvalidUserDataError)
		return
	}
	s.startHandshake(true)
}

func (s *Socket) startHandshake(server bool) {
	name := s.peerVerifyName
	if name == "" {
		name = s.PeerName()
	}
	l := &tlsLayer{s: s}
	// The handshake goroutine gets its own copy of what verification
	// needs, so it never reads the socket's fields.
	check := verifier{
		mode:   s.config.effectiveVerifyMode(server),
		roots:  s.config.CACertificates,
		depth:  s.config.PeerVerifyDepth,
		name:   name,
		server: server,
	}
	cfg, err := s.config.tlsConfig(server, name, func(cs tls.ConnectionState) error {
		return l.verify(cs, check)
	})
	if err != nil {
		s.failUserData()
		return
	}
	if !server && (s.config.SessionPersistence || len(s.config.SessionTicket) > 0) {
		cfg.ClientSessionCache = &sessionCache{l: l, keep: s.config.SessionPersistence,
			resume: decodeSession(s.config.SessionTicket)}
	}
	s.mode = SSLClientMode
	if server {
		s.mode = SSLServerMode
	}
	s.handshakeErrors = nil
	s.layer = l
	s.SetLayer(l)
	s.ModeChanged.Emit(s.mode)
	if s.layer != l {
		return // a slot closed the socket
	}
	l.start(server, cfg)
	if server && s.BytesAvailable() > 0 {
		// Bytes read while the socket was plain (a server that peeked at
		// the ClientHello, as QSslServer does) belong to the handshake.
		l.bc.feed(s.ReadAll())
	}
}

// handshakeFinished runs on the socket's goroutine when the handshake
// goroutine is done.
func (s *Socket) handshakeFinished(err error) {
	l := s.layer
	if err != nil {
		l.bc.dropStage()
		var verr Error
		switch {
		case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
			// The peer hung up mid-handshake: Qt reports the remote
			// close, not a failed handshake.
			s.SetErrorAndEmit(socket.RemoteHostClosedError, "", err)
			s.DisconnectFromHost()
		case errors.As(err, &verr):
			// Unignored verification errors: Qt reports the first
			// one's own text and closes gracefully, without
			// aboutToClose.
			s.SetErrorAndEmit(socket.SSLHandshakeFailedError, verr.Error(), err)
			s.DisconnectFromHost()
		default:
			// Anything else fails in the TLS library: Qt reports its
			// detail and aborts.
			s.SetErrorAndEmit(socket.SSLHandshakeFailedError, "Error during SSL handshake: "+err.Error(), err)
			s.abortAfterFailure()
		}
		return
	}
	s.state = l.conn.ConnectionState()
	s.haveState = true
	l.bc.endHandshake()
	l.ready = true
	// Ciphertext that came with the last handshake flight is plaintext
	// now; the handshake's last flight and queued writes go out after
	// Encrypted, as in Qt.
	scratch := scratchPool.Get().(*[scratchSize]byte)
	end := l.decrypt(s.Plaintext(), nil, scratch)
	scratchPool.Put(scratch)
	s.Encrypted.Emit()
	if s.layer != l {
		return
	}
	s.Flush()
	s.EmitReadyRead()
	if end != nil && s.State() == socket.ConnectedState {
		s.DisconnectFromHost()
	}
}

// abortAfterFailure is QSslSocket::abort's order, which Qt uses when the
// TLS library fails a handshake: the plain socket goes first
// (Unconnected, ReadChannelFinished, Disconnected), the device closes
// last (AboutToClose).
func (s *Socket) abortAfterFailure() {
	open := s.IsOpen()
	s.SetOpenMode(socket.NotOpen) // no AboutToClose from Abort itself
	s.Abort()
	if open {
		s.AboutToClose.Emit()
	}
}

// resetSession forgets the session when the socket is unconnected. The
// mode, the handshake's errors and the peer's certificate stay until the
// next connection, as in Qt.
func (s *Socket) resetSession() {
	if s.layer != nil {
		s.layer.Release()
		s.layer = nil
		s.SetLayer(nil)
	}
	if s.paused != nil {
		s.paused <- errAborted
		s.paused = nil
	}
	s.haveState = false
	s.autoStart = false
}

// initSession is QSslSocketPrivate::init, run when a new connection
// starts: the socket is plain again and forgets the last session.
func (s *Socket) initSession() {
	s.mode = UnencryptedMode
	s.ignoreAll = false
	s.handshakeErrors = nil
	s.state = tls.ConnectionState{}
	s.haveState = false
}

var errAborted = errors.New("sslsock: handshake aborted")

// Mode returns the encryption mode.
func (s *Socket) Mode() Mode { return s.mode }

// IsEncrypted reports whether the handshake is done and plaintext flows.
func (s *Socket) IsEncrypted() bool { return s.layer != nil && s.layer.ready }

// SetSSLConfiguration sets the configuration for the next handshake.
func (s *Socket) SetSSLConfiguration(c Configuration) { s.config = c }

// SSLConfiguration returns the configuration.
func (s *Socket) SSLConfiguration() Configuration { return s.config }

// SetPeerVerifyMode sets how the peer's certificate is checked.
func (s *Socket) SetPeerVerifyMode(m PeerVerifyMode) { s.config.PeerVerifyMode = m }

// PeerVerifyMode returns how the peer's certificate is checked.
func (s *Socket) PeerVerifyMode() PeerVerifyMode { return s.config.PeerVerifyMode }

// SetPeerVerifyName sets the host name the certificate must match (and
// the SNI name), instead of the one given to ConnectToHostEncrypted.
func (s *Socket) SetPeerVerifyName(name string) { s.peerVerifyName = name }

// PeerVerifyName returns the name set with SetPeerVerifyName.
func (s *Socket) PeerVerifyName() string { return s.peerVerifyName }

// IgnoreSSLErrors ignores verification problems. With no argument it
// ignores all of the current handshake's errors: call it from the
// SSLErrors slot, or while paused. With errors, it ignores exactly those
// (code and certificate must match); call it before the handshake.
func (s *Socket) IgnoreSSLErrors(errs ...Error) {
	if len(errs) == 0 {
		s.ignoreAll = true
		return
	}
	s.ignoreList = append([]Error(nil), errs...)
}

// SSLHandshakeErrors returns the last handshake's verification problems,
// ignored ones included.
func (s *Socket) SSLHandshakeErrors() []Error { return append([]Error(nil), s.handshakeErrors...) }

// Resume continues a handshake paused on SSLErrors (PauseOnSSLErrors):
// it goes on if IgnoreSSLErrors was called meanwhile, and fails otherwise.
func (s *Socket) Resume() {
	if s.paused == nil {
		return
	}
	ch := s.paused
	s.paused = nil
	ch <- s.decision()
}

// PeerCertificate returns the peer's certificate after the handshake.
func (s *Socket) PeerCertificate() *x509.Certificate {
	if len(s.state.PeerCertificates) == 0 {
		return nil
	}
	return s.state.PeerCertificates[0]
}

// PeerCertificateChain returns the peer's chain, leaf first.
func (s *Socket) PeerCertificateChain() []*x509.Certificate {
	return append([]*x509.Certificate(nil), s.state.PeerCertificates...)
}

// SessionProtocol returns the negotiated version (UnknownProtocol before
// the handshake and once unconnected, as in Qt).
func (s *Socket) SessionProtocol() Protocol {
	if !s.haveState {
		return UnknownProtocol
	}
	return protocolOf(s.state.Version)
}

// SessionCipher returns the negotiated crypto/tls cipher suite id (0
// before the handshake and once unconnected).
func (s *Socket) SessionCipher() uint16 {
	if !s.haveState {
		return 0
	}
	return s.state.CipherSuite
}

// NextNegotiatedProtocol returns the ALPN result.
func (s *Socket) NextNegotiatedProtocol() string { return s.state.NegotiatedProtocol }

// EncryptedBytesAvailable returns ciphertext received and not yet
// decrypted.
func (s *Socket) EncryptedBytesAvailable() int64 {
	if s.layer == nil || s.layer.bc == nil {
		return 0
	}
	in, _ := s.layer.bc.pending()
	return int64(in)
}

// EncryptedBytesToWrite returns ciphertext not yet taken by the kernel.
func (s *Socket) EncryptedBytesToWrite() int64 {
	if s.layer == nil || s.layer.bc == nil {
		return 0
	}
	_, out := s.layer.bc.pending()
	return int64(out)
}

// waitSlice bounds one poll of a blocking wait while the handshake
// goroutine works: its results arrive through the queue, not the
// descriptor.
const waitSlice = 2 * time.Millisecond
