// Command secureserver is a TLS fortune and echo server on server.SSLServer
// (QSslServer): each client, once encrypted, gets one random fortune as a
// line of text, and then every line it sends comes back. It pairs with
// securesocketclient, openssl s_client and any TLS client.
//
// Usage:
//
//	secureserver [-host any] [-port 0] [-cert FILE -key FILE] [-handshake-timeout 5s]
//
// With -cert and -key (PEM; the certificate file may hold the whole
// chain, leaf first) it serves that certificate. Without them it makes a
// self-signed ECDSA P-256 certificate for localhost, 127.0.0.1, ::1 and
// the machine's host name, and prints its SHA-256 fingerprint so clients
// can check what they are asked to trust. The first line of output says
// where it listens, as the fortune server's does:
//
//	The server is running on IP: 192.0.2.7 port: 37519
//	Self-signed certificate, SHA-256 fingerprint: 3A:0C:...
//
// It serves until SIGINT or SIGTERM, then exits with status 0; it exits
// with status 1 when it cannot start and 2 on a usage error.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}
