package server

import (
	"net/netip"

	"github.com/qsock/qsock/engine"
	"github.com/qsock/qsock/internal/accept"
	"github.com/qsock/qsock/socket"
	"github.com/qsock/qsock/tcp"
)

// TCPServer is a TCP server: Qt's QTcpServer. It belongs to one loop, like
// every qsock object: call its methods on that loop's goroutine (from a
// callback or through Loop.Post/Invoke), or, with a nil loop, from the one
// goroutine driving WaitForNewConnection.
//
// Unlike Qt, the server is not the sockets' parent: a socket taken with
// NextPendingConnection lives until its own Close or Abort, and Close on
// the server releases only the ones nobody took.
type TCPServer struct {
	// NewConnection is QTcpServer::newConnection(): emitted once per
	// accepted connection, after the incomingConnection hook returned
	// (SetIncomingConnection); with the default hook, right after
	// PendingConnectionAvailable.
	NewConnection socket.Signal
	// PendingConnectionAvailable is QTcpServer::pendingConnectionAvailable()
	// (Qt 6.4): emitted by AddPendingConnection when a socket was queued.
	PendingConnectionAvailable socket.Signal
	// AcceptError is QTcpServer::acceptError(SocketError): accept failed,
	// for example with SocketResourceError when the process is out of
	// descriptors (the server backs off and resumes by itself).
	AcceptError socket.Signal1[socket.SocketError]

	l        *accept.Listener[*tcp.Socket]
	loop     *engine.Loop
	incoming func(fd int)
	group    *engine.LoopGroup
	handler  func(*tcp.Socket)
	proxy    socket.Proxy // SetProxy's; DefaultProxy resolves at Listen
	// deferNew is set by the default incomingConnection when the socket
	// is being made on another loop: NewConnection is then emitted when it
	// is queued, so that a slot calling NextPendingConnection finds it.
	deferNew bool

	adopt       func(*engine.Loop, accept.Conn) (*tcp.Socket, bool) // see adopter
	adoptDomain int
	batches     map[*engine.Loop]*accept.Batch[*tcp.Socket] // hand-offs to a group's loops
}

// NewTCPServer creates a server on loop (QTcpServer's constructor). With a
// nil loop the server is used in blocking style, through
// WaitForNewConnection.
func NewTCPServer(loop *engine.Loop) *TCPServer {
	s := &TCPServer{loop: loop}
	s.l = accept.New(loop, accept.Hooks[*tcp.Socket]{
		Incoming:    s.incomingConnection,
		Accepted:    s.accepted,
		AcceptError: s.AcceptError.Emit,
		Drop:        s.drop,
	})
	return s
}

// Loop returns the loop the server belongs to (nil: blocking style).
func (s *TCPServer) Loop() *engine.Loop { return s.loop }

// Listen starts listening on addr and port (QTcpServer::listen). Port 0
// picks a free port; read it back with ServerPort. socket.Any listens on
// one dual-stack socket that takes IPv4 and IPv6 clients, socket.AnyIPv4
// and socket.AnyIPv6 on one version only. SO_REUSEADDR is set, as Qt does
// on Unix, so a restarted server can listen while old connections linger
// in TIME_WAIT.
//
// Listening twice is an error with code OperationError (Qt warns and
// returns false) and leaves ServerError alone. Any other failure sets
// ServerError and ErrorString and returns a *socket.Error that matches
// both the code and the errno: errors.Is(err, socket.AddressInUseError)
// and errors.Is(err, unix.EADDRINUSE) for a port in use.
//
// As in Qt, the proxy is resolved first (see SetProxy): a loopback
// address is always served directly, and any other fails with
// UnsupportedSocketOperationError while the proxy in effect (an HTTP
// application proxy, say) is one the server cannot listen through.
func (s *TCPServer) Listen(addr netip.Addr, port uint16) error {
	if !s.l.IsListening() {
		if err := s.checkProxy(addr, port); err != nil {
			return err
		}
	}
	return s.l.ListenIP(addr, port)
}

// IsListening reports whether the server is listening
// (QTcpServer::isListening).
func (s *TCPServer) IsListening() bool { return s.l.IsListening() }

// Close stops listening (QTcpServer::close): the listening descriptor is
// closed and the connections nobody took are aborted, so their clients see
// the connection closed. Sockets already taken with NextPendingConnection
// are not affected. Close is idempotent; Listen may be called again.
func (s *TCPServer) Close() { s.l.Close() }

// ServerAddress returns the address the server listens on
// (QTcpServer::serverAddress): socket.Any for a dual-stack listener.
// It is the zero netip.Addr when not listening, which is also socket.Any:
// ask IsListening to tell the two apart.
func (s *TCPServer) ServerAddress() netip.Addr { return s.l.Addr().Addr() }

// ServerPort returns the port the server listens on, 0 when not listening
// (QTcpServer::serverPort).
func (s *TCPServer) ServerPort() uint16 { return s.l.Addr().Port() }

// SetListenBacklogSize sets the listen(2) backlog for the next Listen
// (QTcpServer::setListenBacklogSize, Qt 6.3). The default is 50.
func (s *TCPServer) SetListenBacklogSize(n int) { s.l.SetBacklog(n) }

// ListenBacklogSize returns the listen(2) backlog
// (QTcpServer::listenBacklogSize).
func (s *TCPServer) ListenBacklogSize() int { return s.l.Backlog() }

// SetMaxPendingConnections sets how many accepted connections may wait
// for NextPendingConnection (QTcpServer::setMaxPendingConnections; the
// default is 30). At the limit the server stops accepting: clients still
// connect, into the kernel's backlog, and are accepted as queued ones are
// taken. Connections being set up on another loop count too.
func (s *TCPServer) SetMaxPendingConnections(n int) { s.l.SetMaxPending(n) }

// MaxPendingConnections returns the pending limit
// (QTcpServer::maxPendingConnections).
func (s *TCPServer) MaxPendingConnections() int { return s.l.MaxPending() }

// PauseAccepting stops accepting (QTcpServer::pauseAccepting): clients
// still connect, into the kernel's backlog, but nothing is queued until
// ResumeAccepting, or until NextPendingConnection takes a connection (which
// turns accepting back on, as in Qt). WaitForNewConnection still accepts,
// as in Qt.
func (s *TCPServer) PauseAccepting() { s.l.Pause() }

// ResumeAccepting undoes PauseAccepting (QTcpServer::resumeAccepting).
// It does not end a back-off after an out-of-descriptors error early.
func (s *TCPServer) ResumeAccepting() { s.l.Resume() }

// ServerError returns the code of the last error
// (QTcpServer::serverError); UnknownSocketError when there was none.
func (s *TCPServer) ServerError() socket.SocketError { return s.l.Err() }

// ErrorString returns a description of the last error
// (QTcpServer::errorString); "" when there was none.
func (s *TCPServer) ErrorString() string { return s.l.ErrString() }

// SocketDescriptor returns the listening descriptor, -1 when not
// listening (QTcpServer::socketDescriptor).
func (s *TCPServer) SocketDescriptor() int { return s.l.FD() }

// SetSocketDescriptor makes the server listen on fd, a socket that is
// already listening, for example one inherited from systemd
// (QTcpServer::setSocketDescriptor). The server owns fd on success; on
// failure it is still the caller's. A descriptor that is not a listening
// stream socket is refused.
func (s *TCPServer) SetSocketDescriptor(fd int) error { return s.l.Adopt(fd) }
