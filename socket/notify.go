package socket

import (
	"errors"
	"io"
	"sync"

	"github.com/qsock/qsock/engine"
)

// readChunk bounds one read per readiness event, so one busy connection
// cannot starve the others on its loop.
const readChunk = 64 << 10

// iovMax bounds the buffers handed to one writev.
const iovMax = 64

// ready is the notifier's callback (Qt's canReadNotification and
// canWriteNotification).
func (s *AbstractSocket) ready(ev engine.Events) {
	if ev&engine.Writable != 0 {
		if s.State() == ConnectingState {
			s.testConnection()
			return
		}
		s.canWrite()
	}
	if ev&engine.Readable != 0 && s.tr != nil && s.readWanted() {
		s.canRead()
	}
}

// canRead reads what the kernel has, emits ReadyRead for new bytes, and
// runs the remote-close sequence on end of stream. It reports whether new
// bytes arrived.
func (s *AbstractSocket) canRead() bool {
	if s.isUDP() {
		return s.datagramReady()
	}
	n, end := s.readFromTransport()
	if n > 0 {
		s.emitReadyRead()
	}
	if end != nil && s.tr != nil {
		s.remoteClosed(end)
	}
	return n > 0
}

// readFromTransport moves bytes from the kernel into the read buffer,
// stopping at the buffer limit. end is io.EOF or the error that ended the
// stream, nil while it goes on.
func (s *AbstractSocket) readFromTransport() (n int, end error) {
	if s.Layer() != nil {
		before := s.rbuf.Len()
		end = s.Layer().ReadTransport(s.tr, (*plainSink)(s))
		if s.bufferFull() {
			s.pauseReading()
		}
		if end == io.EOF {
			s.flags |= flagEOF
		}
		return s.rbuf.Len() - before, end
	}
	p := s.readRoom(readChunk)
	if p == nil {
		return 0, nil
	}
	r, err := s.tr.Read(p)
	return r, s.readDone(r, err)
}

// readRoom returns the room for one read of at most want bytes at the
// end of the read buffer, or nil, having paused reading, when the buffer
// is at its limit.
func (s *AbstractSocket) readRoom(want int) []byte {
	if max := s.ReadBufferSize(); max > 0 {
		room := int(max) - s.rbuf.Len()
		if room <= 0 {
			s.pauseReading()
			return nil
		}
		want = min(want, room)
	}
	return s.rbuf.Tail(want)
}

// readDone counts the r bytes a read put in the room readRoom gave and
// returns what ended the stream: io.EOF, the error, or nil while it goes
// on.
func (s *AbstractSocket) readDone(r int, err error) (end error) {
	s.rbuf.Commit(max(r, 0)) // an empty buffer gives its block back
	// A full buffer does not stop reading yet: as in Qt, the next
	// readiness finds it full (readRoom) and stops it then, unless a read
	// made room before.
	if err == io.EOF {
		s.flags |= flagEOF
	}
	return endOfStream(err)
}

// endOfStream is what a read's error means for the stream: nil while it
// goes on (no error, or nothing to read now), otherwise the error itself.
func endOfStream(err error) error {
	if errors.Is(err, engine.ErrWouldBlock) {
		return nil
	}
	return err
}

func (s *AbstractSocket) pauseReading() {
	if !s.is(flagReadPaused) {
		s.flags |= flagReadPaused
		if s.notifier != nil {
			s.setNotify(false, s.notifier.WriteEnabled())
		}
	}
}

// emitReadyRead is Qt's emitReadyRead: ReadyRead unless one of its slots
// is running (Qt does not re-emit it from inside its own slot) or another
// read channel is current, then ChannelReadyRead(0) every time.
func (s *AbstractSocket) emitReadyRead() {
	if !s.is(flagEmittingReadyRead) && s.CurrentReadChannel() == 0 {
		s.emitReadyReadOnce()
	}
	s.ChannelReadyRead.Emit(0)
}

