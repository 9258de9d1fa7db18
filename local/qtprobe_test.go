package local_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/qsock/qsock/local"
	"github.com/qsock/qsock/socket"
)

// What Qt 5.15 and 6.4 QLocalSocket probes showed where qsock differed:
// close() with pending writes clears the names at once, in Closing; a
// write after the peer closed leaves the error text alone.
func TestLocalSocketEdgesAsQt(t *testing.T) {
	tmpdir(t)
	srv := listen(t, "edges")
	c := dialBlocking(t, "edges")
	p := accept(t, srv)
	c.Write([]byte("ping"))
	c.WaitForBytesWritten(5 * time.Second)
	p.Write([]byte("0123456789"))
	p.WaitForBytesWritten(5 * time.Second)
	c.WaitForReadyRead(5 * time.Second)

	// A peer that closes: the write afterwards fails and keeps the text.
	p.Abort()
	c.WaitForDisconnected(5 * time.Second)
	before := c.ErrorString()
	if _, err := c.Write([]byte("x")); err == nil {
		t.Error("Write after the peer closed succeeded")
	}
	if got := c.ErrorString(); got != before {
		t.Errorf("ErrorString after the failed write %q, was %q", got, before)
	}

	// close() with writes still queued: Closing, names already gone.
	d := dialBlocking(t, "edges")
	q := accept(t, srv)
	d.Write([]byte(strings.Repeat("z", 8<<20)))
	d.Close()
	got := []string{d.State().String(), d.ServerName(), d.FullServerName()}
	if diff := cmp.Diff([]string{socket.ClosingState.String(), "", ""}, got); diff != "" {
		t.Errorf("after close with pending writes: state, serverName, fullServerName (-want +got):\n%s", diff)
	}
	q.Abort()
}

// dialBlocking connects a blocking-style socket to name, aborted at the
// end of the test.
func dialBlocking(t *testing.T, name string) *local.Socket {
	t.Helper()
	c := local.NewSocket(nil)
	t.Cleanup(c.Abort)
	c.ConnectToServer(name)
	if !c.WaitForConnected(5 * time.Second) {
		t.Fatal(c.ErrorString())
	}
	return c
}
