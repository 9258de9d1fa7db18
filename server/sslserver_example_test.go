package server_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"log"
	"math/big"
	"net"
	"strconv"
	"time"

	"github.com/qsock/qsock/engine"
	"github.com/qsock/qsock/server"
	"github.com/qsock/qsock/socket"
	"github.com/qsock/qsock/sslsock"
)

// A TLS echo server: connections are taken on PendingConnectionAvailable,
// once encrypted; NewConnection comes earlier, at accept.
func ExampleSSLServer() {
	loop, err := engine.NewLoop()
	if err != nil {
		log.Fatal(err)
	}
	defer loop.Close()

	cert, key := selfSigned("localhost")
	cfg := sslsock.DefaultConfiguration()
	cfg.LocalCertificateChain = []*x509.Certificate{cert}
	cfg.PrivateKey = key

	srv := server.NewSSLServer(loop)
	srv.SetSSLConfiguration(cfg)
	srv.NewConnection.Connect(func() { fmt.Println("newConnection: pending", srv.HasPendingConnections()) })
	srv.PendingConnectionAvailable.Connect(func() {
		c := srv.NextPendingConnection()
		fmt.Println("pendingConnectionAvailable:", c.SessionProtocol())
		c.ReadyRead.Connect(func() { c.Write(c.ReadAll()) })
	})
	srv.ErrorOccurred.Connect(func(c *sslsock.Socket, e socket.SocketError) { fmt.Println("error:", e) })
	if err := srv.Listen(socket.LocalHost, 0); err != nil {
		log.Fatal(err)
	}
	addr := "127.0.0.1:" + strconv.Itoa(int(srv.ServerPort()))

	go func() { // a client in plain Go that trusts the certificate
		defer loop.Quit()
		roots := x509.NewCertPool()
		roots.AddCert(cert)
		conn, err := tls.Dial("tcp", addr, &tls.Config{RootCAs: roots, ServerName: "localhost"})
		if err != nil {
			log.Print(err)
			return
		}
		defer conn.Close()
		conn.Write([]byte("hello, TLS"))
		buf := make([]byte, 10)
		n, _ := conn.Read(buf)
		fmt.Printf("client got %q\n", buf[:n])
	}()
	loop.Run()
	srv.Close()
	// Output:
	// newConnection: pending false
	// pendingConnectionAvailable: TlsV1_3
	// client got "hello, TLS"
}

// selfSigned makes an ECDSA P-256 certificate for name.
func selfSigned(name string) (*x509.Certificate, *ecdsa.PrivateKey) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		log.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: name},
		DNSNames:     []string{name},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		log.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		log.Fatal(err)
	}
	return cert, key
}

// A blocking-style TLS server: WaitForNewConnection accepts and drives
// the handshake on the calling goroutine until the connection is
// encrypted and pending.
func ExampleSSLServer_WaitForNewConnection() {
	cert, key := selfSigned("localhost")
	cfg := sslsock.DefaultConfiguration()
	cfg.LocalCertificateChain = []*x509.Certificate{cert}
	cfg.PrivateKey = key

	srv := server.NewSSLServer(nil)
	srv.SetSSLConfiguration(cfg)
	if err := srv.Listen(socket.LocalHost, 0); err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	addr := "127.0.0.1:" + strconv.Itoa(int(srv.ServerPort()))
	go func() {
		conn, err := tls.Dial("tcp", addr, &tls.Config{InsecureSkipVerify: true})
		if err == nil {
			conn.Write([]byte("ping"))
			conn.Read(make([]byte, 1)) // until the server closes
			conn.Close()
		}
	}()
	if ok, timedOut := srv.WaitForNewConnection(5 * time.Second); !ok {
		log.Fatalf("no client (timed out: %v)", timedOut)
	}
	c := srv.NextPendingConnection()
	fmt.Println("encrypted:", c.IsEncrypted(), c.SessionProtocol())
	for c.BytesAvailable() < 4 && c.WaitForReadyRead(5*time.Second) {
	}
	fmt.Printf("got %q\n", c.ReadAll())
	c.DisconnectFromHost()
	// Output:
	// encrypted: true TlsV1_3
	// got "ping"
}
