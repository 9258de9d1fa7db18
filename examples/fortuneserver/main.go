// Command fortuneserver is Qt's Fortune Server example as a terminal program:
// a server.TCPServer that sends each client one random fortune, streamed as a
// QString with QDataStream version Qt_5_10, and then disconnects. It is
// wire-identical to Qt's fortuneserver, so Qt's fortune clients can use it.
//
// Usage:
//
//	fortuneserver [-host any] [-port 0]
//
// The first line of output says where it listens:
//
//	The server is running on IP: 192.0.2.7 port: 37519
//
// It serves until SIGINT or SIGTERM, then exits with status 0.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/qsock/qsock/datastream"
	"github.com/qsock/qsock/engine"
	"github.com/qsock/qsock/examples/internal/fortune"
	"github.com/qsock/qsock/server"
)

func main() {
	fs := flag.NewFlagSet("fortuneserver", flag.ExitOnError)
	host := fs.String("host", "any", `address to listen on: "any" (dual-stack), "localhost" or an IP address`)
	port := fs.Int("port", 0, "port to listen on (0: any free port)")
	fortune.Usage(fs, "[-host addr] [-port n]",
		"Serves one random fortune per connection, as Qt's Fortune Server example\n"+
			"(a QDataStream Qt_5_10 QString, then the server disconnects).\n"+
			"Runs until SIGINT or SIGTERM.")
	fs.Parse(os.Args[1:])
	addr, err := fortune.ParseListenAddr(*host)
	if err != nil {
		fortune.UsageError(fs, err)
	}
	p, err := fortune.CheckPort(*port, true)
	if err != nil {
		fortune.UsageError(fs, err)
	}

	loop, err := engine.NewLoop()
	if err != nil {
		fortune.Fail(fortune.ServerTitle, fortune.ListenError(err.Error()))
	}
	defer loop.Close()

	srv := server.NewTCPServer(loop)
	srv.NewConnection.Connect(func() { sendFortune(srv) })
	if err := srv.Listen(addr, p); err != nil {
		fortune.Fail(fortune.ServerTitle, fortune.ListenError(srv.ErrorString()))
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
		fortune.Fail(fortune.ServerTitle, err.Error())
	}
}

// sendFortune is Qt's Server::sendFortune: stream one fortune into a block,
// write it to the next pending connection and disconnect, which flushes the
// block first. The socket needs no deleteLater: once closed it holds nothing.
func sendFortune(srv *server.TCPServer) {
	var block bytes.Buffer
	out := datastream.NewWriter(&block)
	out.SetVersion(datastream.Qt_5_10)
	out.WriteString(fortune.Random())

	c := srv.NextPendingConnection()
	if c == nil {
		return
	}
	c.Write(block.Bytes())
	c.DisconnectFromHost()
}
