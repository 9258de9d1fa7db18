package socket

import (
	"encoding/binary"
	"errors"
	"net/netip"
	"time"

	"golang.org/x/sys/unix"

	"github.com/qsock/qsock/engine"
)

// UDP through a SOCKS5 proxy (RFC 1928's UDP ASSOCIATE), as Qt's
// QSocks5SocketEngine does it: binding a datagram socket opens a control
// connection to the proxy and asks it for a relay, blocking for at most
// socks5AssociateTimeout as Qt's bind does; the socket then sends every
// datagram to the relay behind a SOCKS5 header naming the destination,
// and reads the sender from the header of what the relay returns. The
// association lasts while the control connection is open: Close ends both.

// socks5AssociateTimeout is Qt's SOCKS5_BLOCKING_BIND_TIMEOUT.
const socks5AssociateTimeout = 5 * time.Second

// socks5HeaderMax is the longest SOCKS5 UDP header: RSV, FRAG, ATYP, a
// 255-byte name with its length, the port.
const socks5HeaderMax = 4 + 1 + 255 + 2

// associate asks the proxy in s.x.via for a UDP relay for e, the bound
// local datagram socket the socket's notifier watches, and makes the
// socket's transport send through it. The caller reports a failure.
func (s *AbstractSocket) associate(e *engine.NativeEngine) error {
	local, err := e.LocalAddr()
	if err != nil {
		return err
	}
	pc := &proxyConn{s: s, proxy: *s.x.via, proto: &socks5Protocol{cmd: socks5UDPAssociate}, blocking: true}
	pc.addr, pc.port = local.Addr(), local.Port()
	pc.begin()
	if _, done, _ := pc.waitHandshake(socks5AssociateTimeout); !done {
		pc.Close()
		return proxyFail(SocketTimeoutError, "Network operation timed out", errors.New("socket: no UDP ASSOCIATE reply from the SOCKS5 proxy"))
	}
	if pc.err != nil {
		pc.Close()
		return pc.err
	}
	relay := pc.local
	if !relay.Addr().IsValid() || relay.Addr().IsUnspecified() {
		// "Send to where you reached me": the proxy's own address.
		peer, err := pc.ne.PeerAddr()
		if err != nil {
			pc.Close()
			return err
		}
		relay = netip.AddrPortFrom(peer.Addr(), relay.Port())
	}
	// The notifier keeps watching e's descriptor, which the new
	// transport reads.
	s.tr = &socks5Datagrams{e: e, ctl: pc, relay: relay}
	return nil
}

// associateToConnect gives a datagram socket connecting through a SOCKS5
// proxy its association first, as Qt's connectInternal binds to 0.0.0.0
// port 0; a socket bound through the proxy keeps its own.
func (s *AbstractSocket) associateToConnect() error {
	if _, ok := s.tr.(*socks5Datagrams); ok {
		return nil
	}
	s.releaseTransport()
	e, err := engine.NewNativeEngine(unix.AF_INET, unix.SOCK_DGRAM)
	if err != nil {
		return err
	}
	if err := s.attach(e); err != nil {
		e.Close()
		return err
	}
	datagramOptions(e)
	err = e.Bind(netip.AddrPortFrom(AnyIPv4, 0))
	if err == nil {
		err = s.associate(e)
	}
	if err != nil {
		s.releaseTransport()
	}
	return err
}

// socks5Datagrams is the Transport of a datagram socket whose datagrams go
// through a SOCKS5 relay.
type socks5Datagrams struct {
	e     *engine.NativeEngine // the local socket: datagrams to and from the relay
	ctl   *proxyConn           // the association's control connection
	relay netip.AddrPort
	peer  netip.AddrPort // ConnectToHost's peer, for Read and Write
	buf   []byte         // one datagram with its SOCKS5 header
	size  int            // the length of the datagram in buf
	rh    engine.DatagramHeader
	wh    engine.DatagramHeader
}

var errSocks5Datagram = errors.New("socket: the transport is a SOCKS5 UDP association")

func (d *socks5Datagrams) FD() int { return d.e.FD() }

// Connect makes addr the peer of Read and Write; the relay is unchanged.
func (d *socks5Datagrams) Connect(addr netip.AddrPort) error {
	d.peer = addr
	return nil
}

func (d *socks5Datagrams) ConnectResult() error { return nil }

func (d *socks5Datagrams) Bind(netip.AddrPort) error {
	return &Error{Code: OperationError, Op: "bind", Err: errSocks5Datagram}
}

func (d *socks5Datagrams) Read(p []byte) (int, error) { return d.ReadDatagram(p, nil) }

func (d *socks5Datagrams) Writev(bufs [][]byte) (int, error) {
	var p []byte
	for _, b := range bufs {
		p = append(p, b...)
	}
	return d.WriteDatagram(p, nil)
}

func (d *socks5Datagrams) Shutdown(int) error { return nil }

func (d *socks5Datagrams) Close() error {
	d.ctl.Close()
	return d.e.Close()
}

// BytesAvailable is the size of the next datagram's payload, as a native
// datagram socket's FIONREAD is.
func (d *socks5Datagrams) BytesAvailable() (int, error) {
	n, err := d.PendingDatagramSize()
	if errors.Is(err, engine.ErrWouldBlock) {
		return 0, nil
	}
	return n, err
}

