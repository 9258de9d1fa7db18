package sslsock

import (
	"crypto"
	"crypto/tls"
	"crypto/x509"
	"errors"
)

// Configuration is the TLS configuration of a socket or server
// (QSslConfiguration's settable fields). Start from DefaultConfiguration:
// the zero value names TLSv1_0 exactly, as Qt 6's numbering does.
type Configuration struct {
	// Protocol is the version or range of versions to accept.
	Protocol Protocol
	// PeerVerifyMode says whether the peer's certificate is checked.
	PeerVerifyMode PeerVerifyMode
	// PeerVerifyDepth is the longest certificate chain accepted; 0 means
	// no limit.
	PeerVerifyDepth int
	// LocalCertificateChain is this side's certificate, leaf first.
	LocalCertificateChain []*x509.Certificate
	// PrivateKey is the key of LocalCertificateChain[0].
	PrivateKey crypto.PrivateKey
	// CACertificates replaces the system's roots when not nil.
	CACertificates []*x509.Certificate
	// Ciphers lists crypto/tls cipher suite ids (TLS 1.2 and earlier;
	// TLS 1.3 suites are not configurable); nil means crypto/tls's
	// defaults.
	Ciphers []uint16
	// AllowedNextProtocols is the ALPN list, most preferred first.
	AllowedNextProtocols []string
	// EllipticCurves lists the key-exchange groups to offer or accept
	// (QSslConfiguration::setEllipticCurves, with crypto/tls's CurveID
	// for QSslEllipticCurve); crypto/tls chooses their order. nil means
	// crypto/tls's defaults.
	EllipticCurves []tls.CurveID
	// SessionPersistence keeps the session a server offers, in
	// SessionTicket, so that a later connection can resume it: Qt's
	// QSsl::SslOptionDisableSessionPersistence turned off. Off by
	// default, as in Qt. Client side only.
	SessionPersistence bool
	// SessionTicket is the session a client offers to resume and, with
	// SessionPersistence, the last one the server offered
	// (QSslConfiguration::sessionTicket): opaque bytes in crypto/tls's
	// serialization, not OpenSSL's, so not exchangeable with Qt's.
	SessionTicket []byte
	// Options holds the QSsl::SslOption flags that are on, except
	// SSLOptionDisableSessionPersistence, which is SessionPersistence
	// turned off; set and test them with SetSSLOption and TestSSLOption.
	Options SSLOption
}

// DefaultConfiguration returns Qt's defaults: SecureProtocols (TLS 1.2
// and later), AutoVerifyPeer, no depth limit, the system's roots, and
// Qt's default options (no empty fragments, no legacy renegotiation, no
// compression, no session persistence).
func DefaultConfiguration() Configuration {
	return Configuration{Protocol: SecureProtocols, PeerVerifyMode: AutoVerifyPeer, Options: defaultSSLOptions}
}

// errUnusableProtocol is why a handshake cannot start with the
// configured protocol.
var errUnusableProtocol = errors.New("sslsock: unsupported protocol")

// versions maps Protocol to crypto/tls's version range.
func (p Protocol) versions() (min, max uint16, err error) {
	switch p {
	case TLSv1_0:
		return tls.VersionTLS10, tls.VersionTLS10, nil
	case TLSv1_1:
		return tls.VersionTLS11, tls.VersionTLS11, nil
	case TLSv1_2:
		return tls.VersionTLS12, tls.VersionTLS12, nil
	case TLSv1_3:
		return tls.VersionTLS13, tls.VersionTLS13, nil
	case AnyProtocol, TLSv1_0OrLater:
		return tls.VersionTLS10, tls.VersionTLS13, nil
	case TLSv1_1OrLater:
		return tls.VersionTLS11, tls.VersionTLS13, nil
	case SecureProtocols, TLSv1_2OrLater:
		return tls.VersionTLS12, tls.VersionTLS13, nil
	case TLSv1_3OrLater:
		return tls.VersionTLS13, tls.VersionTLS13, nil
	}
	// DTLS belongs to datagram sockets; anything else is not a protocol.
	return 0, 0, errUnusableProtocol
}

// protocolOf maps a negotiated version back to Protocol.
func protocolOf(v uint16) Protocol {
	switch v {
	case tls.VersionTLS10:
		return TLSv1_0
	case tls.VersionTLS11:
		return TLSv1_1
	case tls.VersionTLS12:
		return TLSv1_2
	case tls.VersionTLS13:
		return TLSv1_3
	}
	return UnknownProtocol
}

// effectiveVerifyMode resolves AutoVerifyPeer for the side.
func (c *Configuration) effectiveVerifyMode(server bool) PeerVerifyMode {
	if c.PeerVerifyMode != AutoVerifyPeer {
		return c.PeerVerifyMode
	}
	if server {
		return QueryPeer
	}
	return VerifyPeer
}

// tlsConfig builds the crypto/tls configuration. Verification is done by
// verify (Qt's rules: every problem reported, the user may ignore them),
// so crypto/tls's own check is off.
func (c *Configuration) tlsConfig(server bool, serverName string, verify func(tls.ConnectionState) error) (*tls.Config, error) {
	min, max, err := c.Protocol.versions()
	if err != nil {
		return nil, err
	}
	tc := &tls.Config{
		MinVersion:         min,
		MaxVersion:         max,
		CipherSuites:       c.Ciphers,
		CurvePreferences:   c.EllipticCurves,
		NextProtos:         c.AllowedNextProtocols,
		InsecureSkipVerify: true,
		VerifyConnection:   verify,
		ServerName:         serverName,
		// Tickets off means no resumption at all, as OpenSSL's
		// SSL_OP_NO_TICKET does on both sides.
		SessionTicketsDisabled: c.Options&SSLOptionDisableSessionTickets != 0,
	}
	if !server && c.Options&SSLOptionDisableServerNameIndication != 0 {
		tc.ServerName = "" // verify still checks the name it was given
	}
	if len(c.LocalCertificateChain) > 0 {
		cert := tls.Certificate{PrivateKey: c.PrivateKey, Leaf: c.LocalCertificateChain[0]}
		for _, x := range c.LocalCertificateChain {
			cert.Certificate = append(cert.Certificate, x.Raw)
		}
		tc.Certificates = []tls.Certificate{cert}
	}
	if server {
		switch c.effectiveVerifyMode(true) {
		case VerifyNone:
			tc.ClientAuth = tls.NoClientCert
		default:
			// Even VerifyPeer only requests: a missing certificate is
			// reported as NoPeerCertificate through SSLErrors, where
			// the user may ignore it, as in Qt.
			tc.ClientAuth = tls.RequestClientCert
		}
	}
	return tc, nil
}
