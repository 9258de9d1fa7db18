//go:build linux || freebsd || netbsd || openbsd

package engine

import "golang.org/x/sys/unix"

// msgNoSignal keeps send from raising SIGPIPE when the peer has gone.
const msgNoSignal = unix.MSG_NOSIGNAL

// socketCloexec creates the socket non-blocking and close-on-exec in one
// call, so no fork in another goroutine can leak it into a child.
func socketCloexec(domain, typ, proto int) (int, error) {
	return unix.Socket(domain, typ|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, proto)
}

// Pipe returns a non-blocking, close-on-exec pipe: r is the read end.
// The BSD loop's wake-up uses it where there is no eventfd.
func Pipe() (r, w int, err error) {
	var p [2]int
	if err := ignoringEINTR(func() error { return unix.Pipe2(p[:], unix.O_NONBLOCK|unix.O_CLOEXEC) }); err != nil {
		return -1, -1, opErr("pipe2", err)
	}
	return p[0], p[1], nil
}

// Socketpair returns a connected pair of non-blocking, close-on-exec
// sockets (domain is normally unix.AF_UNIX).
func Socketpair(domain, typ int) ([2]int, error) {
	fds, err := unix.Socketpair(domain, typ|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return [2]int{-1, -1}, opErr("socketpair", err)
	}
	return fds, nil
}

// adoptPrepare is what an adopted descriptor needs beyond O_NONBLOCK and
// FD_CLOEXEC: nothing here, since sends carry MSG_NOSIGNAL.
func adoptPrepare(int) error { return nil }
