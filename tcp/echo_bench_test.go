package tcp_test

import (
	"net/netip"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/qsock/qsock/engine"
	"github.com/qsock/qsock/socket"
	"github.com/qsock/qsock/tcp"
)

// loopbackPair returns two connected TCP descriptors over 127.0.0.1.
func loopbackPair(b testing.TB) (int, int) {
	ln, err := engine.NewNativeEngine(unix.AF_INET, unix.SOCK_STREAM)
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	if err := ln.Bind(netip.MustParseAddrPort("127.0.0.1:0")); err != nil {
		b.Fatal(err)
	}
	ln.Listen(1)
	la, _ := ln.LocalAddr()
	c, err := engine.NewNativeEngine(unix.AF_INET, unix.SOCK_STREAM)
	if err != nil {
		b.Fatal(err)
	}
	c.Connect(la)
	if _, _, err := engine.WaitFD(ln.FD(), true, false, 5*time.Second); err != nil {
		b.Fatal(err)
	}
	fd, err := ln.Accept()
	if err != nil {
		b.Fatal(err)
	}
	cfd, err := unix.Dup(c.FD())
	if err != nil {
		b.Fatal(err)
	}
	c.Close()
	return cfd, fd
}

// BenchmarkEcho64 is a ping-pong of 64-byte messages between two
// tcp.Sockets on one loop: the server side echoes in its ReadyRead slot
// with Read+Write, as a user would. One op is one echoed message.
func BenchmarkEcho64(b *testing.B) {
	l, err := engine.NewLoop()
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	cfd, sfd := loopbackPair(b)
	client, srv := tcp.NewSocket(l), tcp.NewSocket(l)
	if err := client.SetSocketDescriptor(cfd, socket.ConnectedState); err != nil {
		b.Fatal(err)
	}
	if err := srv.SetSocketDescriptor(sfd, socket.ConnectedState); err != nil {
		b.Fatal(err)
	}
	client.SetSocketOption(socket.LowDelayOption, 1)
	srv.SetSocketOption(socket.LowDelayOption, 1)
	msg := make([]byte, 64)
	sbuf := make([]byte, 4096)
	cbuf := make([]byte, 4096)
	srv.ReadyRead.Connect(func() {
		for {
			n, _ := srv.Read(sbuf)
			if n == 0 {
				return
			}
			srv.Write(sbuf[:n])
		}
	})
	got, left := 0, 0
	client.ReadyRead.Connect(func() {
		for {
			n, _ := client.Read(cbuf)
			if n == 0 {
				break
			}
			got += n
		}
		for got >= len(msg) {
			got -= len(msg)
			left--
			if left == 0 {
				l.Quit()
				return
			}
			client.Write(msg)
		}
	})
	run := func(n int) {
		left = n
		client.Write(msg)
		l.Run()
	}
	run(1000) // warm the pools
	b.ReportAllocs()
	b.SetBytes(int64(len(msg)))
	b.ResetTimer()
	run(b.N)
	b.StopTimer()
	client.Abort()
	srv.Abort()
}