func (s *AbstractSocket) emitReadyReadOnce() {
	s.flags |= flagEmittingReadyRead
	defer func() { s.flags &^= flagEmittingReadyRead }()
	s.ReadyRead.Emit()
}

func (s *AbstractSocket) emitBytesWritten(n int) {
	if !s.is(flagEmittingBytesWritten) && s.CurrentWriteChannel() == 0 {
		s.emitBytesWrittenOnce(n)
	}
	s.ChannelBytesWritten.Emit(0, int64(n))
}

func (s *AbstractSocket) emitBytesWrittenOnce(n int) {
	s.flags |= flagEmittingBytesWritten
	defer func() { s.flags &^= flagEmittingBytesWritten }()
	s.BytesWritten.Emit(int64(n))
}

// EmitBytesWritten is for socket classes that write outside the write
// buffer, such as a connected UDP socket's Write: BytesWritten(n), unless
// one of its slots is running, then ChannelBytesWritten(0, n), as Qt's
// QAbstractSocket::writeData does for unbuffered sockets.
func (s *AbstractSocket) EmitBytesWritten(n int) { s.emitBytesWritten(n) }

// remoteClosed is the peer-close sequence: ErrorOccurred(RemoteHostClosed)
// while still Connected, then Closing, Unconnected, ReadChannelFinished and
// Disconnected. Bytes already buffered stay readable.
func (s *AbstractSocket) remoteClosed(cause error) {
	code, msg := RemoteHostClosedError, RemoteHostClosedError.Error()
	if cause != io.EOF {
		code, msg = codeOf(cause)
	} else {
		cause = nil
	}
	// Qt resets the socket layer before telling anyone, so what was still
	// queued for writing is dropped.
	s.releaseTransport()
	s.wbuf.Reset()
	s.setErrorAndEmit(code, msg, cause)
	if s.State() != UnconnectedState {
		s.DisconnectFromHost()
	}
}

// endOfTurn flushes the writes queued during the loop's turn.
func (s *AbstractSocket) endOfTurn() {
	s.flags &^= flagFlushQueued
	s.canWrite()
}

// canWrite flushes the write buffer as far as the kernel takes it, emits
// BytesWritten, and finishes a graceful close once everything left. It
// returns the number of bytes written.
func (s *AbstractSocket) canWrite() int {
	if s.tr == nil || (s.State() != ConnectedState && s.State() != ClosingState) {
		return 0
	}
	written, pending, werr := s.writeToTransport()
	s.wrote(written, pending, werr)
	return written
}

// wrote is what follows a flush: an unexpected error is reported and
// aborts, as in Qt; otherwise write readiness is watched while bytes are
// pending, BytesWritten is emitted, and a graceful close finishes once
// everything left.
func (s *AbstractSocket) wrote(written int, pending bool, werr error) {
	if werr != nil {
		code, msg := codeOf(werr)
		s.setErrorAndEmit(code, msg, werr)
		s.Abort()
		return
	}
	s.setNotify(s.readWanted(), pending)
	if written > 0 {
		s.emitBytesWritten(written)
	}
	if s.State() == ClosingState && s.wbuf.Len() == 0 && !pending && s.tr != nil {
		s.finishDisconnect()
	}
}

// writeToTransport writes queued bytes until the buffer is empty or the
// kernel's is full. pending reports that bytes (plaintext, or a layer's
// encoded bytes) are still waiting, so write readiness must be watched.
func (s *AbstractSocket) writeToTransport() (written int, pending bool, err error) {
	iov, home := s.takeIOVecs()
	if s.Layer() != nil {
		written, pending, iov, err = s.writeThroughLayer(iov)
	} else {
		written, iov, err = s.writevQueued(iov)
		pending = err != nil || s.wbuf.Len() > 0
	}
	s.returnIOVecs(iov, home)
	return written, pending, err
}