// LocalAddr is unknown, as in Qt, which clears the local address and port
// of a socket bound through SOCKS5: what the peers see is the relay's.
func (d *socks5Datagrams) LocalAddr() (netip.AddrPort, error) { return netip.AddrPort{}, nil }

func (d *socks5Datagrams) PeerAddr() (netip.AddrPort, error) { return d.peer, nil }

func (d *socks5Datagrams) SetOption(o engine.Option, v int) error { return d.e.SetOption(o, v) }

func (d *socks5Datagrams) Option(o engine.Option) (int, error) { return d.e.Option(o) }

func (d *socks5Datagrams) Wait(read, write bool, timeout time.Duration) (bool, bool, error) {
	return d.e.Wait(read, write, timeout)
}

// ReadDatagram reads the next datagram from the relay into p, cut to
// len(p), with its sender from the SOCKS5 header in h. Datagrams that do
// not come from the relay, are fragments (Qt drops them too) or have a
// malformed header are dropped.
func (d *socks5Datagrams) ReadDatagram(p []byte, h *engine.DatagramHeader) (int, error) {
	for {
		n, from, err := d.next(d.e.ReadDatagram)
		if err != nil {
			return 0, err
		}
		if n < 0 {
			continue // not one of the relay's: dropped
		}
		payload := d.buf[n:d.size]
		c := copy(p, payload)
		if h != nil {
			*h = engine.DatagramHeader{Addr: from, HopLimit: -1, Truncated: c < len(payload)}
		}
		return c, nil
	}
}

// PendingDatagramSize is the size of the next valid datagram's payload.
func (d *socks5Datagrams) PendingDatagramSize() (int, error) {
	for {
		n, _, err := d.next(d.e.PeekDatagram)
		if err != nil {
			return 0, err
		}
		if n >= 0 {
			return d.size - n, nil
		}
		// Not one of the relay's: take it off the queue and look again.
		if _, err := d.e.ReadDatagram(d.buf[:0], nil); err != nil {
			return 0, err
		}
	}
}

// next reads (or peeks) one datagram into d.buf and parses its header. It
// returns the payload's offset, or -1 for a datagram to drop, and the
// sender the header names; the datagram's length is left in d.size.
func (d *socks5Datagrams) next(read func([]byte, *engine.DatagramHeader) (int, error)) (int, netip.AddrPort, error) {
	if d.buf == nil {
		d.buf = make([]byte, 1<<16+socks5HeaderMax)
	}
	size, err := read(d.buf, &d.rh)
	if err != nil {
		return 0, netip.AddrPort{}, err
	}
	src := d.rh.Addr
	d.size = size
	if src.Port() != d.relay.Port() || src.Addr().Unmap() != d.relay.Addr().Unmap() {
		return -1, netip.AddrPort{}, nil
	}
	b := d.buf[:size]
	if len(b) < 4 || b[0] != 0 || b[1] != 0 || b[2] != 0 {
		return -1, netip.AddrPort{}, nil
	}
	var addr netip.Addr
	off := 4
	switch b[3] {
	case socks5IPv4:
		if len(b) < off+4+2 {
			return -1, netip.AddrPort{}, nil
		}
		addr = netip.AddrFrom4([4]byte(b[off : off+4]))
		off += 4
	case socks5IPv6:
		if len(b) < off+16+2 {
			return -1, netip.AddrPort{}, nil
		}
		addr = netip.AddrFrom16([16]byte(b[off : off+16])).Unmap()
		off += 16
	default:
		return -1, netip.AddrPort{}, nil // a name: no address to report
	}
	port := binary.BigEndian.Uint16(b[off : off+2])
	return off + 2, netip.AddrPortFrom(addr, port), nil
}

// WriteDatagram sends p to h.Addr (the connected peer when h is nil or
// h.Addr is invalid) through the relay. The per-datagram options of h do
// not cross the relay and are ignored.
func (d *socks5Datagrams) WriteDatagram(p []byte, h *engine.DatagramHeader) (int, error) {
	to := d.peer
	if h != nil && h.Addr.IsValid() {
		to = h.Addr
	}
	if !to.IsValid() {
		return 0, &Error{Code: SocketAddressNotAvailableError, Op: "writeDatagram", Err: errors.New("socket: no destination for the datagram")}
	}
	if d.buf == nil {
		d.buf = make([]byte, 1<<16+socks5HeaderMax)
	}
	msg := d.buf[:0]
	if cap(msg) < 22+len(p) {
		msg = make([]byte, 0, 22+len(p)) // larger than any UDP datagram: the send fails
	}
	msg = append(msg, 0, 0, 0)
	if a := to.Addr().Unmap(); a.Is4() {
		b := a.As4()
		msg = append(msg, socks5IPv4)
		msg = append(msg, b[:]...)
	} else {
		b := a.As16()
		msg = append(msg, socks5IPv6)
		msg = append(msg, b[:]...)
	}
	msg = binary.BigEndian.AppendUint16(msg, to.Port())
	hdr := len(msg)
	msg = append(msg, p...)
	d.wh = engine.DatagramHeader{Addr: d.relay, HopLimit: -1}
	n, err := d.e.WriteDatagram(msg, &d.wh)
	if err != nil {
		return 0, err
	}
	return max(n-hdr, 0), nil
}
