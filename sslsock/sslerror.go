package sslsock

import (
	"crypto/x509"
	"strconv"
)

// ErrorCode is a certificate verification problem (QSslError::SslError),
// with Qt's numbers.
type ErrorCode int

const (
	NoError                             ErrorCode = 0
	UnableToGetIssuerCertificate        ErrorCode = 1
	UnableToDecryptCertificateSignature ErrorCode = 2
	UnableToDecodeIssuerPublicKey       ErrorCode = 3
	CertificateSignatureFailed          ErrorCode = 4
	CertificateNotYetValid              ErrorCode = 5
	CertificateExpired                  ErrorCode = 6
	InvalidNotBeforeField               ErrorCode = 7
	InvalidNotAfterField                ErrorCode = 8
	SelfSignedCertificate               ErrorCode = 9
	SelfSignedCertificateInChain        ErrorCode = 10
	UnableToGetLocalIssuerCertificate   ErrorCode = 11
	UnableToVerifyFirstCertificate      ErrorCode = 12
	CertificateRevoked                  ErrorCode = 13
	InvalidCaCertificate                ErrorCode = 14
	PathLengthExceeded                  ErrorCode = 15
	InvalidPurpose                      ErrorCode = 16
	CertificateUntrusted                ErrorCode = 17
	CertificateRejected                 ErrorCode = 18
	SubjectIssuerMismatch               ErrorCode = 19
	AuthorityIssuerSerialNumberMismatch ErrorCode = 20
	NoPeerCertificate                   ErrorCode = 21
	HostNameMismatch                    ErrorCode = 22
	NoSSLSupport                        ErrorCode = 23
	CertificateBlacklisted              ErrorCode = 24
	CertificateStatusUnknown            ErrorCode = 25
	OCSPNoResponseFound                 ErrorCode = 26
	OCSPMalformedRequest                ErrorCode = 27
	OCSPMalformedResponse               ErrorCode = 28
	OCSPInternalError                   ErrorCode = 29
	OCSPTryLater                        ErrorCode = 30
	OCSPSigRequired                     ErrorCode = 31 // Qt spells it OcspSigRequred
	OCSPUnauthorized                    ErrorCode = 32
	OCSPResponseCannotBeTrusted         ErrorCode = 33
	OCSPResponseCertIDUnknown           ErrorCode = 34
	OCSPResponseExpired                 ErrorCode = 35
	OCSPStatusUnknown                   ErrorCode = 36
	UnspecifiedError                    ErrorCode = -1
)

var errorNames = [...]string{
	"NoError", "UnableToGetIssuerCertificate", "UnableToDecryptCertificateSignature",
	"UnableToDecodeIssuerPublicKey", "CertificateSignatureFailed", "CertificateNotYetValid",
	"CertificateExpired", "InvalidNotBeforeField", "InvalidNotAfterField", "SelfSignedCertificate",
	"SelfSignedCertificateInChain", "UnableToGetLocalIssuerCertificate", "UnableToVerifyFirstCertificate",
	"CertificateRevoked", "InvalidCaCertificate", "PathLengthExceeded", "InvalidPurpose",
	"CertificateUntrusted", "CertificateRejected", "SubjectIssuerMismatch",
	"AuthorityIssuerSerialNumberMismatch", "NoPeerCertificate", "HostNameMismatch", "NoSslSupport",
	"CertificateBlacklisted", "CertificateStatusUnknown", "OcspNoResponseFound", "OcspMalformedRequest",
	"OcspMalformedResponse", "OcspInternalError", "OcspTryLater", "OcspSigRequred", "OcspUnauthorized",
	"OcspResponseCannotBeTrusted", "OcspResponseCertIdUnknown", "OcspResponseExpired", "OcspStatusUnknown",
}

// Qt's texts, as QSslError::errorString returns them in Qt 5.15 and 6.4:
// CertificateRevoked and CertificateStatusUnknown have none ("Unknown
// error"), NoSslSupport an empty one.
var errorTexts = [...]string{
	"No error",
	"The issuer certificate could not be found",
	"The certificate signature could not be decrypted",
	"The public key in the certificate could not be read",
	"The signature of the certificate is invalid",
	"The certificate is not yet valid",
	"The certificate has expired",
	"The certificate's notBefore field contains an invalid time",
	"The certificate's notAfter field contains an invalid time",
	"The certificate is self-signed, and untrusted",
	"The root certificate of the certificate chain is self-signed, and untrusted",
	"The issuer certificate of a locally looked up certificate could not be found",
	"No certificates could be verified",
	"Unknown error", // CertificateRevoked
	"One of the CA certificates is invalid",
	"The basicConstraints path length parameter has been exceeded",
	"The supplied certificate is unsuitable for this purpose",
	"The root CA certificate is not trusted for this purpose",
	"The root CA certificate is marked to reject the specified purpose",
	"The current candidate issuer certificate was rejected because its subject name did not match the issuer name of the current certificate",
	"The current candidate issuer certificate was rejected because its issuer name and serial number was present and did not match the authority key identifier of the current certificate",
	"The peer did not present any certificate",
	"The host name did not match any of the valid hosts for this certificate",
	"", // NoSslSupport
	"The peer certificate is blacklisted",
	"Unknown error", // CertificateStatusUnknown
	"No OCSP status response found",
	"The OCSP status request had invalid syntax",
	"OCSP response contains an unexpected number of SingleResponse structures",
	"OCSP responder reached an inconsistent internal state",
	"OCSP responder was unable to return a status for the requested certificate",
	"The server requires the client to sign the OCSP request in order to construct a response",
	"The client is not authorized to request OCSP status from this server",
	"OCSP responder's identity cannot be verified",
	"The identity of a certificate in an OCSP response cannot be established",
	"The certificate status response has expired",
	"The certificate's status is unknown",
}

// String returns Qt's enum name.
func (c ErrorCode) String() string {
	if c == UnspecifiedError {
		return "UnspecifiedError"
	}
	if c >= 0 && int(c) < len(errorNames) {
		return errorNames[c]
	}
	return "ErrorCode(" + strconv.Itoa(int(c)) + ")"
}

// Text returns Qt's description of the code (QSslError::errorString).
func (c ErrorCode) Text() string {
	if c >= 0 && int(c) < len(errorTexts) {
		return errorTexts[c]
	}
	return "Unknown error"
}

// Error is one verification problem with the certificate it concerns
// (QSslError). It implements error.
type Error struct {
	Code        ErrorCode
	Certificate *x509.Certificate // nil when the problem has none
}

// Error returns Qt's description of the problem.
func (e Error) Error() string { return e.Code.Text() }

// Is makes errors.Is(err, sslsock.Error{Code: c}) match on the code alone
// when the target names no certificate.
func (e Error) Is(target error) bool {
	t, ok := target.(Error)
	if !ok {
		return false
	}
	return t.Code == e.Code && (t.Certificate == nil || e.Certificate != nil && t.Certificate.Equal(e.Certificate))
}

// matches reports whether ignoring ign covers e: the same code and, when
// ign names one, the same certificate (by content), as QSslError's ==.
func (e Error) matches(ign Error) bool {
	if e.Code != ign.Code {
		return false
	}
	if ign.Certificate == nil || e.Certificate == nil {
		return ign.Certificate == e.Certificate
	}
	return ign.Certificate.Equal(e.Certificate)
}
