//go:build netbsd || openbsd

package engine

import "unsafe"

// getsockopt is x/sys/unix's unexported raw getsockopt (a libc call on
// OpenBSD, where direct system calls are refused); x/sys exports no
// typed getter for the peer-credential structs these systems use.
//
//go:linkname getsockopt golang.org/x/sys/unix.getsockopt
func getsockopt(fd, level, name int, val unsafe.Pointer, vallen *uint32) error

func sysGetsockoptRaw(fd, level, name int, val unsafe.Pointer, vallen *uint32) error {
	if err := hook(SysGetsockopt); err != nil {
		return err
	}
	return getsockopt(fd, level, name, val, vallen)
}
