package server_test

import (
	"runtime"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/qsock/qsock/internal/sockettest"
	"github.com/qsock/qsock/server"
	"github.com/qsock/qsock/socket"
	"github.com/qsock/qsock/tcp"
)

// BenchmarkIdleConnection reports what one idle accepted connection costs
// the server: live heap bytes after a GC (B/conn, with the echo slots a
// server connects) and allocations made to accept and adopt it
// (allocs/conn; the handler's own two slots and closure included). The clients are raw descriptors, so nothing on the client
// side is counted.
func BenchmarkIdleConnection(b *testing.B) {
	// Enough connections that pooled buffers and the loop's tables do not
	// show in the figure.
	const conns = 4000
	var lim unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_NOFILE, &lim); err != nil || lim.Cur < 2*conns+256 {
		b.Skipf("needs %d descriptors (ulimit -n %d)", 2*conns+256, 2*conns+256)
	}
	loop := sockettest.RunLoop(b)
	buf := make([]byte, 64<<10)
	srv := server.NewTCPServer(loop)
	open := 0 // on the loop
	srv.SetHandler(func(c *tcp.Socket) {
		open++
		c.ReadyRead.Connect(func() {
			for {
				n, _ := c.Read(buf)
				if n == 0 {
					return
				}
				c.Write(buf[:n])
			}
		})
		c.Disconnected.Connect(func() {
			open--
			c.Close()
		})
	})
	var port uint16
	var err error
	loop.Invoke(func() {
		if err = srv.Listen(socket.LocalHost, 0); err == nil {
			port = srv.ServerPort()
		}
	})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { loop.Invoke(srv.Close) })
	sa := &unix.SockaddrInet4{Port: int(port), Addr: [4]byte{127, 0, 0, 1}}
	msg := make([]byte, 64)
	var bytesPer, allocsPer, totalPer float64
	for b.Loop() {
		fds := make([]int, 0, conns)
		var before, after runtime.MemStats
		settleHeap()
		runtime.ReadMemStats(&before)
		for range conns {
			fd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM, 0)
			if err != nil {
				b.Fatal(err)
			}
			fds = append(fds, fd)
			if err := unix.Connect(fd, sa); err != nil {
				b.Fatal(err)
			}
			// One echo each, so every connection has been read and
			// written once, as in bench/'s idle scenario.
			if _, err := unix.Write(fd, msg); err != nil {
				b.Fatal(err)
			}
			if _, err := unix.Read(fd, msg); err != nil {
				b.Fatal(err)
			}
		}
		loop.Invoke(func() {})
		settleHeap()
		runtime.ReadMemStats(&after)
		bytesPer = float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / conns
		allocsPer = float64(after.Mallocs-before.Mallocs) / conns
		totalPer = float64(after.TotalAlloc-before.TotalAlloc) / conns
		for _, fd := range fds {
			unix.Close(fd)
		}
		sockettest.Until(b, loop, "every connection closed", func() bool { return open == 0 })
	}
	b.ReportMetric(bytesPer, "B/conn")
	b.ReportMetric(allocsPer, "allocs/conn")
	b.ReportMetric(totalPer, "alloc-B/conn")
}

// settleHeap collects twice: pooled blocks survive one collection in the
// pools' victim caches, and must not count on either side.
func settleHeap() {
	runtime.GC()
	runtime.GC()
}
