package server

import (
	"context"
	"time"

	"github.com/qsock/qsock/socket"
)

// WaitForNewConnection blocks until a client connects or d passes (d < 0:
// no limit), then accepts (QTcpServer::waitForNewConnection). The signals
// fire on the calling goroutine before it returns. ok is true once a
// connection was there to accept; timedOut reports that d passed, and
// then ServerError is SocketTimeoutError, as in Qt. Called
// inside a callback of a running loop it blocks that loop meanwhile, as in
// Qt. It accepts while PauseAccepting is in effect, as Qt's does, but
// sleeps out a back-off after an out-of-descriptors error first.
//
// With a LoopGroup, a server on a loop queues the socket once its loop has
// made it, after this returns; a nil-loop server waits for that.
func (s *TCPServer) WaitForNewConnection(d time.Duration) (ok, timedOut bool) {
	ok, timedOut, _ = s.l.Wait(context.Background(), d)
	if timedOut {
		// Qt's engine reports its poll's time-out as the server's error.
		s.l.SetErr(socket.SocketTimeoutError, "Network operation timed out")
	}
	return ok, timedOut
}

// WaitForNewConnectionContext is WaitForNewConnection until ctx is done:
// nil once a connection was accepted, ctx's error when it ended first, a
// *socket.Error (OperationError) when the server is not listening.
func (s *TCPServer) WaitForNewConnectionContext(ctx context.Context) error {
	_, _, err := s.l.Wait(ctx, -1)
	return err
}
