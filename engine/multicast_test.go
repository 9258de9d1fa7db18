package engine_test

import (
	"errors"
	"net"
	"net/netip"
	"testing"

	"github.com/qsock/qsock/engine"
	"golang.org/x/sys/unix"
)

// multicastInterface finds an up interface that does multicast and has an
// IPv4 address (loopback has no IFF_MULTICAST on Linux).
func multicastInterface(t *testing.T) *net.Interface {
	t.Helper()
	ifs, _ := net.Interfaces()
	for _, ifi := range ifs {
		if ifi.Flags&net.FlagUp == 0 || ifi.Flags&net.FlagMulticast == 0 || ifi.Flags&net.FlagLoopback != 0 {
			continue
		}
		addrs, _ := ifi.Addrs()
		for _, a := range addrs {
			if ipn, ok := a.(*net.IPNet); ok && ipn.IP.To4() != nil {
				return &ifi
			}
		}
	}
	t.Skip("no up multicast interface with an IPv4 address; run in a namespace with a veth or dummy link")
	return nil
}

func TestMulticastLoopback(t *testing.T) {
	checkLeaks(t)
	ifi := multicastInterface(t)
	for _, tc := range []struct {
		name   string
		domain int
		group  netip.Addr
	}{
		{"IPv4", unix.AF_INET, netip.MustParseAddr("239.255.43.21")},
		{"IPv4-on-dual-stack", unix.AF_INET6, netip.MustParseAddr("239.255.43.22")},
		{"IPv6", unix.AF_INET6, netip.MustParseAddr("ff12::4321")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			recv := newTestEngine(t, tc.domain, unix.SOCK_DGRAM)
			if err := recv.SetOption(engine.ReuseAddressOption, 1); err != nil {
				t.Fatal(err)
			}
			if err := recv.Bind(netip.AddrPort{}); err != nil {
				t.Fatal(err)
			}
			if err := recv.JoinMulticastGroup(tc.group, ifi.Index); err != nil {
				t.Fatalf("JoinMulticastGroup(%v, %s): %v", tc.group, ifi.Name, err)
			}
			senderDomain := unix.AF_INET
			if tc.group.Is6() {
				senderDomain = unix.AF_INET6
			}
			send := newTestEngine(t, senderDomain, unix.SOCK_DGRAM)
			if err := send.SetMulticastInterface(ifi.Index); err != nil {
				t.Fatal(err)
			}
			if got, err := send.MulticastInterface(); got != ifi.Index || err != nil {
				t.Errorf("MulticastInterface = %d, %v; want %d", got, err, ifi.Index)
			}
			for _, o := range []engine.Option{engine.MulticastLoopbackOption, engine.MulticastTTLOption} {
				if err := send.SetOption(o, 1); err != nil {
					t.Fatal(err)
				}
			}
			to := netip.AddrPortFrom(tc.group, localAddr(t, recv).Port())
			if tc.group.Is6() {
				to = netip.AddrPortFrom(tc.group.WithZone(ifi.Name), to.Port())
			}
			if _, err := send.WriteDatagram([]byte("mc"), &engine.DatagramHeader{Addr: to}); err != nil {
				t.Fatalf("send to %v: %v", to, err)
			}
			waitReadable(t, recv)
			buf := make([]byte, 8)
			if n, err := recv.ReadDatagram(buf, nil); string(buf[:n]) != "mc" || err != nil {
				t.Fatalf("ReadDatagram = %q, %v", buf[:n], err)
			}
			if err := recv.LeaveMulticastGroup(tc.group, ifi.Index); err != nil {
				t.Errorf("LeaveMulticastGroup: %v", err)
			}
		})
	}
}

func TestMulticastErrors(t *testing.T) {
	checkLeaks(t)
	e := newTestEngine(t, unix.AF_INET, unix.SOCK_DGRAM)
	err := e.JoinMulticastGroup(netip.MustParseAddr("ff12::1"), 0)
	var op *engine.OpError
	if !errors.Is(err, unix.EAFNOSUPPORT) || !errors.As(err, &op) {
		t.Errorf("IPv6 group on AF_INET socket = %v, want *OpError EAFNOSUPPORT", err)
	}
	if err := e.JoinMulticastGroup(netip.MustParseAddr("10.0.0.1"), 0); !errors.Is(err, unix.EINVAL) {
		t.Errorf("unicast group = %v, want EINVAL", err)
	}
	if got, err := e.MulticastInterface(); got != 0 || err != nil {
		t.Errorf("MulticastInterface unset = %d, %v", got, err)
	}
}
