// Command loopback is Qt's loopback example as a terminal program: a
// TCPServer and a tcp.Socket in one process, on one loop. The client pushes
// -bytes of '@' in -payload writes, writing the next payload from its
// BytesWritten slot only while at most four payloads are queued (Qt's
// back-pressure pattern); the server counts what it receives and closes
// the connection when everything has arrived. Progress for sent, written
// and received bytes is drawn on stderr; the result goes to stdout.
//
//	go run ./examples/loopback -bytes 50M
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/qsock/qsock/engine"
	"github.com/qsock/qsock/server"
	"github.com/qsock/qsock/socket"
	"github.com/qsock/qsock/tcp"
)

func main() {
	total := flag.String("bytes", "50M", "bytes to send (suffixes K, M, G are powers of 1024)")
	payload := flag.String("payload", "64K", "bytes per write")
	quiet := flag.Bool("q", false, "no progress bars")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: loopback [-bytes N] [-payload N] [-q]\n\n"+
			"Sends N bytes from a client to a server in the same process over TCP\n"+
			"localhost, as Qt's loopback example does, and reports the throughput.\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	n, err1 := parseSize(*total)
	p, err2 := parseSize(*payload)
	if err1 != nil || err2 != nil || n <= 0 || p <= 0 {
		fmt.Fprintln(os.Stderr, "loopback: -bytes and -payload take a positive size such as 65536, 64K or 50M")
		os.Exit(2)
	}
	r, err := run(n, p, !*quiet)
	if err != nil {
		fmt.Fprintf(os.Stderr, "Network error: The following error occurred: %v.\n", err)
		os.Exit(1)
	}
	secs := r.elapsed.Seconds()
	fmt.Printf("Received %s in %.3f s: %.1f MiB/s\n", human(r.received), secs, float64(r.received)/(1<<20)/secs)
}

type result struct {
	received int64
	elapsed  time.Duration
}

// transfer holds the example's counters; everything runs on the loop's
// goroutine, so none of it needs a lock.
type transfer struct {
	total, payloadSize int64
	sent               int64 // handed to Write
	written, received  int64
	payload            []byte
	err                error
}

func run(total, payloadSize int64, progress bool) (result, error) {
	loop, err := engine.NewLoop()
	if err != nil {
		return result{}, err
	}
	defer loop.Close()
	tr := &transfer{total: total, payloadSize: payloadSize, payload: bytes.Repeat([]byte{'@'}, int(payloadSize))}
	srv := server.NewTCPServer(loop)
	client := tcp.NewSocket(loop)
	start := time.Now()

	srv.NewConnection.Connect(func() {
		conn := srv.NextPendingConnection()
		srv.Close() // one connection only, as in Qt's example
		conn.ReadyRead.Connect(func() {
			tr.received += int64(len(conn.ReadAll()))
			if tr.received == tr.total {
				conn.Close()
				loop.Quit()
			}
		})
		conn.ErrorOccurred.Connect(func(e socket.SocketError) { tr.fail(e, conn.ErrorString(), loop) })
	})
	client.Connected.Connect(func() {
		tr.writeNext(client)
	})
	client.BytesWritten.Connect(func(n int64) {
		tr.written += n
		// Write more only while at most four payloads wait in the
		// socket: the socket never buffers the whole transfer.
		if tr.sent < tr.total && client.BytesToWrite() <= 4*tr.payloadSize {
			tr.writeNext(client)
		}
	})
	client.ErrorOccurred.Connect(func(e socket.SocketError) {
		if e != socket.RemoteHostClosedError { // the server closing at the end
			tr.fail(e, client.ErrorString(), loop)
		}
	})

	if err := srv.Listen(socket.Any, 0); err != nil {
		return result{}, fmt.Errorf("unable to start the test: %w", err)
	}
	client.ConnectToAddress(socket.LocalHost, srv.ServerPort())
	if progress {
		var draw func()
		draw = func() {
			tr.draw()
			loop.AfterFunc(100*time.Millisecond, draw)
		}
		draw()
		defer func() { tr.draw(); fmt.Fprintln(os.Stderr) }()
	}
	if err := loop.Run(); err != nil {
		return result{}, err
	}
	client.Abort()
	if tr.err != nil {
		return result{}, tr.err
	}
	if tr.received != total {
		return result{}, fmt.Errorf("received %d bytes, want %d", tr.received, total)
	}
	return result{received: tr.received, elapsed: time.Since(start)}, nil
}

func (tr *transfer) writeNext(c *tcp.Socket) {
	w, _ := c.Write(tr.payload[:min(tr.payloadSize, tr.total-tr.sent)])
	tr.sent += int64(w)
}

func (tr *transfer) fail(e socket.SocketError, msg string, loop *engine.Loop) {
	if tr.err == nil {
		tr.err = fmt.Errorf("%s (%v)", msg, e.String())
	}
	loop.Quit()
}

func (tr *transfer) draw() {
	fmt.Fprintf(os.Stderr, "\rsent %s  written %s  received %s",
		bar(tr.sent, tr.total), bar(tr.written, tr.total), bar(tr.received, tr.total))
}

func bar(n, total int64) string {
	const width = 12
	k := int(n * width / total)
	return "[" + strings.Repeat("#", k) + strings.Repeat(".", width-k) + "] " + fmt.Sprintf("%3d%%", n*100/total)
}

func human(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

func parseSize(s string) (int64, error) {
	mult := int64(1)
	switch {
	case strings.HasSuffix(s, "K"):
		mult, s = 1<<10, strings.TrimSuffix(s, "K")
	case strings.HasSuffix(s, "M"):
		mult, s = 1<<20, strings.TrimSuffix(s, "M")
	case strings.HasSuffix(s, "G"):
		mult, s = 1<<30, strings.TrimSuffix(s, "G")
	}
	var n int64
	if _, err := fmt.Sscan(s, &n); err != nil {
		return 0, err
	}
	return n * mult, nil
}
