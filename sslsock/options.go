package sslsock

import (
	"strconv"
	"strings"
)

// SSLOption is a set of QSsl::SslOption flags, with Qt's values, for
// Configuration.SetSSLOption.
type SSLOption int

// The options. crypto/tls never sends empty fragments, compresses,
// renegotiates on a peer's request, shares sessions between sockets or
// lets a server's cipher preference override its own ordering, so the
// options that turn those off are always in effect; they are kept and
// reported for code that sets and tests them. The others change the
// handshake.
const (
	// SSLOptionDisableEmptyFragments: crypto/tls never sends them.
	SSLOptionDisableEmptyFragments SSLOption = 0x01
	// SSLOptionDisableSessionTickets turns off session tickets (and TLS
	// 1.3 resumption) on either side.
	SSLOptionDisableSessionTickets SSLOption = 0x02
	// SSLOptionDisableCompression: crypto/tls never compresses.
	SSLOptionDisableCompression SSLOption = 0x04
	// SSLOptionDisableServerNameIndication makes a client send no server
	// name; the certificate is still checked against PeerVerifyName or
	// the host connected to.
	SSLOptionDisableServerNameIndication SSLOption = 0x08
	// SSLOptionDisableLegacyRenegotiation: crypto/tls never renegotiates.
	SSLOptionDisableLegacyRenegotiation SSLOption = 0x10
	// SSLOptionDisableSessionSharing: crypto/tls shares no session
	// between sockets.
	SSLOptionDisableSessionSharing SSLOption = 0x20
	// SSLOptionDisableSessionPersistence is Configuration.SessionPersistence
	// turned off.
	SSLOptionDisableSessionPersistence SSLOption = 0x40
	// SSLOptionDisableServerCipherPreference: crypto/tls orders cipher
	// suites itself.
	SSLOptionDisableServerCipherPreference SSLOption = 0x80
)

// defaultSSLOptions is QSslConfiguration's default set, less
// DisableSessionPersistence, which SessionPersistence holds.
const defaultSSLOptions = SSLOptionDisableEmptyFragments | SSLOptionDisableLegacyRenegotiation | SSLOptionDisableCompression

var sslOptionNames = []struct {
	o    SSLOption
	name string
}{
	{SSLOptionDisableEmptyFragments, "SslOptionDisableEmptyFragments"},
	{SSLOptionDisableSessionTickets, "SslOptionDisableSessionTickets"},
	{SSLOptionDisableCompression, "SslOptionDisableCompression"},
	{SSLOptionDisableServerNameIndication, "SslOptionDisableServerNameIndication"},
	{SSLOptionDisableLegacyRenegotiation, "SslOptionDisableLegacyRenegotiation"},
	{SSLOptionDisableSessionSharing, "SslOptionDisableSessionSharing"},
	{SSLOptionDisableSessionPersistence, "SslOptionDisableSessionPersistence"},
	{SSLOptionDisableServerCipherPreference, "SslOptionDisableServerCipherPreference"},
}

// String returns Qt's names of the flags, joined by "|", or "0".
func (o SSLOption) String() string {
	var names []string
	for _, n := range sslOptionNames {
		if o&n.o != 0 {
			names = append(names, n.name)
			o &^= n.o
		}
	}
	if o != 0 {
		names = append(names, "0x"+strconv.FormatInt(int64(o), 16))
	}
	if len(names) == 0 {
		return "0"
	}
	return strings.Join(names, "|")
}

// SetSSLOption turns the options in o on or off
// (QSslConfiguration::setSslOption).
func (c *Configuration) SetSSLOption(o SSLOption, on bool) {
	if o&SSLOptionDisableSessionPersistence != 0 {
		c.SessionPersistence = !on
	}
	o &^= SSLOptionDisableSessionPersistence
	if on {
		c.Options |= o
	} else {
		c.Options &^= o
	}
}

// TestSSLOption reports whether every option in o is on
// (QSslConfiguration::testSslOption).
func (c *Configuration) TestSSLOption(o SSLOption) bool {
	if o&SSLOptionDisableSessionPersistence != 0 && c.SessionPersistence {
		return false
	}
	o &^= SSLOptionDisableSessionPersistence
	return c.Options&o == o
}
