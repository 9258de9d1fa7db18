package engine

import (
	"testing"
	"unsafe"
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
