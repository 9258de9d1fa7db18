// Command qsock is the benchmark's qsock echo server: a server.TCPServer
// handing each connection, as a tcp.Socket, to a slot that echoes what
// ReadyRead announces — the signal-based code a user of qsock would write.
//
// Usage:
//
//	qsock -port 9000 [-loops GOMAXPROCS] [-cpuprofile file] [-memprofile file]
//
// With -loops 1 one loop accepts and serves every connection (one
// goroutine). With -loops N > 1 the server accepts on its own loop and
// hands the connections round robin to an engine.LoopGroup of N loops, the
// pattern the server package documents. It runs until SIGINT or SIGTERM.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"syscall"

	"github.com/qsock/qsock/engine"
	"github.com/qsock/qsock/server"
	"github.com/qsock/qsock/socket"
	"github.com/qsock/qsock/tcp"
)

func main() {
	port := flag.Int("port", 9000, "port to listen on")
	loops := flag.Int("loops", runtime.GOMAXPROCS(0), "loops serving the connections")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile to this file (stopped at SIGINT/SIGTERM)")
	memprofile := flag.String("memprofile", "", "write a heap profile to this file at SIGINT/SIGTERM (with the connections still open)")
	flag.Parse()
	if *loops < 1 {
		log.Fatalf("-loops %d: need at least 1", *loops)
	}

	if *memprofile != "" {
		// Every allocation, not a sample: the profile is read per connection.
		runtime.MemProfileRate = 1
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			log.Fatal(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			log.Fatal(err)
		}
		defer func() {
			pprof.StopCPUProfile()
			f.Close()
		}()
	}

	loop, err := engine.NewLoop()
	if err != nil {
		log.Fatal(err)
	}
	defer loop.Close()

	// One read buffer per loop: a loop is one goroutine, so every slot
	// running on it can share it, and an idle connection holds none.
	bufs := map[*engine.Loop]*[64 << 10]byte{}
	srv := server.NewTCPServer(loop)
	srv.SetListenBacklogSize(4096)
	if *loops > 1 {
		group, err := engine.NewLoopGroup(*loops)
		if err != nil {
			log.Fatal(err)
		}
		defer group.Close()
		for i := 0; i < group.Len(); i++ {
			bufs[group.Loop(i)] = new([64 << 10]byte)
		}
		srv.SetLoopGroup(group)
	} else {
		bufs[loop] = new([64 << 10]byte)
	}
	srv.SetHandler(func(c *tcp.Socket) {
		buf := bufs[c.Loop()]
		c.SetSocketOption(socket.LowDelayOption, 1)
		c.ReadyRead.Connect(func() {
			for {
				n, _ := c.Read(buf[:])
				if n == 0 {
					return
				}
				c.Write(buf[:n])
			}
		})
		c.Disconnected.Connect(c.Close)
	})
	if err := srv.Listen(socket.AnyIPv4, uint16(*port)); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("qsock echo listening on :%d with %d loop(s)\n", srv.ServerPort(), *loops)

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		<-stop
		if *memprofile != "" {
			writeHeapProfile(*memprofile)
		}
		loop.Quit()
	}()
	if err := loop.Run(); err != nil {
		log.Fatal(err)
	}
}

// writeHeapProfile writes the live heap, after a GC, to path.
func writeHeapProfile(path string) {
	f, err := os.Create(path)
	if err != nil {
		log.Print(err)
		return
	}
	defer f.Close()
	runtime.GC()
	if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
		log.Print(err)
	}
}
