// Command securesocketclient is Qt's Secure Socket Client example as a
// terminal program: it connects to -host and -port with an sslsock.Socket
// (QSslSocket), prints the session's protocol and cipher and the
// server's certificate chain (subject, issuer, validity), then sends each
// line of standard input and prints what comes back.
//
// Usage:
//
//	securesocketclient [-host localhost] [-port 443] [-ca FILE] [-ignore-errors]
//
// When the server's certificate has problems (SSLErrors), it lists them
// and asks on the terminal whether to go on, as Qt's example does with
// its dialog; -ignore-errors goes on without asking. -ca trusts the CA
// certificates in FILE (PEM) instead of the system's.
//
// At the end of its input it waits for the server's answer to go quiet,
// then closes the connection. It exits with status 0 once an encrypted
// session ended, 1 when the connection or the handshake failed, and 2 on
// a usage error. Errors are printed as Qt's example shows them:
//
//	Connection error: The host was not found
package main

import "os"

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
