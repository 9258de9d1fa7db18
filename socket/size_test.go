package socket

import (
	"testing"
	"unsafe"
)

// A server holds one AbstractSocket per connection: keeping it within the
// 224-byte allocation class is what keeps an idle connection small
// (BenchmarkIdleConnection in package server measures the whole).
func TestAbstractSocketSize(t *testing.T) {
	if got := unsafe.Sizeof(AbstractSocket{}); got > 224 {
		t.Errorf("AbstractSocket is %d bytes, want at most 224: move rarely used fields to socketExtra", got)
	}
}
