package engine

import (
	"net/netip"

	"golang.org/x/sys/unix"
)

// Bind binds the socket to ap. An IPv4 address on an AF_INET6 socket
// becomes v4-mapped; an invalid (zero) address means the unspecified
// address of the socket's family, so Bind(netip.AddrPort{}) on a
// dual-stack socket is Qt's QHostAddress::Any.
func (e *NativeEngine) Bind(ap netip.AddrPort) error {
	sa, err := toSockaddr(int(e.domain), ap)
	if err != nil {
		return opErr("bind", err)
	}
	return opErr("bind", ignoringEINTR(func() error { return sysBind(int(e.fd), sa) }))
}

// BindPath binds an AF_UNIX socket to a filesystem path; a leading '@'
// names Linux's abstract namespace instead (no file is created).
func (e *NativeEngine) BindPath(path string) error {
	sa := &unix.SockaddrUnix{Name: path}
	return opErr("bind", ignoringEINTR(func() error { return sysBind(int(e.fd), sa) }))
}

// Connect starts connecting to ap: nil when connected at once (always so
// for a datagram socket), ErrInProgress while the handshake runs — wait for
// writability, then read the outcome with ConnectResult. An IPv4 address on
// an AF_INET6 socket becomes v4-mapped.
func (e *NativeEngine) Connect(ap netip.AddrPort) error {
	sa, err := toSockaddr(int(e.domain), ap)
	if err != nil {
		return opErr("connect", err)
	}
	return e.connect(sa)
}

// ConnectPath connects an AF_UNIX socket to path ('@' for abstract). A
// full listen queue is ErrWouldBlock (Linux), which QLocalSocket retries
// on a timer rather than treat as an error.
func (e *NativeEngine) ConnectPath(path string) error {
	return e.connect(&unix.SockaddrUnix{Name: path})
}

func (e *NativeEngine) connect(sa unix.Sockaddr) error {
	switch err := sysConnect(int(e.fd), sa); err {
	case nil, unix.EISCONN:
		return nil
	case unix.EINPROGRESS, unix.EALREADY, unix.EINTR:
		// An interrupted non-blocking connect carries on in the
		// kernel; retrying would only report EALREADY.
		return ErrInProgress
	default:
		return wrapErr("connect", err)
	}
}

// ConnectResult reports how a pending connect ended, once the descriptor
// turned writable: nil, or an *OpError{"connect", errno} such as
// ECONNREFUSED (read from SO_ERROR, which also clears it).
func (e *NativeEngine) ConnectResult() error {
	v, err := ignoringEINTRIO(func() (int, error) {
		return sysGetsockoptInt(int(e.fd), unix.SOL_SOCKET, unix.SO_ERROR)
	})
	if err != nil {
		return opErr("getsockopt", err)
	}
	if v != 0 {
		return &OpError{Op: "connect", Err: unix.Errno(v)}
	}
	return nil
}

// LocalAddr returns the bound address (getsockname). A v4-mapped address
// stays as the kernel reports it.
func (e *NativeEngine) LocalAddr() (netip.AddrPort, error) {
	ap, err := sockName(int(e.fd), false)
	if err != nil {
		return netip.AddrPort{}, opErr("getsockname", err)
	}
	return ap, nil
}

// PeerAddr returns the connected peer's address (getpeername). A peer of a
// dual-stack socket reached over IPv4 shows as v4-mapped (::ffff:a.b.c.d),
// as in Qt.
func (e *NativeEngine) PeerAddr() (netip.AddrPort, error) {
	ap, err := sockName(int(e.fd), true)
	if err != nil {
		return netip.AddrPort{}, opErr("getpeername", err)
	}
	return ap, nil
}

// LocalPath returns the AF_UNIX path the socket is bound to ("" when
// unnamed; a leading '@' for the abstract namespace).
func (e *NativeEngine) LocalPath() (string, error) {
	sa, err := unix.Getsockname(int(e.fd))
	if err != nil {
		return "", opErr("getsockname", err)
	}
	return unixPath(sa)
}

// PeerPath returns the AF_UNIX path of the peer's socket ("" when the
// peer is unnamed, as a connecting client usually is).
func (e *NativeEngine) PeerPath() (string, error) {
	sa, err := unix.Getpeername(int(e.fd))
	if err != nil {
		return "", opErr("getpeername", err)
	}
	return unixPath(sa)
}

func unixPath(sa unix.Sockaddr) (string, error) {
	if u, ok := sa.(*unix.SockaddrUnix); ok {
		return u.Name, nil
	}
	return "", opErr("getsockname", unix.EAFNOSUPPORT)
}
