package udp_test

import (
	"errors"
	"net"
	"net/netip"
	"testing"

	"github.com/qsock/qsock/socket"
	"github.com/qsock/qsock/udp"
)

var (
	group4 = netip.MustParseAddr("239.255.43.21")
	group6 = netip.MustParseAddr("ff12::2115")
)

// multicastInterface returns an interface that is up and has multicast,
// or skips.
func multicastInterface(t testing.TB) *net.Interface {
	t.Helper()
	ifs, _ := net.Interfaces()
	for i := range ifs {
		if ifs[i].Flags&(net.FlagUp|net.FlagMulticast) == net.FlagUp|net.FlagMulticast && ifs[i].Flags&net.FlagLoopback == 0 {
			return &ifs[i]
		}
	}
	t.Skip("no multicast-capable interface that is up; the netns tests cover multicast end to end")
	return nil
}

// Joining needs a socket bound to the group's family, as in Qt: an IPv4
// group on AnyIPv4, not on Any; an IPv6 group on AnyIPv6 (or Any).
func TestJoinLeaveRules(t *testing.T) {
	ifi := multicastInterface(t)
	for _, tc := range []struct {
		name  string
		bind  netip.Addr
		group netip.Addr
		ok    bool
	}{
		{"IPv4GroupOnAnyIPv4", socket.AnyIPv4, group4, true},
		{"IPv4GroupOnAny", socket.Any, group4, false},
		{"IPv4GroupOnAnyIPv6", socket.AnyIPv6, group4, false},
		{"IPv6GroupOnAnyIPv6", socket.AnyIPv6, group6, true},
		{"IPv6GroupOnAny", socket.Any, group6, true},
		{"IPv6GroupOnAnyIPv4", socket.AnyIPv4, group6, false},
		{"NotAGroup", socket.AnyIPv4, socket.LocalHost, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := udp.NewSocket(nil)
			defer s.Close()
			if err := s.Bind(tc.bind, 0, socket.ShareAddress|socket.ReuseAddressHint); err != nil {
				t.Fatal(err)
			}
			ev := record(s)
			for _, iface := range []*net.Interface{ifi, nil} {
				err := s.JoinMulticastGroup(tc.group, iface)
				if !tc.ok {
					if !errors.Is(err, socket.UnsupportedSocketOperationError) {
						t.Fatalf("JoinMulticastGroup(%v, %v) = %v, want UnsupportedSocketOperationError", tc.group, iface, err)
					}
					continue
				}
				if err != nil {
					t.Fatalf("JoinMulticastGroup(%v, %v): %v", tc.group, iface, err)
				}
				if err := s.LeaveMulticastGroup(tc.group, iface); err != nil {
					t.Fatalf("LeaveMulticastGroup: %v", err)
				}
				// Leaving a group not joined: the kernel's EADDRNOTAVAIL,
				// which Qt reports as SocketAddressNotAvailableError.
				if err := s.LeaveMulticastGroup(tc.group, iface); !errors.Is(err, socket.SocketAddressNotAvailableError) {
					t.Fatalf("second LeaveMulticastGroup = %v", err)
				}
			}
			// Qt sets errors here but never emits errorOccurred.
			ev.Check(t, "join/leave")
		})
	}
}

// MulticastTtlOption and MulticastLoopbackOption read back as Qt reads
// them (1 and 1 by default), on IPv4 and IPv6 sockets; the outgoing
// interface reads back as set.
func TestMulticastOptions(t *testing.T) {
	for _, bind := range []netip.Addr{socket.AnyIPv4, socket.AnyIPv6} {
		t.Run(bind.String(), func(t *testing.T) {
			s := bound(t, bind)
			for _, tc := range []struct {
				o        socket.Option
				def, set int
			}{
				{socket.MulticastTTLOption, 1, 9},
				{socket.MulticastLoopbackOption, 1, 0},
			} {
				if v, err := s.SocketOption(tc.o); err != nil || v != tc.def {
					t.Errorf("%v default = %d, %v; want %d", tc.o, v, err, tc.def)
				}
				if err := s.SetSocketOption(tc.o, tc.set); err != nil {
					t.Fatal(err)
				}
				if v, err := s.SocketOption(tc.o); err != nil || v != tc.set {
					t.Errorf("%v = %d, %v; want %d", tc.o, v, err, tc.set)
				}
			}
			if s.MulticastInterface() != nil {
				t.Errorf("MulticastInterface before any was set = %v, want nil", s.MulticastInterface())
			}
			ifi := multicastInterface(t)
			if err := s.SetMulticastInterface(ifi); err != nil {
				t.Fatal(err)
			}
			if got := s.MulticastInterface(); got == nil || got.Index != ifi.Index {
				t.Errorf("MulticastInterface = %v, want %s", got, ifi.Name)
			}
			if err := s.SetMulticastInterface(nil); err != nil {
				t.Fatal(err)
			}
			if got := s.MulticastInterface(); got != nil {
				t.Errorf("MulticastInterface after reset = %v", got)
			}
		})
	}
}

// A TTL set before the socket exists applies to the auto-bound socket
// (Qt drops it; qsock keeps it, see socket.SetSocketOption).
func TestMulticastTTLBeforeBind(t *testing.T) {
	s := udp.NewSocket(nil)
	defer s.Close()
	s.SetSocketOption(socket.MulticastTTLOption, 9)
	p := peer(t, "udp4", "127.0.0.1:0")
	if _, err := s.WriteDatagram([]byte("x"), socket.LocalHost, portOf(p)); err != nil {
		t.Fatal(err)
	}
	if v, err := s.SocketOption(socket.MulticastTTLOption); err != nil || v != 9 {
		t.Fatalf("MulticastTtlOption after auto-bind = %d, %v; want 9", v, err)
	}
}
