package local

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"

	"github.com/qsock/qsock/engine"
	"github.com/qsock/qsock/socket"
)

const fnListen = "QLocalServer::listen"

var (
	errAlreadyListening = errors.New("already listening")
	errNotSocket        = errors.New("not a socket file")
)

// fileID identifies the socket file a server made, so that Close removes
// that file and not one another server put in its place.
type fileID struct {
	path     string
	dev, ino uint64
}

// Listen starts listening on name (QLocalServer::listen). A name that does
// not start with '/' is a file in os.TempDir() (Qt's QDir::tempPath(), so
// TMPDIR moves it); with AbstractNamespaceOption it is an abstract address
// and no file is made (Linux only).
//
// An existing file of that name, such as one left behind by a server that
// was killed, makes Listen fail with AddressInUseError ("QLocalServer::
// listen: Address in use"): call RemoveServer first, as in Qt. An empty or
// over-long name is HostNotFoundError ("Name error"), a directory the
// process may not write SocketAccessError.
//
// With access options (UserAccessOption and so on) the socket is made in
// a new private directory next to the file, given exactly the mode asked
// for (umask aside), and only then linked into place, as Qt does; unlike
// Qt's rename, the link never replaces an existing file.
//
// Listening twice is an OperationError that leaves ServerError alone (Qt
// warns and returns false). Any other failure sets ServerError and
// ErrorString and returns a *socket.Error matching the code and, where
// there is one, the errno.
func (s *Server) Listen(name string) error {
	if s.l.IsListening() {
		return &socket.Error{Code: socket.OperationError, Op: "listen", Err: errAlreadyListening}
	}
	abstract := s.options&AbstractNamespaceOption != 0
	if abstract && !abstractSupported {
		return s.listenErr(socket.UnsupportedSocketOperationError, fnListen+": The socket operation is not supported", unix.EAFNOSUPPORT)
	}
	a, ok := resolveName(name, abstract)
	if name == "" || !ok {
		return s.listenErr(socket.HostNotFoundError, fnListen+": Name error", unix.ENAMETOOLONG)
	}
	eng, err := engine.NewNativeEngine(unix.AF_UNIX, unix.SOCK_STREAM)
	if err != nil {
		return s.listenFailed(err)
	}
	var file *fileID
	if access := s.options & WorldAccessOption; access != 0 && !abstract {
		file, err = s.listenWithMode(eng, a.full, access.fileMode())
	} else {
		file, err = s.listenAt(eng, a)
	}
	if err != nil {
		return err
	}
	s.name, s.full, s.abstract, s.file = name, a.full, abstract, file
	return nil
}

// listenAt binds eng to a and listens. The engine is released on failure.
func (s *Server) listenAt(eng *engine.NativeEngine, a address) (*fileID, error) {
	if err := eng.BindPath(a.sockaddr); err != nil {
		eng.Close()
		return nil, s.listenFailed(err)
	}
	var file *fileID
	if !a.abstract {
		file = statFile(a.full)
	}
	if err := s.l.Open(eng); err != nil {
		eng.Close()
		if file != nil {
			file.remove()
		}
		return nil, s.listenFailed(err)
	}
	return file, nil
}

// listenWithMode is Qt's way to give the socket file a mode without a
// window where it is more open than asked: bind in a private (0700)
// directory next to the target, listen, chmod, then put it in place.
// link(2) fails with EEXIST where Qt's rename(2) would replace a stale
// file.
func (s *Server) listenWithMode(eng *engine.NativeEngine, full string, mode uint32) (*fileID, error) {
	dir, err := os.MkdirTemp(filepath.Dir(full), ".qsock")
	if err != nil {
		eng.Close()
		return nil, s.listenFailed(err)
	}
	defer os.RemoveAll(dir)
	tmp := dir + "/s"
	if len(tmp)+1 > sunPathLen {
		eng.Close()
		return nil, s.listenErr(socket.HostNotFoundError, fnListen+": Name error", unix.ENAMETOOLONG)
	}
	if _, err := s.listenAt(eng, address{full: tmp, sockaddr: tmp}); err != nil {
		return nil, err
	}
	fail := func(err error) (*fileID, error) {
		s.l.Close()
		return nil, s.listenFailed(err)
	}
	if err := unix.Chmod(tmp, mode); err != nil {
		return fail(err)
	}
	if err := unix.Link(tmp, full); err != nil {
		if errors.Is(err, unix.EEXIST) {
			err = unix.EADDRINUSE
		}
		return fail(err)
	}
	return statFile(full), nil
}

