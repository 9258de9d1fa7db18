package socket

import (
	"errors"
	"fmt"
	"net/netip"
	"os"
	"syscall"
	"testing"
)

// enumCase is one enum value: its Go value as an int64, Qt's number for it,
// and the String() Qt's QMetaEnum::valueToKey gives.
type enumCase struct {
	got  fmt.Stringer
	num  int64 // the Go value as a number
	want int64 // Qt's number
	name string
}

func TestEnumNumbersAndNames(t *testing.T) {
	cases := []enumCase{
		{UnconnectedState, int64(UnconnectedState), 0, "UnconnectedState"},
		{HostLookupState, int64(HostLookupState), 1, "HostLookupState"},
		{ConnectingState, int64(ConnectingState), 2, "ConnectingState"},
		{ConnectedState, int64(ConnectedState), 3, "ConnectedState"},
		{BoundState, int64(BoundState), 4, "BoundState"},
		{ListeningState, int64(ListeningState), 5, "ListeningState"},
		{ClosingState, int64(ClosingState), 6, "ClosingState"},
		{State(7), 7, 7, "State(7)"},
		{State(-1), -1, -1, "State(-1)"},

		{ConnectionRefusedError, int64(ConnectionRefusedError), 0, "ConnectionRefusedError"},
		{RemoteHostClosedError, int64(RemoteHostClosedError), 1, "RemoteHostClosedError"},
		{HostNotFoundError, int64(HostNotFoundError), 2, "HostNotFoundError"},
		{SocketAccessError, int64(SocketAccessError), 3, "SocketAccessError"},
		{SocketResourceError, int64(SocketResourceError), 4, "SocketResourceError"},
		{SocketTimeoutError, int64(SocketTimeoutError), 5, "SocketTimeoutError"},
		{DatagramTooLargeError, int64(DatagramTooLargeError), 6, "DatagramTooLargeError"},
		{NetworkError, int64(NetworkError), 7, "NetworkError"},
		{AddressInUseError, int64(AddressInUseError), 8, "AddressInUseError"},
		{SocketAddressNotAvailableError, int64(SocketAddressNotAvailableError), 9, "SocketAddressNotAvailableError"},
		{UnsupportedSocketOperationError, int64(UnsupportedSocketOperationError), 10, "UnsupportedSocketOperationError"},
		{UnfinishedSocketOperationError, int64(UnfinishedSocketOperationError), 11, "UnfinishedSocketOperationError"},
		{ProxyAuthenticationRequiredError, int64(ProxyAuthenticationRequiredError), 12, "ProxyAuthenticationRequiredError"},
		{SSLHandshakeFailedError, int64(SSLHandshakeFailedError), 13, "SslHandshakeFailedError"},
		{ProxyConnectionRefusedError, int64(ProxyConnectionRefusedError), 14, "ProxyConnectionRefusedError"},
		{ProxyConnectionClosedError, int64(ProxyConnectionClosedError), 15, "ProxyConnectionClosedError"},
		{ProxyConnectionTimeoutError, int64(ProxyConnectionTimeoutError), 16, "ProxyConnectionTimeoutError"},
		{ProxyNotFoundError, int64(ProxyNotFoundError), 17, "ProxyNotFoundError"},
		{ProxyProtocolError, int64(ProxyProtocolError), 18, "ProxyProtocolError"},
		{OperationError, int64(OperationError), 19, "OperationError"},
		{SSLInternalError, int64(SSLInternalError), 20, "SslInternalError"},
		{SSLInvalidUserDataError, int64(SSLInvalidUserDataError), 21, "SslInvalidUserDataError"},
		{TemporaryError, int64(TemporaryError), 22, "TemporaryError"},
		{UnknownSocketError, int64(UnknownSocketError), -1, "UnknownSocketError"},
		{SocketError(23), 23, 23, "SocketError(23)"},
		{SocketError(-2), -2, -2, "SocketError(-2)"},

		{LowDelayOption, int64(LowDelayOption), 0, "LowDelayOption"},
		{KeepAliveOption, int64(KeepAliveOption), 1, "KeepAliveOption"},
		{MulticastTTLOption, int64(MulticastTTLOption), 2, "MulticastTtlOption"},
		{MulticastLoopbackOption, int64(MulticastLoopbackOption), 3, "MulticastLoopbackOption"},
		{TypeOfServiceOption, int64(TypeOfServiceOption), 4, "TypeOfServiceOption"},
		{SendBufferSizeSocketOption, int64(SendBufferSizeSocketOption), 5, "SendBufferSizeSocketOption"},
		{ReceiveBufferSizeSocketOption, int64(ReceiveBufferSizeSocketOption), 6, "ReceiveBufferSizeSocketOption"},
		{PathMTUSocketOption, int64(PathMTUSocketOption), 7, "PathMtuSocketOption"},
		{Option(8), 8, 8, "Option(8)"},
		{Option(-1), -1, -1, "Option(-1)"},

		{DefaultForPlatform, int64(DefaultForPlatform), 0, "DefaultForPlatform"},
		{ShareAddress, int64(ShareAddress), 1, "ShareAddress"},
		{DontShareAddress, int64(DontShareAddress), 2, "DontShareAddress"},
		{ReuseAddressHint, int64(ReuseAddressHint), 4, "ReuseAddressHint"},
		{ShareAddress | ReuseAddressHint, int64(ShareAddress | ReuseAddressHint), 5, "ShareAddress|ReuseAddressHint"},
		{DontShareAddress | ReuseAddressHint, int64(DontShareAddress | ReuseAddressHint), 6, "DontShareAddress|ReuseAddressHint"},
		{ShareAddress | 0x10, int64(ShareAddress | 0x10), 0x11, "ShareAddress|0x10"},

		{IPv4Protocol, int64(IPv4Protocol), 0, "IPv4Protocol"},
		{IPv6Protocol, int64(IPv6Protocol), 1, "IPv6Protocol"},
		{AnyIPProtocol, int64(AnyIPProtocol), 2, "AnyIPProtocol"},
		{UnknownNetworkLayerProtocol, int64(UnknownNetworkLayerProtocol), -1, "UnknownNetworkLayerProtocol"},
		{NetworkLayerProtocol(3), 3, 3, "NetworkLayerProtocol(3)"},

		{TCPSocket, int64(TCPSocket), 0, "TcpSocket"},
		{UDPSocket, int64(UDPSocket), 1, "UdpSocket"},
		{SCTPSocket, int64(SCTPSocket), 2, "SctpSocket"},
		{UnknownSocketType, int64(UnknownSocketType), -1, "UnknownSocketType"},
		{SocketType(3), 3, 3, "SocketType(3)"},

		{NotOpen, int64(NotOpen), 0x0, "NotOpen"},
		{ReadOnly, int64(ReadOnly), 0x1, "ReadOnly"},
		{WriteOnly, int64(WriteOnly), 0x2, "WriteOnly"},
		{ReadWrite, int64(ReadWrite), 0x3, "ReadWrite"},
		{Append, int64(Append), 0x4, "Append"},
		{Truncate, int64(Truncate), 0x8, "Truncate"},
		{Text, int64(Text), 0x10, "Text"},
		{Unbuffered, int64(Unbuffered), 0x20, "Unbuffered"},
		{NewOnly, int64(NewOnly), 0x40, "NewOnly"},
		{ExistingOnly, int64(ExistingOnly), 0x80, "ExistingOnly"},
		{ReadWrite | Unbuffered, int64(ReadWrite | Unbuffered), 0x23, "ReadWrite|Unbuffered"},
		{WriteOnly | Append, int64(WriteOnly | Append), 0x6, "WriteOnly|Append"},
		{OpenMode(0x100), 0x100, 0x100, "0x100"},

		{PauseNever, int64(PauseNever), 0, "PauseNever"},
		{PauseOnSSLErrors, int64(PauseOnSSLErrors), 1, "PauseOnSslErrors"},
	}
	for _, c := range cases {
		if c.num != c.want {
			t.Errorf("%s = %d, Qt's number is %d", c.name, c.num, c.want)
		}
		if got := c.got.String(); got != c.name {
			t.Errorf("String() of %T(%d) = %q, want %q", c.got, c.num, got, c.name)
		}
	}
}

