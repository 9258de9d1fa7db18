package bridge

import (
	"errors"
	"io"
	"net"

	"github.com/qsock/qsock/socket"
)

// ErrInLoop is wrapped by the error of a call that would have to block on
// the goroutine running the socket's (or server's) loop: nothing could
// ever wake it, since that goroutine is the one that moves the bytes.
// Blocking calls belong on other goroutines; on the loop, use the socket
// itself.
var ErrInLoop = errors.New("bridge: blocking call on the loop's own goroutine")

// errNotListening is Accept's error on a server that does not listen.
var errNotListening = errors.New("bridge: server is not listening")

// readEnd turns the error that ended a socket into what Read reports once
// the buffered bytes are gone: io.EOF for an orderly close by the peer
// (Qt's RemoteHostClosedError without a cause), the error itself
// otherwise, such as a reset (which keeps ECONNRESET in its chain).
func readEnd(err error) error {
	var se *socket.Error
	if err == nil || errors.As(err, &se) && se.Code == socket.RemoteHostClosedError && se.Err == nil {
		return io.EOF
	}
	return err
}

// writeEnd is what Write reports once the socket is gone.
func writeEnd(err error) error {
	if err == nil {
		return socket.ErrNotConnected
	}
	return err
}

// opError wraps err as Go's net does, naming the operation and the
// connection's addresses.
func opError(op, network string, laddr, raddr net.Addr, err error) error {
	return &net.OpError{Op: op, Net: network, Source: laddr, Addr: raddr, Err: err}
}
