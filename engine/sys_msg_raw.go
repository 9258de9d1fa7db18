//go:build linux || freebsd || netbsd

package engine

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// recvmsg and sendmsg take the engine's own msghdr, so the per-call
// iovec, sockaddr and control buffers are never allocated (x/sys/unix's
// Recvmsg returns a fresh Sockaddr each time).
//
// The engine's descriptors are all non-blocking, so its reads and writes
// never wait in the kernel: they are made as raw system calls, which skip
// the scheduler's bookkeeping for calls that may block (entersyscall and
// exitsyscall cost about as much as the rest of the user-space work of an
// echoed message).

func recvmsg(fd int, msg *unix.Msghdr, flags int) (int, error) {
	n, _, e := unix.RawSyscall(unix.SYS_RECVMSG, uintptr(fd), uintptr(unsafe.Pointer(msg)), uintptr(flags))
	if e != 0 {
		return -1, e
	}
	return int(n), nil
}

func sendmsg(fd int, msg *unix.Msghdr, flags int) (int, error) {
	n, _, e := unix.RawSyscall(unix.SYS_SENDMSG, uintptr(fd), uintptr(unsafe.Pointer(msg)), uintptr(flags))
	if e != 0 {
		return -1, e
	}
	return int(n), nil
}

// sendOne sends one buffer with send(2): for a single buffer the kernel
// is spared copying in a msghdr and an iovec array.
func sendOne(e *NativeEngine, p []byte) (int, error) {
	return sysSend(int(e.fd), p)
}

// sysSend is a stream write of one buffer (send with msgNoSignal); it
// counts as SysWrite for fault injection.
func sysSend(fd int, p []byte) (int, error) {
	if err := hook(SysWrite); err != nil {
		return -1, err
	}
	return send(fd, p, msgNoSignal)
}

func send(fd int, p []byte, flags int) (int, error) {
	var ptr unsafe.Pointer
	if len(p) > 0 {
		ptr = unsafe.Pointer(&p[0])
	}
	n, _, e := unix.RawSyscall6(unix.SYS_SENDTO, uintptr(fd), uintptr(ptr), uintptr(len(p)), uintptr(flags), 0, 0)
	if e != 0 {
		return -1, e
	}
	return int(n), nil
}

// read is read(2) on a non-blocking descriptor.
func read(fd int, p []byte) (int, error) {
	var ptr unsafe.Pointer
	if len(p) > 0 {
		ptr = unsafe.Pointer(&p[0])
	}
	n, _, e := unix.RawSyscall(unix.SYS_READ, uintptr(fd), uintptr(ptr), uintptr(len(p)))
	if e != 0 {
		return -1, e
	}
	return int(n), nil
}
