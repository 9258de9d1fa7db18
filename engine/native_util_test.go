package engine_test

import (
	"errors"
	"net/netip"
	"os"
	"testing"
	"time"

	"github.com/qsock/qsock/engine"
	"golang.org/x/sys/unix"
)

// countOpenFDs counts this process's descriptors.
func countOpenFDs(t testing.TB) int {
	t.Helper()
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skipf("no /proc/self/fd (%v); leak check needs Linux procfs", err)
	}
	return len(ents) - 1 // ReadDir's own descriptor
}

// checkLeaks fails the test if it ends with more descriptors open than it
// began with. Other packages' helpers may open a descriptor lazily (the Go
// netpoller, a netlink socket), so a short settle is allowed.
func checkLeaks(t *testing.T) {
	t.Helper()
	before := countOpenFDs(t)
	t.Cleanup(func() {
		var after int
		for range 20 {
			if after = countOpenFDs(t); after <= before {
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
		t.Errorf("descriptor leak: %d open before, %d after", before, after)
	})
}

func newTestEngine(t testing.TB, domain, typ int) *engine.NativeEngine {
	t.Helper()
	e, err := engine.NewNativeEngine(domain, typ)
	if err != nil {
		t.Fatalf("NewNativeEngine(%d, %d): %v", domain, typ, err)
	}
	t.Cleanup(func() { e.Close() })
	return e
}

func adoptFD(t testing.TB, fd int) *engine.NativeEngine {
	t.Helper()
	e, err := engine.AdoptNativeEngine(fd)
	if err != nil {
		unix.Close(fd)
		t.Fatalf("AdoptNativeEngine(%d): %v", fd, err)
	}
	t.Cleanup(func() { e.Close() })
	return e
}

func loopbackAddr(domain int) netip.Addr {
	if domain == unix.AF_INET6 {
		return netip.IPv6Loopback()
	}
	return netip.MustParseAddr("127.0.0.1")
}

// listener returns a TCP listener on the loopback address of domain.
func tcpListener(t testing.TB, domain int) (*engine.NativeEngine, netip.AddrPort) {
	t.Helper()
	l := newTestEngine(t, domain, unix.SOCK_STREAM)
	if err := l.Bind(netip.AddrPortFrom(loopbackAddr(domain), 0)); err != nil {
		t.Fatal(err)
	}
	if err := l.Listen(16); err != nil {
		t.Fatal(err)
	}
	ap, err := l.LocalAddr()
	if err != nil {
		t.Fatal(err)
	}
	return l, ap
}

// connect finishes a non-blocking connect the way the socket layer will:
// Connect, wait writable, ConnectResult.
func connectWait(t testing.TB, c *engine.NativeEngine, ap netip.AddrPort) error {
	t.Helper()
	err := c.Connect(ap)
	if !errors.Is(err, engine.ErrInProgress) {
		return err
	}
	_, w, werr := c.Wait(false, true, 5*time.Second)
	if werr != nil || !w {
		t.Fatalf("Wait writable after connect: %v %v", w, werr)
	}
	return c.ConnectResult()
}

// accept waits for and accepts one connection on l.
func acceptWait(t testing.TB, l *engine.NativeEngine) *engine.NativeEngine {
	t.Helper()
	if r, _, err := l.Wait(true, false, 5*time.Second); err != nil || !r {
		t.Fatalf("Wait readable on listener: %v %v", r, err)
	}
	fd, err := l.Accept()
	if err != nil {
		t.Fatalf("Accept: %v", err)
	}
	return adoptFD(t, fd)
}

// tcpPair returns a connected client and its accepted server side.
func tcpPair(t testing.TB, domain int) (client, server *engine.NativeEngine) {
	t.Helper()
	l, ap := tcpListener(t, domain)
	client = newTestEngine(t, domain, unix.SOCK_STREAM)
	if err := connectWait(t, client, ap); err != nil {
		t.Fatalf("connect %v: %v", ap, err)
	}
	server = acceptWait(t, l)
	return client, server
}

// unixListenerAndClient returns a Unix-domain stream listener bound to
// path and a client connecting to it (the connection not yet accepted).
func unixListenerAndClient(t testing.TB, path string) (l, c *engine.NativeEngine) {
	t.Helper()
	l = newTestEngine(t, unix.AF_UNIX, unix.SOCK_STREAM)
	if err := l.BindPath(path); err != nil {
		t.Fatal(err)
	}
	if err := l.Listen(4); err != nil {
		t.Fatal(err)
	}
	c = newTestEngine(t, unix.AF_UNIX, unix.SOCK_STREAM)
	if err := c.ConnectPath(path); err != nil && err != engine.ErrInProgress {
		t.Fatal(err)
	}
	return l, c
}

// udpPair returns two UDP sockets bound to loopback ports.
func udpPair(t testing.TB, domain int) (a, b *engine.NativeEngine) {
	t.Helper()
	a = newTestEngine(t, domain, unix.SOCK_DGRAM)
	b = newTestEngine(t, domain, unix.SOCK_DGRAM)
	for _, e := range []*engine.NativeEngine{a, b} {
		if err := e.Bind(netip.AddrPortFrom(loopbackAddr(domain), 0)); err != nil {
			t.Fatal(err)
		}
	}
	return a, b
}

func localAddr(t testing.TB, e *engine.NativeEngine) netip.AddrPort {
	t.Helper()
	ap, err := e.LocalAddr()
	if err != nil {
		t.Fatal(err)
	}
	return ap
}

func waitReadable(t testing.TB, e *engine.NativeEngine) {
	t.Helper()
	if r, _, err := e.Wait(true, false, 5*time.Second); err != nil || !r {
		t.Fatalf("Wait readable: %v %v", r, err)
	}
}

// fdFlags reports FD_CLOEXEC and O_NONBLOCK of fd.
func fdFlags(t testing.TB, fd int) (cloexec, nonblock bool) {
	t.Helper()
	fdfl, err := unix.FcntlInt(uintptr(fd), unix.F_GETFD, 0)
	if err != nil {
		t.Fatal(err)
	}
	fl, err := unix.FcntlInt(uintptr(fd), unix.F_GETFL, 0)
	if err != nil {
		t.Fatal(err)
	}
	return fdfl&unix.FD_CLOEXEC != 0, fl&unix.O_NONBLOCK != 0
}

var ipFamilies = []struct {
	name   string
	domain int
}{{"IPv4", unix.AF_INET}, {"IPv6", unix.AF_INET6}}
