package engine

import (
	"net/netip"

	"golang.org/x/sys/unix"
)

// The thin system-call layer: one wrapper per call, no policy. Each passes
// the fault seam (hook) first and returns the raw errno, EINTR included;
// retrying and mapping errors is the policy layer's job (native*.go), as
// x/sys/unix under internal/poll in the standard library.

func sysSocket(domain, typ, proto int) (int, error) {
	if err := hook(SysSocket); err != nil {
		return -1, err
	}
	return socketCloexec(domain, typ, proto)
}

func sysBind(fd int, sa unix.Sockaddr) error {
	if err := hook(SysBind); err != nil {
		return err
	}
	return unix.Bind(fd, sa)
}

func sysListen(fd, backlog int) error {
	if err := hook(SysListen); err != nil {
		return err
	}
	return unix.Listen(fd, backlog)
}

func sysAccept(fd int) (int, netip.AddrPort, error) {
	if err := hook(SysAccept); err != nil {
		return -1, netip.AddrPort{}, err
	}
	return acceptCloexec(fd)
}

func sysConnect(fd int, sa unix.Sockaddr) error {
	if err := hook(SysConnect); err != nil {
		return err
	}
	return unix.Connect(fd, sa)
}

func sysRead(fd int, p []byte) (int, error) {
	if err := hook(SysRead); err != nil {
		return -1, err
	}
	return read(fd, p)
}

// sysWrite, sysWritev and sysSendmsg all use sendmsg so that msgNoSignal
// keeps a vanished peer from raising SIGPIPE; they differ only in the
// fault kind a test can aim at.
func sysWrite(fd int, msg *unix.Msghdr) (int, error) {
	if err := hook(SysWrite); err != nil {
		return -1, err
	}
	return sendmsg(fd, msg, msgNoSignal)
}

func sysWritev(fd int, msg *unix.Msghdr) (int, error) {
	if err := hook(SysWritev); err != nil {
		return -1, err
	}
	return sendmsg(fd, msg, msgNoSignal)
}

func sysSendmsg(fd int, msg *unix.Msghdr) (int, error) {
	if err := hook(SysSendmsg); err != nil {
		return -1, err
	}
	return sendmsg(fd, msg, msgNoSignal)
}

func sysReadv(fd int, msg *unix.Msghdr) (int, error) {
	if err := hook(SysReadv); err != nil {
		return -1, err
	}
	return recvmsg(fd, msg, 0)
}

func sysRecvmsg(fd int, msg *unix.Msghdr, flags int) (int, error) {
	if err := hook(SysRecvmsg); err != nil {
		return -1, err
	}
	return recvmsg(fd, msg, flags)
}

func sysSetsockoptInt(fd, level, name, v int) error {
	if err := hook(SysSetsockopt); err != nil {
		return err
	}
	return unix.SetsockoptInt(fd, level, name, v)
}

func sysSetsockoptByte(fd, level, name int, v byte) error {
	if err := hook(SysSetsockopt); err != nil {
		return err
	}
	return unix.SetsockoptByte(fd, level, name, v)
}

func sysSetsockoptIPMreq(fd, level, name int, mreq *unix.IPMreq) error {
	if err := hook(SysSetsockopt); err != nil {
		return err
	}
	return unix.SetsockoptIPMreq(fd, level, name, mreq)
}

func sysSetsockoptIPv6Mreq(fd, level, name int, mreq *unix.IPv6Mreq) error {
	if err := hook(SysSetsockopt); err != nil {
		return err
	}
	return unix.SetsockoptIPv6Mreq(fd, level, name, mreq)
}

func sysSetsockoptInet4Addr(fd, level, name int, a [4]byte) error {
	if err := hook(SysSetsockopt); err != nil {
		return err
	}
	return unix.SetsockoptInet4Addr(fd, level, name, a)
}

func sysGetsockoptInt(fd, level, name int) (int, error) {
	if err := hook(SysGetsockopt); err != nil {
		return 0, err
	}
	return unix.GetsockoptInt(fd, level, name)
}

func sysGetsockoptByte(fd, level, name int) (byte, error) {
	if err := hook(SysGetsockopt); err != nil {
		return 0, err
	}
	return unix.GetsockoptByte(fd, level, name)
}

func sysGetsockoptInet4Addr(fd, level, name int) ([4]byte, error) {
	if err := hook(SysGetsockopt); err != nil {
		return [4]byte{}, err
	}
	return unix.GetsockoptInet4Addr(fd, level, name)
}

func sysClose(fd int) error {
	if err := hook(SysClose); err != nil {
		return err
	}
	return unix.Close(fd)
}

func sysShutdown(fd, how int) error {
	if err := hook(SysShutdown); err != nil {
		return err
	}
	return unix.Shutdown(fd, how)
}

func sysPoll(fds []unix.PollFd, timeoutMs int) (int, error) {
	if err := hook(SysPoll); err != nil {
		return -1, err
	}
	return unix.Poll(fds, timeoutMs)
}

// ignoringEINTR retries f while it fails with EINTR, the policy for every
// call the engine makes: EINTR is never returned to a caller.
func ignoringEINTR(f func() error) error {
	for {
		if err := f(); err != unix.EINTR {
			return err
		}
	}
}

// ignoringEINTRIO is ignoringEINTR for calls that return a count.
func ignoringEINTRIO(f func() (int, error)) (int, error) {
	for {
		n, err := f()
		if err != unix.EINTR {
			return n, err
		}
	}
}