func TestSocketErrorText(t *testing.T) {
	// Qt's default errorString() for each code; see error.go for which Qt
	// source each comes from.
	want := map[SocketError]string{
		ConnectionRefusedError:           "Connection refused",
		RemoteHostClosedError:            "The remote host closed the connection",
		HostNotFoundError:                "Host not found",
		SocketAccessError:                "Permission denied",
		SocketResourceError:              "Out of resources",
		SocketTimeoutError:               "Socket operation timed out",
		DatagramTooLargeError:            "Datagram was too large to send",
		NetworkError:                     "Network error",
		AddressInUseError:                "The bound address is already in use",
		SocketAddressNotAvailableError:   "The address is not available",
		UnsupportedSocketOperationError:  "Unsupported socket operation",
		UnfinishedSocketOperationError:   "The last operation attempted has not finished yet",
		ProxyAuthenticationRequiredError: "Proxy authentication failed",
		SSLHandshakeFailedError:          "Error during SSL handshake",
		ProxyConnectionRefusedError:      "Connection to proxy refused",
		ProxyConnectionClosedError:       "Connection to proxy closed prematurely",
		ProxyConnectionTimeoutError:      "Connection to proxy timed out",
		ProxyNotFoundError:               "Proxy host not found",
		ProxyProtocolError:               "SOCKS version 5 protocol error",
		OperationError:                   "An operation was attempted while the socket was in a state that did not permit it",
		SSLInternalError:                 "TLS initialization failed",
		SSLInvalidUserDataError:          "Attempted to use an unsupported protocol.",
		TemporaryError:                   "Temporary error",
		UnknownSocketError:               "Unknown error",
		SocketError(99):                  "Unknown error",
	}
	for code := UnknownSocketError; code <= TemporaryError; code++ {
		if _, ok := want[code]; !ok {
			t.Errorf("no expected text for %v", code)
		}
	}
	for code, text := range want {
		var err error = code
		if got := err.Error(); got != text {
			t.Errorf("%v.Error() = %q, want %q", code, got, text)
		}
	}
}

