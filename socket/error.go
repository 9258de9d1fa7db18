package socket

import "strconv"

// SocketError is the kind of error a socket reports:
// QAbstractSocket::SocketError, with Qt's names and numbers. It implements
// error, so a SocketError can be returned, wrapped and tested with
// errors.Is; Error gives Qt's default error string for it. The TLS values
// follow Go's initialisms (SSLHandshakeFailedError for Qt's
// SslHandshakeFailedError); String returns Qt's spelling. Like any error,
// fmt's %v and %s print Error's text; call String for the name.
type SocketError int

// The socket errors, with Qt's numbers (UnknownSocketError is -1: a fresh
// socket's Error()).
const (
	ConnectionRefusedError           SocketError = 0  // the peer refused the connection (or it timed out)
	RemoteHostClosedError            SocketError = 1  // the peer closed the connection
	HostNotFoundError                SocketError = 2  // the host name did not resolve
	SocketAccessError                SocketError = 3  // the operation needs privileges the process lacks
	SocketResourceError              SocketError = 4  // the system ran out of resources (too many sockets, memory)
	SocketTimeoutError               SocketError = 5  // the operation timed out
	DatagramTooLargeError            SocketError = 6  // the datagram is larger than the system allows
	NetworkError                     SocketError = 7  // an error occurred with the network
	AddressInUseError                SocketError = 8  // the address given to Bind is in use and exclusive
	SocketAddressNotAvailableError   SocketError = 9  // the address given to Bind is not this host's
	UnsupportedSocketOperationError  SocketError = 10 // the system does not support the operation
	UnfinishedSocketOperationError   SocketError = 11 // internal: the last operation has not finished yet
	ProxyAuthenticationRequiredError SocketError = 12 // the proxy requires authentication
	SSLHandshakeFailedError          SocketError = 13 // the TLS handshake failed; the connection was closed
	ProxyConnectionRefusedError      SocketError = 14 // the proxy refused the connection
	ProxyConnectionClosedError       SocketError = 15 // the proxy closed the connection before it was set up
	ProxyConnectionTimeoutError      SocketError = 16 // the proxy timed out or stopped answering
	ProxyNotFoundError               SocketError = 17 // the proxy's host was not found
	ProxyProtocolError               SocketError = 18 // the proxy's reply could not be understood
	OperationError                   SocketError = 19 // the operation is not allowed in the socket's state
	SSLInternalError                 SocketError = 20 // the TLS implementation failed internally
	SSLInvalidUserDataError          SocketError = 21 // invalid TLS configuration (certificate, key, protocol, ...)
	TemporaryError                   SocketError = 22 // a temporary error, such as EAGAIN
	UnknownSocketError               SocketError = -1 // an unidentified error; also "no error yet"
)

