package sslsock

import "strconv"

// Mode is the socket's encryption mode (QSslSocket::SslMode).
type Mode int

const (
	UnencryptedMode Mode = 0 // plain TCP
	SSLClientMode   Mode = 1 // the client side of a TLS session
	SSLServerMode   Mode = 2 // the server side of a TLS session
)

// String returns Qt's name of the mode.
func (m Mode) String() string {
	switch m {
	case UnencryptedMode:
		return "UnencryptedMode"
	case SSLClientMode:
		return "SslClientMode"
	case SSLServerMode:
		return "SslServerMode"
	}
	return "Mode(" + strconv.Itoa(int(m)) + ")"
}

// PeerVerifyMode says whether and how the peer's certificate is checked
// (QSslSocket::PeerVerifyMode).
type PeerVerifyMode int

const (
	// VerifyNone does not ask for a certificate and checks nothing.
	VerifyNone PeerVerifyMode = 0
	// QueryPeer asks for a certificate but does not require it to be
	// valid: useful to show it to a user.
	QueryPeer PeerVerifyMode = 1
	// VerifyPeer requires a valid certificate; problems are reported
	// through SSLErrors and fail the handshake unless ignored.
	VerifyPeer PeerVerifyMode = 2
	// AutoVerifyPeer is VerifyPeer for clients and QueryPeer for
	// servers, the default.
	AutoVerifyPeer PeerVerifyMode = 3
)

// String returns Qt's name of the mode.
func (m PeerVerifyMode) String() string {
	switch m {
	case VerifyNone:
		return "VerifyNone"
	case QueryPeer:
		return "QueryPeer"
	case VerifyPeer:
		return "VerifyPeer"
	case AutoVerifyPeer:
		return "AutoVerifyPeer"
	}
	return "PeerVerifyMode(" + strconv.Itoa(int(m)) + ")"
}

// Protocol is a TLS protocol version or range (QSsl::SslProtocol, with
// Qt 6's numbers).
type Protocol int

const (
	TLSv1_0         Protocol = 0
	TLSv1_1         Protocol = 1
	TLSv1_2         Protocol = 2
	AnyProtocol     Protocol = 3
	SecureProtocols Protocol = 4 // TLS 1.2 and later, the default
	TLSv1_0OrLater  Protocol = 5
	TLSv1_1OrLater  Protocol = 6
	TLSv1_2OrLater  Protocol = 7
	DTLSv1_0        Protocol = 8
	DTLSv1_0OrLater Protocol = 9
	DTLSv1_2        Protocol = 10
	DTLSv1_2OrLater Protocol = 11
	TLSv1_3         Protocol = 12
	TLSv1_3OrLater  Protocol = 13
	UnknownProtocol Protocol = -1
)

var protocolNames = map[Protocol]string{
	TLSv1_0: "TlsV1_0", TLSv1_1: "TlsV1_1", TLSv1_2: "TlsV1_2", AnyProtocol: "AnyProtocol",
	SecureProtocols: "SecureProtocols", TLSv1_0OrLater: "TlsV1_0OrLater", TLSv1_1OrLater: "TlsV1_1OrLater",
	TLSv1_2OrLater: "TlsV1_2OrLater", DTLSv1_0: "DtlsV1_0", DTLSv1_0OrLater: "DtlsV1_0OrLater",
	DTLSv1_2: "DtlsV1_2", DTLSv1_2OrLater: "DtlsV1_2OrLater", TLSv1_3: "TlsV1_3",
	TLSv1_3OrLater: "TlsV1_3OrLater", UnknownProtocol: "UnknownProtocol",
}

// String returns Qt's name of the protocol.
func (p Protocol) String() string {
	if s, ok := protocolNames[p]; ok {
		return s
	}
	return "Protocol(" + strconv.Itoa(int(p)) + ")"
}
