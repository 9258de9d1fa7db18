package socket

import (
	"testing"
	"unsafe"
)

// A server holds one AbstractSocket per connection: keeping it within the
// 208-byte allocation class is what keeps an idle connection small
// (BenchmarkIdleConnection in package server measures the whole).
func TestAbstractSocketSize(t *testing.T) {
	if got := unsafe.Sizeof(AbstractSocket{}); got > 208 {
		t.Errorf("AbstractSocket is %d bytes, want at most 208: move rarely used fields to socketExtra", got)
	}
}
