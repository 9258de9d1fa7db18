package datastream

import "io"

// fakeSocket is a qsock-socket-like TransactionDevice: Read returns (0, nil)
// when nothing is buffered, and transactions keep consumed bytes.
type fakeSocket struct {
	data    []byte
	pos     int
	txStart int
	inTx    bool
	events  []string
}

func (s *fakeSocket) feed(b []byte) { s.data = append(s.data, b...) }

func (s *fakeSocket) Read(p []byte) (int, error) {
	n := copy(p, s.data[s.pos:])
	s.pos += n
	return n, nil
}

func (s *fakeSocket) AtEnd() bool { return s.pos == len(s.data) }

func (s *fakeSocket) StartTransaction() {
	s.inTx, s.txStart = true, s.pos
	s.events = append(s.events, "start")
}

func (s *fakeSocket) CommitTransaction() {
	s.inTx = false
	s.events = append(s.events, "commit")
}

func (s *fakeSocket) RollbackTransaction() {
	s.inTx, s.pos = false, s.txStart
	s.events = append(s.events, "rollback")
}

// trickle is a plain io.Reader (no transactions) that hands out what has
// been fed so far and reports (0, nil) when empty, like a non-blocking
// socket.
type trickle struct{ data []byte }

func (t *trickle) feed(b []byte) { t.data = append(t.data, b...) }

func (t *trickle) Read(p []byte) (int, error) {
	n := copy(p, t.data)
	t.data = t.data[n:]
	return n, nil
}

// failWriter fails every write after the first n bytes.
type failWriter struct{ n int }

var errDiskFull = io.ErrClosedPipe

func (f *failWriter) Write(p []byte) (int, error) {
	if len(p) > f.n {
		k := f.n
		f.n = 0
		return k, errDiskFull
	}
	f.n -= len(p)
	return len(p), nil
}
