package datastream

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// fortuneMessage is what Qt's fortune server sends: a Qt_5_10 QString.
func fortuneMessage(s string) []byte {
	var buf bytes.Buffer
	w := NewWriter(&buf)
	w.SetVersion(Qt_5_10)
	w.WriteString(s)
	return buf.Bytes()
}

// readFortune is Qt's fortune client: in.startTransaction(); in >> fortune;
// if (!in.commitTransaction()) return;
func readFortune(r *Reader) (string, bool) {
	r.StartTransaction()
	s := r.ReadString()
	if !r.CommitTransaction() {
		return "", false
	}
	return s, true
}

func TestTransactionOverDevice(t *testing.T) {
	msg := fortuneMessage("You've got to think about tomorrow.")
	sock := &fakeSocket{}
	r := NewReader(sock)
	r.SetVersion(Qt_4_0)
	for i, b := range msg[:len(msg)-1] {
		sock.feed([]byte{b})
		if s, ok := readFortune(r); ok {
			t.Fatalf("complete after %d of %d bytes: %q", i+1, len(msg), s)
		}
		if sock.pos != 0 {
			t.Fatalf("device not rolled back: pos %d", sock.pos)
		}
	}
	sock.feed(msg[len(msg)-1:])
	s, ok := readFortune(r)
	if !ok || s != "You've got to think about tomorrow." || r.Status() != Ok {
		t.Fatalf("got %q %v %v", s, ok, r.Status())
	}
	if !sock.AtEnd() || !r.AtEnd() {
		t.Error("message not consumed")
	}
	if got := sock.events[len(sock.events)-2:]; !cmp.Equal(got, []string{"start", "commit"}) {
		t.Errorf("last device events %v", got)
	}
}

func TestTransactionOverPlainReader(t *testing.T) {
	msg := append(fortuneMessage("first"), fortuneMessage("second")...)
	src := &trickle{}
	r := NewReader(src)
	var got []string
	for i := range msg {
		src.feed(msg[i : i+1])
		for {
			s, ok := readFortune(r)
			if !ok {
				break
			}
			got = append(got, s)
		}
	}
	if diff := cmp.Diff([]string{"first", "second"}, got); diff != "" {
		t.Error(diff)
	}
	if len(r.buf) != 0 {
		t.Errorf("replay buffer holds %d bytes after commits", len(r.buf))
	}
}

func TestNestedTransactions(t *testing.T) {
	sock := &fakeSocket{}
	sock.feed([]byte{0, 0, 0, 1})
	r := NewReader(sock)
	r.StartTransaction()
	r.StartTransaction() // inner: only counts
	if v := r.ReadInt32(); v != 1 {
		t.Fatal(v)
	}
	if !r.CommitTransaction() { // inner commit reports
		t.Fatal("inner commit failed")
	}
	r.ReadInt8() // past end
	if r.CommitTransaction() {
		t.Fatal("outer commit succeeded after ReadPastEnd")
	}
	if sock.pos != 0 || !cmp.Equal(sock.events, []string{"start", "rollback"}) {
		t.Fatalf("pos %d events %v", sock.pos, sock.events)
	}
	if r.IsTransactionStarted() {
		t.Error("transaction still started")
	}
	if r.CommitTransaction() {
		t.Error("CommitTransaction without a transaction returned true")
	}
}

func TestRollbackAndAbort(t *testing.T) {
	// RollbackTransaction after good reads: ReadPastEnd and back to the start.
	src := &trickle{}
	src.feed([]byte{1, 2, 3})
	r := NewReader(src)
	r.StartTransaction()
	r.ReadUint8()
	r.RollbackTransaction()
	if r.Status() != ReadPastEnd {
		t.Errorf("status after rollback %v", r.Status())
	}
	r.StartTransaction() // resets the status
	if r.Status() != Ok || r.ReadUint8() != 1 {
		t.Fatal("rollback did not restore the data")
	}
	// AbortTransaction: ReadCorruptData, the bytes stay consumed.
	r.AbortTransaction()
	if r.Status() != ReadCorruptData || r.IsTransactionStarted() {
		t.Fatalf("after abort: %v", r.Status())
	}
	r.ResetStatus()
	if v := r.ReadUint8(); v != 2 {
		t.Errorf("after abort read %d, want 2", v)
	}

	// A rollback with corrupt data commits (aborts) instead.
	sock := &fakeSocket{}
	sock.feed(mustHex("00000003 000000"))
	r = NewReader(sock)
	r.StartTransaction()
	r.ReadQString()
	r.RollbackTransaction()
	if r.Status() != ReadCorruptData || sock.events[len(sock.events)-1] != "commit" {
		t.Errorf("corrupt rollback: %v %v", r.Status(), sock.events)
	}
	// CommitTransaction with ReadCorruptData consumes and reports false.
	sock = &fakeSocket{}
	sock.feed(mustHex("00000003 000000"))
	r = NewReader(sock)
	r.StartTransaction()
	r.ReadQString()
	if r.CommitTransaction() || sock.events[len(sock.events)-1] != "commit" {
		t.Errorf("corrupt commit: %v", sock.events)
	}
}

func TestReadsSuspendedAfterFailureInTransaction(t *testing.T) {
	sock := &fakeSocket{}
	sock.feed([]byte{0, 0, 0, 0, 9})
	r := NewReader(sock)
	r.StartTransaction()
	r.ReadInt64() // fails: 5 bytes only
	if v := r.ReadUint8(); v != 0 {
		t.Errorf("read after failure returned %d", v)
	}
}
