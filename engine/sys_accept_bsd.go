//go:build netbsd || openbsd

package engine

import (
	"net/netip"
	"syscall"

	"golang.org/x/sys/unix"
)

const acceptOp = "accept"

// acceptCloexec emulates accept4, which x/sys/unix does not wrap here: the
// read lock on syscall.ForkLock keeps a concurrent fork+exec from
// inheriting the descriptor before FD_CLOEXEC is set.
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
	if err := unix.SetNonblock(nfd, true); err != nil {
		unix.Close(nfd)
		return -1, netip.AddrPort{}, err
	}
	return nfd, fromSockaddr(sa), nil
}
