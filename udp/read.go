package udp

import (
	"context"
	"errors"
	"io"
	"net/netip"
	"time"

	"github.com/qsock/qsock/engine"
	"github.com/qsock/qsock/socket"
)

// maxDatagram bounds any UDP payload: the length field is 16 bits.
const maxDatagram = 1<<16 - 1

// HasPendingDatagrams reports whether at least one datagram is waiting to
// be read (QUdpSocket::hasPendingDatagrams). It is false on a socket that
// is not bound or connected.
func (s *Socket) HasPendingDatagrams() bool {
	return s.PendingDatagramSize() >= 0
}

// PendingDatagramSize returns the size of the first pending datagram,
// 0 for an empty one, and -1 when none is pending or the socket is not
// bound (QUdpSocket::pendingDatagramSize).
func (s *Socket) PendingDatagramSize() int64 {
	dt := s.transport()
	if dt == nil {
		return -1
	}
	tried := s.fill()
	switch {
	case s.rx != nil:
		return int64(s.headSize())
	case s.rxErr != nil:
		return -1
	case !tried:
		if n, err := dt.PendingDatagramSize(); err == nil {
			return int64(n)
		}
	}
	if s.announced {
		// A ReadyRead announced a datagram that is not there: another
		// socket's slot read it first (Qt's multicastreceiver drains two
		// sockets from one slot). Nothing is unread, so the read notifier
		// goes back on; left off, the socket would never announce again.
		s.announced, s.held = false, false
		s.RearmReadNotifier()
	}
	return -1
}

// BytesAvailable returns the size of the first pending datagram, or 0
// (QAbstractSocket::bytesAvailable on an unbuffered socket, which asks the
// kernel).
func (s *Socket) BytesAvailable() int64 {
	return max(s.PendingDatagramSize(), 0)
}

// ReadDatagram receives one datagram into p and returns its size and its
// sender (QUdpSocket::readDatagram). A datagram longer than p is cut to
// len(p) and the rest is lost; call PendingDatagramSize first to size p.
// An empty datagram reads as n == 0 with a sender.
//
// With nothing pending it returns TemporaryError ("No datagram available
// for reading") and emits ErrorOccurred, as Qt does; on a socket that is
// not bound or connected it returns OperationError. Every call re-arms
// ReadyRead. A read into the caller's p allocates nothing.
func (s *Socket) ReadDatagram(p []byte) (n int, addr netip.Addr, port uint16, err error) {
	dt := s.transport()
	if dt == nil {
		return 0, netip.Addr{}, 0, notBound("readDatagram", s.State())
	}
	n, err = s.readOne(dt, p, &s.rh)
	if err != nil {
		return 0, netip.Addr{}, 0, s.readFailed("readDatagram", err)
	}
	return n, s.rh.Addr.Addr(), s.rh.Addr.Port(), nil
}

// readOne reads the next datagram into p, from the ring when it holds
// one (filling it first when batching is on), else with one recvmsg; h
// gets the metadata when not nil. Every call ends in afterRead, which
// re-arms ReadyRead as Qt's reads do.
func (s *Socket) readOne(dt datagramTransport, p []byte, h *engineHeader) (n int, err error) {
	tried := s.fill()
	switch {
	case s.rx != nil:
		n = s.take(p, h)
	case s.rxErr != nil:
		err, s.rxErr = s.rxErr, nil
	case tried:
		err = engine.ErrWouldBlock
	default:
		n, err = dt.ReadDatagram(p, h)
	}
	s.afterRead()
	return n, err
}

// ReceiveDatagram receives one datagram of at most maxSize bytes with its
// metadata (QUdpSocket::receiveDatagram): sender, destination (the local
// address and port it was sent to), hop limit and arriving interface.
// maxSize < 0 reads the whole datagram; a smaller maxSize cuts it and
// drops the rest, 0 discards it.
//
// With nothing pending it returns an invalid Datagram and TemporaryError;
// Qt emits ErrorOccurred for that only when maxSize >= 0, and so does
// this. Every call re-arms ReadyRead.
func (s *Socket) ReceiveDatagram(maxSize int) (Datagram, error) {
	dt := s.transport()
	if dt == nil {
		return Datagram{HopLimit: -1}, notBound("receiveDatagram", s.State())
	}
	size := s.PendingDatagramSize()
	if maxSize < 0 {
		if size < 0 {
			return Datagram{HopLimit: -1}, &socket.Error{Code: socket.TemporaryError, Op: "receiveDatagram", Err: engine.ErrWouldBlock}
		}
		maxSize = int(size)
	}
	// A buffer beyond the datagram's size would be wasted: Qt allocates
	// all of maxSize, and a huge one ends the process. With nothing
	// pending yet, a datagram arriving now is at most maxDatagram.
	if size < 0 {
		size = maxDatagram
	}
	return s.receive(dt, make([]byte, min(maxSize, int(size))))
}

