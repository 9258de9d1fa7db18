package udp_test

import (
	"errors"
	"net/netip"
	"strings"
	"testing"

	"github.com/qsock/qsock/socket"
	"github.com/qsock/qsock/udp"
)

// receiveDatagram fills in sender, destination (the local address and
// port), hop limit and interface, for IPv4, IPv6 and dual-stack sockets.
func TestReceiveDatagramMetadata(t *testing.T) {
	lo := loopbackIndex(t)
	for _, tc := range []struct {
		name       string
		bind       netip.Addr
		network    string
		from, dest netip.Addr
	}{
		{"IPv4", socket.LocalHost, "udp4", socket.LocalHost, socket.LocalHost},
		{"IPv6", socket.LocalHostIPv6, "udp6", socket.LocalHostIPv6, socket.LocalHostIPv6},
		{"AnyIPv4", socket.AnyIPv4, "udp4", socket.LocalHost, socket.LocalHost},
		{"DualStackIPv4", socket.Any, "udp4", netip.AddrFrom16(socket.LocalHost.As16()), netip.AddrFrom16(socket.LocalHost.As16())},
		{"DualStackIPv6", socket.Any, "udp6", socket.LocalHostIPv6, socket.LocalHostIPv6},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := bound(t, tc.bind)
			w := peer(t, tc.network, ":0")
			sendTo(t, w, tc.dest.Unmap(), r.LocalPort(), "meta")
			waitPending(t, r)
			d, err := r.ReceiveDatagram(-1)
			if err != nil {
				t.Fatal(err)
			}
			want := udp.Datagram{
				Data:           []byte("meta"),
				Sender:         netip.AddrPortFrom(tc.from, portOf(w)),
				Destination:    netip.AddrPortFrom(tc.dest, r.LocalPort()),
				HopLimit:       64,
				InterfaceIndex: lo,
			}
			if strings.HasSuffix(tc.network, "6") {
				want.HopLimit = 64 // Linux's default hop limit on lo
			}
			if !equalDatagram(d, want) {
				t.Fatalf("ReceiveDatagram = %+v\nwant %+v", d, want)
			}
			if !d.IsValid() {
				t.Error("received datagram not valid")
			}
		})
	}
}

// pendingDatagramSize is the size of the next datagram (-1 when none);
// readDatagram cuts to the buffer and drops the rest; receiveDatagram with
// a small maxSize does too.
func TestPendingSizeAndTruncation(t *testing.T) {
	r := bound(t, socket.LocalHost)
	if got := r.PendingDatagramSize(); got != -1 {
		t.Fatalf("PendingDatagramSize with nothing pending = %d, want -1", got)
	}
	w := peer(t, "udp4", "127.0.0.1:0")
	sendTo(t, w, socket.LocalHost, r.LocalPort(), strings.Repeat("a", 100), strings.Repeat("b", 50), "tail")
	waitPending(t, r)
	if got := r.PendingDatagramSize(); got != 100 {
		t.Fatalf("PendingDatagramSize = %d, want 100", got)
	}
	if r.BytesAvailable() != 100 {
		t.Fatalf("BytesAvailable = %d, want 100", r.BytesAvailable())
	}
	buf := make([]byte, 10)
	n, from, port, err := r.ReadDatagram(buf)
	if err != nil || n != 10 || string(buf) != strings.Repeat("a", 10) {
		t.Fatalf("ReadDatagram = %d %q, %v", n, buf[:n], err)
	}
	if from != socket.LocalHost || port != portOf(w) {
		t.Fatalf("sender %v:%d", from, port)
	}
	waitPending(t, r)
	if got := r.PendingDatagramSize(); got != 50 {
		t.Fatalf("after a cut read, PendingDatagramSize = %d, want 50 (the rest was dropped)", got)
	}
	d, err := r.ReceiveDatagram(5)
	if err != nil || string(d.Data) != "bbbbb" {
		t.Fatalf("ReceiveDatagram(5) = %q, %v", d.Data, err)
	}
	waitPending(t, r)
	d, err = r.ReceiveDatagram(0)
	if err != nil || len(d.Data) != 0 || !d.IsValid() {
		t.Fatalf("ReceiveDatagram(0) = %+v, %v; want the datagram discarded", d, err)
	}
	if r.HasPendingDatagrams() {
		t.Fatal("datagrams left")
	}
}

// An empty datagram is a datagram: size 0, readyRead for it alone.
func TestEmptyDatagram(t *testing.T) {
	l := newLoop(t)
	var r *udp.Socket
	var ev *events
	l.Invoke(func() {
		r = udp.NewSocket(l)
		ev = record(r)
		if err := r.Bind(socket.LocalHost, 0, 0); err != nil {
			t.Error(err)
		}
		ev.Reset()
	})
	defer l.Invoke(r.Close)
	w := peer(t, "udp4", "127.0.0.1:0")
	sendTo(t, w, socket.LocalHost, r.LocalPort(), "")
	until(t, l, "readyRead", func() bool { return len(ev.Log) > 0 })
	l.Invoke(func() {
		ev.Check(t, "empty datagram", "readyRead")
		if !r.HasPendingDatagrams() || r.PendingDatagramSize() != 0 {
			t.Errorf("pending %v size %d", r.HasPendingDatagrams(), r.PendingDatagramSize())
		}
		n, from, port, err := r.ReadDatagram(make([]byte, 8))
		if n != 0 || err != nil || from != socket.LocalHost || port != portOf(w) {
			t.Errorf("ReadDatagram = %d %v:%d %v", n, from, port, err)
		}
	})
}

