// Command gonettls is the benchmark's Go TLS echo server: net.Listen,
// crypto/tls.Server on each accepted connection, one goroutine per
// connection with a 64 KiB buffer, reading and writing back — the standard
// library's idiom. Go enables TCP_NODELAY on every TCP connection.
//
// Usage:
//
//	gonettls -port 9000 [-cpuprofile file] [-memprofile file]
//
// The certificate is ECDSA P-256, self-signed, made at start; TLS 1.3 only,
// no ALPN, no client certificate (crypto/tls's defaults otherwise, session
// tickets included, as for the qsock server).
package main

import (
	"crypto/tls"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"syscall"

	"github.com/qsock/qsock/bench/internal/selfsigned"
)

func main() {
	port := flag.Int("port", 9000, "port to listen on")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile to this file (stopped at SIGINT/SIGTERM)")
	memprofile := flag.String("memprofile", "", "write a heap profile to this file at SIGINT/SIGTERM (with the connections still open)")
	flag.Parse()

	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			log.Fatal(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			log.Fatal(err)
		}
		defer f.Close()
	}
	cert, key, err := selfsigned.New()
	if err != nil {
		log.Fatal(err)
	}
	cfg := &tls.Config{
		MinVersion:   tls.VersionTLS13,
		MaxVersion:   tls.VersionTLS13,
		Certificates: []tls.Certificate{{Certificate: [][]byte{cert.Raw}, PrivateKey: key, Leaf: cert}},
	}
	ln, err := net.Listen("tcp4", fmt.Sprintf(":%d", *port))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("go net TLS echo listening on :%d\n", *port)
	go func() {
		stop := make(chan os.Signal, 1)
		signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
		<-stop
		if *memprofile != "" {
			writeHeapProfile(*memprofile)
		}
		if *cpuprofile != "" {
			pprof.StopCPUProfile()
		}
		os.Exit(0)
	}()
	for {
		c, err := ln.Accept()
		if err != nil {
			log.Print(err)
			continue
		}
		go serve(tls.Server(c, cfg))
	}
}

func serve(c *tls.Conn) {
	defer c.Close()
	buf := make([]byte, 64<<10)
	for {
		n, err := c.Read(buf)
		if n > 0 {
			if _, werr := c.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
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
