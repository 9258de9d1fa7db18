//go:build unix

package engine

import (
	"net/netip"
	"unsafe"

	"golang.org/x/sys/unix"
)

// getsockname and getpeername are x/sys/unix's unexported raw calls (libc
// on darwin and openbsd). Unlike unix.Getsockname and unix.Getpeername
// they fill a caller's buffer, so reading an address allocates nothing:
// a server asks the local one of every connection it accepts (accept
// itself reports the peer's).

//go:linkname getsockname golang.org/x/sys/unix.getsockname
//go:noescape
func getsockname(fd int, rsa *unix.RawSockaddrAny, addrlen *uint32) error

//go:linkname getpeername golang.org/x/sys/unix.getpeername
//go:noescape
func getpeername(fd int, rsa *unix.RawSockaddrAny, addrlen *uint32) error

// sockName returns the socket's own (peer false) or its peer's address.
func sockName(fd int, peer bool) (netip.AddrPort, error) {
	var rsa unix.RawSockaddrAny
	n := uint32(unsafe.Sizeof(rsa))
	var err error
	if peer {
		err = getpeername(fd, &rsa, &n)
	} else {
		err = getsockname(fd, &rsa, &n)
	}
	if err != nil {
		return netip.AddrPort{}, err
	}
	return rawToAddrPort(&rsa), nil
}
