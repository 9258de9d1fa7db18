package bridge_test

import (
	"io"
	"net"
	"testing"

	"github.com/qsock/qsock/bridge"
	"github.com/qsock/qsock/internal/sockettest"
)

// TestNoLeaks: 200 connections, closed in every order (and some with
// bytes unread or still queued), leave no descriptor or goroutine.
func TestNoLeaks(t *testing.T) {
	l1, l2 := sockettest.RunLoop(t), sockettest.RunLoop(t)
	checkLeaks(t)
	ln := listenTCP(t, l2)
	d := &bridge.Dialer{Loop: l1}
	msg := make([]byte, 1024)
	for i := range 200 {
		c1, c2, err := pair(ln, func() (net.Conn, error) { return d.Dial("tcp", ln.Addr().String()) })
		if err != nil {
			t.Fatal(err)
		}
		go c2.Write(msg)
		if _, err := io.ReadFull(c1, make([]byte, len(msg))); err != nil {
			t.Fatal(err)
		}
		switch i % 4 {
		case 0:
			c1.Close()
			c2.Close()
		case 1:
			c2.Close()
			c1.Close()
		case 2: // unread bytes
			c1.Write(msg)
			c1.Close()
			c2.Close()
		case 3: // queued bytes, then the peer goes away
			c2.Write(make([]byte, 1<<20))
			c2.Close()
			c1.Close()
		}
	}
}
