package udp

import (
	"errors"
	"net/netip"

	"github.com/qsock/qsock/engine"
	"github.com/qsock/qsock/socket"
)

// errNoDestination is the cause when a datagram has nowhere to go.
var errNoDestination = errors.New("invalid destination address")

// WriteDatagram sends p as one datagram to addr:port and returns its size
// (QUdpSocket::writeDatagram). It sends at once, unbuffered, and emits
// BytesWritten(n) before it returns. On a socket that is not bound it
// first binds to Any, port 0, as Qt does: StateChanged(BoundState) comes
// before BytesWritten and the socket stays Bound, so replies can be read.
//
// A datagram larger than the system allows (65,507 bytes over IPv4)
// fails with DatagramTooLargeError; a full send buffer with TemporaryError.
// Failures are emitted through ErrorOccurred and returned, with no
// BytesWritten. Broadcast needs no set-up: like Qt, every UDP socket has
// SO_BROADCAST on. A send allocates nothing.
func (s *Socket) WriteDatagram(p []byte, addr netip.Addr, port uint16) (int, error) {
	if !addr.IsValid() {
		return 0, s.fail("writeDatagram", socket.SocketAddressNotAvailableError, "Invalid destination address", errNoDestination)
	}
	dt, err := s.writable("writeDatagram")
	if err != nil {
		return 0, err
	}
	s.wh = engineHeader{Addr: netip.AddrPortFrom(addr, port), HopLimit: -1}
	return s.send(dt, "writeDatagram", p)
}

// SendDatagram sends d (QUdpSocket::writeDatagram(const QNetworkDatagram&)):
// to d.Destination, or to the connected peer when that is unset; with
// d.HopLimit as this datagram's TTL / hop limit, leaving by interface
// d.InterfaceIndex and from source address d.Sender when those are set.
// Otherwise it behaves as WriteDatagram: it binds an unbound socket first,
// sends at once and emits BytesWritten before it returns.
func (s *Socket) SendDatagram(d Datagram) (int, error) {
	if !d.Destination.IsValid() && s.State() != socket.ConnectedState {
		return 0, s.fail("writeDatagram", socket.SocketAddressNotAvailableError, "Invalid destination address", errNoDestination)
	}
	dt, err := s.writable("writeDatagram")
	if err != nil {
		return 0, err
	}
	d.header(&s.wh)
	return s.send(dt, "writeDatagram", d.Data)
}

// Write sends p as one datagram to the connected peer (QIODevice::write
// on a connected QUdpSocket), at once, and emits BytesWritten(n) before
// it returns. On a socket that is not connected it fails: ErrNotOpen when
// it is not open, OperationError when it is only bound (use WriteDatagram).
// An ICMP port-unreachable the kernel reports from an earlier datagram
// fails the call with an error matching socket.ConnectionRefusedError,
// emitted through ErrorOccurred; the socket stays connected.
func (s *Socket) Write(p []byte) (int, error) {
	if !s.IsWritable() {
		return 0, socket.ErrNotOpen
	}
	if s.State() != socket.ConnectedState {
		return 0, &socket.Error{Code: socket.OperationError, Op: "write", Err: errNoPeer}
	}
	dt := s.transport()
	if dt == nil {
		return 0, socket.ErrNotOpen
	}
	return s.send(dt, "write", p)
}

// WriteString is Write for a string.
func (s *Socket) WriteString(str string) (int, error) {
	return s.Write([]byte(str))
}

// writable returns the transport to send through, binding an unbound
// socket first as Qt's writeDatagram does.
func (s *Socket) writable(op string) (datagramTransport, error) {
	if s.State() == socket.UnconnectedState {
		if err := s.Bind(socket.Any, 0, socket.DefaultForPlatform); err != nil {
			return nil, err
		}
	}
	dt := s.transport()
	if dt == nil {
		return nil, notBound(op, s.State())
	}
	return dt, nil
}

// send hands one datagram to the kernel with the header in s.wh (nil
// when the peer is the connected one) and emits BytesWritten. Qt emits
// bytesWritten for every datagram, even from inside a bytesWritten slot,
// so there is no re-entrancy guard here.
func (s *Socket) send(dt datagramTransport, op string, p []byte) (int, error) {
	var h *engineHeader
	if op != "write" {
		h = &s.wh
	}
	n, err := dt.WriteDatagram(p, h)
	if err != nil {
		if errors.Is(err, engine.ErrWouldBlock) {
			return 0, s.fail(op, socket.TemporaryError, "Unable to send a datagram", err)
		}
		if op != "write" {
			code, msg := sendCodeOf(err)
			return 0, s.fail(op, code, msg, err)
		}
		return 0, s.failErr(op, err)
	}
	if op == "write" {
		s.EmitBytesWritten(n) // QAbstractSocket::writeData: both signals
	} else {
		s.BytesWritten.Emit(int64(n)) // QUdpSocket::writeDatagram: bytesWritten only
	}
	return n, nil
}