// writevQueued hands the queued bytes to the transport, iovMax blocks per
// writev, gathering them in iov; it returns iov as grown.
func (s *AbstractSocket) writevQueued(iov [][]byte) (written int, _ [][]byte, err error) {
	for s.wbuf.Len() > 0 {
		iov = s.wbuf.AppendBuffers(iov[:0], iovMax)
		total := 0
		for _, b := range iov {
			total += len(b)
		}
		n, err := s.tr.Writev(iov)
		if n > 0 {
			s.wbuf.Discard(n)
			written += n
		}
		if err != nil {
			if !errors.Is(err, engine.ErrWouldBlock) {
				return written, iov, err
			}
			break
		}
		if n < total {
			break // the kernel buffer is full
		}
	}
	return written, iov, nil
}

func (s *AbstractSocket) writeThroughLayer(iov [][]byte) (written int, pending bool, _ [][]byte, err error) {
	for {
		var bufs [][]byte
		if s.Layer().Ready() {
			iov = s.wbuf.AppendBuffers(iov[:0], iovMax)
			bufs = iov
		}
		taken, layerPending, err := s.Layer().WriteTransport(s.tr, bufs)
		if taken > 0 {
			s.wbuf.Discard(taken)
			written += taken
		}
		if err != nil {
			return written, true, iov, err
		}
		if layerPending {
			return written, true, iov, nil
		}
		if taken == 0 || s.wbuf.Len() == 0 {
			return written, false, iov, nil
		}
	}
}

// takeIOVecs takes a gather list for one flush: the loop's (engine.Loop.
// IOVecs), or a pooled one for a socket without a loop. home is emptied
// meanwhile, so a flush nested inside this one (a layer's signal slot may
// flush another socket) starts a list of its own instead of overwriting
// this one.
func (s *AbstractSocket) takeIOVecs() (iov [][]byte, home *[][]byte) {
	if s.loop == nil {
		home = blockingIOVecs.Get().(*[][]byte)
	} else {
		home = s.loop.IOVecs()
	}
	iov, *home = *home, nil
	return iov, home
}

// returnIOVecs gives the list back to home, cleared so that it keeps no
// buffer alive.
func (s *AbstractSocket) returnIOVecs(iov [][]byte, home *[][]byte) {
	clear(iov[:cap(iov)])
	*home = iov[:0]
	if s.loop == nil {
		blockingIOVecs.Put(home)
	}
}

// blockingIOVecs serves the sockets without a loop, which may write from
// any number of goroutines at once.
var blockingIOVecs = sync.Pool{New: func() any { return new([][]byte) }}

// Flush writes as much of the write buffer as the kernel takes now,
// without blocking, and emits BytesWritten (QAbstractSocket::flush). It
// reports whether anything was written.
func (s *AbstractSocket) Flush() bool {
	return s.canWrite() > 0
}

// datagramReady is QUdpSocket's read notification: the datagram stays in
// the kernel for the socket class to read, and the notifier stays off
// until it does (RearmReadNotifier), so no new ReadyRead comes while a
// datagram is unread.
func (s *AbstractSocket) datagramReady() bool {
	s.flags |= flagDatagramUnread
	if s.notifier != nil {
		s.setNotify(false, s.notifier.WriteEnabled())
	}
	s.emitReadyRead()
	return true
}

// RearmReadNotifier re-enables read notification after a datagram socket
// read a datagram (QUdpSocket re-enables its notifier on every read), so
// ReadyRead comes again while datagrams remain.
func (s *AbstractSocket) RearmReadNotifier() {
	s.flags &^= flagDatagramUnread
	if s.notifier != nil {
		s.setNotify(s.readWanted(), s.notifier.WriteEnabled())
	}
}

// DatagramReady announces datagrams that a datagram socket class buffered
// itself (udp reads them in batches), exactly as the read notification
// does: the notifier stays off until RearmReadNotifier, and ReadyRead goes
// through the same no-recursion guard.
func (s *AbstractSocket) DatagramReady() { s.datagramReady() }
