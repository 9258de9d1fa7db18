package udp_test

import (
	"errors"
	"net/netip"
	"testing"

	"github.com/qsock/qsock/socket"
	"github.com/qsock/qsock/udp"
)

// QAbstractSocket::bind: BoundState and one stateChanged(BoundState);
// localAddress is what was asked for (Any stays Any), localPort the port.
func TestBindStatesAndSignals(t *testing.T) {
	for _, tc := range []struct {
		name string
		addr netip.Addr
	}{
		{"LocalHost", socket.LocalHost},
		{"LocalHostIPv6", socket.LocalHostIPv6},
		{"Any", socket.Any},
		{"AnyIPv4", socket.AnyIPv4},
		{"AnyIPv6", socket.AnyIPv6},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := udp.NewSocket(nil)
			defer s.Close()
			ev := record(s)
			if err := s.Bind(tc.addr, 0, socket.DefaultForPlatform); err != nil {
				t.Fatal(err)
			}
			ev.Check(t, "Bind", "state:BoundState")
			if s.State() != socket.BoundState {
				t.Fatalf("state %v, want BoundState", s.State())
			}
			if s.LocalAddress() != tc.addr {
				t.Errorf("LocalAddress %v, want %v", s.LocalAddress(), tc.addr)
			}
			if s.LocalPort() == 0 || s.SocketDescriptor() < 0 || !s.IsValid() {
				t.Errorf("port %d fd %d valid %v", s.LocalPort(), s.SocketDescriptor(), s.IsValid())
			}
			if s.SocketType() != socket.UDPSocket {
				t.Errorf("SocketType %v", s.SocketType())
			}
		})
	}
}

// AnyIPv6 is IPv6 only; Any also takes IPv4 (dual-stack), as in Qt.
func TestBindAnyIPv6IsV6Only(t *testing.T) {
	v6only := bound(t, socket.AnyIPv6)
	dual := bound(t, socket.Any)
	w := peer(t, "udp4", "127.0.0.1:0")
	sendTo(t, w, socket.LocalHost, dual.LocalPort(), "dual")
	waitPending(t, dual)
	sendTo(t, w, socket.LocalHost, v6only.LocalPort(), "v6only")
	// A datagram to an IPv6-only port over IPv4 finds nobody: send a
	// marker over IPv6 after it and check that only the marker arrives.
	w6 := peer(t, "udp6", "[::1]:0")
	sendTo(t, w6, socket.LocalHostIPv6, v6only.LocalPort(), "marker")
	waitPending(t, v6only)
	buf := make([]byte, 64)
	n, _, _, err := v6only.ReadDatagram(buf)
	if err != nil || string(buf[:n]) != "marker" {
		t.Fatalf("IPv6-only socket read %q, %v; want the marker only", buf[:n], err)
	}
	n, from, _, err := dual.ReadDatagram(buf)
	if err != nil || string(buf[:n]) != "dual" {
		t.Fatalf("dual-stack read %q, %v", buf[:n], err)
	}
	// Qt reports IPv4 senders of a dual-stack socket v4-mapped.
	if !from.Is4In6() || from.Unmap() != socket.LocalHost {
		t.Errorf("sender %v, want ::ffff:127.0.0.1", from)
	}
}

// Two sockets on one port, per bind mode (Qt on Unix: ShareAddress and
// ReuseAddressHint set SO_REUSEADDR; both sockets need it).
func TestBindModesTwoSocketsOnePort(t *testing.T) {
	for _, tc := range []struct {
		first, second socket.BindMode
		ok            bool
	}{
		{socket.DefaultForPlatform, socket.DefaultForPlatform, false},
		{socket.DontShareAddress, socket.ShareAddress, false},
		{socket.ShareAddress, socket.DefaultForPlatform, false},
		{socket.ShareAddress, socket.ShareAddress, true},
		{socket.ReuseAddressHint, socket.ReuseAddressHint, true},
		{socket.ShareAddress | socket.ReuseAddressHint, socket.ShareAddress | socket.ReuseAddressHint, true},
	} {
		t.Run(tc.first.String()+"+"+tc.second.String(), func(t *testing.T) {
			a := udp.NewSocket(nil)
			defer a.Close()
			if err := a.Bind(socket.AnyIPv4, 0, tc.first); err != nil {
				t.Fatal(err)
			}
			b := udp.NewSocket(nil)
			defer b.Close()
			ev := record(b)
			err := b.Bind(socket.AnyIPv4, a.LocalPort(), tc.second)
			if tc.ok {
				if err != nil {
					t.Fatalf("second bind: %v", err)
				}
				ev.Check(t, "second bind", "state:BoundState")
				return
			}
			if !errors.Is(err, socket.AddressInUseError) {
				t.Fatalf("second bind: %v, want AddressInUseError", err)
			}
			ev.Check(t, "second bind", "error:AddressInUseError")
			if b.State() != socket.UnconnectedState || b.Error() != socket.AddressInUseError {
				t.Fatalf("state %v error %v", b.State(), b.Error())
			}
		})
	}
}

