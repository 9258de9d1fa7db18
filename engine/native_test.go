package engine_test

import (
	"errors"
	"io"
	"net/netip"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/qsock/qsock/engine"
	"golang.org/x/sys/unix"
)

func TestConnectRefused(t *testing.T) {
	checkLeaks(t)
	for _, f := range ipFamilies {
		t.Run(f.name, func(t *testing.T) {
			// A port that was just free: bind, learn it, close.
			l, ap := tcpListener(t, f.domain)
			l.Close()
			c := newTestEngine(t, f.domain, unix.SOCK_STREAM)
			err := connectWait(t, c, ap)
			if !errors.Is(err, unix.ECONNREFUSED) {
				t.Fatalf("connect to closed port: %v, want ECONNREFUSED", err)
			}
			var op *engine.OpError
			if !errors.As(err, &op) || op.Op != "connect" || err.Error() != "connect: connection refused" {
				t.Errorf("error %q (%#v), want *OpError connect: connection refused", err, op)
			}
		})
	}
}

func TestAcceptEmpty(t *testing.T) {
	checkLeaks(t)
	l, _ := tcpListener(t, unix.AF_INET)
	fd, err := l.Accept()
	if fd != -1 || err != engine.ErrWouldBlock || !errors.Is(err, unix.EAGAIN) {
		t.Fatalf("Accept on empty listener = %d, %v; want -1, ErrWouldBlock wrapping EAGAIN", fd, err)
	}
}

func TestDescriptorFlags(t *testing.T) {
	checkLeaks(t)
	check := func(what string, fd int) {
		t.Helper()
		if cloexec, nonblock := fdFlags(t, fd); !cloexec || !nonblock {
			t.Errorf("%s: FD_CLOEXEC=%v O_NONBLOCK=%v, want both", what, cloexec, nonblock)
		}
	}
	for _, d := range []int{unix.AF_INET, unix.AF_INET6, unix.AF_UNIX} {
		for _, typ := range []int{unix.SOCK_STREAM, unix.SOCK_DGRAM} {
			check("socket "+strconv.Itoa(d)+"/"+strconv.Itoa(typ), newTestEngine(t, d, typ).FD())
		}
	}
	_, server := tcpPair(t, unix.AF_INET)
	check("accepted", server.FD())

	// A plain blocking, inheritable socket made without the engine.
	raw, err := unix.Socket(unix.AF_INET6, unix.SOCK_DGRAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	e := adoptFD(t, raw)
	check("adopted", e.FD())
	if e.Domain() != unix.AF_INET6 || e.Type() != unix.SOCK_DGRAM {
		t.Errorf("adopted: domain %d type %d, want AF_INET6 SOCK_DGRAM", e.Domain(), e.Type())
	}
	r, w, err := engine.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	check("pipe r", r)
	check("pipe w", w)
	unix.Close(r)
	unix.Close(w)
	sp, err := engine.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM)
	if err != nil {
		t.Fatal(err)
	}
	check("socketpair", sp[0])
	unix.Close(sp[0])
	unix.Close(sp[1])
}

func TestAdoptInvalid(t *testing.T) {
	checkLeaks(t)
	if _, err := engine.AdoptNativeEngine(-1); !errors.Is(err, unix.EBADF) {
		t.Errorf("adopt -1: %v, want EBADF", err)
	}
	r, w, err := engine.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(w)
	if _, err := engine.AdoptNativeEngine(r); !errors.Is(err, unix.ENOTSOCK) {
		t.Errorf("adopt pipe: %v, want ENOTSOCK", err)
	}
	unix.Close(r)
	if _, err := engine.AdoptNativeEngine(r); !errors.Is(err, unix.EBADF) {
		t.Errorf("adopt closed fd: %v, want EBADF", err)
	}
}

func TestWriteToClosedPeerNoSIGPIPE(t *testing.T) {
	checkLeaks(t)
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGPIPE)
	defer signal.Stop(sig)

	client, server := tcpPair(t, unix.AF_INET)
	server.Close()
	buf := make([]byte, 64<<10)
	var err error
	for i := 0; i < 100 && err == nil; i++ {
		_, err = client.Write(buf)
		if err == nil {
			time.Sleep(time.Millisecond)
		}
	}
	if !errors.Is(err, unix.EPIPE) && !errors.Is(err, unix.ECONNRESET) {
		t.Fatalf("write to closed peer: %v, want EPIPE or ECONNRESET", err)
	}
	// Writev and WriteDatagram take the same sendmsg path.
	if _, err := client.Writev([][]byte{buf[:10], buf[:10]}); err == nil {
		t.Error("Writev to closed peer succeeded")
	}
	select {
	case s := <-sig:
		t.Fatalf("got %v", s)
	case <-time.After(50 * time.Millisecond):
	}
}

