package engine

import (
	"net/netip"
	"syscall"

	"golang.org/x/sys/unix"
)

// Darwin's send has no MSG_NOSIGNAL that Apple documents; every socket gets
// SO_NOSIGPIPE instead (socketCloexec, acceptCloexec).
const msgNoSignal = 0

// socketCloexec emulates SOCK_NONBLOCK|SOCK_CLOEXEC, which darwin's socket
// lacks. The read lock on syscall.ForkLock keeps a concurrent fork+exec
// from inheriting the descriptor before FD_CLOEXEC is set.
func socketCloexec(domain, typ, proto int) (int, error) {
	syscall.ForkLock.RLock()
	fd, err := unix.Socket(domain, typ, proto)
	if err == nil {
		unix.CloseOnExec(fd)
	}
	syscall.ForkLock.RUnlock()
	if err != nil {
		return -1, err
	}
	if err := prepareFD(fd); err != nil {
		unix.Close(fd)
		return -1, err
	}
	return fd, nil
}

// acceptCloexec is accept plus the same emulation as socketCloexec.
func acceptCloexec(fd int) (int, netip.AddrPort, error) {
	syscall.ForkLock.RLock()
	nfd, sa, err := unix.Accept(fd)
	if err == nil {
		unix.CloseOnExec(nfd)
	}
	syscall.ForkLock.RUnlock()
	if err != nil {
		return -1, netip.AddrPort{}, err
	}
	if err := prepareFD(nfd); err != nil {
		unix.Close(nfd)
		return -1, netip.AddrPort{}, err
	}
	return nfd, fromSockaddr(sa), nil
}

// prepareFD makes fd non-blocking and, for sockets, immune to SIGPIPE.
func prepareFD(fd int) error {
	if err := unix.SetNonblock(fd, true); err != nil {
		return err
	}
	// ENOTSOCK (a pipe) is fine: pipes are written with write(2) by
	// nobody in the engine.
	if err := unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_NOSIGPIPE, 1); err != nil && err != unix.ENOTSOCK {
		return err
	}
	return nil
}

// Pipe returns a non-blocking, close-on-exec pipe: r is the read end.
// The loop's wake-up uses it where there is no eventfd.
func Pipe() (r, w int, err error) {
	var p [2]int
	syscall.ForkLock.RLock()
	err = unix.Pipe(p[:])
	if err == nil {
		unix.CloseOnExec(p[0])
		unix.CloseOnExec(p[1])
	}
	syscall.ForkLock.RUnlock()
	if err != nil {
		return -1, -1, opErr("pipe", err)
	}
	for _, fd := range p {
		if err := unix.SetNonblock(fd, true); err != nil {
			unix.Close(p[0])
			unix.Close(p[1])
			return -1, -1, opErr("fcntl", err)
		}
	}
	return p[0], p[1], nil
}

// Socketpair returns a connected pair of non-blocking, close-on-exec
// sockets (domain is normally unix.AF_UNIX).
func Socketpair(domain, typ int) ([2]int, error) {
	syscall.ForkLock.RLock()
	fds, err := unix.Socketpair(domain, typ, 0)
	if err == nil {
		unix.CloseOnExec(fds[0])
		unix.CloseOnExec(fds[1])
	}
	syscall.ForkLock.RUnlock()
	if err != nil {
		return [2]int{-1, -1}, opErr("socketpair", err)
	}
	for _, fd := range fds {
		if err := prepareFD(fd); err != nil {
			unix.Close(fds[0])
			unix.Close(fds[1])
			return [2]int{-1, -1}, opErr("fcntl", err)
		}
	}
	return fds, nil
}

const acceptOp = "accept"

// adoptPrepare sets SO_NOSIGPIPE, which an adopted descriptor may lack.
func adoptPrepare(fd int) error {
	err := unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_NOSIGPIPE, 1)
	if err == unix.ENOTSOCK {
		return nil
	}
	return err
}