// Bind to an address this host does not have fails with
// SocketAddressNotAvailableError.
func TestBindForeignAddress(t *testing.T) {
	s := udp.NewSocket(nil)
	defer s.Close()
	err := s.Bind(netip.MustParseAddr("192.0.2.1"), 0, socket.DefaultForPlatform)
	if !errors.Is(err, socket.SocketAddressNotAvailableError) {
		t.Fatalf("Bind(192.0.2.1): %v", err)
	}
}

// Close on a bound socket: Qt goes through ClosingState to Unconnected.
func TestCloseBound(t *testing.T) {
	s := bound(t, socket.LocalHost)
	ev := record(s)
	s.Close()
	if s.State() != socket.UnconnectedState || s.SocketDescriptor() != -1 || s.LocalPort() != 0 {
		t.Fatalf("after Close: state %v fd %d port %d", s.State(), s.SocketDescriptor(), s.LocalPort())
	}
	// A bound socket is not open (Qt's openMode is NotOpen), so
	// QIODevice::close emits no aboutToClose; disconnectFromHost still
	// passes through Closing, and emits disconnected because the state
	// before Unconnected was Closing.
	ev.Check(t, "Close on a bound socket", "state:ClosingState", "state:UnconnectedState",
		"readChannelFinished", "disconnected")
	// The socket can be bound again and receives.
	if err := s.Bind(socket.LocalHost, 0, socket.DefaultForPlatform); err != nil {
		t.Fatal(err)
	}
	w := peer(t, "udp4", "127.0.0.1:0")
	sendTo(t, w, socket.LocalHost, s.LocalPort(), "again")
	if !s.WaitForReadyRead(5e9) {
		t.Fatal("no readyRead after re-bind")
	}
}

// Calls in the wrong state return clear errors and never panic.
func TestWrongState(t *testing.T) {
	for _, name := range []string{"fresh", "closed"} {
		t.Run(name, func(t *testing.T) {
			s := udp.NewSocket(nil)
			if name == "closed" {
				if err := s.Bind(socket.LocalHost, 0, 0); err != nil {
					t.Fatal(err)
				}
				s.Close()
			}
			ev := record(s)
			buf := make([]byte, 8)
			if _, _, _, err := s.ReadDatagram(buf); !errors.Is(err, socket.OperationError) {
				t.Errorf("ReadDatagram: %v", err)
			}
			if d, err := s.ReceiveDatagram(-1); !errors.Is(err, socket.OperationError) || d.IsValid() {
				t.Errorf("ReceiveDatagram: %+v, %v", d, err)
			}
			if _, err := s.ReceiveDatagramInto(buf); !errors.Is(err, socket.OperationError) {
				t.Errorf("ReceiveDatagramInto: %v", err)
			}
			if s.HasPendingDatagrams() || s.PendingDatagramSize() != -1 || s.BytesAvailable() != 0 {
				t.Errorf("pending %v size %d", s.HasPendingDatagrams(), s.PendingDatagramSize())
			}
			if _, err := s.Read(buf); !errors.Is(err, socket.ErrNotOpen) {
				t.Errorf("Read: %v", err)
			}
			if _, err := s.Write(buf); !errors.Is(err, socket.ErrNotOpen) {
				t.Errorf("Write: %v", err)
			}
			g := netip.MustParseAddr("239.255.43.21")
			if err := s.JoinMulticastGroup(g, nil); !errors.Is(err, socket.OperationError) {
				t.Errorf("JoinMulticastGroup: %v", err)
			}
			if err := s.LeaveMulticastGroup(g, nil); !errors.Is(err, socket.OperationError) {
				t.Errorf("LeaveMulticastGroup: %v", err)
			}
			if err := s.SetMulticastInterface(nil); !errors.Is(err, socket.OperationError) {
				t.Errorf("SetMulticastInterface: %v", err)
			}
			if s.MulticastInterface() != nil {
				t.Errorf("MulticastInterface not nil")
			}
			if s.WaitForReadyRead(0) || s.WaitForBytesWritten(0) {
				t.Errorf("a wait succeeded")
			}
			ev.Check(t, "wrong-state calls")
			if s.State() != socket.UnconnectedState {
				t.Errorf("state %v", s.State())
			}
		})
	}
}