func TestReadEOFAndBytesAvailable(t *testing.T) {
	checkLeaks(t)
	client, server := tcpPair(t, unix.AF_INET6)
	if _, err := server.Read(make([]byte, 10)); err != engine.ErrWouldBlock {
		t.Fatalf("Read with nothing queued: %v, want ErrWouldBlock", err)
	}
	msg := make([]byte, 123)
	if n, err := client.Write(msg); n != len(msg) || err != nil {
		t.Fatalf("Write = %d, %v", n, err)
	}
	waitReadable(t, server)
	if n, err := server.BytesAvailable(); n != 123 || err != nil {
		t.Fatalf("BytesAvailable = %d, %v; want 123", n, err)
	}
	if err := client.Shutdown(unix.SHUT_WR); err != nil {
		t.Fatal(err)
	}
	if n, err := server.Read(make([]byte, 200)); n != 123 || err != nil {
		t.Fatalf("Read = %d, %v; want 123", n, err)
	}
	waitReadable(t, server)
	if n, err := server.Read(make([]byte, 200)); n != 0 || err != io.EOF {
		t.Fatalf("Read after peer shutdown = %d, %v; want 0, EOF", n, err)
	}
	// The peer of a v6 loopback connection is reported as the kernel does.
	pa, err := server.PeerAddr()
	if err != nil || pa != localAddr(t, client) {
		t.Errorf("PeerAddr = %v, %v; want %v", pa, err, localAddr(t, client))
	}
}

func TestDualStackPeerIsMapped(t *testing.T) {
	checkLeaks(t)
	l := newTestEngine(t, unix.AF_INET6, unix.SOCK_STREAM)
	if err := l.Bind(netip.AddrPort{}); err != nil { // "::", dual-stack
		t.Fatal(err)
	}
	if err := l.Listen(4); err != nil {
		t.Fatal(err)
	}
	c := newTestEngine(t, unix.AF_INET, unix.SOCK_STREAM)
	if err := connectWait(t, c, netip.AddrPortFrom(loopbackAddr(unix.AF_INET), localAddr(t, l).Port())); err != nil {
		t.Fatal(err)
	}
	s := acceptWait(t, l)
	pa, _ := s.PeerAddr()
	if want := netip.MustParseAddr("::ffff:127.0.0.1"); pa.Addr() != want {
		t.Errorf("peer of dual-stack server = %v, want %v", pa.Addr(), want)
	}
	// An IPv4 address given to an AF_INET6 socket is mapped, not refused.
	c6 := newTestEngine(t, unix.AF_INET6, unix.SOCK_STREAM)
	if err := connectWait(t, c6, netip.AddrPortFrom(loopbackAddr(unix.AF_INET), localAddr(t, l).Port())); err != nil {
		t.Fatalf("v4 address on AF_INET6 socket: %v", err)
	}
	acceptWait(t, l)
	// And an IPv6 one on an AF_INET socket is EAFNOSUPPORT.
	if err := c.Bind(netip.AddrPortFrom(netip.IPv6Loopback(), 0)); !errors.Is(err, unix.EAFNOSUPPORT) {
		t.Errorf("v6 bind on AF_INET: %v, want EAFNOSUPPORT", err)
	}
}

func TestReadvWritev(t *testing.T) {
	checkLeaks(t)
	client, server := tcpPair(t, unix.AF_INET)
	want := []byte("hello, scattered world!")
	n, err := client.Writev([][]byte{want[:5], nil, want[5:12], want[12:]})
	if n != len(want) || err != nil {
		t.Fatalf("Writev = %d, %v", n, err)
	}
	waitReadable(t, server)
	a, b, c := make([]byte, 3), make([]byte, 10), make([]byte, 50)
	n, err = server.Readv([][]byte{a, b, c})
	if n != len(want) || err != nil {
		t.Fatalf("Readv = %d, %v", n, err)
	}
	got := append(append(append([]byte{}, a...), b...), c[:n-13]...)
	if string(got) != string(want) {
		t.Fatalf("Readv got %q, want %q", got, want)
	}

	// More buffers than IOV_MAX: one call moves the first 1024.
	bufs := make([][]byte, 2000)
	for i := range bufs {
		bufs[i] = []byte{byte(i)}
	}
	if n, err := client.Writev(bufs); n != 1024 || err != nil {
		t.Fatalf("Writev of 2000 buffers = %d, %v; want 1024", n, err)
	}
	waitReadable(t, server)
	got = make([]byte, 2000)
	n, _ = server.Read(got)
	for n < 1024 {
		waitReadable(t, server)
		m, err := server.Read(got[n:])
		if err != nil {
			t.Fatal(err)
		}
		n += m
	}
	for i := range 1024 {
		if got[i] != byte(i) {
			t.Fatalf("byte %d = %d", i, got[i])
		}
	}
}

