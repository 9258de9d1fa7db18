package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/netip"
	"time"

	"github.com/qsock/qsock/engine"
	"github.com/qsock/qsock/examples/internal/fortune"
	"github.com/qsock/qsock/server"
	"github.com/qsock/qsock/socket"
	"github.com/qsock/qsock/sslsock"
)

const title = "Secure Server"

// options are the command line's.
type options struct {
	addr      netip.Addr
	port      uint16
	certFile  string
	keyFile   string
	handshake time.Duration
}

// parse reads the flags; code is the exit status when the program should
// stop (0 for -h).
func parse(args []string, stderr io.Writer) (o options, code int, ok bool) {
	fs := flag.NewFlagSet("secureserver", flag.ContinueOnError)
	fs.SetOutput(stderr)
	host := fs.String("host", "any", `address to listen on: "any" (dual-stack), "localhost" or an IP address`)
	port := fs.Int("port", 0, "port to listen on (0: any free port)")
	fs.StringVar(&o.certFile, "cert", "", "PEM certificate (chain) `file`; none: a self-signed certificate")
	fs.StringVar(&o.keyFile, "key", "", "PEM private key `file` of -cert")
	fs.DurationVar(&o.handshake, "handshake-timeout", server.DefaultHandshakeTimeout, "time a client has to finish its handshake")
	fortune.Usage(fs, "[-host addr] [-port n] [-cert file -key file] [-handshake-timeout d]",
		"A TLS server on server.SSLServer (QSslServer): each client gets one fortune\n"+
			"line once encrypted, then every line it sends comes back.\n"+
			"Without -cert/-key it makes a self-signed certificate and prints its\n"+
			"SHA-256 fingerprint. Runs until SIGINT or SIGTERM.")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return o, 0, false
		}
		return o, 2, false
	}
	usage := func(err error) (options, int, bool) {
		fmt.Fprintf(stderr, "secureserver: %v\n", err)
		fs.Usage()
		return o, 2, false
	}
	var err error
	if o.addr, err = fortune.ParseListenAddr(*host); err != nil {
		return usage(err)
	}
	if o.port, err = fortune.CheckPort(*port, true); err != nil {
		return usage(err)
	}
	if (o.certFile == "") != (o.keyFile == "") {
		return usage(errors.New("-cert and -key go together"))
	}
	if fs.NArg() > 0 {
		return usage(fmt.Errorf("unexpected argument %q", fs.Arg(0)))
	}
	return o, 0, true
}

// run is the program: it returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, code, ok := parse(args, stderr)
	if !ok {
		return code
	}
	fail := func(msg string) int {
		fmt.Fprintf(stderr, "%s: %s\n", title, msg)
		return 1
	}
	cfg := sslsock.DefaultConfiguration()
	var fingerprint string
	if o.certFile != "" {
		pair, err := tls.LoadX509KeyPair(o.certFile, o.keyFile)
		if err != nil {
			return fail("Unable to load the certificate: " + err.Error() + ".")
		}
		for _, der := range pair.Certificate {
			c, err := x509.ParseCertificate(der)
			if err != nil {
				return fail("Unable to load the certificate: " + err.Error() + ".")
			}
			cfg.LocalCertificateChain = append(cfg.LocalCertificateChain, c)
		}
		cfg.PrivateKey = pair.PrivateKey
	} else {
		cert, key, err := selfSigned()
		if err != nil {
			return fail("Unable to make a certificate: " + err.Error() + ".")
		}
		cfg.LocalCertificateChain = []*x509.Certificate{cert}
		cfg.PrivateKey = key
		fingerprint = sha256Fingerprint(cert)
	}

	loop, err := engine.NewLoop()
	if err != nil {
		return fail(fortune.ListenError(err.Error()))
	}
	defer loop.Close()
	srv := server.NewSSLServer(loop)
	srv.SetSSLConfiguration(cfg)
	srv.SetHandshakeTimeout(o.handshake)
	srv.PendingConnectionAvailable.Connect(func() {
		for c := srv.NextPendingConnection(); c != nil; c = srv.NextPendingConnection() {
			serve(c)
		}
	})
	srv.ErrorOccurred.Connect(func(c *sslsock.Socket, e socket.SocketError) {
		msg := c.ErrorString()
		if e == socket.SocketTimeoutError {
			msg = "The handshake timed out"
		}
		fmt.Fprintf(stderr, "%s: client %v: %s.\n", title, netip.AddrPortFrom(c.PeerAddress(), c.PeerPort()), msg)
	})
	if err := srv.Listen(o.addr, o.port); err != nil {
		return fail(fortune.ListenError(srv.ErrorString()))
	}
	defer srv.Close()
	fmt.Fprintln(stdout, fortune.RunningLine(o.addr, srv.ServerPort()))
	if fingerprint != "" {
		fmt.Fprintln(stdout, "Self-signed certificate, SHA-256 fingerprint:", fingerprint)
	}

	go func() {
		<-ctx.Done()
		loop.Quit()
	}()
	if err := loop.Run(); err != nil {
		return fail(err.Error())
	}
	return 0
}

// serve greets an encrypted client with a fortune and echoes its lines.
func serve(c *sslsock.Socket) {
	c.Write([]byte(fortune.Random() + "\n"))
	echo := func() {
		for c.CanReadLine() {
			c.Write(c.ReadLine(0))
		}
	}
	c.ReadyRead.Connect(echo)
	echo() // lines that came with the handshake
}
