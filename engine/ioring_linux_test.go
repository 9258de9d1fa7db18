package engine

import (
	"bytes"
	"errors"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"
)

func TestUringLayouts(t *testing.T) {
	if s := unsafe.Sizeof(uringSQE{}); s != 64 {
		t.Errorf("io_uring_sqe is %d bytes, want 64", s)
	}
	if s := unsafe.Sizeof(uringCQE{}); s != 16 {
		t.Errorf("io_uring_cqe is %d bytes, want 16", s)
	}
	if s := unsafe.Sizeof(uringParams{}); s != 120 {
		t.Errorf("io_uring_params is %d bytes, want 120", s)
	}
}

// The ring sends single and vectored writes on several sockets in one
// call, reports a full socket buffer as EAGAIN without waiting, and a
// closed peer as EPIPE, each at its own position.
func TestSendRing(t *testing.T) {
	r := newIORing()
	if r == nil {
		t.Skip("io_uring is not available here (old kernel, seccomp, or io_uring_disabled)")
	}
	defer r.close()
	pair := func() (int, int) {
		fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { unix.Close(fds[0]); unix.Close(fds[1]) })
		return fds[0], fds[1]
	}
	a, aPeer := pair()
	b, bPeer := pair()
	full, _ := pair()
	if err := unix.SetsockoptInt(full, unix.SOL_SOCKET, unix.SO_SNDBUF, 4096); err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := unix.Write(full, make([]byte, 4096)); err != nil {
			break // its buffer is full now
		}
	}
	gone, gonePeer := pair()
	unix.Close(gonePeer)

	r.queueSend(a, [][]byte{[]byte("single")})
	r.queueSend(b, [][]byte{[]byte("vec"), []byte("tored")})
	r.queueSend(full, [][]byte{[]byte("x")})
	r.queueSend(gone, [][]byte{[]byte("y")})
	res, err := r.submit()
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 4 || res[0] != 6 || res[1] != 8 {
		t.Fatalf("results %v, want [6 8 -EAGAIN -EPIPE]", res)
	}
	if unix.Errno(-res[2]) != unix.EAGAIN {
		t.Errorf("full socket: %v, want EAGAIN", unix.Errno(-res[2]))
	}
	if e := unix.Errno(-res[3]); !errors.Is(e, unix.EPIPE) && !errors.Is(e, unix.ECONNRESET) {
		t.Errorf("closed peer: %v, want EPIPE", e)
	}
	for _, c := range []struct {
		fd   int
		want string
	}{{aPeer, "single"}, {bPeer, "vectored"}} {
		buf := make([]byte, 64)
		n, err := unix.Read(c.fd, buf)
		if err != nil || !bytes.Equal(buf[:n], []byte(c.want)) {
			t.Errorf("peer read %q, %v; want %q", buf[:max(n, 0)], err, c.want)
		}
	}
	// The ring is reusable, and more sends than it has entries go in
	// several rounds of the caller's.
	for round := 0; round < 3; round++ {
		for !r.full() {
			r.queueSend(a, [][]byte{[]byte("z")})
		}
		res, err := r.submit()
		if err != nil || len(res) != int(r.entries) {
			t.Fatalf("round %d: %d results, %v", round, len(res), err)
		}
		got := 0
		for {
			buf := make([]byte, 4096)
			n, err := unix.Read(aPeer, buf)
			if err != nil {
				break
			}
			got += n
		}
		if got != int(r.entries) {
			t.Fatalf("round %d: peer got %d bytes, want %d", round, got, r.entries)
		}
	}
}
