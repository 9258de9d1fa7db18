// Command gnet is the benchmark's gnet v2 echo server, as gnet's README
// writes it: OnTraffic takes everything buffered with Next(-1) and writes it
// back, on a multicore engine (one event loop per GOMAXPROCS).
//
// Usage:
//
//	gnet -port 9000 [-multicore=true]
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"syscall"

	"github.com/panjf2000/gnet/v2"
	"github.com/panjf2000/gnet/v2/pkg/logging"
)

type echoServer struct {
	gnet.BuiltinEventEngine
}

func (es *echoServer) OnTraffic(c gnet.Conn) gnet.Action {
	buf, _ := c.Next(-1)
	c.Write(buf)
	return gnet.None
}

func main() {
	port := flag.Int("port", 9000, "port to listen on")
	multicore := flag.Bool("multicore", true, "one event loop per CPU")
	flag.Parse()
	go func() {
		stop := make(chan os.Signal, 1)
		signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
		<-stop
		os.Exit(0)
	}()
	fmt.Printf("gnet echo listening on :%d (multicore %v)\n", *port, *multicore)
	err := gnet.Run(&echoServer{}, fmt.Sprintf("tcp4://:%d", *port),
		gnet.WithMulticore(*multicore),
		gnet.WithTCPNoDelay(gnet.TCPNoDelay),
		gnet.WithLogLevel(logging.ErrorLevel))
	if err != nil {
		log.Fatal(err)
	}
}
