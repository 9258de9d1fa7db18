package engine_test

import (
	"errors"
	"testing"

	"github.com/qsock/qsock/engine"
	"golang.org/x/sys/unix"
)

func TestSentinels(t *testing.T) {
	if !errors.Is(engine.ErrWouldBlock, unix.EAGAIN) || !errors.Is(engine.ErrWouldBlock, unix.EWOULDBLOCK) {
		t.Error("ErrWouldBlock does not wrap EAGAIN")
	}
	if !errors.Is(engine.ErrInProgress, unix.EINPROGRESS) {
		t.Error("ErrInProgress does not wrap EINPROGRESS")
	}
	err := error(&engine.OpError{Op: "sendmsg", Err: unix.ECONNRESET})
	if !errors.Is(err, unix.ECONNRESET) || err.Error() != "sendmsg: connection reset by peer" {
		t.Errorf("OpError = %q", err)
	}
	if !(&engine.OpError{Op: "connect", Err: unix.ETIMEDOUT}).Timeout() {
		t.Error("ETIMEDOUT is no Timeout")
	}
}
