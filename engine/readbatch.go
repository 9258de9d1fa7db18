package engine

import (
	"io"

	"golang.org/x/sys/unix"
)

// BatchReader is a Handler whose read notification is usually one read on
// a stream socket. When a turn's wait finds several descriptors ready, the
// loop reads for all its BatchReaders in one system call (io_uring on
// Linux) instead of one read each, in three passes: PrepareRead for every
// reader, the batched read, ReadResult for every reader; then, as the
// dispatch reaches each reader in the poller's order among the turn's
// other events, ReadSettled. The first two passes must not call back into
// user code, so that no reader's buffer changes between its PrepareRead
// and its ReadResult; signals belong in ReadSettled.
type BatchReader interface {
	Handler
	// PrepareRead returns the descriptor and the room to read into, or
	// ok false when this notification is not a plain read: the loop
	// then calls Ready instead, in its turn.
	PrepareRead() (fd int, p []byte, ok bool)
	// ReadResult reports what the read brought: n bytes; io.EOF at the
	// end of the stream; ErrWouldBlock when there was nothing after all;
	// or the error that broke the connection.
	ReadResult(n int, err error)
	// ReadSettled follows, with the same arguments, when the dispatch
	// reaches the reader, unless a callback before it closed the
	// reader's notifier.
	ReadSettled(n int, err error)
}

// readBatch is the loop's scratch space for one batched dispatch.
type readBatch struct {
	pos     []int32 // by event: the read's queue position, or -1
	readers []BatchReader
	res     []int32
	next    int // the first event the dispatch has not reached
}

// readBatched makes the plain reads among evs in one submission and
// returns what the dispatch needs to settle them, or nil when there is no
// ring to batch with or nothing to batch.
func (l *Loop) readBatched(evs []pollEvent) *readBatch {
	if l.ring == nil || faultsInstalled.Load() != 0 {
		return nil // an injected fault must reach the read it aims at
	}
	// A callback may run a nested turn of this loop: it gets scratch
	// space of its own.
	b := l.reads
	l.reads = nil
	if b == nil {
		b = new(readBatch)
	}
	pos := b.pos[:0]
	b.res = b.res[:0]
	queued := 0 // reads in the ring, not yet submitted
	for i := range evs {
		pos = append(pos, -1)
		reg := l.registrationOf(evs[i].token)
		if reg == nil || l.ring == nil {
			continue // the ring failed in an earlier round
		}
		n := reg.n
		if ev := evs[i].events & (reg.interest | Hangup); ev&Writable != 0 || ev&Readable == 0 {
			continue
		}
		r, ok := n.h.(BatchReader)
		if !ok {
			continue
		}
		if fd, p, ok := r.PrepareRead(); ok {
			l.ring.queueRecv(fd, p)
			queued++
			pos[i] = int32(len(b.readers))
			b.readers = append(b.readers, r)
			if l.ring.full() {
				// A batch larger than the ring goes in further rounds,
				// rather than one read(2) each for the rest.
				l.submitReads(b)
				queued = 0
			}
		}
	}
	b.pos = pos
	if len(b.readers) == 0 {
		l.reads = b
		return nil
	}
	if queued > 0 {
		l.submitReads(b)
	}
	// Every round is in before any reader hears of its read.
	for i, r := range b.readers {
		r.ReadResult(readResult(b.res[i]))
	}
	return b
}

// submitReads submits the reads queued in the ring and keeps their
// results after those of earlier rounds.
func (l *Loop) submitReads(b *readBatch) {
	res, err := l.ring.submit()
	b.res = append(b.res, res...)
	if err != nil {
		// The ring failed: a read it did not make is left to the poller,
		// which reports the descriptor again.
		l.ring.close()
		l.ring = nil
	}
}

// settle calls ReadSettled for the read made for event i, and reports
// false when no read was made for it.
func (b *readBatch) settle(i int) bool {
	p := b.pos[i]
	if p < 0 {
		return false
	}
	b.readers[p].ReadSettled(readResult(b.res[p]))
	return true
}

// finishReads ends a batched dispatch. When a callback panicked, the
// reads made for events the dispatch had not reached have their bytes in
// the readers' buffers but no announcement, and the kernel will not
// report them again: they are settled on a later turn (if their notifiers
// are still registered then) while the panic unwinds through Run.
func (l *Loop) finishReads(b *readBatch, evs []pollEvent) {
	for i := b.next; i < len(evs) && i < len(b.pos); i++ {
		p := b.pos[i]
		if p < 0 {
			continue
		}
		r, token := b.readers[p], evs[i].token
		n, err := readResult(b.res[p])
		l.Post(func() {
			if l.notifierOf(token) != nil {
				r.ReadSettled(n, err)
			}
		})
	}
	l.releaseReads(b)
}

// releaseReads gives the scratch space back to the loop.
func (l *Loop) releaseReads(b *readBatch) {
	clear(b.readers)
	b.pos, b.readers = b.pos[:0], b.readers[:0]
	l.reads = b
}

// readResult turns a completion's result into read(2)'s on a stream.
func readResult(res int32) (int, error) {
	switch {
	case res > 0:
		return int(res), nil
	case res == 0:
		return 0, io.EOF
	case res == notMade, unix.Errno(-res) == unix.EAGAIN, unix.Errno(-res) == unix.EINTR:
		return 0, ErrWouldBlock
	}
	return 0, wrapErr("read", unix.Errno(-res))
}
