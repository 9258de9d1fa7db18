package local

import (
	"context"
	"time"
)

// WaitForNewConnection blocks until a client connects or d passes (d < 0:
// no limit) and accepts one connection (QLocalServer::waitForNewConnection).
// As in Qt, ok reports whether a connection is pending afterwards (so it
// can be true with timedOut when one was queued before the call), and
// false when the server is not listening. The signals fire on the calling
// goroutine before it returns; called inside a callback of a running loop
// it blocks that loop meanwhile, as in Qt.
func (s *Server) WaitForNewConnection(d time.Duration) (ok, timedOut bool) {
	if !s.l.IsListening() {
		return false, false
	}
	accepted, timedOut, _ := s.l.Wait(context.Background(), d)
	return s.l.Has() || accepted && s.handler != nil, timedOut
}

// WaitForNewConnectionContext is WaitForNewConnection until ctx is done:
// nil once a connection was accepted, ctx's error when it ended first, a
// *socket.Error (OperationError) when the server is not listening.
func (s *Server) WaitForNewConnectionContext(ctx context.Context) error {
	_, _, err := s.l.Wait(ctx, -1)
	return err
}
