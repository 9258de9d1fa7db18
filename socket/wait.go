package socket

import (
	"context"
	"time"
)

// DefaultWaitTimeout is Qt's default for the waitFor* calls, 30 s.
const DefaultWaitTimeout = 30 * time.Second

// waitLimit is the end of a WaitFor* call: a deadline, a context, or both.
type waitLimit struct {
	ctx      context.Context
	deadline time.Time
	forever  bool
}

func limitFor(d time.Duration) waitLimit {
	if d < 0 {
		return waitLimit{forever: true}
	}
	return waitLimit{deadline: time.Now().Add(d)}
}

func limitCtx(ctx context.Context) waitLimit {
	l := waitLimit{ctx: ctx, forever: true}
	if dl, ok := ctx.Deadline(); ok {
		l.deadline, l.forever = dl, false
	}
	return l
}

// remaining returns the time left: -1 for forever, 0 when it is over.
func (l waitLimit) remaining() time.Duration {
	if l.ctx != nil && l.ctx.Err() != nil {
		return 0
	}
	if l.forever {
		return -1
	}
	return max(time.Until(l.deadline), 0)
}

// slice bounds one poll, so a context without a deadline is still noticed
// when it is cancelled.
func (l waitLimit) slice() time.Duration {
	r := l.remaining()
	if l.ctx != nil && l.ctx.Done() != nil && (r < 0 || r > 50*time.Millisecond) {
		return 50 * time.Millisecond
	}
	return r
}

func (l waitLimit) over() bool { return l.remaining() == 0 }

// waitIO polls the descriptor until it is readable or writable as asked or
// the limit passes; timedOut reports the latter.
func (s *AbstractSocket) waitIO(read, write bool, l waitLimit) (r, w, timedOut bool, err error) {
	for {
		if s.tr == nil {
			return false, false, false, nil
		}
		// A limit already over still gets one look (a zero time-out
		// polls, as in Qt).
		r, w, err = s.tr.Wait(read, write, l.slice())
		if err != nil || r || w {
			return r, w, false, err
		}
		if l.over() {
			return false, false, true, nil
		}
	}
}

// waitStep is one wait of WaitForReadyRead, WaitForBytesWritten and
// WaitForDisconnected. A time-out is reported through ErrorOccurred and
// leaves the connection alone; any other error closes the socket, as Qt's
// waitFor* do.
func (s *AbstractSocket) waitStep(read, write bool, l waitLimit) (rd, wr, ok bool) {
	rd, wr, timedOut, err := s.waitIO(read, write, l)
	switch {
	case timedOut:
		// Qt's engine words it so; only waitForConnected says "Socket
		// operation timed out".
		s.setErrorAndEmit(SocketTimeoutError, "Network operation timed out", context.DeadlineExceeded)
		return false, false, false
	case err != nil:
		code, msg := codeOf(err)
		s.setErrorAndEmit(code, msg, err)
		s.Close()
		return false, false, false
	}
	return rd, wr, true
}

// WaitForConnected blocks until the socket is connected or d passes (d < 0:
// no limit) and reports whether it is connected
// (QAbstractSocket::waitForConnected). In blocking style it performs the
// host lookup. On a time-out the socket goes back to Unconnected with
// SocketTimeoutError, without ErrorOccurred, as Qt does.
func (s *AbstractSocket) WaitForConnected(d time.Duration) bool {
	return s.waitForConnected(limitFor(d))
}

// WaitForConnectedContext is WaitForConnected bounded by ctx; it returns
// nil once connected, ctx's error when ctx ended first, or the socket's
// error.
func (s *AbstractSocket) WaitForConnectedContext(ctx context.Context) error {
	return s.result(ctx, s.waitForConnected(limitCtx(ctx)))
}

func (s *AbstractSocket) result(ctx context.Context, ok bool) error {
	if ok {
		return nil
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := s.LastError(); err != nil {
		return err
	}
	return s.Error()
}

func (s *AbstractSocket) waitForConnected(l waitLimit) bool {
	switch s.State() {
	case ConnectedState:
		return true
	case UnconnectedState, BoundState, ClosingState, ListeningState:
		return false
	}
	if s.State() == HostLookupState {
		s.waitLookup(l)
	}
	for s.State() == ConnectingState {
		_, w, timedOut, err := s.waitIO(false, true, l)
		if timedOut || err != nil {
			break
		}
		if w {
			s.testConnection()
		}
	}
	switch s.State() {
	case ConnectedState, ClosingState:
		return true
	case HostLookupState, ConnectingState:
		s.cancelLookup()
		s.releaseTransport()
		s.setError(SocketTimeoutError, "Socket operation timed out", context.DeadlineExceeded)
		s.st = uint8(UnconnectedState)
		s.StateChanged.Emit(UnconnectedState)
	}
	return false
}

// waitLookup finishes a host lookup inside a WaitFor* call: it takes the
// result of a lookup running for the loop, or resolves the name here.
func (s *AbstractSocket) waitLookup(l waitLimit) {
	if s.attempt() != nil && s.attempt().lookup != nil {
		ch := s.attempt().lookup
		var timeout <-chan time.Time
		if r := l.remaining(); r >= 0 {
			t := time.NewTimer(r)
			defer t.Stop()
			timeout = t.C
		}
		var done <-chan struct{}
		if l.ctx != nil {
			done = l.ctx.Done()
		}
		select {
		case res := <-ch:
			s.attempt().lookup, s.attempt().cancel = nil, nil
			s.startConnecting(res.addrs, res.err)
		case <-timeout:
		case <-done:
		}
		return
	}
	ctx := context.Background()
	if l.ctx != nil {
		ctx = l.ctx
	}
	if !l.forever {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, l.deadline)
		defer cancel()
	}
	addrs, err := resolve(ctx, s.PeerName())
	if ctx.Err() != nil {
		return // timed out: waitForConnected reports it
	}
	s.startConnecting(addrs, err)
}

