package engine

import (
	"io"

	"golang.org/x/sys/unix"
)

// Read reads what the kernel holds, up to len(p): ErrWouldBlock when
// nothing, (0, io.EOF) when a stream peer shut down its writing side. On a
// datagram socket 0 is an empty datagram, not the end.
func (e *NativeEngine) Read(p []byte) (int, error) {
	n, err := ignoringEINTRIO(func() (int, error) { return sysRead(int(e.fd), p) })
	if err != nil {
		return 0, wrapErr("read", err)
	}
	if n == 0 && len(p) > 0 && e.sotype == unix.SOCK_STREAM {
		return 0, io.EOF
	}
	return n, nil
}

// Write writes as much of p as the kernel takes: ErrWouldBlock when its
// buffer is full, an error wrapping unix.EPIPE (or ECONNRESET) when the
// peer is gone — never a SIGPIPE.
func (e *NativeEngine) Write(p []byte) (int, error) {
	if len(p) == 0 && e.sotype == unix.SOCK_STREAM {
		return 0, nil
	}
	n, err := ignoringEINTRIO(func() (int, error) { return sendOne(e, p) })
	if err != nil {
		return 0, wrapErr("write", err)
	}
	return n, nil
}

// Readv scatters one read over bufs (at most iovMax of them), returning
// the total; the same end-of-stream and would-block rules as Read.
func (e *NativeEngine) Readv(bufs [][]byte) (int, error) {
	s := e.rs()
	want := s.setIovs(bufs)
	n, err := ignoringEINTRIO(func() (int, error) { return sysReadv(int(e.fd), &s.msg) })
	s.clear()
	if err != nil {
		return 0, wrapErr("readv", err)
	}
	if n == 0 && want > 0 && e.sotype == unix.SOCK_STREAM {
		return 0, io.EOF
	}
	return n, nil
}

// Writev gathers bufs into one sendmsg (the socket layer's end-of-turn
// flush of every write in a loop turn). Only the first iovMax non-empty
// buffers go in one call; the count says how far it got, and the caller
// continues from there. The iovec array lives in the engine, so a call
// allocates nothing.
func (e *NativeEngine) Writev(bufs [][]byte) (int, error) {
	if len(bufs) == 1 && e.sotype == unix.SOCK_STREAM {
		return e.Write(bufs[0]) // the common flush: one buffer, no msghdr
	}
	s := e.ws()
	if s.setIovs(bufs) == 0 && e.sotype == unix.SOCK_STREAM {
		s.clear()
		return 0, nil
	}
	n, err := ignoringEINTRIO(func() (int, error) { return sysWritev(int(e.fd), &s.msg) })
	s.clear()
	if err != nil {
		return 0, wrapErr("writev", err)
	}
	return n, nil
}

// setIov1 points the msghdr at the single buffer p, with no address and no
// control data.
func (s *msgScratch) setIov1(p []byte) {
	s.iov1 = unix.Iovec{}
	if len(p) > 0 {
		s.iov1.Base = &p[0]
		s.iov1.SetLen(len(p))
	}
	s.msg = unix.Msghdr{Iov: &s.iov1}
	s.msg.SetIovlen(1)
}

// setIovs points the msghdr at bufs, skipping empty ones, and returns the
// bytes covered. The iovec slice grows to the largest list seen (capped at
// iovMax) and is kept for the next call.
func (s *msgScratch) setIovs(bufs [][]byte) int {
	if len(bufs) == 1 {
		s.setIov1(bufs[0])
		return len(bufs[0])
	}
	want := min(len(bufs), iovMax)
	if cap(s.iovs) < want {
		s.iovs = make([]unix.Iovec, want)
	}
	iovs := s.iovs[:cap(s.iovs)]
	n, total := 0, 0
	for _, b := range bufs {
		if n == iovMax {
			break
		}
		if len(b) == 0 {
			continue
		}
		iovs[n] = unix.Iovec{Base: &b[0]}
		iovs[n].SetLen(len(b))
		total += len(b)
		n++
	}
	s.msg = unix.Msghdr{}
	if n > 0 {
		s.msg.Iov = &iovs[0]
		s.msg.SetIovlen(n)
	}
	return total
}

// clear drops the pointers into the caller's buffers once a call is done,
// so the engine never keeps user memory alive.
func (s *msgScratch) clear() {
	if s.msg.Iov != &s.iov1 {
		n := int(s.msg.Iovlen)
		for i := range s.iovs[:min(n, len(s.iovs))] {
			s.iovs[i].Base = nil
		}
	}
	s.iov1.Base = nil
	s.msg = unix.Msghdr{}
}
