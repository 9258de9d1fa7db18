//go:build !linux

package engine

// sendRing batches a turn's sends on Linux (io_uring); elsewhere there is
// none and the loop sends one system call per socket.
type sendRing struct{}

func newSendRing() *sendRing                        { return nil }
func (r *sendRing) close()                          {}
func (r *sendRing) full() bool                      { return true }
func (r *sendRing) queue(fd int, bufs [][]byte) int { return -1 }
func (r *sendRing) submit() ([]int32, error)        { return nil, nil }