// ReceiveDatagramInto is ReceiveDatagram into the caller's buffer: the
// returned Datagram's Data is p[:n], so a loop over it allocates nothing.
// It goes beyond Qt, for receivers that want the metadata at ReadDatagram's
// cost.
func (s *Socket) ReceiveDatagramInto(p []byte) (Datagram, error) {
	dt := s.transport()
	if dt == nil {
		return Datagram{HopLimit: -1}, notBound("receiveDatagram", s.State())
	}
	return s.receive(dt, p)
}

func (s *Socket) receive(dt datagramTransport, p []byte) (Datagram, error) {
	n, err := s.readOne(dt, p, &s.rh)
	if err != nil {
		return Datagram{HopLimit: -1}, s.readFailed("receiveDatagram", err)
	}
	d := Datagram{
		Data:           p[:n],
		Sender:         s.rh.Addr,
		HopLimit:       s.rh.HopLimit,
		InterfaceIndex: s.rh.IfIndex,
	}
	if s.rh.Dst.IsValid() {
		// Qt fills in the destination port with the socket's own.
		d.Destination = netip.AddrPortFrom(s.rh.Dst, s.LocalPort())
	}
	return d, nil
}

// Read reads the next datagram into p, cutting it to len(p) (QIODevice::
// read on a QUdpSocket, normally a connected one). It never blocks: with
// nothing pending it returns (0, nil), as Qt's read returns 0, so an empty
// datagram and no datagram look alike here; ReadDatagram tells them apart.
// On a socket that is not open it returns socket.ErrNotOpen, and io.EOF
// once it is closed. An ICMP error the kernel reports for a connected
// peer (ECONNREFUSED: nobody listens there) is returned as an error
// matching socket.ConnectionRefusedError and emitted through
// ErrorOccurred; the socket stays connected, so a peer that starts later
// is reached.
func (s *Socket) Read(p []byte) (int, error) {
	if !s.IsReadable() {
		return 0, socket.ErrNotOpen
	}
	dt := s.transport()
	if dt == nil {
		return 0, io.EOF
	}
	n, err := s.readOne(dt, p, nil)
	switch {
	case err == nil:
		return n, nil
	case errors.Is(err, engine.ErrWouldBlock):
		return 0, nil
	}
	return 0, s.failErr("read", err)
}

// readFailed reports a failed datagram read as Qt's readDatagram does.
func (s *Socket) readFailed(op string, err error) error {
	if errors.Is(err, engine.ErrWouldBlock) {
		return s.fail(op, socket.TemporaryError, "No datagram available for reading", err)
	}
	return s.failErr(op, err)
}

// WaitForReadyRead blocks until a datagram can be read (true) or d passes
// (false, with SocketTimeoutError through ErrorOccurred), as
// QAbstractSocket::waitForReadyRead does on a QUdpSocket: ReadyRead is
// emitted for a new datagram; a datagram already announced and still
// unread makes it return true at once, without a second ReadyRead.
func (s *Socket) WaitForReadyRead(d time.Duration) bool {
	if s.readyNow() {
		return true
	}
	return s.AbstractSocket.WaitForReadyRead(d)
}

// WaitForReadyReadContext is WaitForReadyRead bounded by ctx.
func (s *Socket) WaitForReadyReadContext(ctx context.Context) error {
	if s.readyNow() {
		return nil
	}
	return s.AbstractSocket.WaitForReadyReadContext(ctx)
}

// readyNow reports whether a wait for ReadyRead is over before it begins:
// a datagram already announced is still pending, or, during a batch, the
// ring (refilled if empty) holds datagrams that no ReadyRead has announced
// since the last read. The kernel notifier, off during a batch, cannot
// announce them, so ReadyRead is emitted for them here, as Qt's wait
// emits it for a datagram queued in the kernel; with nothing left the
// batch ends and the wait goes to the kernel.
func (s *Socket) readyNow() bool {
	if s.announced && s.HasPendingDatagrams() {
		return true
	}
	return s.transport() != nil && s.held && s.announceOrRelease()
}