func TestSocketErrorIs(t *testing.T) {
	var err error = ConnectionRefusedError
	if !errors.Is(err, ConnectionRefusedError) {
		t.Error("errors.Is(ConnectionRefusedError, ConnectionRefusedError) = false")
	}
	if errors.Is(err, HostNotFoundError) {
		t.Error("errors.Is(ConnectionRefusedError, HostNotFoundError) = true")
	}
	wrapped := fmt.Errorf("dial: %w", RemoteHostClosedError)
	if !errors.Is(wrapped, RemoteHostClosedError) {
		t.Error("errors.Is through fmt.Errorf %w = false")
	}
	var code SocketError
	if !errors.As(wrapped, &code) || code != RemoteHostClosedError {
		t.Errorf("errors.As = %v, want RemoteHostClosedError", code)
	}
}

func TestErrorWrapsCodeAndCause(t *testing.T) {
	refused := &Error{Code: ConnectionRefusedError, Op: "connect", Err: syscall.ECONNREFUSED}
	timeout := &Error{Code: SocketTimeoutError, Op: "waitForConnected"}
	bare := &Error{Code: HostNotFoundError}
	tests := []struct {
		err     error
		text    string
		is      []error
		isNot   []error
		timeout bool
	}{
		{refused, "connect: " + syscall.ECONNREFUSED.Error(),
			[]error{ConnectionRefusedError, syscall.ECONNREFUSED}, []error{RemoteHostClosedError, syscall.ECONNRESET}, false},
		{fmt.Errorf("fortune: %w", refused), "fortune: connect: " + syscall.ECONNREFUSED.Error(),
			[]error{ConnectionRefusedError, syscall.ECONNREFUSED}, nil, false},
		{timeout, "waitForConnected: Socket operation timed out",
			[]error{SocketTimeoutError}, []error{os.ErrDeadlineExceeded}, true},
		{bare, "Host not found", []error{HostNotFoundError}, nil, false},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.text {
			t.Errorf("Error() = %q, want %q", got, tt.text)
		}
		for _, target := range tt.is {
			if !errors.Is(tt.err, target) {
				t.Errorf("errors.Is(%q, %v) = false, want true", tt.err, target)
			}
		}
		for _, target := range tt.isNot {
			if errors.Is(tt.err, target) {
				t.Errorf("errors.Is(%q, %v) = true, want false", tt.err, target)
			}
		}
		var se *Error
		if !errors.As(tt.err, &se) {
			t.Errorf("errors.As(%q, *Error) = false", tt.err)
		}
		var te interface{ Timeout() bool }
		if !errors.As(tt.err, &te) || te.Timeout() != tt.timeout {
			t.Errorf("%q: Timeout() = %v, want %v", tt.err, te != nil && te.Timeout(), tt.timeout)
		}
	}
	var code SocketError
	if !errors.As(refused, &code) || code != ConnectionRefusedError {
		t.Errorf("errors.As(*Error, *SocketError) = %v", code)
	}
}

