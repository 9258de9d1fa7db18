package tcp_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// Skip and UngetChar at the edges Qt 5.15 and 6.4 probes printed: Skip
// returns 0 while connected with nothing buffered, -1 once the peer has
// closed and nothing is left, -1 for a negative count and on a closed
// socket; UngetChar on a closed socket is ignored (it is not readable).
func TestSkipAndUngetCharAtEndAsQt(t *testing.T) {
	s, peer := connectedPair(t)
	var got []string
	logf := func(format string, args ...any) { got = append(got, fmt.Sprintf(format, args...)) }
	logf("skip(5) connected, empty=%d", s.Skip(5))
	logf("skip(-1)=%d", s.Skip(-1))
	peer.Write([]byte("abc"))
	s.WaitForReadyRead(5 * time.Second)
	logf("skip(2)=%d avail=%d", s.Skip(2), s.BytesAvailable())
	peer.Close()
	s.WaitForDisconnected(5 * time.Second)
	logf("skip(5) after peer closed=%d avail=%d", s.Skip(5), s.BytesAvailable())
	logf("skip(5) at end=%d", s.Skip(5))
	s.Close()
	s.UngetChar('Y')
	logf("after close and ungetChar: avail=%d atEnd=%v", s.BytesAvailable(), s.AtEnd())
	logf("skip(5) closed=%d", s.Skip(5))
	want := []string{
		"skip(5) connected, empty=0",
		"skip(-1)=-1",
		"skip(2)=2 avail=1",
		"skip(5) after peer closed=1 avail=0",
		"skip(5) at end=-1",
		"after close and ungetChar: avail=0 atEnd=true",
		"skip(5) closed=-1",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}
