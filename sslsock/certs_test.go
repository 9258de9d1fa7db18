package sslsock_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"testing"
	"time"
)

// identity is a certificate with its key, made in the test.
type identity struct {
	cert *x509.Certificate
	key  crypto.PrivateKey
}

func (id identity) tls() tls.Certificate {
	return tls.Certificate{Certificate: [][]byte{id.cert.Raw}, PrivateKey: id.key, Leaf: id.cert}
}

var serial int64 = 1

// makeCert signs a certificate for names with parent (nil: self-signed).
func makeCert(t testing.TB, cn string, names []string, parent *identity, isCA bool, notBefore, notAfter time.Time, usage x509.ExtKeyUsage) identity {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	serial++
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(serial),
		Subject:               pkix.Name{CommonName: cn},
		NotBefore:             notBefore,
		NotAfter:              notAfter,
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{usage},
		BasicConstraintsValid: true,
		IsCA:                  isCA,
	}
	for _, n := range names {
		if ip := net.ParseIP(n); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, n)
		}
	}
	signer, signerKey := tmpl, crypto.PrivateKey(key)
	if parent != nil {
		signer, signerKey = parent.cert, parent.key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, signer, &key.PublicKey, signerKey)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return identity{cert: c, key: key}
}

type pki struct {
	ca, server, client, selfSigned, expired identity
}

func newPKI(t testing.TB) pki {
	now := time.Now()
	ca := makeCert(t, "qsock test CA", nil, nil, true, now.Add(-time.Hour), now.Add(time.Hour), x509.ExtKeyUsageAny)
	return pki{
		ca:         ca,
		server:     makeCert(t, "localhost", []string{"localhost", "127.0.0.1"}, &ca, false, now.Add(-time.Hour), now.Add(time.Hour), x509.ExtKeyUsageServerAuth),
		client:     makeCert(t, "client", nil, &ca, false, now.Add(-time.Hour), now.Add(time.Hour), x509.ExtKeyUsageClientAuth),
		selfSigned: makeCert(t, "example.com", []string{"example.com"}, nil, false, now.Add(-time.Hour), now.Add(time.Hour), x509.ExtKeyUsageServerAuth),
		expired:    makeCert(t, "localhost", []string{"127.0.0.1"}, &ca, false, now.Add(-2*time.Hour), now.Add(-time.Hour), x509.ExtKeyUsageServerAuth),
	}
}