// WaitForReadyRead blocks until new data is buffered (true), the
// connection closes, or d passes (false; SocketTimeoutError is reported
// through ErrorOccurred and the socket stays connected, as in Qt).
// ReadyRead is emitted for the new data unless the call comes from a
// ReadyRead slot.
func (s *AbstractSocket) WaitForReadyRead(d time.Duration) bool {
	return s.waitForReadyRead(limitFor(d))
}

// WaitForReadyReadContext is WaitForReadyRead bounded by ctx.
func (s *AbstractSocket) WaitForReadyReadContext(ctx context.Context) error {
	return s.result(ctx, s.waitForReadyRead(limitCtx(ctx)))
}

func (s *AbstractSocket) waitForReadyRead(l waitLimit) bool {
	if s.State() == UnconnectedState || s.State() == BoundState && !s.isUDP() {
		return false
	}
	if (s.State() == HostLookupState || s.State() == ConnectingState) && !s.waitForConnected(l) {
		return false
	}
	if s.isUDP() && s.is(flagDatagramUnread) {
		return true // Qt: a datagram is pending, no second readyRead
	}
	for s.tr != nil {
		rd, wr, ok := s.waitStep(s.readWanted(), s.wbuf.Len() > 0, l)
		if !ok {
			return false
		}
		if wr {
			s.canWrite()
		}
		if rd && s.tr != nil && s.canRead() {
			return true
		}
	}
	return false
}

// WaitForBytesWritten blocks until some queued bytes were written (true,
// after BytesWritten), the connection closes, or d passes. It returns false
// at once when nothing is queued.
func (s *AbstractSocket) WaitForBytesWritten(d time.Duration) bool {
	return s.waitForBytesWritten(limitFor(d))
}

// WaitForBytesWrittenContext is WaitForBytesWritten bounded by ctx.
func (s *AbstractSocket) WaitForBytesWrittenContext(ctx context.Context) error {
	return s.result(ctx, s.waitForBytesWritten(limitCtx(ctx)))
}

func (s *AbstractSocket) waitForBytesWritten(l waitLimit) bool {
	if s.wbuf.Len() == 0 || s.State() == UnconnectedState {
		return false
	}
	if (s.State() == HostLookupState || s.State() == ConnectingState) && !s.waitForConnected(l) {
		return false
	}
	for s.tr != nil && s.wbuf.Len() > 0 {
		rd, wr, ok := s.waitStep(s.readWanted(), true, l)
		if !ok {
			return false
		}
		if rd && s.tr != nil {
			s.canRead()
		}
		if wr && s.canWrite() > 0 {
			return true
		}
	}
	return false
}

// WaitForDisconnected blocks until the socket is Unconnected (true) or d
// passes (false, with SocketTimeoutError). On an Unconnected socket it
// returns false at once, as Qt does.
func (s *AbstractSocket) WaitForDisconnected(d time.Duration) bool {
	return s.waitForDisconnected(limitFor(d))
}

// WaitForDisconnectedContext is WaitForDisconnected bounded by ctx.
func (s *AbstractSocket) WaitForDisconnectedContext(ctx context.Context) error {
	return s.result(ctx, s.waitForDisconnected(limitCtx(ctx)))
}

func (s *AbstractSocket) waitForDisconnected(l waitLimit) bool {
	if s.State() == UnconnectedState {
		return false
	}
	if (s.State() == HostLookupState || s.State() == ConnectingState) && !s.waitForConnected(l) {
		return false
	}
	for s.State() != UnconnectedState {
		if s.tr == nil {
			s.finishDisconnect()
			break
		}
		// A closing socket with a layer still has the layer's goodbye
		// (TLS close_notify) to send even when no plaintext is queued.
		write := s.wbuf.Len() > 0 || s.State() == ClosingState && s.Layer() != nil
		rd, wr, ok := s.waitStep(s.readWanted(), write, l)
		if !ok {
			return false
		}
		if wr {
			s.canWrite()
		}
		if rd && s.tr != nil {
			s.canRead()
		}
	}
	return true
}
