package engine

import (
	"math"
	"time"

	"golang.org/x/sys/unix"
)

// Wait blocks until the socket is readable and/or writable, as asked, or
// timeout passes: Qt's nativeSelect, under the blocking WaitFor* calls.
// timeout < 0 waits for ever; a timeout returns (false, false, nil).
// Hang-up and error conditions count as readable (and as writable when
// write was asked), because the next read or write is what reports them.
func (e *NativeEngine) Wait(read, write bool, timeout time.Duration) (readable, writable bool, err error) {
	return WaitFD(int(e.fd), read, write, timeout)
}

// WaitFD is Wait on any descriptor, for the loop's and the tests' own
// descriptors. EINTR restarts the poll with the time that is left.
func WaitFD(fd int, read, write bool, timeout time.Duration) (readable, writable bool, err error) {
	var events int16
	if read {
		events |= unix.POLLIN
	}
	if write {
		events |= unix.POLLOUT
	}
	var deadline time.Time
	if timeout > 0 {
		deadline = time.Now().Add(timeout)
	}
	for {
		fds := [1]unix.PollFd{{Fd: int32(fd), Events: events}}
		n, err := sysPoll(fds[:], pollTimeout(timeout, deadline))
		if err == unix.EINTR {
			if timeout > 0 && !time.Now().Before(deadline) {
				return false, false, nil
			}
			continue
		}
		if err != nil {
			return false, false, opErr("poll", err)
		}
		if n == 0 {
			return false, false, nil
		}
		re := fds[0].Revents
		if re&unix.POLLNVAL != 0 {
			return false, false, opErr("poll", unix.EBADF)
		}
		const failed = unix.POLLHUP | unix.POLLERR
		return read && re&(unix.POLLIN|failed) != 0, write && re&(unix.POLLOUT|failed) != 0, nil
	}
}

// pollTimeout converts what is left of timeout to poll's milliseconds,
// rounding up so a wait never ends before its deadline.
func pollTimeout(timeout time.Duration, deadline time.Time) int {
	switch {
	case timeout < 0:
		return -1
	case timeout == 0:
		return 0
	}
	left := time.Until(deadline)
	if left <= 0 {
		return 0
	}
	ms := (left + time.Millisecond - 1) / time.Millisecond
	return int(min(ms, math.MaxInt32))
}
