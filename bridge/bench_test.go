package bridge_test

import (
	"io"
	"net"
	"testing"

	"github.com/qsock/qsock/bridge"
	"github.com/qsock/qsock/internal/sockettest"
)

// benchPairs are a bridged pair on two loops, and Go's net for scale.
var benchPairs = []struct {
	name string
	make func(b *testing.B) (c1, c2 net.Conn)
}{
	{"Bridge", func(b *testing.B) (net.Conn, net.Conn) {
		l1, l2 := sockettest.RunLoop(b), sockettest.RunLoop(b)
		ln := listenTCP(b, l2)
		d := &bridge.Dialer{Loop: l1}
		return benchPair(b, ln, func() (net.Conn, error) { return d.Dial("tcp", ln.Addr().String()) })
	}},
	{"GoNet", func(b *testing.B) (net.Conn, net.Conn) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { ln.Close() })
		return benchPair(b, ln, func() (net.Conn, error) { return net.Dial("tcp", ln.Addr().String()) })
	}},
}

func benchPair(b *testing.B, ln net.Listener, dial func() (net.Conn, error)) (net.Conn, net.Conn) {
	c1, c2, err := pair(ln, dial)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { c1.Close(); c2.Close() })
	return c1, c2
}

// BenchmarkPingPong echoes 64-byte messages one at a time.
func BenchmarkPingPong(b *testing.B) {
	for _, p := range benchPairs {
		b.Run(p.name, func(b *testing.B) {
			c1, c2 := p.make(b)
			go io.Copy(c2, c2)
			msg := make([]byte, 64)
			b.SetBytes(int64(len(msg)))
			b.ReportAllocs()
			for b.Loop() {
				c1.Write(msg)
				if _, err := io.ReadFull(c1, msg); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkStream sends 64 KiB writes one way.
func BenchmarkStream(b *testing.B) {
	for _, p := range benchPairs {
		b.Run(p.name, func(b *testing.B) {
			c1, c2 := p.make(b)
			go io.Copy(io.Discard, c2)
			msg := make([]byte, 64<<10)
			b.SetBytes(int64(len(msg)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c1.Write(msg); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
