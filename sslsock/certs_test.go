package sslsock_test

import (
	"crypto"
	"crypto/tls"
	"crypto/x509"
	"testing"
	"time"

	"github.com/qsock/qsock/internal/sockettest"
)

// identity is a certificate with its key, made in the test.
type identity struct {
	cert *x509.Certificate
	key  crypto.PrivateKey
}

func (id identity) tls() tls.Certificate {
	return tls.Certificate{Certificate: [][]byte{id.cert.Raw}, PrivateKey: id.key, Leaf: id.cert}
}

// makeCert signs a certificate for names with parent (nil: self-signed).
func makeCert(t testing.TB, cn string, names []string, parent *identity, isCA bool, notBefore, notAfter time.Time, usage x509.ExtKeyUsage) identity {
	t.Helper()
	var pc *x509.Certificate
	var pk crypto.PrivateKey
	if parent != nil {
		pc, pk = parent.cert, parent.key
	}
	c, k := sockettest.Cert(t, cn, names, pc, pk, isCA, notBefore, notAfter, usage)
	return identity{cert: c, key: k}
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