// socketErrors holds, per code, Qt's value name and Qt's default error
// string. Qt has no single string per code: the string comes from where the
// error was raised. The one kept here is what Qt sets in the common case;
// where it had to be chosen, the comment says so. Sources (qtbase,
// src/network): socket/qnativesocketengine.cpp (QNativeSocketEngine::setError
// strings), socket/qabstractsocket.cpp, socket/qsocks5socketengine.cpp,
// ssl/qsslsocket.cpp and the TLS backends.
var socketErrors = [...]struct{ name, text string }{
	ConnectionRefusedError: {"ConnectionRefusedError", "Connection refused"},                   // engine ECONNREFUSED; qabstractsocket.cpp too
	RemoteHostClosedError:  {"RemoteHostClosedError", "The remote host closed the connection"}, // engine, read of 0 bytes / EPIPE / ECONNRESET
	HostNotFoundError:      {"HostNotFoundError", "Host not found"},                            // qabstractsocket.cpp, empty lookup result
	SocketAccessError:      {"SocketAccessError", "Permission denied"},                         // engine EACCES/EPERM
	SocketResourceError:    {"SocketResourceError", "Out of resources"},                        // engine EMFILE/ENFILE/ENOBUFS/ENOMEM
	// Qt also says "Connection timed out" (connect timer) and "Network
	// operation timed out" (engine); waitFor*'s text is the common one.
	SocketTimeoutError:    {"SocketTimeoutError", "Socket operation timed out"},
	DatagramTooLargeError: {"DatagramTooLargeError", "Datagram was too large to send"}, // engine EMSGSIZE
	// The engine says "Network unreachable"/"Host unreachable" for those
	// errnos (an *Error carries them); "Network error" is its generic text.
	NetworkError:                   {"NetworkError", "Network error"},
	AddressInUseError:              {"AddressInUseError", "The bound address is already in use"},       // engine EADDRINUSE
	SocketAddressNotAvailableError: {"SocketAddressNotAvailableError", "The address is not available"}, // engine EADDRNOTAVAIL
	// qabstractsocket.cpp says "Operation on socket is not supported" when
	// no engine fits; the engine's own text is kept.
	UnsupportedSocketOperationError: {"UnsupportedSocketOperationError", "Unsupported socket operation"},
	// Internal to Qt's engines, which never show a text for it; this is
	// Qt's enum documentation.
	UnfinishedSocketOperationError:   {"UnfinishedSocketOperationError", "The last operation attempted has not finished yet"},
	ProxyAuthenticationRequiredError: {"ProxyAuthenticationRequiredError", "Proxy authentication failed"}, // SOCKS5 engine
	// The TLS backends append the library's detail: "Error during SSL
	// handshake: %1"; the detail is what an *Error would carry.
	SSLHandshakeFailedError:     {"SslHandshakeFailedError", "Error during SSL handshake"},
	ProxyConnectionRefusedError: {"ProxyConnectionRefusedError", "Connection to proxy refused"},           // SOCKS5 engine
	ProxyConnectionClosedError:  {"ProxyConnectionClosedError", "Connection to proxy closed prematurely"}, // SOCKS5 engine
	ProxyConnectionTimeoutError: {"ProxyConnectionTimeoutError", "Connection to proxy timed out"},         // SOCKS5 engine
	ProxyNotFoundError:          {"ProxyNotFoundError", "Proxy host not found"},                           // SOCKS5 engine
	ProxyProtocolError:          {"ProxyProtocolError", "SOCKS version 5 protocol error"},                 // SOCKS5 engine (the HTTP engine has its own)
	// Qt's OperationError texts name the call (connectToHost: "Trying to
	// connect while connection is in progress"); this generic one is Qt's
	// enum documentation.
	OperationError:   {"OperationError", "An operation was attempted while the socket was in a state that did not permit it"},
	SSLInternalError: {"SslInternalError", "TLS initialization failed"}, // qsslsocket.cpp, connectToHostEncrypted without TLS support
	// qsslsocket.cpp, QSslSocketPrivate::verifyProtocolSupported: the case
	// DESIGN §7 names (an unusable protocol). Qt's text, final period kept.
	SSLInvalidUserDataError: {"SslInvalidUserDataError", "Attempted to use an unsupported protocol."},
	TemporaryError:          {"TemporaryError", "Temporary error"}, // engine
}

// Error returns Qt's default error string for the code (errorString() after
// Qt raised it in the common case), such as "Connection refused"; "Unknown
// error" for UnknownSocketError and for numbers Qt does not define.
func (e SocketError) Error() string {
	if e >= 0 && int(e) < len(socketErrors) {
		return socketErrors[e].text
	}
	return "Unknown error" // Qt's text for UnknownSocketError
}

// String returns Qt's name of the code (QMetaEnum's spelling, so
// "SslHandshakeFailedError" for SSLHandshakeFailedError), or
// "SocketError(n)" for a number Qt does not define.
func (e SocketError) String() string {
	if e >= 0 && int(e) < len(socketErrors) {
		return socketErrors[e].name
	}
	if e == UnknownSocketError {
		return "UnknownSocketError"
	}
	return "SocketError(" + strconv.Itoa(int(e)) + ")"
}

// Timeout reports whether the code is a time-out, for code that tests an
// error for a Timeout method, as net/http and net.Error users do.
func (e SocketError) Timeout() bool {
	return e == SocketTimeoutError || e == ProxyConnectionTimeoutError
}

// Error is a SocketError with what caused it: the operation that failed and,
// where there is one, the underlying error (usually a syscall.Errno). It is
// Qt's error() + errorString() pair in one value, shaped like *net.OpError.
// errors.Is matches both the code and the cause:
//
//	errors.Is(err, socket.ConnectionRefusedError) // true
//	errors.Is(err, unix.ECONNREFUSED)             // true
type Error struct {
	Code SocketError // Qt's error code
	Op   string      // the operation that failed, such as "connect" or "bind"; may be empty
	Err  error       // the cause, or nil to use the code's own text
}

// Error returns Op, ": ", and the cause's text, or the code's Qt text when
// there is no cause: "connect: connection refused".
func (e *Error) Error() string {
	msg := e.Code.Error()
	if e.Err != nil {
		msg = e.Err.Error()
	}
	if e.Op == "" {
		return msg
	}
	return e.Op + ": " + msg
}

// Unwrap returns the code and, if set, the cause, for errors.Is and
// errors.As.
func (e *Error) Unwrap() []error {
	if e.Err == nil {
		return []error{e.Code}
	}
	return []error{e.Code, e.Err}
}

// Timeout reports whether the code is a time-out; see SocketError.Timeout.
func (e *Error) Timeout() bool { return e.Code.Timeout() }
