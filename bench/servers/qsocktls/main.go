// Command qsocktls is the benchmark's qsock TLS echo server: a
// server.SSLServer that takes each connection once it is encrypted and
// echoes what ReadyRead announces — the signal-based code a user of qsock
// would write.
//
// Usage:
//
//	qsocktls -port 9000 [-loops 1] [-cpuprofile file] [-memprofile file]
//
// With -loops 1 one loop accepts, handshakes and serves every connection,
// taking each on PendingConnectionAvailable with NextPendingConnection.
// With -loops N > 1 the server accepts on its own loop and hands the
// connections round robin to an engine.LoopGroup of N loops, where they
// handshake; a SetHandler function takes each on its loop once it is
// encrypted (a slot on the server's loop must not touch a socket of
// another loop).
//
// The certificate is ECDSA P-256, self-signed, made at start. The session
// is TLS 1.3 only, no ALPN, and no client certificate is asked for
// (VerifyNone, which is what Go's crypto/tls server does by default;
// QSslServer's default, QueryPeer, would add a CertificateRequest). It
// runs until SIGINT or SIGTERM.
package main

import (
	"crypto/x509"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"syscall"

	"github.com/qsock/qsock/bench/internal/selfsigned"
	"github.com/qsock/qsock/engine"
	"github.com/qsock/qsock/server"
	"github.com/qsock/qsock/socket"
	"github.com/qsock/qsock/sslsock"
)

func main() {
	port := flag.Int("port", 9000, "port to listen on")
	loops := flag.Int("loops", 1, "loops serving the connections")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile to this file (stopped at SIGINT/SIGTERM)")
	memprofile := flag.String("memprofile", "", "write a heap profile to this file at SIGINT/SIGTERM (with the connections still open)")
	flag.Parse()

	if *loops < 1 {
		log.Fatalf("-loops %d: need at least 1", *loops)
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

	cert, key, err := selfsigned.New()
	if err != nil {
		log.Fatal(err)
	}
	cfg := sslsock.DefaultConfiguration()
	cfg.Protocol = sslsock.TLSv1_3
	cfg.PeerVerifyMode = sslsock.VerifyNone
	cfg.LocalCertificateChain = []*x509.Certificate{cert}
	cfg.PrivateKey = key

	loop, err := engine.NewLoop()
	if err != nil {
		log.Fatal(err)
	}
	defer loop.Close()

	// One read buffer per loop: a loop is one goroutine, so every slot
	// running on it can share it, and an idle connection holds none.
	bufs := map[*engine.Loop][]byte{}
	serve := func(c *sslsock.Socket) {
		buf := bufs[c.Loop()]
		c.SetSocketOption(socket.LowDelayOption, 1)
		c.ReadyRead.Connect(func() {
			for {
				n, _ := c.Read(buf)
				if n == 0 {
					return
				}
				c.Write(buf[:n])
			}
		})
		c.Disconnected.Connect(c.Close)
	}
	srv := server.NewSSLServer(loop)
	srv.SetSSLConfiguration(cfg)
	srv.SetListenBacklogSize(4096)
	// Handshakes in flight count toward the pending limit (30 by
	// default, as in Qt): a server meant for many clients raises it.
	srv.SetMaxPendingConnections(4096)
	if *loops > 1 {
		group, err := engine.NewLoopGroup(*loops)
		if err != nil {
			log.Fatal(err)
		}
		defer group.Close()
		for i := 0; i < group.Len(); i++ {
			bufs[group.Loop(i)] = make([]byte, 64<<10)
		}
		srv.SetLoopGroup(group)
		srv.SetHandler(serve)
	} else {
		bufs[loop] = make([]byte, 64<<10)
		srv.PendingConnectionAvailable.Connect(func() {
			for c := srv.NextPendingConnection(); c != nil; c = srv.NextPendingConnection() {
				serve(c)
			}
		})
	}
	if err := srv.Listen(socket.AnyIPv4, uint16(*port)); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("qsock TLS echo listening on :%d with %d loop(s)\n", srv.ServerPort(), *loops)

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
