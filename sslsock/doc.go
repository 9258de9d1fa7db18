// Package sslsock provides Socket, Qt's QSslSocket: a tcp.Socket with a
// TLS layer over stock crypto/tls, with Qt's signals, verification
// reporting and error codes.
//
// The handshake runs on a goroutine of its own, because crypto/tls cannot
// pause a handshake half-way and resume it when more bytes arrive; the
// goroutine only ever touches an in-memory connection fed by the loop, and
// everything visible (signals, verification decisions, writes) happens on
// the socket's loop goroutine. It ends with the handshake. Records after
// the handshake are encrypted and decrypted on the loop itself.
//
// Verification follows Qt: every problem is reported, once as
// PeerVerifyError each and once as the SSLErrors list; the handshake fails
// with SSLHandshakeFailedError unless the user ignores them all, with the
// first problem's text as ErrorString, and the socket closes gracefully.
// A handshake that crypto/tls itself fails (no common protocol version, a
// peer that does not speak TLS, a fatal alert) reports "Error during SSL
// handshake: " and crypto/tls's error, and the socket aborts. Host
// names are matched as crypto/x509's VerifyHostname does (RFC 6125): a
// wildcard only as the whole left-most label and an IP address only
// against IP subject-alternative names; Qt's own matcher also accepts an
// address written in the common name.
package sslsock
