package socket

import (
	"context"
	"errors"
	"net"

	"golang.org/x/sys/unix"

	"github.com/qsock/qsock/engine"
)

// ErrorCode maps an error from the engine, a transport or the resolver to
// Qt's SocketError and error string, as QNativeSocketEngine does for each
// errno (servers and socket classes share this one mapping).
func ErrorCode(err error) (SocketError, string) { return codeOf(err) }

// codeOf maps a transport error to Qt's SocketError and error string, as
// QNativeSocketEngine does for each errno. The errno stays in the error
// chain of LastError and of returned errors.
func codeOf(err error) (SocketError, string) {
	var pe *proxyError
	if errors.As(err, &pe) {
		return pe.code, pe.text // a proxy engine's own wording
	}
	var se SocketError
	if errors.As(err, &se) {
		return se, se.Error()
	}
	var errno unix.Errno
	if !errors.As(err, &errno) {
		var dnsErr *net.DNSError
		switch {
		case errors.As(err, &dnsErr):
			return HostNotFoundError, HostNotFoundError.Error()
		case errors.Is(err, context.DeadlineExceeded):
			return SocketTimeoutError, SocketTimeoutError.Error()
		}
		return UnknownSocketError, err.Error()
	}
	switch errno {
	case unix.ECONNREFUSED:
		return ConnectionRefusedError, "Connection refused"
	case unix.ECONNRESET, unix.EPIPE, unix.ENOTCONN:
		return RemoteHostClosedError, "The remote host closed the connection"
	case unix.ETIMEDOUT:
		return SocketTimeoutError, "Connection timed out"
	case unix.ENETUNREACH:
		return NetworkError, "Network unreachable"
	case unix.EHOSTUNREACH:
		return NetworkError, "Host unreachable"
	case unix.ENETDOWN, unix.EHOSTDOWN:
		return NetworkError, "Network error"
	case unix.EACCES, unix.EPERM:
		return SocketAccessError, "Permission denied"
	case unix.EMFILE, unix.ENFILE, unix.ENOBUFS, unix.ENOMEM:
		return SocketResourceError, "Out of resources"
	case unix.EADDRINUSE:
		return AddressInUseError, "The bound address is already in use"
	case unix.EADDRNOTAVAIL:
		return SocketAddressNotAvailableError, "The address is not available"
	case unix.EAFNOSUPPORT, unix.EPROTONOSUPPORT, unix.EPROTOTYPE, unix.EOPNOTSUPP, unix.ENOPROTOOPT, unix.ESOCKTNOSUPPORT:
		return UnsupportedSocketOperationError, "Unsupported socket operation"
	case unix.EBADF, unix.ENOTSOCK:
		return UnsupportedSocketOperationError, "Invalid socket descriptor"
	case unix.EAGAIN:
		return TemporaryError, "Temporary error"
	case unix.EMSGSIZE:
		return DatagramTooLargeError, "Datagram was too large to send"
	case unix.EINVAL:
		return UnsupportedSocketOperationError, "Unsupported socket operation"
	}
	return UnknownSocketError, errno.Error()
}

// wrapErr turns an engine or resolver error into an *Error for return
// values: errors.Is matches both the SocketError and the errno.
func wrapErr(op string, err error) *Error {
	code, _ := codeOf(err)
	var oe *engine.OpError
	if errors.As(err, &oe) {
		op = "" // the engine's error already names the call
	}
	return &Error{Code: code, Op: op, Err: err}
}