// listenFailed records err as Qt's QLocalServerPrivate::setError does.
func (s *Server) listenFailed(err error) error {
	errno := errnoOf(err)
	switch errno {
	case unix.EACCES, unix.EPERM:
		return s.listenErr(socket.SocketAccessError, fnListen+": Permission denied", err)
	case unix.ELOOP, unix.ENOENT, unix.ENAMETOOLONG, unix.EROFS, unix.ENOTDIR:
		return s.listenErr(socket.HostNotFoundError, fnListen+": Name error", err)
	case unix.EADDRINUSE:
		return s.listenErr(socket.AddressInUseError, fnListen+": Address in use", err)
	case unix.EMFILE, unix.ENFILE, unix.ENOBUFS, unix.ENOMEM:
		return s.listenErr(socket.SocketResourceError, fnListen+": Socket resource error", err)
	}
	var se *socket.Error
	if errors.As(err, &se) && se.Code == socket.OperationError {
		return err
	}
	return s.listenErr(socket.UnknownSocketError, fmt.Sprintf("%s: Unknown error %d", fnListen, int(errno)), err)
}

func (s *Server) listenErr(code socket.SocketError, text string, cause error) error {
	s.l.SetErr(code, text)
	return &socket.Error{Code: code, Op: "listen", Err: cause}
}

// ListenDescriptor makes the server listen on fd, a Unix-domain stream
// socket that is already listening, for example one inherited from
// systemd (QLocalServer::listen(qintptr socketDescriptor)). The names are
// read from the socket. The server owns fd on success; on failure it is
// still the caller's. Close does not remove a file the server did not
// make.
func (s *Server) ListenDescriptor(fd int) error {
	if s.l.IsListening() {
		return &socket.Error{Code: socket.OperationError, Op: "listen", Err: errAlreadyListening}
	}
	sa, err := unix.Getsockname(fd)
	if err != nil {
		return s.listenFailed(err)
	}
	u, ok := sa.(*unix.SockaddrUnix)
	if !ok {
		return s.listenErr(socket.UnsupportedSocketOperationError, fnListen+": The socket operation is not supported", unix.EAFNOSUPPORT)
	}
	if err := s.l.Adopt(fd); err != nil {
		return err
	}
	full, name, abstract := describeSockaddr(u.Name)
	s.name, s.full, s.abstract, s.file = name, full, abstract, nil
	if abstract {
		s.options |= AbstractNamespaceOption
	}
	return nil
}

// Close stops listening (QLocalServer::close): the listening descriptor
// is closed, the connections nobody took are aborted, and the socket file
// Listen made is removed — only if it is still that file. The names and
// the error are cleared, as in Qt. Sockets already taken are not
// affected. Close is idempotent; Listen may be called again.
func (s *Server) Close() {
	if !s.l.IsListening() {
		return
	}
	s.l.Close()
	if s.file != nil {
		s.file.remove()
	}
	s.name, s.full, s.abstract, s.file = "", "", false, nil
	s.l.SetErr(socket.UnknownSocketError, "")
}

// RemoveServer removes the socket file a server called name left behind
// (QLocalServer::removeServer), resolving name as Listen does. A missing
// file is no error. Beyond Qt, it refuses to remove a file that is not a
// socket.
func RemoveServer(name string) error {
	if name == "" {
		return &os.PathError{Op: "remove", Path: name, Err: unix.ENOENT}
	}
	a, _ := resolveName(name, false)
	fi, err := os.Lstat(a.full)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if fi.Mode()&os.ModeSocket == 0 {
		return &os.PathError{Op: "remove", Path: a.full, Err: errNotSocket}
	}
	return os.Remove(a.full)
}

func statFile(path string) *fileID {
	var st unix.Stat_t
	if err := unix.Lstat(path, &st); err != nil {
		return nil
	}
	return &fileID{path: path, dev: uint64(st.Dev), ino: uint64(st.Ino)}
}

// remove deletes the file if it is still the one recorded.
func (f *fileID) remove() {
	if cur := statFile(f.path); cur != nil && cur.dev == f.dev && cur.ino == f.ino {
		os.Remove(f.path)
	}
}
