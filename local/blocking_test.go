package local_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/qsock/qsock/local"
)

// Blocking style, as a QLocalSocket in a thread without an event loop:
// a server goroutine and a client goroutine, WaitFor* only.
func TestBlockingStyle(t *testing.T) {
	tmpdir(t)
	srv := listen(t, "blk")
	done := make(chan error, 1)
	go func() {
		if ok, _ := srv.WaitForNewConnection(5 * time.Second); !ok {
			done <- errors.New("no connection")
			return
		}
		p := srv.NextPendingConnection()
		defer p.Abort()
		for p.BytesAvailable() < 4 {
			if !p.WaitForReadyRead(5 * time.Second) {
				done <- errors.New("no request: " + p.ErrorString())
				return
			}
		}
		p.Write(append([]byte("re:"), p.ReadAll()...))
		if !p.WaitForBytesWritten(5 * time.Second) {
			done <- errors.New("reply not written")
			return
		}
		p.DisconnectFromServer()
		if p.State() != local.UnconnectedState && !p.WaitForDisconnected(5*time.Second) {
			done <- errors.New("no disconnect")
			return
		}
		done <- nil
	}()
	c := local.NewSocket(nil)
	c.ConnectToServer("blk")
	if !c.WaitForConnected(time.Second) {
		t.Fatalf("WaitForConnected: %v", c.ErrorString())
	}
	c.WriteString("ping")
	if !c.WaitForBytesWritten(time.Second) {
		t.Fatal("WaitForBytesWritten after Write: false")
	}
	if c.WaitForBytesWritten(time.Second) {
		t.Fatal("WaitForBytesWritten with nothing queued: true")
	}
	var got []byte
	for len(got) < 7 && c.WaitForReadyRead(5*time.Second) {
		got = append(got, c.ReadAll()...)
	}
	if string(got) != "re:ping" {
		t.Fatalf("reply %q", got)
	}
	if !c.WaitForDisconnected(5*time.Second) && c.State() != local.UnconnectedState {
		t.Fatalf("client did not see the close: %v", c.State())
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestWaitTimeouts(t *testing.T) {
	tmpdir(t)
	srv := listen(t, "to")
	c := local.NewSocket(nil)
	c.ConnectToServer("to")
	defer c.Abort()
	accept(t, srv)
	ev := record(c)
	start := time.Now()
	if c.WaitForReadyRead(50 * time.Millisecond) {
		t.Fatal("WaitForReadyRead with nothing sent: true")
	}
	if el := time.Since(start); el < 40*time.Millisecond || el > 2*time.Second {
		t.Errorf("timed out after %v", el)
	}
	// Qt: SocketTimeoutError is reported, the connection stays.
	ev.Check(t, "read timeout", "error:SocketTimeoutError")
	if c.State() != local.ConnectedState || c.Error() != local.SocketTimeoutError ||
		c.ErrorString() != "QLocalSocket: Socket operation timed out" {
		t.Fatalf("after: %v %v %q", c.State(), c.Error(), c.ErrorString())
	}
	if c.WaitForDisconnected(30 * time.Millisecond) {
		t.Fatal("WaitForDisconnected: true while connected")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	if err := c.WaitForReadyReadContext(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("WaitForReadyReadContext: %v", err)
	}
	if err := c.WaitForConnectedContext(context.Background()); err != nil {
		t.Fatalf("WaitForConnectedContext while connected: %v", err)
	}
	ctx2, cancel2 := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel2()
	if err := srv.WaitForNewConnectionContext(ctx2); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("WaitForNewConnectionContext: %v", err)
	}
}

// A WaitFor* inside a slot of a running loop blocks that loop and works.
func TestWaitInsideSlot(t *testing.T) {
	tmpdir(t)
	loop := newLoop(t)
	srv := listen(t, "slot")
	c := local.NewSocket(loop)
	got := make(chan string, 1)
	loop.Invoke(func() {
		c.Connected.Connect(func() {
			c.WriteString("hi")
			if !c.WaitForReadyRead(5 * time.Second) {
				got <- "timeout"
				return
			}
			got <- string(c.ReadAll())
		})
	})
	go loop.Post(func() { c.ConnectToServer("slot") })
	p := accept(t, srv)
	for p.BytesAvailable() < 2 && p.WaitForReadyRead(5*time.Second) {
	}
	p.Write(p.ReadAll())
	p.Flush()
	if s := <-got; s != "hi" {
		t.Fatalf("echo inside the slot: %q", s)
	}
	loop.Invoke(c.Abort)
}
