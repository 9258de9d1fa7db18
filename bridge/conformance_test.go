package bridge_test

import (
	"net"
	"testing"

	"golang.org/x/net/nettest"

	"github.com/qsock/qsock/bridge"
	"github.com/qsock/qsock/internal/sockettest"
)

// TestConnConformance runs x/net's net.Conn conformance suite over
// bridged connections: qsock at both ends (TCP on two loops, Unix-domain,
// TLS), and qsock against Go's net at either end.
func TestConnConformance(t *testing.T) {
	t.Run("TCP", func(t *testing.T) {
		loop1, loop2 := sockettest.RunLoop(t), sockettest.RunLoop(t)
		checkLeaks(t)
		ln := listenTCP(t, loop2)
		d := &bridge.Dialer{Loop: loop1}
		nettest.TestConn(t, func() (c1, c2 net.Conn, stop func(), err error) {
			c1, c2, err = pair(ln, func() (net.Conn, error) { return d.Dial("tcp", ln.Addr().String()) })
			return c1, c2, func() { c1.Close(); c2.Close() }, err
		})
	})
	t.Run("TCPGoClient", func(t *testing.T) {
		loop := sockettest.RunLoop(t)
		ln := listenTCP(t, loop)
		nettest.TestConn(t, func() (c1, c2 net.Conn, stop func(), err error) {
			c1, c2, err = pair(ln, func() (net.Conn, error) { return net.Dial("tcp", ln.Addr().String()) })
			return c1, c2, func() { c1.Close(); c2.Close() }, err
		})
	})
	t.Run("TCPGoServer", func(t *testing.T) {
		loop := sockettest.RunLoop(t)
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		d := &bridge.Dialer{Loop: loop}
		nettest.TestConn(t, func() (c1, c2 net.Conn, stop func(), err error) {
			c1, c2, err = pair(ln, func() (net.Conn, error) { return d.Dial("tcp", ln.Addr().String()) })
			return c1, c2, func() { c1.Close(); c2.Close() }, err
		})
	})
	t.Run("Unix", func(t *testing.T) {
		loop := sockettest.RunLoop(t)
		checkLeaks(t)
		ln := listenLocal(t, loop)
		d := &bridge.Dialer{Loop: loop}
		nettest.TestConn(t, func() (c1, c2 net.Conn, stop func(), err error) {
			c1, c2, err = pair(ln, func() (net.Conn, error) { return d.Dial("unix", ln.Addr().String()) })
			return c1, c2, func() { c1.Close(); c2.Close() }, err
		})
	})
	t.Run("TLS", func(t *testing.T) {
		p := newPKI(t)
		loop1, loop2 := sockettest.RunLoop(t), sockettest.RunLoop(t)
		ln := listenSSL(t, loop2, p)
		nettest.TestConn(t, func() (c1, c2 net.Conn, stop func(), err error) {
			c1, c2, err = pair(ln, func() (net.Conn, error) {
				return dialSSL(loop1, p, ln.Addr().(*net.TCPAddr)), nil
			})
			return c1, c2, func() { c1.Close(); c2.Close() }, err
		})
	})
}
