package local_test

import (
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/qsock/qsock/engine"
	"github.com/qsock/qsock/local"
)

// The echo benchmarks run ping-pong over conns connections with msg-byte
// messages: qsock's local.Server and local.Socket all on one loop, against
// Go's net.UnixListener with a goroutine per connection (and a goroutine
// per client). One op is one echoed message. Both ends live in the test
// process, so the process's CPU time (user+system, reported as cpu-ns/op)
// is the cost of both implementations' client and server; compare that,
// side by side in one run (DESIGN §9), not ns/op, since the Go version
// spreads over every core and qsock here uses one.

// cpuTime returns the process's user+system time.
func cpuTime() time.Duration {
	var ru unix.Rusage
	unix.Getrusage(unix.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func reportCPU(b *testing.B, start time.Duration, n int) {
	b.ReportMetric(float64(cpuTime()-start)/float64(n), "cpu-ns/op")
}

func benchName(b *testing.B) string {
	dir, err := os.MkdirTemp("", "qbench")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { os.RemoveAll(dir) })
	return filepath.Join(dir, "echo")
}

func BenchmarkEcho(b *testing.B) {
	for _, conns := range []int{1, 100} {
		for _, size := range []int{64, 4096} {
			b.Run(fmt.Sprintf("qsock/conns=%d/size=%d", conns, size), func(b *testing.B) { benchQsock(b, conns, size) })
			b.Run(fmt.Sprintf("gonet/conns=%d/size=%d", conns, size), func(b *testing.B) { benchGoNet(b, conns, size) })
		}
	}
}

func benchQsock(b *testing.B, conns, size int) {
	l, err := engine.NewLoop()
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	srv := local.NewServer(l)
	sbuf := make([]byte, 64<<10)
	srv.SetHandler(func(c *local.Socket) {
		c.ReadyRead.Connect(func() {
			for {
				n, _ := c.Read(sbuf)
				if n == 0 {
					return
				}
				c.Write(sbuf[:n])
			}
		})
	})
	name := benchName(b)
	// Every client connects before the loop runs to accept: the backlog
	// must hold them all, or the rest would wait in Connecting.
	srv.SetListenBacklogSize(2 * conns)
	if err := srv.Listen(name); err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	msg := make([]byte, size)
	cbuf := make([]byte, 64<<10)
	left := 0
	clients := make([]*local.Socket, conns)
	for i := range clients {
		c := local.NewSocket(l)
		got := 0
		c.ReadyRead.Connect(func() {
			for {
				n, _ := c.Read(cbuf)
				if n == 0 {
					break
				}
				got += n
			}
			for got >= size {
				got -= size
				if left <= 0 {
					return
				}
				left--
				if left == 0 {
					l.Quit()
					return
				}
				if left >= conns {
					c.Write(msg)
				}
			}
		})
		c.ConnectToServer(name)
		if c.State() != local.ConnectedState {
			b.Fatalf("client %d: %v %s", i, c.State(), c.ErrorString())
		}
		clients[i] = c
	}
	run := func(n int) {
		left = n
		for _, c := range clients[:min(conns, n)] {
			c.Write(msg)
		}
		l.Run()
	}
	run(max(1000, conns)) // accept everything and warm the pools
	b.ReportAllocs()
	b.SetBytes(int64(size))
	b.ResetTimer()
	cpu0 := cpuTime()
	run(max(b.N, conns))
	b.StopTimer()
	reportCPU(b, cpu0, max(b.N, conns))
	for _, c := range clients {
		c.Abort()
	}
}

func benchGoNet(b *testing.B, conns, size int) {
	name := benchName(b)
	ln, err := net.Listen("unix", name)
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	var wg sync.WaitGroup
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				io.Copy(c, c)
			}()
		}
	}()
	msg := make([]byte, size)
	per := max(b.N/conns, 1)
	clients := make([]net.Conn, conns)
	for i := range clients {
		c, err := net.DialTimeout("unix", name, 5*time.Second)
		if err != nil {
			b.Fatal(err)
		}
		clients[i] = c
	}
	b.ReportAllocs()
	b.SetBytes(int64(size))
	b.ResetTimer()
	cpu0 := cpuTime()
	var cw sync.WaitGroup
	for _, c := range clients {
		cw.Add(1)
		go func() {
			defer cw.Done()
			buf := make([]byte, size)
			for range per {
				c.Write(msg)
				if _, err := io.ReadFull(c, buf); err != nil {
					return
				}
			}
		}()
	}
	cw.Wait()
	b.StopTimer()
	reportCPU(b, cpu0, per*conns)
	for _, c := range clients {
		c.Close()
	}
	ln.Close()
	wg.Wait()
}
