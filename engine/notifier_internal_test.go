package engine

import (
	"errors"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"
)

// An idle connection holds one Notifier and one NativeEngine; their size
// classes (32 and 16 bytes) are part of what a connection costs.
func TestPerConnectionStructSizes(t *testing.T) {
	if got := unsafe.Sizeof(Notifier{}); got > 32 {
		t.Errorf("Notifier is %d bytes, want at most 32", got)
	}
	if got := unsafe.Sizeof(NativeEngine{}); got > 16 {
		t.Errorf("NativeEngine is %d bytes, want at most 16", got)
	}
	if got := unsafe.Sizeof(registration{}); got > 16 {
		t.Errorf("registration is %d bytes, want at most 16", got)
	}
}

// A descriptor that cannot be one is refused with EBADF, and takes no slot
// in the registration table.
func TestNewNotifierRefusesBadDescriptor(t *testing.T) {
	l, err := NewLoop()
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	before := len(l.regs)
	for _, fd := range []int{-1, -100} {
		n, err := l.NewNotifier(fd, nil)
		if n != nil || !errors.Is(err, unix.EBADF) {
			t.Errorf("NewNotifier(%d) = %v, %v; want nil and EBADF", fd, n, err)
		}
	}
	if len(l.regs) != before {
		t.Errorf("refused notifiers took %d table slots", len(l.regs)-before)
	}
}
