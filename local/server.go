package local

import (
	"github.com/qsock/qsock/engine"
	"github.com/qsock/qsock/internal/accept"
	"github.com/qsock/qsock/socket"
)

// Server is a Unix-domain stream server: Qt's QLocalServer. It belongs to
// one loop, like every qsock object: call its methods on that loop's
// goroutine, or, with a nil loop, from the one goroutine driving
// WaitForNewConnection.
//
// The accept machinery (pending queue and limit, back-off when out of
// descriptors, hand-off to a LoopGroup) is the one server.TCPServer uses.
// Unlike Qt, the server is not the sockets' parent: a socket taken with
// NextPendingConnection lives until its own Close or Abort, and Close on
// the server releases only the ones nobody took.
type Server struct {
	// NewConnection is QLocalServer::newConnection(): emitted once per
	// accepted connection, after it was queued for NextPendingConnection.
	NewConnection socket.Signal
	// AcceptError reports a failed accept, such as SocketResourceError
	// when the process is out of descriptors; the server backs off and
	// resumes by itself. Beyond Qt, whose QLocalServer closes itself on
	// such an error.
	AcceptError socket.Signal1[socket.SocketError]

	l        *accept.Listener[*Socket]
	loop     *engine.Loop
	options  SocketOptions
	name     string
	full     string
	abstract bool
	file     *fileID // the socket file Listen made, removed by Close

	incoming func(fd int)
	group    *engine.LoopGroup
	handler  func(*Socket)
	deferNew bool                                    // the socket is being made on another loop
	batches  map[*engine.Loop]*accept.Batch[*Socket] // hand-offs to a group's loops
}

// NewServer creates a server on loop (QLocalServer's constructor). With a
// nil loop the server is used in blocking style, through
// WaitForNewConnection.
func NewServer(loop *engine.Loop) *Server {
	s := &Server{loop: loop}
	s.l = accept.New(loop, accept.Hooks[*Socket]{
		Incoming:    s.incomingConnection,
		Accepted:    s.accepted,
		AcceptError: s.AcceptError.Emit,
		Drop:        s.drop,
	})
	// QLocalServer::waitForNewConnection accepts one connection per call.
	s.l.SetWaitLimit(1)
	s.l.SetErr(socket.UnknownSocketError, "")
	return s
}

// Loop returns the loop the server belongs to (nil: blocking style).
func (s *Server) Loop() *engine.Loop { return s.loop }

// IsListening reports whether the server is listening
// (QLocalServer::isListening).
func (s *Server) IsListening() bool { return s.l.IsListening() }

// ServerName returns the name given to Listen (QLocalServer::serverName),
// "" when not listening.
func (s *Server) ServerName() string { return s.name }

// FullServerName returns the path of the socket file
// (QLocalServer::fullServerName), or the bare name with
// AbstractNamespaceOption; "" when not listening.
func (s *Server) FullServerName() string { return s.full }

// SetSocketOptions sets the options for the next Listen
// (QLocalServer::setSocketOptions): the access options set the socket
// file's mode, AbstractNamespaceOption listens in Linux's abstract
// namespace.
func (s *Server) SetSocketOptions(o SocketOptions) { s.options = o }

// SocketOptions returns the options (QLocalServer::socketOptions).
func (s *Server) SocketOptions() SocketOptions { return s.options }

// SetListenBacklogSize sets the listen(2) backlog for the next Listen
// (QLocalServer::setListenBacklogSize, Qt 6.3). The default is 50.
func (s *Server) SetListenBacklogSize(n int) { s.l.SetBacklog(n) }

// ListenBacklogSize returns the listen(2) backlog
// (QLocalServer::listenBacklogSize).
func (s *Server) ListenBacklogSize() int { return s.l.Backlog() }

// SetMaxPendingConnections sets how many accepted connections may wait
// for NextPendingConnection (QLocalServer::setMaxPendingConnections; the
// default is 30). At the limit the server stops accepting: clients wait
// in the kernel's backlog, and once that is full their ConnectToServer
// stays Connecting until there is room.
func (s *Server) SetMaxPendingConnections(n int) { s.l.SetMaxPending(n) }

// MaxPendingConnections returns the pending limit
// (QLocalServer::maxPendingConnections).
func (s *Server) MaxPendingConnections() int { return s.l.MaxPending() }

// ServerError returns the code of the last error
// (QLocalServer::serverError); UnknownSocketError when there was none.
// The codes are QAbstractSocket's, as in Qt: a bad name is
// HostNotFoundError, a stale socket file AddressInUseError.
func (s *Server) ServerError() socket.SocketError { return s.l.Err() }

// ErrorString returns a description of the last error
// (QLocalServer::errorString), such as "QLocalServer::listen: Address in
// use"; "" when there was none.
func (s *Server) ErrorString() string { return s.l.ErrString() }

// SocketDescriptor returns the listening descriptor, -1 when not
// listening (QLocalServer::socketDescriptor).
func (s *Server) SocketDescriptor() int { return s.l.FD() }
