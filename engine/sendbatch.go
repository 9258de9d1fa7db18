package engine

import (
	"golang.org/x/sys/unix"
)

// BatchWriter is an EndOfTurner whose end-of-turn work is usually one
// send on a stream socket. When a turn ends with several of them, the loop
// sends for all of them in one system call (io_uring on Linux) instead of
// calling each EndOfTurn, in three passes: PrepareWrite for every writer,
// the batched send, WriteResult for every writer, then WriteSettled for
// every writer. The first two passes must not call back into user code, so
// that no writer's buffers change between its PrepareWrite and its
// WriteResult; signals belong in WriteSettled.
type BatchWriter interface {
	EndOfTurner
	// PrepareWrite returns the descriptor and the bytes to send, appended
	// to iov, and a note of its own that comes back with the result; or
	// ok false when this turn's work is not a plain send: the loop then
	// calls EndOfTurn instead, after the batch.
	PrepareWrite(iov [][]byte) (fd int, bufs [][]byte, note int, ok bool)
	// WriteResult reports how many bytes the kernel took, or the error
	// (wrapping ErrWouldBlock when its buffer was full).
	WriteResult(n int, err error, note int)
	// WriteSettled follows once every writer of the batch had its
	// WriteResult, with the same arguments.
	WriteSettled(n int, err error, note int)
}

// sendBatched runs a batch of end-of-turn handlers with their sends
// batched. It reports false, having done nothing, when there is no ring to
// batch with.
func (l *Loop) sendBatched(batch []EndOfTurner) bool {
	if l.ring == nil || faultsInstalled.Load() != 0 {
		return false // an injected fault must reach the send it aims at
	}
	writers, others := l.writers[:0], l.others[:0]
	unrun := 0 // others[unrun:] have not been called
	done := false
	defer func() {
		if !done {
			// A slot panicked in a WriteSettled or an EndOfTurn: what
			// has not run yet runs at the next turn's end.
			l.requeue(others[unrun:])
			l.requeue(batch)
			l.writers, l.others = nil, nil
		}
	}()
	for i, h := range batch {
		batch[i] = nil
		w, ok := h.(BatchWriter)
		if !ok {
			others = append(others, h)
			continue
		}
		if len(l.iovs) <= len(writers) {
			l.iovs = append(l.iovs, nil)
		}
		fd, bufs, note, ok := w.PrepareWrite(l.iovs[len(writers)][:0])
		if !ok {
			others = append(others, h)
			continue
		}
		l.iovs[len(writers)] = bufs
		l.notes = append(l.notes[:len(writers)], note)
		l.ring.queueSend(fd, bufs)
		writers = append(writers, w)
		if l.ring.full() {
			l.flushRing(writers)
			writers = writers[:0]
		}
	}
	if len(writers) > 0 {
		l.flushRing(writers)
	}
	for i, h := range others {
		unrun = i + 1
		h.EndOfTurn()
	}
	done = true
	clear(others)
	l.writers, l.others = writers[:0], others[:0]
	return true
}

// flushRing sends what the writers queued and reports the results.
func (l *Loop) flushRing(writers []BatchWriter) {
	res, err := l.ring.submit()
	l.writeRes = append(l.writeRes[:0], res...)
	if err != nil {
		// The ring itself failed: every send it did not report is left
		// queued in its socket, which sends it the ordinary way.
		l.ring.close()
		l.ring = nil
	}
	for i, w := range writers {
		n, werr := sendResult(l.writeRes[i])
		w.WriteResult(n, werr, l.notes[i])
	}
	i := 0
	defer func() {
		// On a panic in a WriteSettled, the writers after it are settled
		// on a later turn, with their results: their bytes have left.
		for j := i + 1; j < len(writers); j++ {
			w, note := writers[j], l.notes[j]
			n, werr := sendResult(l.writeRes[j])
			l.Post(func() { w.WriteSettled(n, werr, note) })
			writers[j] = nil
		}
		for j := range l.iovs[:len(writers)] {
			clear(l.iovs[j])
		}
	}()
	for ; i < len(writers); i++ {
		n, werr := sendResult(l.writeRes[i])
		writers[i].WriteSettled(n, werr, l.notes[i])
		writers[i] = nil
	}
}

// notMade is the result of a request the ring did not make because it
// failed first.
const notMade = -int32(unix.EINPROGRESS)

// sendResult turns a completion's result into send(2)'s.
func sendResult(res int32) (int, error) {
	switch {
	case res >= 0:
		return int(res), nil
	case res == notMade:
		return 0, nil // not sent: the socket still holds the bytes
	case unix.Errno(-res) == unix.EAGAIN:
		return 0, wrapErr("sendmsg", unix.EAGAIN)
	}
	return 0, wrapErr("sendmsg", unix.Errno(-res))
}
