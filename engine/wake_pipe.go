//go:build darwin || freebsd || netbsd || openbsd

package engine

import (
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// waker interrupts a Loop's wait from another goroutine through a
// non-blocking pipe; the loop empties it in one go per wake-up.
type waker struct {
	r, w int
	buf  [64]byte
}

func newWaker() (*waker, error) {
	var p [2]int
	syscall.ForkLock.RLock()
	err := unix.Pipe(p[:])
	if err == nil {
		unix.CloseOnExec(p[0])
		unix.CloseOnExec(p[1])
	}
	syscall.ForkLock.RUnlock()
	if err != nil {
		return nil, os.NewSyscallError("pipe", err)
	}
	for _, fd := range p {
		if err := unix.SetNonblock(fd, true); err != nil {
			unix.Close(p[0])
			unix.Close(p[1])
			return nil, os.NewSyscallError("fcntl", err)
		}
	}
	return &waker{r: p[0], w: p[1]}, nil
}

func (w *waker) readFD() int { return w.r }

func (w *waker) signal() {
	one := [1]byte{1}
	for {
		_, err := unix.Write(w.w, one[:])
		if err != unix.EINTR {
			// EAGAIN: the pipe is full, so a wake-up is already pending.
			return
		}
	}
}

func (w *waker) drain() {
	for {
		n, err := unix.Read(w.r, w.buf[:])
		if err == unix.EINTR || (err == nil && n == len(w.buf)) {
			continue
		}
		return
	}
}

func (w *waker) close() error {
	err := unix.Close(w.r)
	if err2 := unix.Close(w.w); err == nil {
		err = err2
	}
	return err
}
