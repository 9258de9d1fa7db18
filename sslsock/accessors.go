package sslsock

import (
	"crypto"
	"crypto/x509"
)

// The socket's shortcuts into its configuration, as QSslSocket has them.
// Each sets the field of SSLConfiguration for the next handshake.

// SetProtocol sets the protocol version or range of the next handshake
// (QSslSocket::setProtocol).
func (s *Socket) SetProtocol(p Protocol) { s.config.Protocol = p }

// Protocol returns the configured protocol, SecureProtocols by default
// (QSslSocket::protocol); SessionProtocol is the negotiated one.
func (s *Socket) Protocol() Protocol { return s.config.Protocol }

// SetPeerVerifyDepth sets the longest peer certificate chain accepted; 0,
// the default, means no limit (QSslSocket::setPeerVerifyDepth).
func (s *Socket) SetPeerVerifyDepth(depth int) { s.config.PeerVerifyDepth = depth }

// PeerVerifyDepth returns the longest peer certificate chain accepted (0:
// no limit).
func (s *Socket) PeerVerifyDepth() int { return s.config.PeerVerifyDepth }

// SetLocalCertificate makes c the whole local certificate chain
// (QSslSocket::setLocalCertificate); nil clears it.
func (s *Socket) SetLocalCertificate(c *x509.Certificate) {
	if c == nil {
		s.config.LocalCertificateChain = nil
		return
	}
	s.config.LocalCertificateChain = []*x509.Certificate{c}
}

// LocalCertificate returns the local certificate, the chain's first, or
// nil.
func (s *Socket) LocalCertificate() *x509.Certificate {
	if len(s.config.LocalCertificateChain) == 0 {
		return nil
	}
	return s.config.LocalCertificateChain[0]
}

// SetLocalCertificateChain sets the local certificate chain, leaf first
// (QSslSocket::setLocalCertificateChain).
func (s *Socket) SetLocalCertificateChain(chain []*x509.Certificate) {
	s.config.LocalCertificateChain = append([]*x509.Certificate(nil), chain...)
}

// LocalCertificateChain returns the local certificate chain, leaf first.
func (s *Socket) LocalCertificateChain() []*x509.Certificate {
	return append([]*x509.Certificate(nil), s.config.LocalCertificateChain...)
}

// SetPrivateKey sets the key of the local certificate
// (QSslSocket::setPrivateKey): a crypto.Signer crypto/tls accepts
// (*ecdsa.PrivateKey, *rsa.PrivateKey, ed25519.PrivateKey).
func (s *Socket) SetPrivateKey(key crypto.PrivateKey) { s.config.PrivateKey = key }

// PrivateKey returns the key of the local certificate, or nil.
func (s *Socket) PrivateKey() crypto.PrivateKey { return s.config.PrivateKey }
