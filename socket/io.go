package socket

import (
	"errors"
	"io"
	"math"
)

// ErrNotOpen is returned by reads and writes on a socket that is not open
// (Qt's "device not open").
var ErrNotOpen = errors.New("socket: device not open")

// ErrNotConnected is returned by Write on a socket that is still open but
// no longer connected (the peer closed it); as in Qt, the socket's error
// becomes UnknownSocketError, "Socket is not connected", without
// ErrorOccurred.
var ErrNotConnected = errors.New("socket: not connected")

// avail is what a read may take: the buffer beyond the transaction's
// position.
func (s *AbstractSocket) avail() int {
	if s.x == nil {
		return s.rbuf.Len()
	}
	if s.x.readChannel != 0 {
		return 0 // no such channel: nothing to read on it
	}
	return s.rbuf.Len() - s.x.txnPos
}

// consume advances past n bytes: inside a transaction only the position
// moves, so RollbackTransaction can replay them.
func (s *AbstractSocket) consume(n int) {
	if n == 0 {
		return
	}
	if s.is(flagTxn) {
		s.extra().txnPos += n
		return
	}
	s.rbuf.Discard(n)
	if s.rbuf.Len() == 0 || s.Layer() != nil {
		s.resumeReading()
	}
}

// wantMore is a read that asked for more than was buffered: in Qt it
// reaches QAbstractSocket::readData, which turns reading back on.
func (s *AbstractSocket) wantMore(asked int) {
	if asked > s.avail() {
		s.resumeReading()
	}
}

// resumeReading turns reading back on after the buffer limit stopped it
// (Qt's readData re-enabling the read notifier). Qt calls readData when a
// read wants more than is buffered or has emptied the buffer, not when it
// merely makes room: a socket whose full buffer is read in part outside
// ReadyRead stays stopped until then. (A security layer's socket resumes
// on any room, as before.)
func (s *AbstractSocket) resumeReading() {
	if s.is(flagReadPaused) && !s.bufferFull() {
		s.flags &^= flagReadPaused
		if s.notifier != nil {
			s.setNotify(s.readWanted(), s.notifier.WriteEnabled())
		}
	}
}

// Read reads up to len(p) buffered bytes (QIODevice::read). It never
// blocks: it returns (0, nil) when the socket is connected and nothing is
// buffered, io.EOF once the connection is closed and everything was read,
// and ErrNotOpen on a socket that was never opened or was closed.
func (s *AbstractSocket) Read(p []byte) (int, error) {
	if s.OpenMode()&ReadOnly == 0 {
		return 0, ErrNotOpen
	}
	n := 0
	s.wantMore(len(p))
	if s.avail() > 0 {
		n = s.rbuf.Peek(p, s.txnOffset())
		s.consume(n)
	}
	if n == 0 && len(p) > 0 && s.State() == UnconnectedState {
		return 0, io.EOF
	}
	return n, nil
}

// ReadAll returns everything buffered (QIODevice::readAll).
func (s *AbstractSocket) ReadAll() []byte {
	if s.OpenMode()&ReadOnly == 0 {
		return []byte{}
	}
	n := s.avail()
	s.wantMore(n + 1) // Qt's readAll reads until the device has no more
	if n == 0 {
		return []byte{}
	}
	p := make([]byte, n)
	s.rbuf.Peek(p, s.txnOffset())
	s.consume(n)
	return p
}

// ReadN returns up to max buffered bytes (QIODevice::read(qint64)).
func (s *AbstractSocket) ReadN(max int) []byte {
	if s.OpenMode()&ReadOnly == 0 {
		return []byte{}
	}
	s.wantMore(max)
	n := min(max, s.avail())
	if n <= 0 {
		return []byte{}
	}
	p := make([]byte, n)
	s.rbuf.Peek(p, s.txnOffset())
	s.consume(n)
	return p
}

// Peek returns up to n buffered bytes without consuming them.
func (s *AbstractSocket) Peek(n int) []byte {
	s.wantMore(n)
	n = min(n, s.avail())
	if n <= 0 {
		return []byte{}
	}
	p := make([]byte, n)
	s.rbuf.Peek(p, s.txnOffset())
	return p
}

// PeekInto copies buffered bytes into p without consuming them.
func (s *AbstractSocket) PeekInto(p []byte) int {
	s.wantMore(len(p))
	if s.avail() == 0 {
		return 0
	}
	return s.rbuf.Peek(p, s.txnOffset())
}

// Skip discards up to n buffered bytes and returns how many it dropped
// (QIODevice::skip). As in Qt it returns -1 for a negative n, on a socket
// not open for reading, and once the connection is closed and nothing is
// left to skip.
func (s *AbstractSocket) Skip(n int64) int64 {
	if n < 0 || s.OpenMode()&ReadOnly == 0 {
		return -1
	}
	s.wantMore(int(min(n, int64(math.MaxInt))))
	k := int(min(n, int64(s.avail())))
	if k == 0 && n > 0 && s.State() == UnconnectedState {
		return -1
	}
	s.consume(k)
	return int64(k)
}

// CanReadLine reports whether a complete '\n'-terminated line is buffered.
func (s *AbstractSocket) CanReadLine() bool {
	return s.avail() > 0 && s.rbuf.IndexByte('\n', s.txnOffset()) >= 0
}

