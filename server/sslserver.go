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
// handshakes. With SetLoopGroup the sockets are made, and handshake, on
// the group's loops while the server's signals stay on the server's loop;
// see SetLoopGroup for what that changes.
type SSLServer struct {
	*TCPServer

	// StartedEncryptionHandshake is QSslServer::startedEncryptionHandshake:
	// the client's first byte arrived and it is a TLS handshake record.
	// Unlike Qt, whose socket stays UnencryptedMode until then, the
	// socket is in SSLServerMode from accept: its TLS layer must see the
	// first byte too.
	StartedEncryptionHandshake socket.Signal1[*sslsock.Socket]
	// SSLErrors is QSslServer::sslErrors: the socket's SSLErrors, with the
	// socket. Call IgnoreSSLErrors on it from the slot to go on, when the
	// socket lives on the server's loop; with a LoopGroup the slot runs
	// after the socket decided (see SetLoopGroup).
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
	before   func(*sslsock.Socket)

	// hs holds the sockets accepted and not encrypted yet, on every
	// loop; it belongs to the server's loop.
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
// comes before its NewConnection (after it with a LoopGroup, where the
// socket is made after the accept).
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
//
// With a LoopGroup the socket belongs to its own loop (c.Loop()), not the
// server's: call its methods through c.Loop().Post or Invoke. Plaintext
// that arrives before its slots are connected waits in its buffer.
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
// and PendingConnectionAvailable is not emitted. fn runs on the socket's
// loop (the server's, or a group loop with SetLoopGroup) inside the
// socket's Encrypted emission, before the socket's own Encrypted slots
// (those connected by the SetBeforeHandshake function too) and before
// the plaintext that came with the handshake is announced with ReadyRead.
// It applies to connections accepted from now on; nil goes back to
// queuing. Beyond Qt: TCPServer's SetHandler, for TLS.
func (s *SSLServer) SetHandler(fn func(c *sslsock.Socket)) { s.handler = fn }

// SetBeforeHandshake makes the default incomingConnection call fn with
// each new socket on the socket's own loop, after it adopted its
// descriptor and took the server's configuration and before
// StartServerEncryption, so before any of its signals can fire. It is
// where a socket's own handshake is set up: connect its SSLErrors slot
// and decide there with IgnoreSSLErrors(), call IgnoreSSLErrors(list),
// set PauseOnSSLErrors, or change the configuration per connection. fn
// may Abort the socket; the server then forgets it silently. With a nil
// loop it runs inside WaitForNewConnection. It applies to connections
// accepted from now on; nil removes it. Beyond Qt (a QSslServer subclass
// would override incomingConnection for this).
func (s *SSLServer) SetBeforeHandshake(fn func(c *sslsock.Socket)) { s.before = fn }

// SetLoopGroup makes the default incomingConnection create each socket on
// g.Next() instead of the server's loop, as TCPServer's does: the server
// still accepts on its own loop, and the socket adopts its descriptor,
// runs the SetBeforeHandshake function, handshakes, and times out on its
// group loop, where its own signals fire. nil goes back to the server's
// loop; so does a group loop that is the server's own. It applies to
// connections accepted from now on. A blocking-style server (nil loop)
// ignores g: WaitForNewConnection drives the handshakes itself.
//
// The server's signals stay on the server's loop: NewConnection at
// accept, then StartedEncryptionHandshake, PeerVerifyError, SSLErrors,
// ErrorOccurred and PendingConnectionAvailable, posted from the socket's
// loop in the order they happened there. The socket they carry belongs
// to its group loop: a slot on the server's loop must touch it only
// through s.Loop().Post or Invoke (for a socket s), and so must whoever
// takes it with NextPendingConnection.
//
// That makes SSLErrors a report, not a question: it is posted from the
// socket's SSLErrors emission, which decides when it returns, so the
// server's slot runs while or after the socket decides, and whatever it
// posts to the socket runs after the decision: too late to change it,
// unless the socket waits for Resume. With a LoopGroup
// the decision to ignore errors belongs where the socket lives: in the
// configuration (PeerVerifyMode, CACertificates), or in the function
// given to SetBeforeHandshake, which can call IgnoreSSLErrors(list) or
// connect the socket's own SSLErrors to a slot that decides on its loop.
// A server that wants to decide on its own loop anyway sets
// PauseOnSSLErrors there and answers from its SSLErrors slot with
// c.Loop().Post(func() { c.IgnoreSSLErrors(); c.Resume() }) (or Abort).
//
// Close aborts the handshakes in progress on every loop (posted to each),
// and a socket whose handshake ends after Close is dropped, not queued or
// handed to the handler. Closing a group loop releases its sockets, and
// the server stops counting their handshakes toward the pending limit.
func (s *SSLServer) SetLoopGroup(g *engine.LoopGroup) { s.group = g }

// Close stops listening (QTcpServer::close): the listening descriptor is
// closed, and both the encrypted connections nobody took and the ones
// still handshaking are aborted (Qt leaves the latter to their timeout),
// on whatever loop they live. Sockets already taken, or given to the
// handler, are not affected. Close is idempotent.
func (s *SSLServer) Close() {
	s.TCPServer.Close()
	for c, h := range s.hs {
		delete(s.hs, c)
		h.cancelled.Store(true)
		h.onSocketLoop(h.cancel)
	}
}
