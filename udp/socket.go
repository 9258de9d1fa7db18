package udp

import (
	"net/netip"

	"github.com/qsock/qsock/engine"
	"github.com/qsock/qsock/socket"
)

// engineHeader is the engine's per-datagram metadata.
type engineHeader = engine.DatagramHeader

// datagramTransport is what a transport needs beyond socket.Transport to
// carry datagrams (Qt's QAbstractSocketEngine::readDatagram and friends).
// *engine.NativeEngine has it, and so has the SOCKS5 UDP association a
// socket with a SOCKS5 proxy binds through.
type datagramTransport interface {
	socket.Transport
	ReadDatagram(p []byte, h *engine.DatagramHeader) (int, error)
	WriteDatagram(p []byte, h *engine.DatagramHeader) (int, error)
	PendingDatagramSize() (int, error)
}

// Socket is a UDP socket: Qt's QUdpSocket. It embeds
// *socket.AbstractSocket; the methods below replace the embedded ones
// where QUdpSocket differs (Read and Write move one datagram, Bind and
// ConnectToHost also ask the kernel for datagram metadata).
//
// A Socket belongs to its loop's goroutine, as every qsock socket does;
// made with a nil loop it is used in blocking style from one goroutine at
// a time.
type Socket struct {
	*socket.AbstractSocket

	// tr is the transport dt was taken from: when the socket's transport
	// changes (Bind, ConnectToHost, Close) the comparison notices and the
	// new one is set up once.
	tr socket.Transport
	dt datagramTransport

	rh engineHeader // read scratch, so that a read allocates nothing
	wh engineHeader // write scratch

	announced bool // ReadyRead announced a datagram that is still unread

	// Receive batching (ring.go). held: a ReadyRead announcement holds
	// the socket's read notifier off (no read has re-armed it since), so
	// datagrams may be buffered here and announced by the socket itself.
	bt          batchTransport // dt's batch reads, nil when it has none
	rx          *ring          // buffered datagrams, nil when none
	rxErr       error          // the error that ended the last batch, for the next read
	held        bool
	checkPosted bool   // turnCheck is posted to the loop
	checkFn     func() // s.turnCheck, made once so that posting allocates nothing

	wb *writeBatch // WriteDatagrams' scratch, made on its first call
}

// NewSocket creates an unbound UDP socket on loop (QUdpSocket's
// constructor). With a nil loop it is used in blocking style: Bind, then
// WaitForReadyRead and ReadDatagram, from one goroutine at a time.
func NewSocket(loop *engine.Loop) *Socket {
	s := &Socket{AbstractSocket: socket.NewAbstractSocket(socket.UDPSocket, loop)}
	// Tracks what the embedded socket's read notification announced, for
	// WaitForReadyRead (see there).
	s.ReadyRead.Connect(func() { s.announced, s.held = true, true })
	s.checkFn = s.turnCheck
	return s
}

// transport returns the socket's datagram transport, nil when it has
// none. A transport seen for the first time is asked to report each
// datagram's destination, interface and hop limit, as Qt's
// QNativeSocketEngine::initialize does for every UDP socket.
func (s *Socket) transport() datagramTransport {
	tr := s.Transport()
	if tr != s.tr {
		// A new descriptor, or none: what the old one buffered is gone.
		s.dropBuffered()
		dt, _ := tr.(datagramTransport)
		s.tr, s.dt = tr, dt
		s.bt, _ = tr.(batchTransport)
		if dt != nil {
			// Best effort, as in Qt: a system without these options
			// still sends and receives, with less metadata.
			_ = dt.SetOption(engine.ReceivePacketInfoOption, 1)
			_ = dt.SetOption(engine.ReceiveHopLimitOption, 1)
			_ = dt.SetOption(engine.BroadcastOption, 1)
		}
	}
	return s.dt
}

// Bind binds the socket to addr and port (QUdpSocket::bind, inherited
// from QAbstractSocket): Any (the zero Addr) is dual-stack, AnyIPv4 and
// AnyIPv6 one family each, port 0 picks a free port. On success the state
// is BoundState, StateChanged(BoundState) was emitted once, and ReadyRead
// will announce arriving datagrams. mode is mapped as Qt maps it on Unix:
// ShareAddress and ReuseAddressHint set SO_REUSEADDR, DontShareAddress
// and DefaultForPlatform do not.
func (s *Socket) Bind(addr netip.Addr, port uint16, mode socket.BindMode) error {
	err := s.AbstractSocket.Bind(addr, port, mode)
	if err == nil {
		s.attached()
	}
	return err
}

// ConnectToHost sets the socket's default peer (QAbstractSocket::
// connectToHost on a QUdpSocket). With an IP literal it completes before
// it returns: StateChanged(HostLookupState), StateChanged(ConnectingState),
// HostFound, StateChanged(ConnectedState) and Connected have been
// emitted. A name is looked up first, as in Qt. Once connected, Read and
// Write move one datagram each, and only the peer's datagrams arrive.
func (s *Socket) ConnectToHost(host string, port uint16) {
	s.AbstractSocket.ConnectToHost(host, port)
	s.attached()
}

// ConnectToAddress is ConnectToHost with an address (Qt's connectToHost
// overload taking a QHostAddress).
func (s *Socket) ConnectToAddress(addr netip.Addr, port uint16) {
	s.AbstractSocket.ConnectToAddress(addr, port)
	s.attached()
}

// ConnectToHostMode is ConnectToHost with Qt's optional arguments, the
// open mode and the network-layer protocol.
func (s *Socket) ConnectToHostMode(host string, port uint16, mode socket.OpenMode, proto socket.NetworkLayerProtocol) {
	s.AbstractSocket.ConnectToHostMode(host, port, mode, proto)
	s.attached()
}

// SetSocketDescriptor adopts fd, a UDP socket descriptor, in state st
// (QAbstractSocket::setSocketDescriptor); see socket.AbstractSocket.
func (s *Socket) SetSocketDescriptor(fd int, st socket.State) error {
	err := s.AbstractSocket.SetSocketDescriptor(fd, st)
	if err == nil {
		s.attached()
	}
	return err
}

// attached runs after the socket got a new descriptor: it sets the
// descriptor up for datagrams and re-arms ReadyRead, which a datagram
// left unread on the previous descriptor may have left off.
func (s *Socket) attached() {
	if s.transport() != nil {
		s.announced, s.held = false, false
		s.RearmReadNotifier()
	}
}
