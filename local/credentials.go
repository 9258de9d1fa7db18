package local

import (
	"errors"

	"github.com/qsock/qsock/socket"
)

// Credentials identify the process at the other end of a local connection,
// as the kernel recorded them when the connection was made. Beyond Qt.
type Credentials struct {
	PID int // process id; -1 where the system does not report it
	UID int // effective user id
	GID int // effective group id
}

// credentialer is what a transport offers when it can read the peer's
// credentials: engine.NativeEngine on Linux, darwin and the BSDs.
type credentialer interface {
	PeerCredentials() (pid, uid, gid int, err error)
}

var errNoCredentials = errors.New("peer credentials are not available on this transport")

// PeerCredentials returns the peer's process, user and group (Linux
// SO_PEERCRED; getpeereid/LOCAL_PEERCRED on darwin and the BSDs). It is
// beyond Qt, and what a daemon needs to decide whom it serves: compare UID
// with os.Getuid() before trusting a client. It fails with OperationError
// when the socket has no connection.
func (s *Socket) PeerCredentials() (Credentials, error) {
	t := s.Transport()
	if t == nil {
		return Credentials{-1, -1, -1}, &socket.Error{Code: OperationError, Op: "peercred", Err: socket.ErrNotOpen}
	}
	c, ok := t.(credentialer)
	if !ok {
		return Credentials{-1, -1, -1}, &socket.Error{Code: UnsupportedSocketOperationError, Op: "peercred", Err: errNoCredentials}
	}
	pid, uid, gid, err := c.PeerCredentials()
	if err != nil {
		return Credentials{-1, -1, -1}, &socket.Error{Code: UnsupportedSocketOperationError, Op: "peercred", Err: err}
	}
	return Credentials{PID: pid, UID: uid, GID: gid}, nil
}
