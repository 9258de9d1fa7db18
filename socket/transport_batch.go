package socket

import (
	"errors"

	"golang.org/x/sys/unix"

	"github.com/qsock/qsock/engine"
)

// The socket's part in the loop's batched sends (engine.BatchWriter): a
// stream socket on the native engine hands its queued bytes to the loop,
// which sends them with every other socket's of the turn in one system
// call. A layer takes part once past its handshake when it can split its
// write in two (BatchLayer); another transport, a handshake, or nothing
// to send takes the ordinary path (EndOfTurn).

// BatchLayer is a Layer whose writes can join the loop's batched sends:
// WriteTransport cut in two around the system call, with no signal
// emitted by either half.
type BatchLayer interface {
	Layer
	// Encode consumes plaintext from bufs and returns how much it took
	// and the encoded bytes to send now (with anything of the layer's own
	// still waiting). On an error, encoded bytes stay with the layer for
	// the next WriteTransport.
	Encode(bufs [][]byte) (taken int, out []byte, err error)
	// Sent reports that the kernel took n bytes of what Encode returned;
	// the rest stays with the layer.
	Sent(n int)
	// Pending reports whether encoded bytes are still waiting.
	Pending() bool
}

var _ engine.BatchWriter = (*handler)(nil)

func (h *handler) PrepareWrite(iov [][]byte) (fd int, bufs [][]byte, note int, ok bool) {
	s := (*AbstractSocket)(h)
	if s.tr == nil || (s.State() != ConnectedState && s.State() != ClosingState) {
		return 0, nil, 0, false
	}
	e, native := s.tr.(*engine.NativeEngine)
	if !native || e.Type() != unix.SOCK_STREAM {
		return 0, nil, 0, false
	}
	if s.Layer() == nil {
		if s.wbuf.Len() == 0 {
			return 0, nil, 0, false
		}
		s.flags &^= flagFlushQueued
		return e.FD(), s.wbuf.AppendBuffers(iov, iovMax), 0, true
	}
	bl, ok := s.Layer().(BatchLayer)
	if !ok || !bl.Ready() || s.wbuf.Len() == 0 {
		return 0, nil, 0, false
	}
	taken, out, err := bl.Encode(s.wbuf.AppendBuffers(iov, iovMax))
	if taken > 0 {
		s.wbuf.Discard(taken)
	}
	if err != nil || len(out) == 0 {
		// A broken layer: the ordinary path meets the error again and
		// reports it.
		return 0, nil, 0, false
	}
	s.flags &^= flagFlushQueued
	// note carries the plaintext count: BytesWritten reports plaintext.
	return e.FD(), append(iov[:0], out), taken, true
}

func (h *handler) WriteResult(n int, err error, note int) {
	s := (*AbstractSocket)(h)
	if s.Layer() != nil {
		s.Layer().(BatchLayer).Sent(max(n, 0))
		return
	}
	if n > 0 {
		s.wbuf.Discard(n)
	}
}

func (h *handler) WriteSettled(n int, err error, note int) {
	s := (*AbstractSocket)(h)
	if s.tr == nil {
		return // an earlier socket's slot closed this one meanwhile
	}
	written, waiting := n, false
	if s.Layer() != nil {
		written, waiting = note, s.Layer().(BatchLayer).Pending()
	}
	if errors.Is(err, engine.ErrWouldBlock) {
		err = nil // the kernel's buffer is full: wait for room
	} else if err == nil && !waiting && s.wbuf.Len() > 0 {
		// More than one send's worth was queued: go on the ordinary way,
		// which stops when the kernel's buffer is full.
		more, pending, werr := s.writeToTransport()
		written, waiting, err = written+more, pending, werr
	}
	s.wrote(written, err != nil || waiting || s.wbuf.Len() > 0, err)
}

// The socket's part in the loop's batched reads (engine.BatchReader): a
// stream socket on the native engine, without a layer, lets the loop read
// for it together with the turn's other readable sockets, then announces
// the bytes when the dispatch reaches it, as its read notification would.

// batchReadChunk bounds a batched read: each socket of a batch holds its
// room at once, so a turn with hundreds of readable sockets holds
// hundreds of blocks. A socket with more waiting is reported readable
// again by the next wait.
const batchReadChunk = 16 << 10

var _ engine.BatchReader = (*handler)(nil)

func (h *handler) PrepareRead() (fd int, p []byte, ok bool) {
	s := (*AbstractSocket)(h)
	if s.tr == nil || s.Layer() != nil || s.isUDP() || !s.readWanted() {
		return 0, nil, false
	}
	e, native := s.tr.(*engine.NativeEngine)
	if !native || e.Type() != unix.SOCK_STREAM {
		return 0, nil, false
	}
	if p = s.readRoom(batchReadChunk); p == nil {
		return 0, nil, false
	}
	return e.FD(), p, true
}

func (h *handler) ReadResult(n int, err error) { (*AbstractSocket)(h).readDone(n, err) }

func (h *handler) ReadSettled(n int, err error) {
	s := (*AbstractSocket)(h)
	if n > 0 {
		s.emitReadyRead()
	}
	if err = endOfStream(err); err != nil && s.tr != nil {
		s.remoteClosed(err)
	}
}