// Write on a socket that is only bound: Qt's bound socket is not open, so
// QIODevice::write refuses it ("device not open", -1) without an error.
func TestWriteBoundNoPeer(t *testing.T) {
	s := bound(t, socket.LocalHost)
	ev := record(s)
	if s.IsOpen() || s.OpenMode() != socket.NotOpen {
		t.Errorf("bound socket: IsOpen %v, OpenMode %v; want false, NotOpen", s.IsOpen(), s.OpenMode())
	}
	if _, err := s.Write([]byte("x")); !errors.Is(err, socket.ErrNotOpen) {
		t.Fatalf("Write on a bound socket: %v, want ErrNotOpen", err)
	}
	ev.Check(t, "Write without a peer")
}

// Qt resolves the proxy before a bind makes the engine: with an HTTP
// application proxy, which cannot tunnel UDP, Bind fails with
// UnsupportedSocketOperationError through ErrorOccurred and the state
// stays Unconnected; so does the bind a first WriteDatagram makes. A
// socket whose own proxy is NoProxy binds directly.
func TestBindThroughApplicationProxy(t *testing.T) {
	socket.SetApplicationProxy(socket.Proxy{Type: socket.HTTPProxy, HostName: "127.0.0.1", Port: 3128})
	t.Cleanup(func() { socket.SetApplicationProxy(socket.Proxy{Type: socket.NoProxy}) })

	s := udp.NewSocket(nil)
	defer s.Close()
	ev := record(s)
	err := s.Bind(socket.LocalHost, 0, socket.DefaultForPlatform)
	if !errors.Is(err, socket.UnsupportedSocketOperationError) {
		t.Fatalf("Bind through an HTTP proxy = %v, want UnsupportedSocketOperationError", err)
	}
	ev.Check(t, "Bind", "error:UnsupportedSocketOperationError")
	if s.State() != socket.UnconnectedState || s.Error() != socket.UnsupportedSocketOperationError {
		t.Errorf("after the refused bind: %v, error %v", s.State(), s.Error())
	}
	if _, err := s.WriteDatagram([]byte("x"), socket.LocalHost, 9); !errors.Is(err, socket.UnsupportedSocketOperationError) {
		t.Errorf("WriteDatagram's bind through an HTTP proxy = %v, want UnsupportedSocketOperationError", err)
	}

	direct := udp.NewSocket(nil)
	defer direct.Close()
	direct.SetProxy(socket.Proxy{Type: socket.NoProxy})
	if err := direct.Bind(socket.LocalHost, 0, socket.DefaultForPlatform); err != nil || direct.State() != socket.BoundState {
		t.Errorf("Bind with the socket's own NoProxy = %v, state %v", err, direct.State())
	}
}

// A second Bind on a bound socket fails as Qt's does (its engine binds
// only from UnconnectedState): ErrorOccurred(UnknownSocketError), "Unknown
// error", and the socket stays bound to its port, which no other socket
// can take (Qt 5.15 and 6.4 probes).
func TestBindTwiceKeepsTheFirst(t *testing.T) {
	s := bound(t, socket.LocalHost)
	port, fd := s.LocalPort(), s.SocketDescriptor()
	ev := record(s)
	err := s.Bind(socket.LocalHost, 0, socket.DefaultForPlatform)
	if !errors.Is(err, socket.UnknownSocketError) {
		t.Fatalf("second Bind = %v, want UnknownSocketError", err)
	}
	ev.Check(t, "second Bind", "error:UnknownSocketError")
	if s.ErrorString() != "Unknown error" || s.State() != socket.BoundState || s.LocalPort() != port || s.SocketDescriptor() != fd {
		t.Errorf("after: %q, %v, port %d (was %d), fd %d (was %d)", s.ErrorString(), s.State(), s.LocalPort(), port, s.SocketDescriptor(), fd)
	}
	other := udp.NewSocket(nil)
	defer other.Close()
	if err := other.Bind(socket.LocalHost, port, socket.DefaultForPlatform); !errors.Is(err, socket.AddressInUseError) {
		t.Errorf("binding the first port elsewhere: %v, want AddressInUseError", err)
	}
}
