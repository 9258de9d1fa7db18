package udp

import (
	"errors"
	"sync"

	"github.com/qsock/qsock/engine"
)

// Receive batching, beyond Qt: once ReadyRead has announced datagrams,
// the socket takes up to ringSlots of them from the kernel in one
// recvmmsg and serves HasPendingDatagrams, PendingDatagramSize and the
// reads from that ring before asking the kernel again. What the user sees
// is Qt's: sizes, payloads and metadata are the kernel's, and ReadyRead
// follows QUdpSocket's rule (see Socket.afterRead).

const (
	// ringSlots is how many datagrams one batch takes.
	ringSlots = 32
	// slotSize holds any UDP datagram whole (65,507 bytes over IPv4,
	// 65,527 over IPv6), so batching never cuts one a single read would
	// not have cut.
	slotSize = 1 << 16
	// slotStride spaces the slots a few cache lines apart from a power of
	// two, so that their heads do not all fall in the same cache sets.
	slotStride = slotSize + 4*64
)

// batchTransport is a transport that reads datagrams in batches
// (*engine.NativeEngine).
type batchTransport interface {
	ReadDatagrams(bufs [][]byte, hdrs []engine.DatagramHeader, sizes []int) (int, error)
}

// ring is one batch of received datagrams, head first. Rings are pooled:
// a socket holds one only while it has datagrams buffered, so sockets
// that are idle or read one datagram at a time cost nothing.
type ring struct {
	bufs       [ringSlots][]byte
	hdrs       [ringSlots]engineHeader
	sizes      [ringSlots]int
	head, tail int
}

var ringPool = sync.Pool{New: func() any {
	r := new(ring)
	arena := make([]byte, ringSlots*slotStride)
	for i := range r.bufs {
		r.bufs[i] = arena[i*slotStride : i*slotStride+slotSize : i*slotStride+slotSize]
	}
	return r
}}

// fill takes a batch from the kernel into an empty ring. It runs only
// while ReadyRead's announcement holds the read notifier off (s.held), so
// that the datagrams it buffers can be announced again by the socket
// itself. tried reports that the kernel was asked: then an empty ring
// means nothing is queued (or s.rxErr says why not).
func (s *Socket) fill() (tried bool) {
	if s.bt == nil || !s.held || s.rx != nil || s.rxErr != nil {
		return false
	}
	r := ringPool.Get().(*ring)
	n, err := s.bt.ReadDatagrams(r.bufs[:], r.hdrs[:], r.sizes[:])
	if err != nil && !errors.Is(err, engine.ErrWouldBlock) {
		s.rxErr = err // after the datagrams that came with it, if any
	}
	if n == 0 {
		ringPool.Put(r)
		return true
	}
	r.head, r.tail = 0, n
	s.rx = r
	return true
}

// headSize is the size of the first buffered datagram; the ring is not
// empty.
func (s *Socket) headSize() int { return s.rx.sizes[s.rx.head] }

// take moves the first buffered datagram into p, cut to len(p), and its
// metadata into h when h is not nil. The ring goes back to the pool when
// it is empty.
func (s *Socket) take(p []byte, h *engineHeader) int {
	r := s.rx
	i := r.head
	n := copy(p, r.bufs[i][:r.sizes[i]])
	if h != nil {
		*h = r.hdrs[i]
		h.Truncated = n < r.sizes[i]
	}
	r.head++
	if r.head == r.tail {
		s.rx = nil
		ringPool.Put(r)
	}
	return n
}

// dropBuffered forgets buffered datagrams: the descriptor they came from
// is gone.
func (s *Socket) dropBuffered() {
	if s.rx != nil {
		ringPool.Put(s.rx)
		s.rx = nil
	}
	s.rxErr = nil
	s.held = false
}

// buffered reports whether the ring has something for the next read: a
// datagram, or the error that ended the last batch.
func (s *Socket) buffered() bool { return s.rx != nil || s.rxErr != nil }

// afterRead runs after every read call, successful or not, and keeps
// Qt's readyRead rule: QUdpSocket re-enables its read notifier on every
// read, so ReadyRead comes again on a later turn while datagrams remain
// (in the kernel or, here, in the ring). While a batch is under way
// (s.held) the kernel notifier stays off; a check posted to the loop
// (turnCheck) decides after the slot returns: ReadyRead for what is
// buffered or newly queued, or, when nothing is left, the kernel notifier
// back on. On a socket without a loop, the next wait decides (readyNow).
func (s *Socket) afterRead() {
	s.announced = false
	if !s.held {
		s.RearmReadNotifier()
		return
	}
	if l := s.Loop(); l != nil && !s.checkPosted {
		s.checkPosted = true
		l.Post(s.checkFn)
	}
}

// turnCheck is the posted half of afterRead.
func (s *Socket) turnCheck() {
	s.checkPosted = false
	if s.transport() == nil || !s.held || s.announced {
		return // closed, handed back to the kernel notifier, or nothing read since the last ReadyRead
	}
	s.announceOrRelease()
}

// announceOrRelease ends a held stretch with nothing announced: ReadyRead
// when the ring (refilled if empty) holds something, else the kernel's
// read notifier on again. It reports whether ReadyRead was emitted.
func (s *Socket) announceOrRelease() bool {
	s.fill()
	if s.buffered() {
		s.DatagramReady()
		return true
	}
	s.held = false
	s.RearmReadNotifier()
	return false
}