func TestUnixStream(t *testing.T) {
	checkLeaks(t)
	for _, path := range []string{
		filepath.Join(t.TempDir(), "s"),
		"@qsock-engine-test-" + strconv.Itoa(os.Getpid()),
	} {
		t.Run(path[:1], func(t *testing.T) {
			l, c := unixListenerAndClient(t, path)
			s := acceptWait(t, l)
			if p, err := l.LocalPath(); p != path || err != nil {
				t.Errorf("LocalPath = %q, %v; want %q", p, err, path)
			}
			if p, err := c.PeerPath(); p != path || err != nil {
				t.Errorf("PeerPath = %q, %v; want %q", p, err, path)
			}
			pid, uid, gid, err := s.PeerCredentials()
			if err != nil || pid != os.Getpid() || uid != os.Getuid() || gid != os.Getgid() {
				t.Errorf("PeerCredentials = %d %d %d %v; want %d %d %d", pid, uid, gid, err, os.Getpid(), os.Getuid(), os.Getgid())
			}
			if _, err := c.Write([]byte("ping")); err != nil {
				t.Fatal(err)
			}
			waitReadable(t, s)
			buf := make([]byte, 10)
			if n, err := s.Read(buf); string(buf[:n]) != "ping" || err != nil {
				t.Fatalf("Read = %q, %v", buf[:n], err)
			}
		})
	}
}

func TestUnixDatagram(t *testing.T) {
	checkLeaks(t)
	dir := t.TempDir()
	a := newTestEngine(t, unix.AF_UNIX, unix.SOCK_DGRAM)
	b := newTestEngine(t, unix.AF_UNIX, unix.SOCK_DGRAM)
	if err := a.BindPath(filepath.Join(dir, "a")); err != nil {
		t.Fatal(err)
	}
	if err := b.BindPath(filepath.Join(dir, "b")); err != nil {
		t.Fatal(err)
	}
	if err := a.ConnectPath(filepath.Join(dir, "b")); err != nil {
		t.Fatal(err)
	}
	for _, msg := range []string{"", "datagram"} {
		if n, err := a.WriteDatagram([]byte(msg), nil); n != len(msg) || err != nil {
			t.Fatalf("WriteDatagram = %d, %v", n, err)
		}
		waitReadable(t, b)
		if n, err := b.PendingDatagramSize(); n != len(msg) || err != nil {
			t.Fatalf("PendingDatagramSize = %d, %v; want %d", n, err, len(msg))
		}
		buf := make([]byte, 20)
		if n, err := b.Read(buf); string(buf[:n]) != msg || err != nil {
			t.Fatalf("Read = %q, %v; want %q (an empty datagram is no EOF)", buf[:n], err, msg)
		}
	}
}

func TestDoubleClose(t *testing.T) {
	checkLeaks(t)
	e, err := engine.NewNativeEngine(unix.AF_INET, unix.SOCK_STREAM)
	if err != nil {
		t.Fatal(err)
	}
	fd := e.FD()
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	if e.FD() != -1 {
		t.Errorf("FD after Close = %d", e.FD())
	}
	// The number is free again: whoever gets it next must keep it.
	r, w, err := engine.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(r)
	defer unix.Close(w)
	if r != fd && w != fd {
		t.Logf("descriptor %d not reused (pipe %d,%d); still checking", fd, r, w)
	}
	if err := e.Close(); !errors.Is(err, unix.EBADF) {
		t.Errorf("second Close = %v, want EBADF", err)
	}
	for _, p := range []int{r, w} {
		if _, err := unix.FcntlInt(uintptr(p), unix.F_GETFD, 0); err != nil {
			t.Errorf("second Close closed someone else's descriptor %d: %v", p, err)
		}
	}
}

func TestWait(t *testing.T) {
	checkLeaks(t)
	client, server := tcpPair(t, unix.AF_INET)
	start := time.Now()
	r, w, err := server.Wait(true, false, 50*time.Millisecond)
	if r || w || err != nil {
		t.Fatalf("Wait on idle socket = %v %v %v; want timeout", r, w, err)
	}
	if d := time.Since(start); d < 50*time.Millisecond {
		t.Errorf("Wait returned after %v, before its 50ms", d)
	}
	if r, w, err := client.Wait(false, true, 0); r || !w || err != nil {
		t.Errorf("Wait writable = %v %v %v", r, w, err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		time.Sleep(20 * time.Millisecond)
		client.Write([]byte("x"))
	}()
	if r, w, err := server.Wait(true, false, -1); !r || w || err != nil {
		t.Errorf("Wait readable forever = %v %v %v", r, w, err)
	}
	if r, w, err := server.Wait(true, true, 0); !r || !w || err != nil {
		t.Errorf("Wait readable|writable = %v %v %v", r, w, err)
	}
	// A hang-up counts as readable: the read reports it.
	<-done
	client.Close()
	server.Read(make([]byte, 1))
	if r, _, err := server.Wait(true, false, time.Second); !r || err != nil {
		t.Errorf("Wait after peer close = %v %v; want readable", r, err)
	}
	if _, _, err := engine.WaitFD(1<<20, true, false, 0); !errors.Is(err, unix.EBADF) {
		t.Errorf("WaitFD on a bad descriptor = %v, want EBADF", err)
	}
}
