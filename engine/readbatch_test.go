package engine

import (
	"errors"
	"io"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"
)

// batchLog records the calls of every handler in one test, in order.
type batchLog []string

// testReader is a BatchReader that reads into its own buffer.
type testReader struct {
	name    string
	fd      int
	log     *batchLog
	buf     [64]byte
	got     string
	decline bool                 // PrepareRead says no
	settled func(n int, e error) // runs in ReadSettled
}

func (r *testReader) Ready(ev Events) {
	*r.log = append(*r.log, "ready "+r.name)
	if n, err := unix.Read(r.fd, r.buf[:]); err == nil {
		r.got = string(r.buf[:n])
	}
}

func (r *testReader) PrepareRead() (int, []byte, bool) {
	if r.decline {
		return 0, nil, false
	}
	*r.log = append(*r.log, "prepare "+r.name)
	return r.fd, r.buf[:], true
}

func (r *testReader) ReadResult(n int, err error) {
	*r.log = append(*r.log, "result "+r.name)
	r.got = string(r.buf[:n])
	if err != nil {
		r.got = err.Error()
	}
}

func (r *testReader) ReadSettled(n int, err error) {
	*r.log = append(*r.log, "settled "+r.name)
	if r.settled != nil {
		r.settled(n, err)
	}
}

// newBatchLoop returns a loop that batches, or skips where io_uring is
// not available.
func newBatchLoop(t *testing.T) *Loop {
	t.Helper()
	l := closingLoop(t)
	if l.ring == nil {
		t.Skip("io_uring is not available here (old kernel, seccomp, or io_uring_disabled): reads are not batched")
	}
	return l
}

// watch registers a reader on one end of a new socket pair, read-enabled,
// and returns the other end.
func watch(t *testing.T, l *Loop, r *testReader) (n *Notifier, peer int) {
	t.Helper()
	p, err := Socketpair(unix.AF_UNIX, unix.SOCK_STREAM)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { unix.Close(p[0]); unix.Close(p[1]) })
	r.fd = p[0]
	n, err = l.NewNotifier(p[0], r)
	if err != nil {
		t.Fatal(err)
	}
	n.SetReadEnabled(true)
	return n, p[1]
}

// phases checks that every prepare comes before every result, and every
// result before every settled or ready call, and returns the names of
// each phase, sorted (the poller's order among descriptors is the
// kernel's).
func phases(t *testing.T, log batchLog) map[string][]string {
	t.Helper()
	order := map[string]int{"prepare": 0, "result": 1, "settled": 2, "ready": 2}
	by := map[string][]string{}
	last := 0
	for _, e := range log {
		var kind, name string
		for i := range e {
			if e[i] == ' ' {
				kind, name = e[:i], e[i+1:]
				break
			}
		}
		if order[kind] < last {
			t.Fatalf("%q comes after a later phase: %q", e, log)
		}
		last = order[kind]
		by[kind] = append(by[kind], name)
	}
	for _, v := range by {
		slices.Sort(v)
	}
	return by
}

// A turn with several readable descriptors reads for every BatchReader in
// one submission before any of them is settled; a reader that declines,
// and a notifier watching both directions, get Ready as before.
func TestBatchedReads(t *testing.T) {
	l := newBatchLoop(t)
	var log batchLog
	a := &testReader{name: "a", log: &log}
	b := &testReader{name: "b", log: &log}
	eof := &testReader{name: "eof", log: &log}
	no := &testReader{name: "no", log: &log, decline: true}
	rw := &testReader{name: "rw", log: &log}
	_, pa := watch(t, l, a)
	_, pb := watch(t, l, b)
	_, pe := watch(t, l, eof)
	_, pn := watch(t, l, no)
	nrw, prw := watch(t, l, rw)
	nrw.SetWriteEnabled(true)
	unix.Write(pa, []byte("aa"))
	unix.Write(pb, []byte("bbb"))
	unix.Shutdown(pe, unix.SHUT_WR)
	unix.Write(pn, []byte("n"))
	unix.Write(prw, []byte("rw"))
	if err := l.ProcessEvents(time.Second); err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"prepare": {"a", "b", "eof"},
		"result":  {"a", "b", "eof"},
		"settled": {"a", "b", "eof"},
		"ready":   {"no", "rw"},
	}
	if d := cmp.Diff(want, phases(t, log)); d != "" {
		t.Errorf("calls by phase (-want +got):\n%s", d)
	}
	got := map[string]string{"a": a.got, "b": b.got, "eof": eof.got, "no": no.got, "rw": rw.got}
	wantGot := map[string]string{"a": "aa", "b": "bbb", "eof": io.EOF.Error(), "no": "n", "rw": "rw"}
	if d := cmp.Diff(wantGot, got); d != "" {
		t.Errorf("bytes read (-want +got):\n%s", d)
	}
}

