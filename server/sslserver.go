package server

import (
	"time"

	"github.com/qsock/qsock/engine"
	"github.com/qsock/qsock/internal/accept"
	"github.com/qsock/qsock/socket"
	"github.com/qsock/qsock/sslsock"
	"github.com/qsock/qsock/tcp"
)

// DefaultHandshakeTimeout is QSslServer's default handshake timeout.
const DefaultHandshakeTimeout = 5 * time.Second

// SSLServer is a TLS server: Qt's QSslServer (Qt 6.4). It listens like a
// TCPServer, whose listening API it embeds (Listen, ServerPort,
// SetMaxPendingConnections, PauseAccepting, ...), and makes each accepted
// connection an *sslsock.Socket that starts the server handshake with the
// server's configuration at once. The socket is queued for
// NextPendingConnection only once it is encrypted; a failed handshake
// never is.
//
// The signals come in Qt's order: NewConnection when the TCP connection
// is accepted (nothing is pending yet), StartedEncryptionHandshake when
// the client's first byte arrives, then PeerVerifyError and SSLErrors if
// the client's certificate has problems (call IgnoreSSLErrors on the
// socket from the slot to go on), and PendingConnectionAvailable once it
// is encrypted: that is the signal to take connections on. A handshake
// that fails emits ErrorOccurred with the socket and its error instead; a
// client that says nothing for HandshakeTimeout, or is still handshaking
// then, gets ErrorOccurred(socket, SocketTimeoutError) and is dropped. A
// connection whose first byte is not a TLS handshake record (0x16), such
// as a plain-text HTTP request, is dropped as Qt drops it, but with
// ErrorOccurred(socket, SSLHandshakeFailedError) where Qt says nothing.
//
// Connections still handshaking count toward MaxPendingConnections, as
// in Qt 6. Once a socket is queued the server forgets it: its signals are
// no longer forwarded (Qt disconnects them too).
//
// Like every qsock object an SSLServer belongs to one loop: call its
// methods on that loop's goroutine; with a nil loop, from the one
// goroutine driving WaitForNewConnection, which then also drives the
// handshakes. Sockets are always made on the server's loop: SSLServer
// does not serve on a LoopGroup.
type SSLServer struct {
	*TCPServer

	// StartedEncryptionHandshake is QSslServer::startedEncryptionHandshake:
	// the client's first byte arrived and it is a TLS handshake record.
	// Unlike Qt, whose socket stays UnencryptedMode until then, the
	// socket is in SSLServerMode from accept: its TLS layer must see the
	// first byte too.
	StartedEncryptionHandshake socket.Signal1[*sslsock.Socket]
	// SSLErrors is QSslServer::sslErrors: the socket's SSLErrors, with the
	// socket. Call IgnoreSSLErrors on it from the slot to go on.
	SSLErrors socket.Signal2[*sslsock.Socket, []sslsock.Error]
	// PeerVerifyError is QSslServer::peerVerifyError: the socket's
	// PeerVerifyError, with the socket.
	PeerVerifyError socket.Signal2[*sslsock.Socket, sslsock.Error]
	// ErrorOccurred is QSslServer::errorOccurred: an error of a socket
	// still handshaking (RemoteHostClosedError when the client gave up,
	// SSLHandshakeFailedError, SocketTimeoutError when the handshake
	// timeout expired), with the socket.
	ErrorOccurred socket.Signal2[*sslsock.Socket, socket.SocketError]

	config   sslsock.Configuration
	timeout  time.Duration
	incoming func(fd int)
	handler  func(*sslsock.Socket)

	// hs holds the sockets accepted and not encrypted yet.
	hs map[*sslsock.Socket]*handshake
	// queued maps the queue's entries (the listener holds the embedded
	// *tcp.Socket) back to their TLS sockets.
	queued map[*tcp.Socket]*sslsock.Socket
}

