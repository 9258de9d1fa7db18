package socket

import (
	"errors"

	"golang.org/x/sys/unix"

	"github.com/qsock/qsock/engine"
)

// The socket's part in the loop's batched sends (engine.BatchWriter): a
// plain stream socket on the native engine hands its queued bytes to the
// loop, which sends them with every other socket's of the turn in one
// system call. A TLS layer, another transport, or nothing to send takes
// the ordinary path (EndOfTurn).

var _ engine.BatchWriter = (*handler)(nil)

func (h *handler) PrepareWrite(iov [][]byte) (fd int, bufs [][]byte, ok bool) {
	s := (*AbstractSocket)(h)
	if s.layer != nil || s.tr == nil || s.wbuf.Len() == 0 ||
		(s.state != ConnectedState && s.state != ClosingState) {
		return 0, nil, false
	}
	e, native := s.tr.(*engine.NativeEngine)
	if !native || e.Type() != unix.SOCK_STREAM {
		return 0, nil, false
	}
	s.flushQueued = false
	return e.FD(), s.wbuf.AppendBuffers(iov, iovMax), true
}

func (h *handler) WriteResult(n int, err error) {
	if n > 0 {
		(*AbstractSocket)(h).wbuf.Discard(n)
	}
}

func (h *handler) WriteSettled(n int, err error) {
	s := (*AbstractSocket)(h)
	if s.tr == nil {
		return // an earlier socket's slot closed this one meanwhile
	}
	if errors.Is(err, engine.ErrWouldBlock) {
		err = nil // the kernel's buffer is full: wait for room
	} else if err == nil && s.wbuf.Len() > 0 {
		// More than one send's worth was queued, or the kernel took part
		// of it: go on the ordinary way, which stops when it is full.
		more, _, werr := s.writeToTransport()
		n, err = n+more, werr
	}
	s.wrote(n, err != nil || s.wbuf.Len() > 0, err)
}
