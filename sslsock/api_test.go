package sslsock_test

import (
	"crypto/x509"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/qsock/qsock/sslsock"
)

// The socket's shortcuts into its configuration, with Qt 6's defaults
// (a fresh QSslSocket: protocol 4, depth 0, null certificate and key).
func TestSocketConfigurationAccessors(t *testing.T) {
	p := newPKI(t)
	s := sslsock.NewSocket(nil)
	if s.Protocol() != sslsock.SecureProtocols || s.PeerVerifyDepth() != 0 ||
		s.LocalCertificate() != nil || s.PrivateKey() != nil || len(s.LocalCertificateChain()) != 0 {
		t.Errorf("fresh socket: protocol %v, depth %d, certificate %v, key %v",
			s.Protocol(), s.PeerVerifyDepth(), s.LocalCertificate(), s.PrivateKey())
	}
	s.SetProtocol(sslsock.TLSv1_3)
	s.SetPeerVerifyDepth(3)
	s.SetLocalCertificateChain([]*x509.Certificate{p.server.cert, p.ca.cert})
	s.SetPrivateKey(p.server.key)
	c := s.SSLConfiguration()
	if c.Protocol != sslsock.TLSv1_3 || c.PeerVerifyDepth != 3 || len(c.LocalCertificateChain) != 2 || c.PrivateKey != p.server.key {
		t.Errorf("configuration %+v", c)
	}
	if !s.LocalCertificate().Equal(p.server.cert) || len(s.LocalCertificateChain()) != 2 || s.PrivateKey() != p.server.key {
		t.Errorf("accessors: %v %v %v", s.LocalCertificate(), s.LocalCertificateChain(), s.PrivateKey())
	}
	// setLocalCertificate replaces the chain with the one certificate.
	s.SetLocalCertificate(p.client.cert)
	if got := s.LocalCertificateChain(); len(got) != 1 || !got[0].Equal(p.client.cert) {
		t.Errorf("after SetLocalCertificate: chain %v", got)
	}
	s.SetLocalCertificate(nil)
	if s.LocalCertificate() != nil || len(s.LocalCertificateChain()) != 0 {
		t.Errorf("SetLocalCertificate(nil) left %v", s.LocalCertificateChain())
	}
	if s.Protocol() != sslsock.TLSv1_3 || s.PeerVerifyDepth() != 3 {
		t.Errorf("protocol %v depth %d", s.Protocol(), s.PeerVerifyDepth())
	}
}

// The library is Go's crypto/tls, reported as QSslSocket reports OpenSSL:
// a string naming it and its version, and a number laid out as
// OPENSSL_VERSION_NUMBER (0xMNN00PP0).
func TestLibraryVersion(t *testing.T) {
	if !sslsock.SupportsSSL() {
		t.Error("SupportsSSL() = false")
	}
	v := sslsock.SSLLibraryVersionString()
	if !strings.HasPrefix(v, "Go crypto/tls ") || !strings.Contains(v, runtime.Version()) {
		t.Errorf("SSLLibraryVersionString() = %q", v)
	}
	if b := sslsock.SSLLibraryBuildVersionString(); b != v {
		t.Errorf("SSLLibraryBuildVersionString() = %q, want %q", b, v)
	}
	n := sslsock.SSLLibraryVersionNumber()
	if strings.HasPrefix(runtime.Version(), "go1.") {
		var minor, patch int64
		ver := strings.TrimPrefix(runtime.Version(), "go1.")
		ver, _, _ = strings.Cut(ver, " ")
		parts := strings.SplitN(ver, ".", 2)
		for _, c := range parts[0] {
			if c < '0' || c > '9' {
				break
			}
			minor = minor*10 + int64(c-'0')
		}
		if len(parts) == 2 {
			for _, c := range parts[1] {
				if c < '0' || c > '9' {
					break
				}
				patch = patch*10 + int64(c-'0')
			}
		}
		if want := 1<<28 | minor<<20 | patch<<4; n != want {
			t.Errorf("SSLLibraryVersionNumber() = %#x, want %#x for %s", n, want, runtime.Version())
		}
	}
	if sslsock.SSLLibraryBuildVersionNumber() != n {
		t.Errorf("SSLLibraryBuildVersionNumber() = %#x, want %#x", sslsock.SSLLibraryBuildVersionNumber(), n)
	}
}

