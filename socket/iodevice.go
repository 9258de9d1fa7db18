package socket

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

// CurrentReadChannel returns the channel reads come from: always 0 on a
// socket (QIODevice::currentReadChannel).
func (s *AbstractSocket) CurrentReadChannel() int { return 0 }

// CurrentWriteChannel returns the channel writes go to: always 0 on a
// socket (QIODevice::currentWriteChannel).
func (s *AbstractSocket) CurrentWriteChannel() int { return 0 }

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
