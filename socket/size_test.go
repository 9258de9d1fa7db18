package socket

import (
	"testing"
	"unsafe"
)

// A server holds one AbstractSocket per connection: keeping it within the
// 192-byte allocation class is what keeps an idle connection small
// (BenchmarkIdleConnection in package server measures the whole).
func TestAbstractSocketSize(t *testing.T) {
	if got := unsafe.Sizeof(AbstractSocket{}); got > 192 {
		t.Errorf("AbstractSocket is %d bytes, want at most 192: move rarely used fields to socketExtra", got)
	}
}
