package socket

import "errors"

// The rest of QIODevice's interface, as it behaves on a socket: one read
// and one write channel, no position, no seeking (QIODevice::seek has no
// counterpart: it always fails on a sequential device).

// ReadChannelCount returns the number of read channels: 1 from the moment
// the socket is connected until Close (it stays 1 after the peer closed,
// while buffered bytes can still be read), 0 otherwise
// (QIODevice::readChannelCount).
func (s *AbstractSocket) ReadChannelCount() int { return b2i(s.is(flagReadChannel)) }

// WriteChannelCount returns the number of write channels: 1 while
// connected, 0 once a close started or the peer closed
// (QIODevice::writeChannelCount).
func (s *AbstractSocket) WriteChannelCount() int { return b2i(s.is(flagWriteChannel)) }

// CurrentReadChannel returns the channel reads come from
// (QIODevice::currentReadChannel): 0, a socket's only channel, unless
// SetCurrentReadChannel chose another.
func (s *AbstractSocket) CurrentReadChannel() int {
	if s.x == nil {
		return 0
	}
	return s.x.readChannel
}

// SetCurrentReadChannel makes ch the channel reads come from and
// ReadyRead announces (QIODevice::setCurrentReadChannel). A socket has
// only channel 0: on any other, reads find nothing and ReadyRead is not
// emitted (ChannelReadyRead(0) still is). During a read transaction it
// does nothing, as in Qt.
func (s *AbstractSocket) SetCurrentReadChannel(ch int) {
	if s.is(flagTxn) || (ch == 0 && s.x == nil) {
		return
	}
	s.extra().readChannel = ch
}

// CurrentWriteChannel returns the channel writes go to
// (QIODevice::currentWriteChannel): 0 unless SetCurrentWriteChannel chose
// another.
func (s *AbstractSocket) CurrentWriteChannel() int {
	if s.x == nil {
		return 0
	}
	return s.x.writeChannel
}

// SetCurrentWriteChannel makes ch the channel writes go to and
// BytesWritten reports (QIODevice::setCurrentWriteChannel). A socket has
// only channel 0: on any other, Write fails with ErrNoChannel (where Qt
// would write through a null buffer), and BytesWritten is not emitted
// (ChannelBytesWritten(0, n) still is).
func (s *AbstractSocket) SetCurrentWriteChannel(ch int) {
	if ch == 0 && s.x == nil {
		return
	}
	s.extra().writeChannel = ch
}

// ErrNoChannel is returned by Write while a write channel other than 0 is
// current: a socket has one channel.
var ErrNoChannel = errors.New("socket: no such write channel (a socket has only channel 0)")

// ProtocolTag returns the tag set with SetProtocolTag
// (QAbstractSocket::protocolTag).
func (s *AbstractSocket) ProtocolTag() string {
	if s.x == nil {
		return ""
	}
	return s.x.protocolTag
}

// SetProtocolTag sets a tag naming the protocol spoken over the socket
// (QAbstractSocket::setProtocolTag). Qt hands it to a proxy factory's
// query; qsock has only the application proxy, which ignores it, so the
// tag is kept for the application's own use.
func (s *AbstractSocket) SetProtocolTag(tag string) {
	if tag == "" && s.x == nil {
		return
	}
	s.extra().protocolTag = tag
}

// Pos returns 0: a socket is sequential and has no position (QIODevice::pos).
func (s *AbstractSocket) Pos() int64 { return 0 }

// Size returns BytesAvailable, as QIODevice::size does for a sequential
// device.
func (s *AbstractSocket) Size() int64 { return s.BytesAvailable() }

// Reset fails on a socket, which is sequential (QIODevice::reset).
func (s *AbstractSocket) Reset() bool { return false }

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