// QSslError's codes and texts as Qt 6.4 and 5.15 print them
// (QSslError(code).errorString()), OCSP codes included. Qt has no text
// for CertificateRevoked and CertificateStatusUnknown ("Unknown error")
// and an empty one for NoSslSupport.
func TestErrorCodeTexts(t *testing.T) {
	want := map[sslsock.ErrorCode][2]string{
		sslsock.UnspecifiedError:             {"UnspecifiedError", "Unknown error"},
		sslsock.NoError:                      {"NoError", "No error"},
		sslsock.CertificateRevoked:           {"CertificateRevoked", "Unknown error"},
		sslsock.HostNameMismatch:             {"HostNameMismatch", "The host name did not match any of the valid hosts for this certificate"},
		sslsock.NoSSLSupport:                 {"NoSslSupport", ""},
		sslsock.CertificateBlacklisted:       {"CertificateBlacklisted", "The peer certificate is blacklisted"},
		sslsock.CertificateStatusUnknown:     {"CertificateStatusUnknown", "Unknown error"},
		sslsock.OCSPNoResponseFound:          {"OcspNoResponseFound", "No OCSP status response found"},
		sslsock.OCSPMalformedRequest:         {"OcspMalformedRequest", "The OCSP status request had invalid syntax"},
		sslsock.OCSPMalformedResponse:        {"OcspMalformedResponse", "OCSP response contains an unexpected number of SingleResponse structures"},
		sslsock.OCSPInternalError:            {"OcspInternalError", "OCSP responder reached an inconsistent internal state"},
		sslsock.OCSPTryLater:                 {"OcspTryLater", "OCSP responder was unable to return a status for the requested certificate"},
		sslsock.OCSPSigRequired:              {"OcspSigRequred", "The server requires the client to sign the OCSP request in order to construct a response"},
		sslsock.OCSPUnauthorized:             {"OcspUnauthorized", "The client is not authorized to request OCSP status from this server"},
		sslsock.OCSPResponseCannotBeTrusted:  {"OcspResponseCannotBeTrusted", "OCSP responder's identity cannot be verified"},
		sslsock.OCSPResponseCertIDUnknown:    {"OcspResponseCertIdUnknown", "The identity of a certificate in an OCSP response cannot be established"},
		sslsock.OCSPResponseExpired:          {"OcspResponseExpired", "The certificate status response has expired"},
		sslsock.OCSPStatusUnknown:            {"OcspStatusUnknown", "The certificate's status is unknown"},
		sslsock.ErrorCode(37):                {"ErrorCode(37)", "Unknown error"},
		sslsock.UnableToGetIssuerCertificate: {"UnableToGetIssuerCertificate", "The issuer certificate could not be found"},
		sslsock.AuthorityIssuerSerialNumberMismatch: {"AuthorityIssuerSerialNumberMismatch",
			"The current candidate issuer certificate was rejected because its issuer name and serial number was present and did not match the authority key identifier of the current certificate"},
	}
	got := map[sslsock.ErrorCode][2]string{}
	for c := range want {
		got[c] = [2]string{c.String(), c.Text()}
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("codes (-want +got):\n%s", d)
	}
	if sslsock.OCSPNoResponseFound != 26 || sslsock.OCSPStatusUnknown != 36 || sslsock.CertificateStatusUnknown != 25 {
		t.Errorf("numbers: %d %d %d", sslsock.CertificateStatusUnknown, sslsock.OCSPNoResponseFound, sslsock.OCSPStatusUnknown)
	}
}
