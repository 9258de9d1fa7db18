package accept

import (
	"errors"

	"github.com/qsock/qsock/socket"
	"golang.org/x/sys/unix"
)

// Code maps a listen or accept failure to Qt's SocketError and
// errorString, as QNativeSocketEngine does for the errnos bind, listen and
// accept return.
func Code(err error) (socket.SocketError, string) {
	return socket.ErrorCode(err)
}

// resourceErr reports an accept failure that means the process or the
// system is out of something: back off and try again later.
func resourceErr(err error) bool {
	var errno unix.Errno
	if !errors.As(err, &errno) {
		return false
	}
	switch errno {
	case unix.EMFILE, unix.ENFILE, unix.ENOBUFS, unix.ENOMEM:
		return true
	}
	return false
}

// connErr reports an accept failure that belongs to the connection being
// accepted, not to the listener: Linux's accept(2) passes on pending
// network errors of the new connection and asks callers to treat them
// like EAGAIN, and EPERM is a firewall refusing that one connection. The
// next accept is tried at once (ECONNABORTED the engine skips itself).
func connErr(err error) bool {
	var errno unix.Errno
	if !errors.As(err, &errno) {
		return false
	}
	switch errno {
	case unix.ENETDOWN, unix.EPROTO, unix.ENOPROTOOPT, unix.EHOSTDOWN, unix.EHOSTUNREACH,
		unix.EOPNOTSUPP, unix.ENETUNREACH, unix.EPERM, unix.ECONNABORTED, unix.ETIMEDOUT:
		return true
	}
	return false
}
