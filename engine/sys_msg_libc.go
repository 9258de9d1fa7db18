//go:build darwin || openbsd

package engine

import (
	_ "unsafe" // for go:linkname

	"golang.org/x/sys/unix"
)

// Darwin and OpenBSD allow system calls only through libc (OpenBSD kills a
// process that traps directly), so raw unix.Syscall is not an option. x/sys
// has the libc trampolines for recvmsg and sendmsg taking a *Msghdr but does
// not export them; borrowing them keeps the engine's zero-allocation
// msghdr path on these systems too. A rename in x/sys fails the link, never
// silently.

//go:linkname recvmsg golang.org/x/sys/unix.recvmsg
func recvmsg(fd int, msg *unix.Msghdr, flags int) (int, error)

//go:linkname sendmsg golang.org/x/sys/unix.sendmsg
func sendmsg(fd int, msg *unix.Msghdr, flags int) (int, error)

// sendOne sends one buffer through the engine's msghdr: libc's send is
// not reachable without allocating here.
func sendOne(e *NativeEngine, p []byte) (int, error) {
	s := e.ws()
	s.setIov1(p)
	n, err := sysWrite(int(e.fd), &s.msg)
	s.clear()
	return n, err
}

// read is read(2); system calls go through libc here.
func read(fd int, p []byte) (int, error) { return unix.Read(fd, p) }
