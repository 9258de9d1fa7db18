package socket

import (
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// Every resolved address is tried in turn until one connects, as Qt's
// _q_connectToNextAddress does: a refused first address is not an error
// while others remain.
func TestEveryAddressTriedInTurn(t *testing.T) {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := uint16(ln.Addr().(*net.TCPAddr).Port)
	// The listener is bound to 127.0.0.1 only, so 127.0.0.2 refuses.
	refused := netip.MustParseAddr("127.0.0.2")
	s := NewAbstractSocket(TCPSocket, nil)
	var log []string
	s.StateChanged.Connect(func(st State) { log = append(log, st.String()) })
	s.ErrorOccurred.Connect(func(e SocketError) { log = append(log, "error:"+e.String()) })
	s.HostFound.Connect(func() { log = append(log, "hostFound") })
	s.ConnectToHost("several.example", port)
	s.startConnecting([]netip.Addr{refused, netip.MustParseAddr("127.0.0.1")}, nil)
	if !s.WaitForConnected(5 * time.Second) {
		t.Fatalf("not connected: %v", s.ErrorString())
	}
	defer s.Abort()
	want := []string{"HostLookupState", "ConnectingState", "hostFound", "ConnectedState"}
	if d := cmp.Diff(want, log); d != "" {
		t.Fatalf("sequence (-want +got):\n%s", d)
	}
	if s.PeerAddress() != netip.MustParseAddr("127.0.0.1") || s.PeerName() != "several.example" {
		t.Fatalf("connected to %v (name %q)", s.PeerAddress(), s.PeerName())
	}
}

// A preferred protocol drops the other family's addresses; with nothing
// left the lookup counts as failed.
func TestProtocolPreferenceFilters(t *testing.T) {
	s := NewAbstractSocket(TCPSocket, nil)
	var errs []SocketError
	s.ErrorOccurred.Connect(func(e SocketError) { errs = append(errs, e) })
	s.ConnectToHostMode("v6only.example", 1, ReadWrite, IPv4Protocol)
	s.startConnecting([]netip.Addr{netip.MustParseAddr("::1")}, nil)
	if s.State() != UnconnectedState || len(errs) != 1 || errs[0] != HostNotFoundError {
		t.Fatalf("state %v errors %v, want Unconnected and HostNotFoundError", s.State(), errs)
	}
}
