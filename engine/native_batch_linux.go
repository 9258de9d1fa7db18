package engine

import (
	"sync"
	"unsafe"

	"golang.org/x/sys/unix"
)

// mmsghdr is struct mmsghdr: a msghdr and the length the kernel moved.
// Go pads it to the C layout on every architecture (64 bytes on 64-bit
// systems, 32 on 32-bit ones).
type mmsghdr struct {
	hdr unix.Msghdr
	len uint32
}

// batchScratch is everything recvmmsg and sendmmsg point at. The write
// side keeps one msgScratch per datagram so that the single-datagram
// prepareSend fills it in exactly as WriteDatagram does.
type batchScratch struct {
	msgs [BatchMax]mmsghdr
	iovs [BatchMax]unix.Iovec
	sas  [BatchMax]unix.RawSockaddrAny
	oob  [BatchMax][readOOBSize]byte
	ws   [BatchMax]msgScratch
}

// batchPool holds the batch scratch: a few tens of kilobytes, too much to
// carry in every engine and needed only for the length of one call.
// sync.Pool keeps one per P, so steady-state calls allocate nothing.
var batchPool = sync.Pool{New: func() any { return new(batchScratch) }}

// sysRecvmmsg and sysSendmmsg are the thin wrappers, through the fault
// seam: recvmmsg is a batch of the logical recvmsg (SysRecvmsg), sendmmsg
// a batch of sendmsg (SysSendmsg), so a test failing one fails the other.

// Both are raw system calls: the engine's descriptors are non-blocking
// (see sys_msg_raw.go).

func sysRecvmmsg(fd int, msgs []mmsghdr, flags int) (int, error) {
	if err := hook(SysRecvmsg); err != nil {
		return -1, err
	}
	n, _, e := unix.RawSyscall6(unix.SYS_RECVMMSG, uintptr(fd), uintptr(unsafe.Pointer(&msgs[0])),
		uintptr(len(msgs)), uintptr(flags), 0, 0)
	if e != 0 {
		return -1, e
	}
	return int(n), nil
}

func sysSendmmsg(fd int, msgs []mmsghdr, flags int) (int, error) {
	if err := hook(SysSendmsg); err != nil {
		return -1, err
	}
	n, _, e := unix.RawSyscall6(unix.SYS_SENDMMSG, uintptr(fd), uintptr(unsafe.Pointer(&msgs[0])),
		uintptr(len(msgs)), uintptr(flags), 0, 0)
	if e != 0 {
		return -1, e
	}
	return int(n), nil
}

// ReadDatagrams receives up to min(len(bufs), BatchMax) queued datagrams
// in one recvmmsg: datagram i into bufs[i], its length in sizes[i] and, if
// hdrs is not nil, its metadata in hdrs[i] as ReadDatagram reports it
// (a datagram longer than bufs[i] is cut and marked Truncated). It
// returns how many arrived, or 0 and ErrWouldBlock when none is queued.
// (Where there is no recvmmsg an error after the first datagram may come
// back with n > 0; here it comes on the next call.) sizes, and hdrs when
// given, must be as long as bufs. The scratch arrays come from a pool:
// steady-state calls allocate nothing.
//
// It goes beyond Qt, which reads one datagram per system call.
func (e *NativeEngine) ReadDatagrams(bufs [][]byte, hdrs []DatagramHeader, sizes []int) (int, error) {
	want := min(len(bufs), BatchMax)
	if want == 0 {
		return 0, nil
	}
	s := batchPool.Get().(*batchScratch)
	defer batchPool.Put(s)
	msgs := s.msgs[:want]
	for i := range msgs {
		m := &msgs[i]
		s.iovs[i] = unix.Iovec{}
		if b := bufs[i]; len(b) > 0 {
			s.iovs[i].Base = &b[0]
			s.iovs[i].SetLen(len(b))
		}
		*m = mmsghdr{hdr: unix.Msghdr{Iov: &s.iovs[i]}}
		m.hdr.SetIovlen(1)
		if hdrs != nil {
			s.sas[i].Addr.Family = unix.AF_UNSPEC
			m.hdr.Name = (*byte)(unsafe.Pointer(&s.sas[i]))
			m.hdr.Namelen = unix.SizeofSockaddrAny
			m.hdr.Control = &s.oob[i][0]
			m.hdr.SetControllen(readOOBSize)
		}
	}
	n, err := ignoringEINTRIO(func() (int, error) { return sysRecvmmsg(int(e.fd), msgs, 0) })
	if err == nil {
		for i := range n {
			m := &msgs[i]
			sizes[i] = int(m.len)
			if hdrs != nil {
				h := &hdrs[i]
				*h = DatagramHeader{HopLimit: -1, Truncated: m.hdr.Flags&unix.MSG_TRUNC != 0}
				if m.hdr.Namelen > 0 {
					h.Addr = rawToAddrPort(&s.sas[i])
				}
				parseControl(s.oob[i][:m.hdr.Controllen], h)
			}
		}
	}
	for i := range msgs {
		s.iovs[i].Base = nil // the pool must not keep the caller's buffers
	}
	if err != nil {
		return 0, wrapErr("recvmmsg", err)
	}
	return n, nil
}

// WriteDatagrams sends bufs[i] as one datagram each, to hdrs[i].Addr with
// hdrs[i]'s control messages as WriteDatagram sends them (hdrs nil, or an
// invalid Addr: the connected peer), in as few sendmmsg calls as BatchMax
// allows. It returns how many datagrams the kernel took, in order; when
// that is fewer than len(bufs), err says why the next one was not sent
// (ErrWouldBlock: the send buffer is full). Steady-state calls allocate
// nothing.
//
// It goes beyond Qt, which sends one datagram per system call.
func (e *NativeEngine) WriteDatagrams(bufs [][]byte, hdrs []DatagramHeader) (int, error) {
	s := batchPool.Get().(*batchScratch)
	defer batchPool.Put(s)
	sent := 0
	for sent < len(bufs) {
		want := min(len(bufs)-sent, BatchMax)
		msgs := s.msgs[:want]
		var err error
		for i := range msgs {
			w := &s.ws[i]
			w.setIov1(bufs[sent+i])
			if hdrs != nil {
				err = e.prepareSend(w, &hdrs[sent+i])
			}
			if err != nil {
				// Send what comes before the bad one, then report it.
				msgs = msgs[:i]
				err = opErr("sendmsg", err)
				break
			}
			msgs[i] = mmsghdr{hdr: w.msg}
		}
		var n int
		if len(msgs) > 0 {
			var serr error
			n, serr = ignoringEINTRIO(func() (int, error) { return sysSendmmsg(int(e.fd), msgs, msgNoSignal) })
			if serr != nil {
				n, err = 0, wrapErr("sendmmsg", serr)
			}
		}
		for i := range want {
			s.ws[i].clear()
			s.msgs[i] = mmsghdr{}
		}
		sent += n
		if err != nil {
			return sent, err
		}
		if n < len(msgs) {
			// The kernel stopped early without an error (it reports the
			// error on the next call): send the rest one call later.
			continue
		}
	}
	return sent, nil
}
