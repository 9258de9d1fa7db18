package main

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/qsock/qsock/sslsock"
)

// printSession shows what Qt's example shows in its cipher label and
// certificate dialog: protocol, cipher, and each certificate of the
// peer's chain.
func printSession(w io.Writer, s *sslsock.Socket) {
	fmt.Fprintf(w, "Encrypted: %s, %s\n", s.SessionProtocol(), tls.CipherSuiteName(s.SessionCipher()))
	if p := s.NextNegotiatedProtocol(); p != "" {
		fmt.Fprintf(w, "ALPN: %s\n", p)
	}
	fmt.Fprintln(w, "Certificate chain:")
	for i, c := range s.PeerCertificateChain() {
		fmt.Fprintf(w, "  %d. Subject: %s\n", i, c.Subject)
		fmt.Fprintf(w, "     Issuer:  %s\n", c.Issuer)
		fmt.Fprintf(w, "     Valid:   %s to %s\n", stamp(c.NotBefore), stamp(c.NotAfter))
	}
}

// printErrors is Qt's SslErrors dialog: its warning, then each error
// with the certificate it is about.
func printErrors(w io.Writer, errs []sslsock.Error) {
	fmt.Fprintln(w, "Warning: One or more errors with this connection prevent validating the "+
		"authenticity of the host you are connecting to.")
	for _, e := range errs {
		if e.Certificate != nil {
			fmt.Fprintf(w, "  - %s (%s, issued by %s)\n", e.Error(), e.Certificate.Subject, e.Certificate.Issuer)
		} else {
			fmt.Fprintf(w, "  - %s\n", e.Error())
		}
	}
}

func stamp(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05 MST") }

// readCAs reads every certificate of a PEM file.
func readCAs(file string) ([]*x509.Certificate, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var cas []*x509.Certificate
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			break
		}
		if b.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", file, err)
		}
		cas = append(cas, c)
	}
	if len(cas) == 0 {
		return nil, fmt.Errorf("%s: no PEM certificate", file)
	}
	return cas, nil
}