// ReadLine reads up to and including '\n'. With max > 0 it reads at most
// max-1 bytes, as Qt's readLine(maxSize) does (it keeps room for C's
// terminating zero): ReadLine(1) reads nothing. max 0 means no limit; a
// negative max reads nothing. Without a complete line it returns what is
// buffered, as Qt does.
func (s *AbstractSocket) ReadLine(max int) []byte {
	if max < 0 {
		return nil
	}
	n := s.avail()
	line := false
	if i := s.rbuf.IndexByte('\n', s.txnOffset()); n > 0 && i >= 0 {
		n, line = i-s.txnOffset()+1, true
	}
	if max > 0 && n > max-1 {
		n, line = max-1, true
	}
	if !line {
		s.wantMore(n + 1) // Qt reads on from the device for the line's end
	}
	return s.ReadN(n)
}

// GetChar reads one byte; ok is false when nothing is buffered.
func (s *AbstractSocket) GetChar() (c byte, ok bool) {
	if s.OpenMode()&ReadOnly == 0 {
		return 0, false
	}
	s.wantMore(1)
	if s.avail() == 0 {
		return 0, false
	}
	c = s.rbuf.ByteAt(s.txnOffset())
	s.consume(1)
	return c, true
}

// UngetChar puts c back in front of the buffer. Inside a transaction it
// does nothing, as Qt (which only warns).
func (s *AbstractSocket) UngetChar(c byte) {
	if s.is(flagTxn) || s.OpenMode()&ReadOnly == 0 {
		return
	}
	s.rbuf.Prepend(c)
}

// AtEnd reports whether nothing is buffered; on a socket that does not
// mean end of stream.
func (s *AbstractSocket) AtEnd() bool { return s.avail() == 0 }

// BytesAvailable returns the number of buffered bytes a read can take.
func (s *AbstractSocket) BytesAvailable() int64 { return int64(s.avail()) }

// BytesToWrite returns the bytes queued and not yet taken by the kernel.
func (s *AbstractSocket) BytesToWrite() int64 { return int64(s.wbuf.Len()) }

// ReadBufferSize returns the read buffer limit; 0 means unlimited.
func (s *AbstractSocket) ReadBufferSize() int64 {
	if s.x == nil {
		return 0
	}
	return s.x.rbufMax
}

// SetReadBufferSize limits the read buffer to n bytes (0: unlimited, the
// default). At the limit the socket stops reading from the kernel, so TCP
// flow control holds the peer back. As in Qt, it stops once it finds the
// buffer still full (a read inside ReadyRead that makes room keeps it
// going), and reading resumes when a read empties the buffer or asks for
// more than it holds; reading only part of it does not.
func (s *AbstractSocket) SetReadBufferSize(n int64) {
	if n < 0 {
		n = 0
	}
	if n != 0 || s.x != nil {
		s.extra().rbufMax = n
	}
	if s.notifier != nil && s.tr != nil {
		s.putFlag(flagReadPaused, s.bufferFull())
		s.setNotify(s.readWanted(), s.notifier.WriteEnabled())
	}
}

// StartTransaction starts recording reads so RollbackTransaction can undo
// them (QIODevice::startTransaction). A second call while one is open does
// nothing.
func (s *AbstractSocket) StartTransaction() {
	if s.is(flagTxn) {
		return
	}
	s.flags |= flagTxn
	s.setTxnPos(0)
}

// CommitTransaction makes the transaction's reads final.
func (s *AbstractSocket) CommitTransaction() {
	if !s.is(flagTxn) {
		return
	}
	n := s.txnOffset()
	s.flags &^= flagTxn
	s.setTxnPos(0)
	s.consume(n)
}

// RollbackTransaction puts every byte read during the transaction back.
func (s *AbstractSocket) RollbackTransaction() {
	s.flags &^= flagTxn
	s.setTxnPos(0)
}

// IsTransactionStarted reports whether a transaction is open.
func (s *AbstractSocket) IsTransactionStarted() bool { return s.is(flagTxn) }

// Write queues p and returns len(p) (QIODevice::write on a buffered
// socket). The bytes leave at the end of the loop's current turn, coalesced
// with every other write of the turn into one system call; in blocking
// style, in Flush and the WaitFor* calls. Writes made while looking up or
// connecting are sent once connected. On a socket that is not open it
// returns ErrNotOpen; on one the peer closed, ErrNotConnected.
func (s *AbstractSocket) Write(p []byte) (int, error) {
	if s.OpenMode()&WriteOnly == 0 || s.State() == BoundState {
		return 0, ErrNotOpen
	}
	if s.State() == UnconnectedState {
		if s.x == nil || !s.x.kind.QuietUnconnectedWrite {
			s.setError(UnknownSocketError, "Socket is not connected", ErrNotConnected)
		}
		return 0, ErrNotConnected
	}
	if s.x != nil && s.x.writeChannel != 0 {
		return 0, ErrNoChannel
	}
	if len(p) == 0 {
		return 0, nil
	}
	s.wbuf.Write(p)
	s.scheduleFlush()
	return len(p), nil
}

// PutChar writes the byte c (QIODevice::putChar) and reports whether it
// was queued.
func (s *AbstractSocket) PutChar(c byte) bool {
	b := [1]byte{c}
	n, err := s.Write(b[:])
	return n == 1 && err == nil
}

// WriteString is Write for a string.
func (s *AbstractSocket) WriteString(str string) (int, error) {
	return s.Write([]byte(str))
}

func (s *AbstractSocket) scheduleFlush() {
	if s.loop == nil || s.is(flagFlushQueued) || s.tr == nil {
		return
	}
	if s.State() != ConnectedState && s.State() != ClosingState {
		return
	}
	if s.notifier != nil && s.notifier.WriteEnabled() {
		return // the kernel buffer is full: the write notifier flushes
	}
	s.flags |= flagFlushQueued
	s.loop.EndOfTurn((*handler)(s))
}
