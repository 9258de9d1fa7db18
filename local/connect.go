package local

import (
	"errors"
	"time"

	"golang.org/x/sys/unix"

	"github.com/qsock/qsock/engine"
	"github.com/qsock/qsock/socket"
)

// retryInterval is how often a connect that found the server's backlog
// full tries again.
const retryInterval = 10 * time.Millisecond

// pendingConnect is a connect(2) that got EAGAIN: the server's listen
// queue is full. Qt retries on a write notifier and gives up, silently,
// after 100 ms; qsock retries until the socket's connect timeout and then
// fails with SocketTimeoutError.
type pendingConnect struct {
	eng        *engine.NativeEngine
	addr       address
	deadline   time.Time
	timer      *engine.Timer
	closeAfter bool // DisconnectFromServer was called meanwhile
	mode       socket.OpenMode
}

// ConnectToServer connects to the server called name, or to ServerName()
// when name is "" (QLocalSocket::connectToServer). A name that does not
// start with '/' is looked for in os.TempDir() (Qt's QDir::tempPath(), so
// TMPDIR moves it); with AbstractNamespaceOption it is an abstract
// address.
//
// As Qt on Unix, the connect is over when it returns: StateChanged
// (Connecting), StateChanged(Connected) and Connected on success; on
// failure StateChanged(Connecting), ErrorOccurred with the error, then
// StateChanged(Unconnected) — the error comes before Unconnected, unlike
// a TCP socket. A missing file (or an empty or over-long name) is
// ServerNotFoundError, a file nobody listens on ConnectionRefusedError, a
// file the process may not open SocketAccessError. Only a server whose
// backlog is full leaves the socket Connecting: it is retried every 10 ms
// until ConnectTimeout (WaitForConnected waits for it).
//
// Called while connecting, connected or closing, it sets OperationError,
// emits ErrorOccurred and changes nothing.
func (s *Socket) ConnectToServer(name string) { s.ConnectToServerMode(name, socket.ReadWrite) }

// ConnectToServerMode is ConnectToServer opening the socket in mode
// (QLocalSocket::connectToServer's OpenMode argument): ReadOnly or
// WriteOnly make the other direction's calls fail as on a device not
// open for them. A mode without either is ReadWrite.
func (s *Socket) ConnectToServerMode(name string, mode socket.OpenMode) {
	switch s.State() {
	case socket.ConnectingState, socket.ConnectedState, socket.ClosingState:
		// Qt's text, typo included ("connectToserver").
		s.emitError(OperationError, errorText("QLocalSocket::connectToserver", OperationError, 0))
		return
	}
	if name != "" {
		s.serverName = name
	}
	name = s.serverName
	s.SetSocketState(socket.ConnectingState)
	if s.State() != socket.ConnectingState {
		return // a slot changed course
	}
	abstract := s.options&AbstractNamespaceOption != 0
	if abstract && !abstractSupported {
		s.fail(UnsupportedSocketOperationError, 0, nil)
		return
	}
	a, ok := resolveName(name, abstract)
	if name == "" || !ok {
		s.fail(ServerNotFoundError, 0, nil)
		return
	}
	eng, err := engine.NewNativeEngine(unix.AF_UNIX, unix.SOCK_STREAM)
	if err != nil {
		s.fail(UnsupportedSocketOperationError, int(errnoOf(err)), err)
		return
	}
	if mode&socket.ReadWrite == 0 {
		mode |= socket.ReadWrite
	}
	s.pending = &pendingConnect{eng: eng, addr: a, deadline: time.Now().Add(s.ConnectTimeout()), mode: mode}
	s.tryConnect()
}

// tryConnect is Qt's _q_connectToSocket.
func (s *Socket) tryConnect() {
	p := s.pending
	err := p.eng.ConnectPath(p.addr.sockaddr)
	if err == nil {
		s.connected(p)
		return
	}
	errno := errnoOf(err)
	var code socket.SocketError
	switch errno {
	case unix.EAGAIN, unix.EINPROGRESS, unix.EALREADY:
		s.retryLater(p)
		return
	case unix.EINVAL, unix.ECONNREFUSED:
		code = ConnectionRefusedError
	case unix.ENOENT:
		code = ServerNotFoundError
	case unix.EACCES, unix.EPERM:
		code = SocketAccessError
	case unix.ETIMEDOUT:
		code = SocketTimeoutError
	default:
		code = UnknownSocketError
	}
	s.fail(code, int(errno), err)
}

// retryLater waits for room in the server's backlog: a loop timer, or, in
// blocking style, WaitForConnected.
func (s *Socket) retryLater(p *pendingConnect) {
	if !time.Now().Before(p.deadline) {
		s.fail(SocketTimeoutError, int(unix.ETIMEDOUT), unix.ETIMEDOUT)
		return
	}
	if loop := s.Loop(); loop != nil {
		p.timer = loop.AfterFunc(retryInterval, func() {
			if s.pending == p {
				p.timer = nil
				s.tryConnect()
			}
		})
	}
}

// connected hands the connected descriptor to the AbstractSocket and
// emits Connected, after StateChanged(Connected), as Qt does.
func (s *Socket) connected(p *pendingConnect) {
	s.pending = nil
	s.fullName = p.addr.full
	// SetSocketDescriptor starts the connection clean (buffers, close
	// flags) and emits StateChanged(Connected); the engine used to
	// connect is only dropped, since the socket now owns its descriptor.
	if err := s.AbstractSocket.SetSocketDescriptor(p.eng.FD(), socket.ConnectedState); err != nil {
		if errors.Is(err, socket.UnsupportedSocketOperationError) {
			p.eng.Close() // not adopted: still ours
		}
		s.fail(UnknownSocketError, int(errnoOf(err)), err)
		return
	}
	if s.State() != socket.ConnectedState {
		return
	}
	s.SetOpenMode(p.mode)
	s.Connected.Emit()
	if p.closeAfter && s.State() == socket.ConnectedState {
		s.DisconnectFromServer()
	}
}

// fail is QLocalSocketPrivate::setErrorAndEmit during a connect:
// ErrorOccurred while still Connecting, then StateChanged(Unconnected).
func (s *Socket) fail(code socket.SocketError, errno int, cause error) {
	s.cancelPending()
	s.FailConnection(code, errorText(fnConnect, code, errno), cause)
}

// cancelPending abandons a connect that is waiting for the server.
func (s *Socket) cancelPending() {
	p := s.pending
	if p == nil {
		return
	}
	s.pending = nil
	if p.timer != nil {
		p.timer.Stop()
	}
	p.eng.Close()
}

func errnoOf(err error) unix.Errno {
	var errno unix.Errno
	if errors.As(err, &errno) {
		return errno
	}
	return 0
}

// Open connects to ServerName() in mode and reports whether the socket is
// open afterwards (QLocalSocket::open: connectToServer(mode), then
// isOpen()).
func (s *Socket) Open(mode socket.OpenMode) bool {
	s.ConnectToServerMode("", mode)
	return s.IsOpen()
}
