package sockettest

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"sync/atomic"
	"testing"
	"time"
)

var serial atomic.Int64

// Cert makes an ECDSA P-256 certificate for cn and names (DNS names or IP
// addresses) valid from notBefore to notAfter, signed by parent and
// parentKey (nil: self-signed), and returns it with its key. With usage
// x509.ExtKeyUsageAny the certificate carries no extended key usage at
// all: OpenSSL does not read anyExtendedKeyUsage on a CA as "any purpose".
func Cert(t testing.TB, cn string, names []string, parent *x509.Certificate, parentKey crypto.PrivateKey,
	isCA bool, notBefore, notAfter time.Time, usage x509.ExtKeyUsage) (*x509.Certificate, crypto.PrivateKey) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(serial.Add(1)),
		Subject:               pkix.Name{CommonName: cn},
		NotBefore:             notBefore,
		NotAfter:              notAfter,
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		BasicConstraintsValid: true,
		IsCA:                  isCA,
	}
	if usage != x509.ExtKeyUsageAny {
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{usage}
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
		signer, signerKey = parent, parentKey
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, signer, &key.PublicKey, signerKey)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c, key
}
