package bridge_test

import (
	"bytes"
	"errors"
	"io"
	"net"
	"testing"
	"time"

	"github.com/qsock/qsock/internal/sockettest"
)

// TestCloseUnblocks: Close ends a Read waiting for bytes and a Write
// waiting for room with net.ErrClosed; every later call fails the same
// way.
func TestCloseUnblocks(t *testing.T) {
	for _, p := range pairs {
		t.Run(p.name, func(t *testing.T) {
			c1, _ := p.make(t)
			errs := make(chan error, 2)
			go func() {
				_, err := c1.Read(make([]byte, 8))
				errs <- err
			}()
			go func() {
				buf := make([]byte, 64<<10)
				for {
					if _, err := c1.Write(buf); err != nil {
						errs <- err
						return
					}
				}
			}()
			time.Sleep(100 * time.Millisecond)
			if err := c1.Close(); err != nil {
				t.Fatalf("Close: %v", err)
			}
			for range 2 {
				select {
				case err := <-errs:
					if !errors.Is(err, net.ErrClosed) {
						t.Fatalf("blocked call: %v; want net.ErrClosed", err)
					}
				case <-time.After(5 * time.Second):
					t.Fatal("Close left a call blocked")
				}
			}
			if err := c1.Close(); !errors.Is(err, net.ErrClosed) {
				t.Errorf("second Close: %v", err)
			}
			if _, err := c1.Read(make([]byte, 1)); !errors.Is(err, net.ErrClosed) {
				t.Errorf("Read after Close: %v", err)
			}
			if _, err := c1.Write([]byte("x")); !errors.Is(err, net.ErrClosed) {
				t.Errorf("Write after Close: %v", err)
			}
			if err := c1.SetDeadline(time.Now()); !errors.Is(err, net.ErrClosed) {
				t.Errorf("SetDeadline after Close: %v", err)
			}
		})
	}
}

// TestCloseSendsPending: what Write accepted before Close reaches the
// peer, followed by a clean end of stream.
func TestCloseSendsPending(t *testing.T) {
	for _, p := range pairs {
		t.Run(p.name, func(t *testing.T) {
			c1, c2 := p.make(t)
			data := randomBytes(2<<20, 5)
			go func() {
				if _, err := c1.Write(data); err != nil {
					t.Error(err)
				}
				c1.Close()
			}()
			time.Sleep(50 * time.Millisecond) // let Write return before everything is read
			got, err := io.ReadAll(c2)
			if err != nil || !bytes.Equal(got, data) {
				t.Fatalf("ReadAll: %d of %d bytes, %v", len(got), len(data), err)
			}
		})
	}
}

// TestCloseBothWithBytesInFlight: two ends that each still have bytes
// for the other, neither reading, both close; the descriptors go at once
// rather than after CloseLinger.
func TestCloseBothWithBytesInFlight(t *testing.T) {
	for _, p := range pairs {
		t.Run(p.name, func(t *testing.T) {
			c1, c2 := p.make(t)
			done := make(chan struct{}, 2)
			for _, c := range []net.Conn{c1, c2} {
				go func() {
					c.Write(make([]byte, 8<<20))
					done <- struct{}{}
				}()
			}
			time.Sleep(100 * time.Millisecond)
			before := sockettest.OpenFDs(t)
			c1.Close()
			c2.Close()
			<-done
			<-done
			deadline := time.Now().Add(2 * time.Second)
			for sockettest.OpenFDs(t) > before-2 {
				if time.Now().After(deadline) {
					t.Fatalf("descriptors: %d before Close, %d after", before, sockettest.OpenFDs(t))
				}
				time.Sleep(5 * time.Millisecond)
			}
		})
	}
}
