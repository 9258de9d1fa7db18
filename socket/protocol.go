package socket

import "strconv"

// NetworkLayerProtocol is an IP version: QAbstractSocket::NetworkLayerProtocol
// (also QHostAddress::NetworkLayerProtocol), with Qt's numbers.
type NetworkLayerProtocol int

// The network layer protocols, with Qt's numbers.
const (
	IPv4Protocol                NetworkLayerProtocol = 0  // QAbstractSocket::IPv4Protocol
	IPv6Protocol                NetworkLayerProtocol = 1  // QAbstractSocket::IPv6Protocol
	AnyIPProtocol               NetworkLayerProtocol = 2  // QAbstractSocket::AnyIPProtocol: either (a dual-stack socket)
	UnknownNetworkLayerProtocol NetworkLayerProtocol = -1 // QAbstractSocket::UnknownNetworkLayerProtocol
)

// String returns Qt's name of the protocol, such as "IPv4Protocol".
func (p NetworkLayerProtocol) String() string {
	switch p {
	case IPv4Protocol:
		return "IPv4Protocol"
	case IPv6Protocol:
		return "IPv6Protocol"
	case AnyIPProtocol:
		return "AnyIPProtocol"
	case UnknownNetworkLayerProtocol:
		return "UnknownNetworkLayerProtocol"
	}
	return "NetworkLayerProtocol(" + strconv.Itoa(int(p)) + ")"
}

// SocketType is a socket's transport protocol: QAbstractSocket::SocketType,
// with Qt's numbers. Names follow Go's initialisms (TCPSocket for Qt's
// TcpSocket); String returns Qt's spelling.
type SocketType int

// The socket types, with Qt's numbers.
const (
	TCPSocket         SocketType = 0  // QAbstractSocket::TcpSocket
	UDPSocket         SocketType = 1  // QAbstractSocket::UdpSocket
	SCTPSocket        SocketType = 2  // QAbstractSocket::SctpSocket
	UnknownSocketType SocketType = -1 // QAbstractSocket::UnknownSocketType
)

// String returns Qt's name of the type, such as "TcpSocket".
func (t SocketType) String() string {
	switch t {
	case TCPSocket:
		return "TcpSocket"
	case UDPSocket:
		return "UdpSocket"
	case SCTPSocket:
		return "SctpSocket"
	case UnknownSocketType:
		return "UnknownSocketType"
	}
	return "SocketType(" + strconv.Itoa(int(t)) + ")"
}

// OpenMode is how a device is open: QIODevice::OpenMode (flags of
// QIODeviceBase::OpenModeFlag), with Qt's bit values. Sockets are open
// ReadWrite while connected; UDP sockets are also Unbuffered, as in Qt.
type OpenMode uint

// The open mode flags, with Qt's bit values.
const (
	NotOpen      OpenMode = 0x00                 // QIODevice::NotOpen
	ReadOnly     OpenMode = 0x01                 // QIODevice::ReadOnly
	WriteOnly    OpenMode = 0x02                 // QIODevice::WriteOnly
	ReadWrite    OpenMode = ReadOnly | WriteOnly // QIODevice::ReadWrite
	Append       OpenMode = 0x04                 // QIODevice::Append
	Truncate     OpenMode = 0x08                 // QIODevice::Truncate
	Text         OpenMode = 0x10                 // QIODevice::Text
	Unbuffered   OpenMode = 0x20                 // QIODevice::Unbuffered
	NewOnly      OpenMode = 0x40                 // QIODevice::NewOnly
	ExistingOnly OpenMode = 0x80                 // QIODevice::ExistingOnly
)

var openModeNames = []flagName{
	{uint64(ReadWrite), "ReadWrite"}, // before its halves, so both bits print as Qt's name for them
	{uint64(ReadOnly), "ReadOnly"},
	{uint64(WriteOnly), "WriteOnly"},
	{uint64(Append), "Append"},
	{uint64(Truncate), "Truncate"},
	{uint64(Text), "Text"},
	{uint64(Unbuffered), "Unbuffered"},
	{uint64(NewOnly), "NewOnly"},
	{uint64(ExistingOnly), "ExistingOnly"},
}

// String returns the set flags joined by "|", such as "ReadWrite|Unbuffered",
// or "NotOpen" for none.
func (m OpenMode) String() string {
	return flagString(uint64(m), "NotOpen", openModeNames)
}

// PauseMode says when a socket pauses data transfer until Resume:
// QAbstractSocket::PauseModes (flags of QAbstractSocket::PauseMode), with
// Qt's bit values. The name PauseOnSSLErrors follows Go's initialisms; String
// returns Qt's spelling.
type PauseMode uint

// The pause modes, with Qt's bit values.
const (
	PauseNever       PauseMode = 0x0 // QAbstractSocket::PauseNever
	PauseOnSSLErrors PauseMode = 0x1 // QAbstractSocket::PauseOnSslErrors: pause at sslErrors until Resume
)

var pauseModeNames = []flagName{
	{uint64(PauseOnSSLErrors), "PauseOnSslErrors"},
}

// String returns Qt's name of the mode, "PauseNever" or "PauseOnSslErrors".
func (m PauseMode) String() string {
	return flagString(uint64(m), "PauseNever", pauseModeNames)
}