// readDatagram with nothing pending: TemporaryError, emitted, as Qt.
func TestReadNothingPending(t *testing.T) {
	r := bound(t, socket.LocalHost)
	ev := record(r)
	_, _, _, err := r.ReadDatagram(make([]byte, 8))
	if !errors.Is(err, socket.TemporaryError) {
		t.Fatalf("ReadDatagram = %v, want TemporaryError", err)
	}
	ev.Check(t, "ReadDatagram with nothing", "error:TemporaryError")
	if r.ErrorString() != "No datagram available for reading" {
		t.Errorf("ErrorString %q", r.ErrorString())
	}
	ev.Reset()
	// receiveDatagram(-1): an invalid datagram, no signal (Qt returns
	// before reading).
	d, err := r.ReceiveDatagram(-1)
	if d.IsValid() || !errors.Is(err, socket.TemporaryError) {
		t.Fatalf("ReceiveDatagram(-1) = %+v, %v", d, err)
	}
	ev.Check(t, "ReceiveDatagram(-1) with nothing")
}

// readyRead follows Qt: not again while a datagram is unread; every read
// re-arms it, so it comes again while datagrams remain.
func TestReadyReadCounts(t *testing.T) {
	l := newLoop(t)
	w := peer(t, "udp4", "127.0.0.1:0")

	t.Run("NoReadNoSecondReadyRead", func(t *testing.T) {
		var r *udp.Socket
		count := 0
		l.Invoke(func() {
			r = udp.NewSocket(l)
			r.ReadyRead.Connect(func() { count++ })
			r.Bind(socket.LocalHost, 0, 0)
		})
		defer l.Invoke(r.Close)
		sendTo(t, w, socket.LocalHost, r.LocalPort(), "1")
		until(t, l, "readyRead", func() bool { return count == 1 })
		sendTo(t, w, socket.LocalHost, r.LocalPort(), "2", "3")
		settle(l)
		l.Invoke(func() {
			if count != 1 {
				t.Errorf("readyRead %d times while unread, want 1", count)
			}
			// One read re-arms: datagrams remain, so it comes again.
			r.ReadDatagram(make([]byte, 8))
		})
		until(t, l, "second readyRead", func() bool { return count == 2 })
	})

	t.Run("OneReadPerReadyRead", func(t *testing.T) {
		var r *udp.Socket
		var got []string
		count := 0
		l.Invoke(func() {
			r = udp.NewSocket(l)
			r.ReadyRead.Connect(func() {
				count++
				buf := make([]byte, 8)
				n, _, _, err := r.ReadDatagram(buf)
				if err == nil {
					got = append(got, string(buf[:n]))
				}
			})
			r.Bind(socket.LocalHost, 0, 0)
		})
		defer l.Invoke(r.Close)
		l.Invoke(func() { sendTo(t, w, socket.LocalHost, r.LocalPort(), "a", "b", "c") })
		until(t, l, "three datagrams", func() bool { return len(got) == 3 })
		settle(l)
		l.Invoke(func() {
			if count != 3 || strings.Join(got, "") != "abc" {
				t.Errorf("readyRead %d times, read %q; want 3 and abc", count, got)
			}
		})
	})

	t.Run("DrainInSlot", func(t *testing.T) {
		var r *udp.Socket
		n, count := 0, 0
		l.Invoke(func() {
			r = udp.NewSocket(l)
			r.ReadyRead.Connect(func() {
				count++
				for r.HasPendingDatagrams() {
					r.ReceiveDatagram(-1)
					n++
				}
			})
			r.Bind(socket.LocalHost, 0, 0)
			sendTo(t, w, socket.LocalHost, r.LocalPort(), "a", "b", "c")
		})
		defer l.Invoke(r.Close)
		until(t, l, "three datagrams", func() bool { return n == 3 })
		settle(l)
		l.Invoke(func() {
			if count != 1 {
				t.Errorf("readyRead %d times for three datagrams read in one slot, want 1", count)
			}
		})
	})
}

func equalDatagram(a, b udp.Datagram) bool {
	return string(a.Data) == string(b.Data) && a.Sender == b.Sender && a.Destination == b.Destination &&
		a.HopLimit == b.HopLimit && a.InterfaceIndex == b.InterfaceIndex
}

// A maxSize far beyond any datagram reads the datagram whole, with a
// buffer of the datagram's size: Qt allocates all of maxSize first, which
// ends the process for a huge one.
func TestReceiveDatagramHugeMaxSize(t *testing.T) {
	r := bound(t, socket.LocalHost)
	w := peer(t, "udp4", "127.0.0.1:0")
	sendTo(t, w, socket.LocalHost, r.LocalPort(), "ccc")
	waitPending(t, r)
	d, err := r.ReceiveDatagram(1 << 40)
	if err != nil || string(d.Data) != "ccc" {
		t.Fatalf("ReceiveDatagram(1<<40) = %q, %v; want \"ccc\"", d.Data, err)
	}
	if cap(d.Data) > 1<<16 {
		t.Errorf("ReceiveDatagram(1<<40) used a %d-byte buffer for a 3-byte datagram", cap(d.Data))
	}
}
