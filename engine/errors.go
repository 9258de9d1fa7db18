package engine

import (
	"errors"

	"golang.org/x/sys/unix"
)

// ErrWouldBlock is returned when a non-blocking call has nothing to do yet:
// no byte to read, no room to write, no connection to accept. It wraps
// unix.EAGAIN (EWOULDBLOCK has the same value on every supported system), so
// errors.Is(err, unix.EAGAIN) holds. It is a shared value, never an
// allocation, because callers meet it on every drained read.
var ErrWouldBlock error = &errnoSentinel{"operation would block", unix.EAGAIN}

// ErrInProgress is returned by Connect when a non-blocking connect has
// started and its result will be known when the descriptor turns writable
// (read it with ConnectResult). It wraps unix.EINPROGRESS.
var ErrInProgress error = &errnoSentinel{"operation now in progress", unix.EINPROGRESS}

// errnoSentinel is a fixed error that still answers errors.Is for its errno,
// so callers may test either the sentinel or the raw errno.
type errnoSentinel struct {
	msg   string
	errno unix.Errno
}

// Error returns the fixed message.
func (e *errnoSentinel) Error() string { return e.msg }

// Unwrap returns the errno, for errors.Is(ErrWouldBlock, unix.EAGAIN).
func (e *errnoSentinel) Unwrap() error { return e.errno }

// OpError is every engine failure other than ErrWouldBlock and
// ErrInProgress: the system call that failed and the errno it returned, in
// the manner of net.OpError, so the socket layer can map it to Qt's
// SocketError while a log still says which call failed.
type OpError struct {
	// Op is the failed call: "socket", "bind", "connect", "accept4",
	// "read", "write", "writev", "sendmsg", "recvmsg", "setsockopt", ...
	Op string
	// Err is the cause, normally a unix.Errno.
	Err error
}

// Error reports the operation and the cause, for example
// "connect: connection refused".
func (e *OpError) Error() string {
	if e == nil {
		return "<nil>"
	}
	return e.Op + ": " + e.Err.Error()
}

// Unwrap returns the cause, so errors.Is(err, unix.ECONNREFUSED) works.
func (e *OpError) Unwrap() error { return e.Err }

// Timeout reports whether the cause is a timeout (ETIMEDOUT), as net.Error
// does, so a bridge to package net can pass it on.
func (e *OpError) Timeout() bool { return errors.Is(e.Err, unix.ETIMEDOUT) }

// wrapErr is the policy layer's single exit: the two expected "not yet"
// errnos become the shared sentinels (no allocation on the hot path), every
// other errno an *OpError naming op.
func wrapErr(op string, err error) error {
	switch err {
	case nil:
		return nil
	case unix.EAGAIN:
		return ErrWouldBlock
	case unix.EINPROGRESS:
		return ErrInProgress
	}
	return &OpError{Op: op, Err: err}
}

// opErr wraps err as an *OpError without the sentinel mapping, for calls
// where EAGAIN is a real failure (setsockopt, bind, ...).
func opErr(op string, err error) error {
	if err == nil {
		return nil
	}
	return &OpError{Op: op, Err: err}
}
