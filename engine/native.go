package engine

import (
	"net/netip"
	"sync/atomic"

	"golang.org/x/sys/unix"
)

// NativeEngine is Qt's QNativeSocketEngine: one non-blocking socket
// descriptor and the system calls on it, with no buffering and no state
// machine (those live in package socket). Errors are ErrWouldBlock,
// ErrInProgress or *OpError; EINTR never escapes.
//
// An engine is owned by one goroutine at a time, with one exception: the
// read side (Read, Readv, ReadDatagram, PendingDatagramSize) and the write
// side (Write, Writev, WriteDatagram) keep separate scratch space, so one
// reader and one writer may run at once, as a net.Conn bridge needs.
type NativeEngine struct {
	// An idle connection holds one engine, so it fits a 16-byte
	// allocation: descriptor numbers fit 32 bits, families and types 8.
	fd     int32
	domain uint8
	sotype uint8
	// Made on first use, by whichever side comes first: a reader and a
	// writer may both be first at once.
	sc atomic.Pointer[scratchPair]
}

// scratchPair is the read side's and the write side's scratch area.
type scratchPair struct{ r, w msgScratch }

// An idle connection should cost little memory: the scratch areas (about
// 230 bytes each) exist only once a call needs them.
func (e *NativeEngine) scratch() *scratchPair {
	if sc := e.sc.Load(); sc != nil {
		return sc
	}
	e.sc.CompareAndSwap(nil, new(scratchPair))
	return e.sc.Load()
}

func (e *NativeEngine) rs() *msgScratch { return &e.scratch().r }

func (e *NativeEngine) ws() *msgScratch { return &e.scratch().w }

// msgScratch is a msghdr and everything it points at, kept in the engine so
// that readv/writev/recvmsg/sendmsg allocate nothing per call.
type msgScratch struct {
	msg  unix.Msghdr
	iov1 unix.Iovec          // the single-buffer case needs no slice
	iovs []unix.Iovec        // grown on demand up to iovMax, then reused
	sa   unix.RawSockaddrAny // peer address of recvmsg/sendmsg
	oob  []byte              // control buffer, allocated on first datagram use
}

// iovMax is the most buffers one readv/writev passes (IOV_MAX on every
// supported system); longer lists are moved in several calls by the caller.
const iovMax = 1024

// NewNativeEngine creates a socket of domain (unix.AF_INET, AF_INET6,
// AF_UNIX) and sotype (unix.SOCK_STREAM, SOCK_DGRAM), non-blocking and
// close-on-exec. An AF_INET6 socket is made dual-stack (IPV6_V6ONLY off),
// which is what Qt's AnyIPProtocol binding relies on; turn it back on with
// SetOption(IPv6OnlyOption, 1) before Bind.
func NewNativeEngine(domain, sotype int) (*NativeEngine, error) {
	fd, err := ignoringEINTRIO(func() (int, error) { return sysSocket(domain, sotype, 0) })
	if err != nil {
		return nil, opErr("socket", err)
	}
	e := &NativeEngine{fd: int32(fd), domain: uint8(domain), sotype: uint8(sotype)}
	if domain == unix.AF_INET6 {
		// BSDs default to v6-only; Linux follows a sysctl. Qt asks for
		// dual-stack explicitly, and so do we.
		if err := sysSetsockoptInt(fd, unix.IPPROTO_IPV6, unix.IPV6_V6ONLY, 0); err != nil {
			unix.Close(fd)
			return nil, opErr("setsockopt", err)
		}
	}
	return e, nil
}

// AdoptNativeEngine takes over an existing socket descriptor, as Qt's
// setSocketDescriptor: it learns the family (getsockname) and type
// (SO_TYPE) and makes the descriptor non-blocking and close-on-exec. A
// descriptor that is not an open socket gives an error wrapping
// unix.EBADF or unix.ENOTSOCK. On failure fd is left open: it still
// belongs to the caller.
func AdoptNativeEngine(fd int) (*NativeEngine, error) {
	if fd < 0 {
		return nil, opErr("adopt", unix.EBADF)
	}
	sotype, err := sysGetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_TYPE)
	if err != nil {
		return nil, opErr("getsockopt", err)
	}
	sa, err := unix.Getsockname(fd)
	if err != nil {
		return nil, opErr("getsockname", err)
	}
	var domain int
	switch sa.(type) {
	case *unix.SockaddrInet4:
		domain = unix.AF_INET
	case *unix.SockaddrInet6:
		domain = unix.AF_INET6
	case *unix.SockaddrUnix:
		domain = unix.AF_UNIX
	default:
		return nil, opErr("adopt", unix.EAFNOSUPPORT)
	}
	if err := unix.SetNonblock(fd, true); err != nil {
		return nil, opErr("fcntl", err)
	}
	unix.CloseOnExec(fd)
	if err := adoptPrepare(fd); err != nil {
		return nil, opErr("setsockopt", err)
	}
	return &NativeEngine{fd: int32(fd), domain: uint8(domain), sotype: uint8(sotype)}, nil
}

