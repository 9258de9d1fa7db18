package local

import (
	"errors"
	"net/netip"

	"github.com/qsock/qsock/engine"
	"github.com/qsock/qsock/socket"
)

// Socket is a Unix-domain stream socket: Qt's QLocalSocket. Its methods
// and signals are those of the embedded socket.AbstractSocket, plus the
// QLocalSocket ones below; DisconnectFromServer is DisconnectFromHost
// under Qt's name.
//
// Like every qsock object it belongs to its loop (nil: blocking style).
// The host-and-port calls of AbstractSocket (ConnectToHost, Bind) make no
// sense here and fail with OperationError.
type Socket struct {
	*socket.AbstractSocket

	serverName string
	fullName   string
	options    SocketOptions
	pending    *pendingConnect // a connect waiting for room in the server's backlog
}

// NewSocket creates an unconnected local socket on loop (QLocalSocket's
// constructor). With a nil loop it is used in blocking style:
// ConnectToServer, then WaitForReadyRead and so on, from one goroutine at
// a time.
func NewSocket(loop *engine.Loop) *Socket {
	s := &Socket{}
	s.AbstractSocket = socket.NewAbstractSocketKind(socket.Kind{
		Type:                   socket.UnknownSocketType,
		ErrorBeforeUnconnected: true,
		ErrorText:              kindErrorText,
		QuietUnconnectedWrite:  true,
	}, loop)
	// Connected first, so the names are gone before any user slot sees
	// StateChanged(Unconnected), as in Qt.
	s.StateChanged.Connect(s.stateChanged)
	return s
}

// stateChanged is QLocalSocketPrivate::_q_stateChanged plus close():
// whatever ends in Unconnected (a disconnect, an abort, a failed connect)
// clears the names and drops a connect still waiting.
func (s *Socket) stateChanged(st socket.State) {
	if st != socket.UnconnectedState {
		return
	}
	s.serverName, s.fullName = "", ""
	s.cancelPending()
}

// SetServerName sets the name ConnectToServer("") connects to
// (QLocalSocket::setServerName). Qt ignores it, with a warning, unless
// the socket is Unconnected; so does this.
func (s *Socket) SetServerName(name string) {
	if s.State() != socket.UnconnectedState {
		return
	}
	s.serverName = name
}

// ServerName returns the name given to SetServerName or ConnectToServer
// (QLocalSocket::serverName); a socket made by a Server reports the last
// element of the server's path. It is cleared when the socket becomes
// Unconnected, as in Qt.
func (s *Socket) ServerName() string { return s.serverName }

// FullServerName returns the path the socket is connected to
// (QLocalSocket::fullServerName): the resolved path of the name, or the
// bare name with AbstractNamespaceOption. It is "" until connected and
// cleared again when the socket becomes Unconnected.
func (s *Socket) FullServerName() string { return s.fullName }

// SetSocketOptions sets the options for the next ConnectToServer
// (QLocalSocket::setSocketOptions, Qt 6.2); only AbstractNamespaceOption
// matters to a socket. Qt ignores it unless the socket is Unconnected; so
// does this.
func (s *Socket) SetSocketOptions(o SocketOptions) {
	if s.State() != socket.UnconnectedState {
		return
	}
	s.options = o
}

// SocketOptions returns the options (QLocalSocket::socketOptions).
func (s *Socket) SocketOptions() SocketOptions { return s.options }

// DisconnectFromServer closes the connection gracefully
// (QLocalSocket::disconnectFromServer): Closing, every queued byte is
// written, then Unconnected, ReadChannelFinished and Disconnected.
func (s *Socket) DisconnectFromServer() { s.DisconnectFromHost() }

// DisconnectFromHost is DisconnectFromServer; while a connect waits for
// room in the server's backlog it marks the close as pending.
func (s *Socket) DisconnectFromHost() {
	if s.pending != nil {
		s.pending.closeAfter = true
		return
	}
	s.AbstractSocket.DisconnectFromHost()
}

// Close closes the socket (QLocalSocket::close): AboutToClose, then a
// graceful disconnect. A connect still waiting is abandoned, as Qt's close
// does, and the names are cleared at once, even while pending writes keep
// the socket Closing.
func (s *Socket) Close() {
	if s.pending != nil {
		s.Abort()
	} else {
		s.AbstractSocket.Close()
	}
	s.serverName, s.fullName = "", ""
}

// SetSocketDescriptor adopts fd, a connected Unix-domain socket, in state
// st (QLocalSocket::setSocketDescriptor; normally ConnectedState). The
// names are read from the descriptor as Qt 6 does: a socket accepted by a
// server reports the server's path. StateChanged is emitted, Connected is
// not. On success the socket owns fd; on failure fd is still the
// caller's.
func (s *Socket) SetSocketDescriptor(fd int, st socket.State) error {
	full, name, abstract := describeFD(fd)
	return s.adopt(fd, st, full, name, abstract)
}

// adopt is SetSocketDescriptor with the names already known.
func (s *Socket) adopt(fd int, st socket.State, full, name string, abstract bool) error {
	s.cancelPending()
	oldName, oldFull, oldOpts := s.serverName, s.fullName, s.options
	s.serverName, s.fullName = name, full
	if abstract {
		s.options |= AbstractNamespaceOption
	} else {
		s.options &^= AbstractNamespaceOption
	}
	if err := s.AbstractSocket.SetSocketDescriptor(fd, st); err != nil {
		s.serverName, s.fullName, s.options = oldName, oldFull, oldOpts
		return err
	}
	return nil
}

// describeFD is Qt 6's describeSocket: the peer's path, or for a socket
// accepted by a server (whose peer has no name) its own.
func describeFD(fd int) (full, name string, abstract bool) {
	e, err := engine.AdoptNativeEngine(fd)
	if err != nil {
		return "", "", false
	}
	// e is only a view of fd for the two queries; the socket adopts fd
	// itself, so e is dropped without Close.
	path, err := e.PeerPath()
	if err != nil || path == "" {
		if path, err = e.LocalPath(); err != nil {
			return "", "", false
		}
	}
	return describeSockaddr(path)
}

var errNotHost = errors.New("a local socket connects with ConnectToServer")

// ConnectToHost is not a QLocalSocket operation: it sets OperationError
// and emits ErrorOccurred.
func (s *Socket) ConnectToHost(host string, port uint16) { s.notHost() }

// ConnectToAddress is not a QLocalSocket operation; see ConnectToHost.
func (s *Socket) ConnectToAddress(addr netip.Addr, port uint16) { s.notHost() }

// ConnectToHostMode is not a QLocalSocket operation; see ConnectToHost.
func (s *Socket) ConnectToHostMode(host string, port uint16, mode socket.OpenMode, proto socket.NetworkLayerProtocol) {
	s.notHost()
}

// Bind is not a QLocalSocket operation: it returns an OperationError.
func (s *Socket) Bind(addr netip.Addr, port uint16, mode socket.BindMode) error {
	s.notHost()
	return &socket.Error{Code: OperationError, Op: "bind", Err: errNotHost}
}

func (s *Socket) notHost() {
	s.emitError(OperationError, errorText(fnSocket, OperationError, 0))
}

// emitError sets the error and emits ErrorOccurred without changing the
// state (Qt's setErrorString + emit errorOccurred).
func (s *Socket) emitError(code socket.SocketError, text string) {
	s.SetSocketError(code, text)
	s.ErrorOccurred.Emit(code)
}
