//go:build !linux

package engine

// ReadDatagrams receives up to min(len(bufs), BatchMax) queued datagrams:
// datagram i into bufs[i], its length in sizes[i] and, if hdrs is not
// nil, its metadata in hdrs[i] as ReadDatagram reports it. It returns how
// many arrived, or 0 and ErrWouldBlock when none is queued. An error
// after the first datagram ends the batch: n > 0 comes back with it, the
// datagrams valid and err what the next read would have returned. This
// system has no recvmmsg, so it is a loop of ReadDatagram calls; it
// allocates nothing.
//
// It goes beyond Qt, which reads one datagram per system call.
func (e *NativeEngine) ReadDatagrams(bufs [][]byte, hdrs []DatagramHeader, sizes []int) (int, error) {
	want := min(len(bufs), BatchMax)
	for i := range want {
		var h *DatagramHeader
		if hdrs != nil {
			h = &hdrs[i]
		}
		n, err := e.ReadDatagram(bufs[i], h)
		if err != nil {
			if i > 0 && err == ErrWouldBlock {
				return i, nil
			}
			return i, err
		}
		sizes[i] = n
	}
	return want, nil
}

// WriteDatagrams sends bufs[i] as one datagram each, to hdrs[i].Addr with
// hdrs[i]'s control messages as WriteDatagram sends them (hdrs nil, or an
// invalid Addr: the connected peer). It returns how many datagrams the
// kernel took, in order; when that is fewer than len(bufs), err says why
// the next one was not sent (ErrWouldBlock: the send buffer is full).
// This system has no sendmmsg, so it is a loop of WriteDatagram calls.
//
// It goes beyond Qt, which sends one datagram per system call.
func (e *NativeEngine) WriteDatagrams(bufs [][]byte, hdrs []DatagramHeader) (int, error) {
	for i, b := range bufs {
		var h *DatagramHeader
		if hdrs != nil {
			h = &hdrs[i]
		}
		if _, err := e.WriteDatagram(b, h); err != nil {
			return i, err
		}
	}
	return len(bufs), nil
}
