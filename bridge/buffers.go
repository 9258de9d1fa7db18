package bridge

import "sync"

// Buffers are pooled so that an idle connection holds none: a Conn takes
// one when bytes arrive or are written and gives it back once it is
// empty again, which keeps thousands of idle keep-alive connections
// cheap.

// bufSize is the pooled buffers' capacity: enough for everything Write
// may hold, and for a pull of the socket's whole read buffer. A buffer
// that had to grow past maxPooled (a burst at the end of a stream) is
// left to the collector.
const (
	bufSize   = max(WriteLimit, SocketReadBufferSize)
	maxPooled = 4 * bufSize
)

// buffer is a pooled slice; the pointer makes Put allocation-free.
type buffer struct{ b []byte }

var bufPool = sync.Pool{New: func() any { return &buffer{b: make([]byte, 0, bufSize)} }}

// getBuf returns an empty buffer with room for at least n bytes.
func getBuf(n int) *buffer {
	if n > bufSize {
		return &buffer{b: make([]byte, 0, n)}
	}
	return bufPool.Get().(*buffer)
}

// putBuf gives h back with b, the slice last taken from it (it may have
// grown); nil does nothing.
func putBuf(h *buffer, b []byte) {
	if h == nil || cap(b) > maxPooled {
		return
	}
	h.b = b[:0]
	bufPool.Put(h)
}