func TestSpecialAddresses(t *testing.T) {
	tests := []struct {
		name string
		addr netip.Addr
		str  string
		prot NetworkLayerProtocol
	}{
		{"Any", Any, "invalid IP", AnyIPProtocol},
		{"AnyIPv4", AnyIPv4, "0.0.0.0", IPv4Protocol},
		{"AnyIPv6", AnyIPv6, "::", IPv6Protocol},
		{"LocalHost", LocalHost, "127.0.0.1", IPv4Protocol},
		{"LocalHostIPv6", LocalHostIPv6, "::1", IPv6Protocol},
		{"Broadcast", Broadcast, "255.255.255.255", IPv4Protocol},
		{"v4-mapped", netip.MustParseAddr("::ffff:1.2.3.4"), "::ffff:1.2.3.4", IPv6Protocol},
	}
	for _, tt := range tests {
		if got := tt.addr.String(); got != tt.str {
			t.Errorf("%s = %s, want %s", tt.name, got, tt.str)
		}
		if got := Protocol(tt.addr); got != tt.prot {
			t.Errorf("Protocol(%s) = %v, want %v", tt.name, got, tt.prot)
		}
	}
	if Any == AnyIPv4 || Any == AnyIPv6 || AnyIPv4 == AnyIPv6 {
		t.Error("Any, AnyIPv4 and AnyIPv6 must differ under ==")
	}
}

func TestEqualAddr(t *testing.T) {
	p := netip.MustParseAddr
	tests := []struct {
		a, b netip.Addr
		want bool
	}{
		{p("1.2.3.4"), p("1.2.3.4"), true},
		{p("1.2.3.4"), p("1.2.3.5"), false},
		{p("::ffff:1.2.3.4"), p("1.2.3.4"), true}, // v4-mapped
		{p("1.2.3.4"), p("::ffff:1.2.3.4"), true},
		{p("::1.2.3.4"), p("1.2.3.4"), true}, // v4-compatible
		{p("::ffff:1.2.3.4"), p("::1.2.3.4"), false},
		{p("::1"), p("127.0.0.1"), true}, // ConvertLocalHost
		{p("::1"), p("0.0.0.1"), false},
		{AnyIPv6, AnyIPv4, true}, // ConvertUnspecifiedAddress
		{Any, AnyIPv4, true},
		{AnyIPv6, Any, true},
		{Any, Any, true},
		{Any, LocalHost, false},
		{LocalHostIPv6, Any, false},
		{p("fe80::1%eth0"), p("fe80::1"), true}, // Qt ignores the scope id
		{p("fe80::1"), p("fe80::2"), false},
		{p("1::ffff:1.2.3.4"), p("1.2.3.4"), false},
	}
	for _, tt := range tests {
		if got := EqualAddr(tt.a, tt.b); got != tt.want {
			t.Errorf("EqualAddr(%v, %v) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}
