//go:build linux || freebsd

package engine

import (
	"net/netip"
	"unsafe"

	"golang.org/x/sys/unix"
)

// acceptOp names the accept call in errors, as the system spells it.
const acceptOp = "accept4"

// acceptCloexec accepts with the new descriptor already non-blocking and
// close-on-exec, closing the fork race Go's net avoids the same way. The
// kernel writes the peer's address as it accepts, which spares a server
// the getpeername it would otherwise make for every connection.
func acceptCloexec(fd int) (int, netip.AddrPort, error) {
	var rsa unix.RawSockaddrAny
	n := uint32(unsafe.Sizeof(rsa))
	nfd, err := accept4(fd, &rsa, &n, unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC)
	if err != nil {
		return -1, netip.AddrPort{}, err
	}
	return nfd, rawToAddrPort(&rsa), nil
}

// accept4 is x/sys/unix's unexported raw call: it fills a caller's
// buffer, where unix.Accept4 would allocate a Sockaddr per connection.
//
//go:linkname accept4 golang.org/x/sys/unix.accept4
//go:noescape
func accept4(fd int, rsa *unix.RawSockaddrAny, addrlen *uint32, flags int) (int, error)
