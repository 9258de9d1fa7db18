//go:build linux || freebsd || netbsd

package engine

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// recvmsg and sendmsg take the engine's own msghdr, so the per-call
// iovec, sockaddr and control buffers are never allocated (x/sys/unix's
// Recvmsg returns a fresh Sockaddr each time).

func recvmsg(fd int, msg *unix.Msghdr, flags int) (int, error) {
	n, _, e := unix.Syscall(unix.SYS_RECVMSG, uintptr(fd), uintptr(unsafe.Pointer(msg)), uintptr(flags))
	if e != 0 {
		return -1, e
	}
	return int(n), nil
}

func sendmsg(fd int, msg *unix.Msghdr, flags int) (int, error) {
	n, _, e := unix.Syscall(unix.SYS_SENDMSG, uintptr(fd), uintptr(unsafe.Pointer(msg)), uintptr(flags))
	if e != 0 {
		return -1, e
	}
	return int(n), nil
}