// NewSSLServer creates a TLS server on loop (QSslServer's constructor).
// With a nil loop it is used in blocking style, through
// WaitForNewConnection. Give it a certificate and key with
// SetSSLConfiguration before it accepts.
func NewSSLServer(loop *engine.Loop) *SSLServer {
	s := &SSLServer{
		TCPServer: NewTCPServer(loop),
		config:    sslsock.DefaultConfiguration(),
		timeout:   DefaultHandshakeTimeout,
		hs:        make(map[*sslsock.Socket]*handshake),
		queued:    make(map[*tcp.Socket]*sslsock.Socket),
	}
	s.l.SetHooks(accept.Hooks[*tcp.Socket]{
		Incoming:    s.incomingConnection,
		Accepted:    s.NewConnection.Emit,
		AcceptError: s.AcceptError.Emit,
		Drop:        s.drop,
	})
	return s
}

// SetSSLConfiguration sets the configuration of the sockets accepted from
// now on (QSslServer::setSslConfiguration). It must hold the server's
// certificate chain and private key; a connection accepted without them
// is dropped with ErrorOccurred(socket, SSLInvalidUserDataError), which
// comes before its NewConnection.
func (s *SSLServer) SetSSLConfiguration(c sslsock.Configuration) { s.config = c }

// SSLConfiguration returns the configuration (QSslServer::sslConfiguration).
func (s *SSLServer) SSLConfiguration() sslsock.Configuration { return s.config }

// SetHandshakeTimeout sets how long a client has, from accept, to finish
// its handshake (QSslServer::setHandshakeTimeout; 5 s by default). It
// applies to connections accepted from now on. d <= 0 means no limit.
func (s *SSLServer) SetHandshakeTimeout(d time.Duration) { s.timeout = d }

// HandshakeTimeout returns the handshake timeout
// (QSslServer::handshakeTimeout).
func (s *SSLServer) HandshakeTimeout() time.Duration { return s.timeout }

// NextPendingConnection returns the oldest encrypted connection, or nil
// when none is queued (QTcpServer::nextPendingConnection on a
// QSslServer). Taking one below the pending limit resumes accepting.
func (s *SSLServer) NextPendingConnection() *sslsock.Socket {
	tc, ok := s.l.Take()
	if !ok {
		return nil
	}
	c := s.queued[tc]
	delete(s.queued, tc)
	return c
}

// AddPendingConnection queues c for NextPendingConnection and emits
// PendingConnectionAvailable (QTcpServer::addPendingConnection). The
// default incomingConnection calls it when a socket is encrypted;
// functions given to SetIncomingConnection call it for their own sockets.
func (s *SSLServer) AddPendingConnection(c *sslsock.Socket) {
	if c == nil {
		return
	}
	s.queued[c.Socket] = c
	s.l.Add(c.Socket)
	s.PendingConnectionAvailable.Emit()
}

// SetIncomingConnection replaces what the server does with each accepted
// descriptor: Qt's virtual incomingConnection(qintptr), overridden again
// in a QSslServer subclass. fn owns fd; NewConnection is emitted after it
// returns. nil restores the default, which makes an *sslsock.Socket,
// starts its handshake and queues it once encrypted.
func (s *SSLServer) SetIncomingConnection(fn func(fd int)) { s.incoming = fn }

// SetHandler makes the default incomingConnection pass each socket to fn
// once it is encrypted, instead of queuing it; nothing is ever pending
// and PendingConnectionAvailable is not emitted. fn runs on the server's
// loop inside the socket's Encrypted emission, before the socket's own
// Encrypted slots and before the plaintext that came with the handshake
// is announced with ReadyRead. nil goes back to queuing. Beyond Qt.
func (s *SSLServer) SetHandler(fn func(c *sslsock.Socket)) { s.handler = fn }

// SetLoopGroup exists so that TCPServer's does not apply: SSLServer makes
// every socket on its own loop, and ignores g.
func (s *SSLServer) SetLoopGroup(g *engine.LoopGroup) {}

// Close stops listening (QTcpServer::close): the listening descriptor is
// closed, and both the encrypted connections nobody took and the ones
// still handshaking are aborted (Qt leaves the latter to their timeout).
// Sockets already taken are not affected. Close is idempotent.
func (s *SSLServer) Close() {
	s.TCPServer.Close()
	for c, h := range s.hs {
		s.forget(h)
		c.Abort()
	}
}
