package socket

import "strconv"

// Option is a socket option for SetSocketOption and SocketOption:
// QAbstractSocket::SocketOption, with Qt's numbers. Names follow Go's
// initialisms (MulticastTTLOption for Qt's MulticastTtlOption); String
// returns Qt's spelling.
type Option int

// The socket options, with Qt's numbers and the system option each maps to.
const (
	LowDelayOption                Option = 0 // QAbstractSocket::LowDelayOption: TCP_NODELAY (1 disables Nagle's algorithm)
	KeepAliveOption               Option = 1 // QAbstractSocket::KeepAliveOption: SO_KEEPALIVE
	MulticastTTLOption            Option = 2 // QAbstractSocket::MulticastTtlOption: IP_MULTICAST_TTL / IPV6_MULTICAST_HOPS
	MulticastLoopbackOption       Option = 3 // QAbstractSocket::MulticastLoopbackOption: IP_MULTICAST_LOOP / IPV6_MULTICAST_LOOP
	TypeOfServiceOption           Option = 4 // QAbstractSocket::TypeOfServiceOption: IP_TOS
	SendBufferSizeSocketOption    Option = 5 // QAbstractSocket::SendBufferSizeSocketOption: SO_SNDBUF
	ReceiveBufferSizeSocketOption Option = 6 // QAbstractSocket::ReceiveBufferSizeSocketOption: SO_RCVBUF
	PathMTUSocketOption           Option = 7 // QAbstractSocket::PathMtuSocketOption: IP_MTU (read only)
)

var optionNames = [...]string{
	LowDelayOption:                "LowDelayOption",
	KeepAliveOption:               "KeepAliveOption",
	MulticastTTLOption:            "MulticastTtlOption",
	MulticastLoopbackOption:       "MulticastLoopbackOption",
	TypeOfServiceOption:           "TypeOfServiceOption",
	SendBufferSizeSocketOption:    "SendBufferSizeSocketOption",
	ReceiveBufferSizeSocketOption: "ReceiveBufferSizeSocketOption",
	PathMTUSocketOption:           "PathMtuSocketOption",
}

// String returns Qt's name of the option (QMetaEnum's spelling, so
// "MulticastTtlOption" for MulticastTTLOption), or "Option(n)" for a number
// Qt does not define.
func (o Option) String() string {
	if o >= 0 && int(o) < len(optionNames) {
		return optionNames[o]
	}
	return "Option(" + strconv.Itoa(int(o)) + ")"
}