// A turn with more readable descriptors than the ring holds reads them all
// through the ring, in further rounds, before any is settled: none falls
// back to a read(2) of its own (Ready).
func TestBatchedReadsBeyondTheRing(t *testing.T) {
	l := newBatchLoop(t)
	count := l.ring.size() + 3
	var log batchLog
	readers := make([]*testReader, count)
	for i := range readers {
		readers[i] = &testReader{name: strconv.Itoa(i), log: &log}
		_, peer := watch(t, l, readers[i])
		unix.Write(peer, []byte("x"+strconv.Itoa(i)))
	}
	if len(l.events) < count {
		l.events = make([]pollEvent, count) // one wait sees them all
	}
	if err := l.ProcessEvents(time.Second); err != nil {
		t.Fatal(err)
	}
	by := phases(t, log)
	if len(by["ready"]) != 0 || len(by["settled"]) != count || len(by["result"]) != count {
		t.Errorf("%d descriptors: %d read through the ring and settled (%d results), %d read on their own",
			count, len(by["settled"]), len(by["result"]), len(by["ready"]))
	}
	for i, r := range readers {
		if want := "x" + strconv.Itoa(i); r.got != want {
			t.Errorf("reader %d got %q, want %q", i, r.got, want)
		}
	}
}

// A reader closed by a callback earlier in the same dispatch had its read
// made (ReadResult) but is not settled; the one that closed it is.
func TestBatchedReadClosedMeanwhile(t *testing.T) {
	l := newBatchLoop(t)
	var log batchLog
	a := &testReader{name: "a", log: &log}
	b := &testReader{name: "b", log: &log}
	na, pa := watch(t, l, a)
	nb, pb := watch(t, l, b)
	a.settled = func(int, error) { nb.Close() }
	b.settled = func(int, error) { na.Close() }
	unix.Write(pa, []byte("a"))
	unix.Write(pb, []byte("b"))
	if err := l.ProcessEvents(time.Second); err != nil {
		t.Fatal(err)
	}
	by := phases(t, log)
	if d := cmp.Diff([]string{"a", "b"}, by["result"]); d != "" {
		t.Errorf("results (-want +got):\n%s", d)
	}
	if len(by["settled"]) != 1 {
		t.Errorf("settled %q, want exactly one of a and b", by["settled"])
	}
}

func TestReadResult(t *testing.T) {
	for _, c := range []struct {
		res  int32
		n    int
		want error
	}{
		{5, 5, nil},
		{0, 0, io.EOF},
		{-int32(unix.EAGAIN), 0, ErrWouldBlock},
		{-int32(unix.EINTR), 0, ErrWouldBlock},
		{notMade, 0, ErrWouldBlock},
		{-int32(unix.ECONNRESET), 0, unix.ECONNRESET},
	} {
		n, err := readResult(c.res)
		if n != c.n || !errors.Is(err, c.want) {
			t.Errorf("readResult(%d) = %d, %v; want %d, %v", c.res, n, err, c.n, c.want)
		}
	}
}

// A callback that panics leaves the loop usable (Loop.Run's promise):
// a reader of the same batch that the dispatch had not reached still gets
// its bytes announced, on the next turn, exactly once.
func TestBatchedReadAfterPanic(t *testing.T) {
	l := newBatchLoop(t)
	var log batchLog
	a := &testReader{name: "a", log: &log}
	b := &testReader{name: "b", log: &log}
	_, pa := watch(t, l, a)
	_, pb := watch(t, l, b)
	first := true
	boom := func(int, error) {
		if first {
			first = false
			panic("slot panicked")
		}
	}
	a.settled, b.settled = boom, boom
	unix.Write(pa, []byte("a"))
	unix.Write(pb, []byte("b"))
	func() {
		defer func() {
			if recover() == nil {
				t.Error("the slot's panic did not reach the caller")
			}
		}()
		l.ProcessEvents(time.Second)
	}()
	if err := l.ProcessEvents(100 * time.Millisecond); err != nil {
		t.Fatal(err)
	}
	by := phases(t, log)
	if d := cmp.Diff([]string{"a", "b"}, by["settled"]); d != "" {
		t.Errorf("settled after the panic (-want +got):\n%s", d)
	}
	if a.got != "a" || b.got != "b" {
		t.Errorf("read %q and %q", a.got, b.got)
	}
}
