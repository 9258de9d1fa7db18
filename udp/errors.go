package udp

import (
	"errors"
	"fmt"

	"golang.org/x/sys/unix"

	"github.com/qsock/qsock/socket"
)

// errNotBound is the cause of calls that need a bound or connected socket
// (Qt's QT_CHECK_BOUND warning "called on a QUdpSocket when not in
// QUdpSocket::BoundState").
var errNotBound = errors.New("socket is not bound")

// errNoPeer is the cause of Write on a socket that is not connected.
var errNoPeer = errors.New("socket is not connected to a peer")

// notBound is the error returned by calls that need a bound socket. Qt
// only prints a warning there; qsock returns OperationError, without
// ErrorOccurred, so the socket's error is left alone.
func notBound(op string, st socket.State) error {
	return &socket.Error{Code: socket.OperationError, Op: op, Err: fmt.Errorf("%w (%v)", errNotBound, st)}
}

// fail records err as the socket's error, emits ErrorOccurred and returns
// the *socket.Error to hand back (Qt's setErrorAndEmit).
func (s *Socket) fail(op string, code socket.SocketError, msg string, cause error) error {
	s.SetSocketError(code, msg)
	s.ErrorOccurred.Emit(code)
	return &socket.Error{Code: code, Op: op, Err: cause}
}

// failErr is fail with the code and text derived from an engine error, as
// QNativeSocketEngine derives them from errno for datagram calls.
func (s *Socket) failErr(op string, err error) error {
	code, msg := codeOf(err)
	return s.fail(op, code, msg, err)
}

// sendCodeOf maps a failed writeDatagram's error as
// QNativeSocketEnginePrivate::nativeSendDatagram does: a datagram too
// large, a reset, and otherwise NetworkError "Unable to send a message",
// whatever the errno (a refused port's ICMP, an invalid destination, an
// unreachable network alike).
func sendCodeOf(err error) (socket.SocketError, string) {
	var se socket.SocketError
	if errors.As(err, &se) {
		return se, se.Error()
	}
	var errno unix.Errno
	switch {
	case !errors.As(err, &errno):
		return codeOf(err)
	case errno == unix.EMSGSIZE:
		return socket.DatagramTooLargeError, "Datagram was too large to send"
	case errno == unix.ECONNRESET:
		return socket.RemoteHostClosedError, "The remote host closed the connection"
	}
	return socket.NetworkError, "Unable to send a message"
}

// codeOf maps the errors a datagram call can meet to Qt's codes and texts
// (QNativeSocketEnginePrivate::nativeSendDatagram / nativeReceiveDatagram).
func codeOf(err error) (socket.SocketError, string) {
	var se socket.SocketError
	if errors.As(err, &se) {
		return se, se.Error()
	}
	var errno unix.Errno
	if !errors.As(err, &errno) {
		return socket.UnknownSocketError, err.Error()
	}
	switch errno {
	case unix.EAGAIN:
		return socket.TemporaryError, "Unable to send a datagram"
	case unix.EMSGSIZE:
		return socket.DatagramTooLargeError, "Datagram was too large to send"
	case unix.ECONNREFUSED:
		return socket.ConnectionRefusedError, "Connection refused"
	case unix.ENETUNREACH:
		return socket.NetworkError, "Network unreachable"
	case unix.EHOSTUNREACH:
		return socket.NetworkError, "Host unreachable"
	case unix.ENETDOWN, unix.EHOSTDOWN:
		return socket.NetworkError, "Network error"
	case unix.EACCES, unix.EPERM:
		return socket.SocketAccessError, "Permission denied"
	case unix.ENOBUFS, unix.ENOMEM:
		return socket.SocketResourceError, "Out of resources"
	case unix.EADDRINUSE:
		return socket.AddressInUseError, "The bound address is already in use"
	case unix.EADDRNOTAVAIL:
		return socket.SocketAddressNotAvailableError, "The address is not available"
	case unix.EAFNOSUPPORT, unix.EINVAL, unix.ENOPROTOOPT, unix.EOPNOTSUPP, unix.EPROTONOSUPPORT:
		return socket.UnsupportedSocketOperationError, "Unsupported socket operation"
	case unix.EBADF, unix.ENOTSOCK:
		return socket.UnsupportedSocketOperationError, "Invalid socket descriptor"
	case unix.ENOTCONN, unix.EDESTADDRREQ:
		return socket.OperationError, "Operation on non-connected socket"
	case unix.ENODEV, unix.ENXIO:
		return socket.UnsupportedSocketOperationError, "No such device"
	}
	return socket.UnknownSocketError, errno.Error()
}
