// Command threadedfortuneserver is Qt's Threaded Fortune Server example as a
// terminal program. The server accepts on the main loop and hands each
// accepted descriptor to a worker loop of an engine.LoopGroup, where a
// tcp.Socket adopts it with SetSocketDescriptor, sends one fortune as a
// QDataStream Qt_4_0 QString and disconnects — what Qt's FortuneServer does
// by overriding incomingConnection and starting a FortuneThread per client.
//
// Usage:
//
//	threadedfortuneserver [-host any] [-port 0] [-loops GOMAXPROCS]
//
// The first line of output says where it listens, as fortuneserver's does.
// It serves until SIGINT or SIGTERM, then exits with status 0.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"syscall"

	"github.com/qsock/qsock/engine"
	"github.com/qsock/qsock/examples/internal/fortune"
	"github.com/qsock/qsock/server"
)

func main() {
	fs := flag.NewFlagSet("threadedfortuneserver", flag.ExitOnError)
	host := fs.String("host", "any", `address to listen on: "any" (dual-stack), "localhost" or an IP address`)
	port := fs.Int("port", 0, "port to listen on (0: any free port)")
	loops := fs.Int("loops", runtime.GOMAXPROCS(0), "worker loops serving the connections")
	fortune.Usage(fs, "[-host addr] [-port n] [-loops n]",
		"Serves one random fortune per connection on a pool of worker loops, as Qt's\n"+
			"Threaded Fortune Server example (a QDataStream Qt_4_0 QString, then the\n"+
			"server disconnects). Runs until SIGINT or SIGTERM.")
	fs.Parse(os.Args[1:])
	addr, err := fortune.ParseListenAddr(*host)
	if err != nil {
		fortune.UsageError(fs, err)
	}
	p, err := fortune.CheckPort(*port, true)
	if err != nil {
		fortune.UsageError(fs, err)
	}
	if *loops < 1 {
		fortune.UsageError(fs, fmt.Errorf("-loops %d: need at least 1", *loops))
	}

	loop, err := engine.NewLoop()
	if err != nil {
		fortune.Fail(fortune.ThreadedServerTitle, fortune.ListenError(err.Error()))
	}
	defer loop.Close()
	workers, err := engine.NewLoopGroup(*loops)
	if err != nil {
		fortune.Fail(fortune.ThreadedServerTitle, fortune.ListenError(err.Error()))
	}
	defer workers.Close()

	srv := newFortuneServer(loop, workers)
	if err := srv.Listen(addr, p); err != nil {
		fortune.Fail(fortune.ThreadedServerTitle, fortune.ListenError(srv.ErrorString()))
	}
	defer srv.Close()
	fmt.Println(fortune.RunningLine(addr, srv.ServerPort()))

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		<-stop
		loop.Quit()
	}()
	if err := loop.Run(); err != nil {
		fortune.Fail(fortune.ThreadedServerTitle, err.Error())
	}
}

// newFortuneServer is Qt's FortuneServer: a TCPServer whose
// incomingConnection picks the fortune on the server's loop and hands the
// descriptor to the next worker loop.
func newFortuneServer(loop *engine.Loop, workers *engine.LoopGroup) *server.TCPServer {
	srv := server.NewTCPServer(loop)
	srv.SetIncomingConnection(func(fd int) {
		text := fortune.Random()
		w := workers.Next()
		w.Post(func() { serveFortune(w, fd, text) })
	})
	return srv
}
