//go:build linux || freebsd

package engine

import (
	_ "unsafe" // go:linkname

	"golang.org/x/sys/unix"
)

// acceptOp names the accept call in errors, as the system spells it.
const acceptOp = "accept4"

// acceptCloexec accepts with the new descriptor already non-blocking and
// close-on-exec, closing the fork race Go's net avoids the same way.
func acceptCloexec(fd int) (int, error) {
	return accept4(fd, nil, nil, unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC)
}

// accept4 is x/sys/unix's unexported raw call. The peer's address is not
// asked for: the socket layer reads it with getpeername, into a buffer of
// its own, while unix.Accept4 would allocate one per connection.
//
//go:linkname accept4 golang.org/x/sys/unix.accept4
//go:noescape
func accept4(fd int, rsa *unix.RawSockaddrAny, addrlen *uint32, flags int) (int, error)
