package local

import (
	"fmt"
	"strings"

	"github.com/qsock/qsock/socket"
)

// QLocalSocket::LocalSocketError under its Qt names. They are
// socket.SocketError values with the same numbers, as in Qt, so
// errors.Is(err, local.ServerNotFoundError) works on the errors a Socket
// reports.
const (
	ConnectionRefusedError          = socket.ConnectionRefusedError          // QLocalSocket::ConnectionRefusedError: nobody listens on the socket file
	PeerClosedError                 = socket.RemoteHostClosedError           // QLocalSocket::PeerClosedError: the other side closed
	ServerNotFoundError             = socket.HostNotFoundError               // QLocalSocket::ServerNotFoundError: no such name
	SocketAccessError               = socket.SocketAccessError               // QLocalSocket::SocketAccessError: no permission
	SocketResourceError             = socket.SocketResourceError             // QLocalSocket::SocketResourceError: out of descriptors or memory
	SocketTimeoutError              = socket.SocketTimeoutError              // QLocalSocket::SocketTimeoutError
	DatagramTooLargeError           = socket.DatagramTooLargeError           // QLocalSocket::DatagramTooLargeError
	ConnectionError                 = socket.NetworkError                    // QLocalSocket::ConnectionError
	UnsupportedSocketOperationError = socket.UnsupportedSocketOperationError // QLocalSocket::UnsupportedSocketOperationError
	OperationError                  = socket.OperationError                  // QLocalSocket::OperationError: not allowed in this state
	UnknownSocketError              = socket.UnknownSocketError              // QLocalSocket::UnknownSocketError
)

// QLocalSocket::LocalSocketState: the four states a local socket has, with
// Qt's numbers (the same as QAbstractSocket's).
const (
	UnconnectedState = socket.UnconnectedState // QLocalSocket::UnconnectedState
	ConnectingState  = socket.ConnectingState  // QLocalSocket::ConnectingState
	ConnectedState   = socket.ConnectedState   // QLocalSocket::ConnectedState
	ClosingState     = socket.ClosingState     // QLocalSocket::ClosingState
)

// ErrorName returns QLocalSocket's name of e, as QMetaEnum prints a
// LocalSocketError ("PeerClosedError" where socket.SocketError.String
// says "RemoteHostClosedError").
func ErrorName(e socket.SocketError) string {
	switch e {
	case PeerClosedError:
		return "PeerClosedError"
	case ServerNotFoundError:
		return "ServerNotFoundError"
	case ConnectionError:
		return "ConnectionError"
	}
	return e.String()
}

// Qt's QLocalSocket error texts come as "<function>: <what>"; these are
// the functions qsock reports.
const (
	fnConnect = "QLocalSocket::connectToServer"
	fnSocket  = "QLocalSocket" // errors of the connected socket (Qt's _q_errorOccurred)
)

// errorText is QLocalSocketPrivate::generateErrorString's wording for
// code, after function.
func errorText(function string, code socket.SocketError, errno int) string {
	var what string
	switch code {
	case ConnectionRefusedError:
		what = "Connection refused"
	case PeerClosedError:
		what = "Remote closed"
	case ServerNotFoundError:
		what = "Invalid name"
	case SocketAccessError:
		what = "Socket access error"
	case SocketResourceError:
		what = "Socket resource error"
	case SocketTimeoutError:
		what = "Socket operation timed out"
	case DatagramTooLargeError:
		what = "Datagram too large"
	case ConnectionError:
		what = "Connection error"
	case UnsupportedSocketOperationError:
		what = "The socket operation is not supported"
	case OperationError:
		what = "Operation not permitted when socket is in this state"
	default:
		what = fmt.Sprintf("Unknown error %d", errno)
	}
	return function + ": " + what
}

// kindErrorText is the socket.Kind hook: texts that already name a
// QLocalSocket function are Qt's own; every other error comes from the
// connected socket, which Qt words as "QLocalSocket: <what>".
func kindErrorText(code socket.SocketError, text string) string {
	if strings.HasPrefix(text, fnSocket) {
		return text
	}
	return errorText(fnSocket, code, 0)
}