// AcceptedEngine wraps fd, a connection that Accept returned on a
// listening engine of the given domain and type. Accept already made it
// non-blocking and close-on-exec, so unlike AdoptNativeEngine this asks
// the kernel nothing: a server's accept path stays at accept4 plus what
// the socket itself needs.
func AcceptedEngine(fd, domain, sotype int) *NativeEngine {
	adoptPrepare(fd) // SO_NOSIGPIPE where a descriptor needs it (darwin)
	return &NativeEngine{fd: int32(fd), domain: uint8(domain), sotype: uint8(sotype)}
}

// FD returns the descriptor, or -1 after Close.
func (e *NativeEngine) FD() int { return int(e.fd) }

// Domain returns the address family the socket was created with.
func (e *NativeEngine) Domain() int { return int(e.domain) }

// Type returns the socket type (unix.SOCK_STREAM or unix.SOCK_DGRAM).
func (e *NativeEngine) Type() int { return int(e.sotype) }

// Listen marks a bound stream socket as accepting connections.
func (e *NativeEngine) Listen(backlog int) error {
	return opErr("listen", ignoringEINTR(func() error { return sysListen(int(e.fd), backlog) }))
}

// Accept returns the next pending connection's descriptor, non-blocking
// and close-on-exec; adopt it with AdoptNativeEngine or hand it to a
// socket. An empty queue is ErrWouldBlock. ECONNABORTED (the client gave
// up while queued) is skipped, as Qt and Go's net do: it is no error of
// the listener's.
func (e *NativeEngine) Accept() (fd int, err error) {
	fd, _, err = e.AcceptPeer()
	return fd, err
}

// AcceptPeer is Accept that also returns the peer's address as the
// kernel reported it while accepting (what PeerAddr would read; the zero
// AddrPort for a Unix-domain peer).
func (e *NativeEngine) AcceptPeer() (fd int, peer netip.AddrPort, err error) {
	for {
		fd, peer, err = sysAccept(int(e.fd))
		switch err {
		case nil:
			return fd, peer, nil
		case unix.EINTR, unix.ECONNABORTED:
			continue
		}
		return -1, netip.AddrPort{}, wrapErr(acceptOp, err)
	}
}

// Shutdown shuts down the reading side, the writing side or both
// (unix.SHUT_RD, SHUT_WR, SHUT_RDWR) without releasing the descriptor.
func (e *NativeEngine) Shutdown(how int) error {
	return opErr("shutdown", ignoringEINTR(func() error { return sysShutdown(int(e.fd), how) }))
}

// Close releases the descriptor. It is idempotent: a second call returns
// an error wrapping unix.EBADF and closes nothing, so a number since reused
// by another socket is never touched. EINTR from close is not retried: on
// Linux the descriptor is gone by then and a retry could close a reused
// number.
func (e *NativeEngine) Close() error {
	fd := int(e.fd)
	if fd < 0 {
		return opErr("close", unix.EBADF)
	}
	e.fd = -1
	e.sc.Store(nil)
	if err := sysClose(fd); err != nil && err != unix.EINTR {
		return opErr("close", err)
	}
	return nil
}

// BytesAvailable returns the bytes the kernel holds for reading (FIONREAD):
// for a datagram socket, the size of the next datagram on Linux, the whole
// queue on some BSDs.
func (e *NativeEngine) BytesAvailable() (int, error) {
	n, err := unix.IoctlGetInt(int(e.fd), fionread)
	if err != nil {
		return 0, opErr("ioctl", err)
	}
	return n, nil
}
