//go:build linux || freebsd

package engine

import "golang.org/x/sys/unix"

// acceptOp names the accept call in errors, as the system spells it.
const acceptOp = "accept4"

// acceptCloexec accepts with the new descriptor already non-blocking and
// close-on-exec, closing the fork race Go's net avoids the same way.
func acceptCloexec(fd int) (int, error) {
	nfd, _, err := unix.Accept4(fd, unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC)
	return nfd, err
}
