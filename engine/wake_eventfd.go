//go:build linux

package engine

import (
	"os"

	"golang.org/x/sys/unix"
)

// waker interrupts a Loop's wait from another goroutine: an eventfd, whose
// counter makes any number of signals cost one read.
type waker struct {
	fd  int
	buf [8]byte
}

func newWaker() (*waker, error) {
	fd, err := unix.Eventfd(0, unix.EFD_NONBLOCK|unix.EFD_CLOEXEC)
	if err != nil {
		return nil, os.NewSyscallError("eventfd", err)
	}
	return &waker{fd: fd}, nil
}

func (w *waker) readFD() int { return w.fd }

func (w *waker) signal() {
	one := [8]byte{1}
	for {
		_, err := unix.Write(w.fd, one[:])
		if err != unix.EINTR {
			// EAGAIN means the counter is saturated: the loop is
			// already due to wake up.
			return
		}
	}
}

func (w *waker) drain() {
	for {
		_, err := unix.Read(w.fd, w.buf[:])
		if err != unix.EINTR {
			return
		}
	}
}

func (w *waker) close() error {
	return unix.Close(w.fd)
}
