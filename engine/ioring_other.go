//go:build !linux

package engine

// ioRing batches a turn's reads and sends on Linux (io_uring); elsewhere
// there is none and the loop makes one system call per socket.
type ioRing struct{}

func newIORing() *ioRing                              { return nil }
func (r *ioRing) close()                              {}
func (r *ioRing) full() bool                          { return true }
func (r *ioRing) size() int                           { return 0 }
func (r *ioRing) queueSend(fd int, bufs [][]byte) int { return -1 }
func (r *ioRing) queueRecv(fd int, p []byte) int      { return -1 }
func (r *ioRing) submit() ([]int32, error)            { return nil, nil }
