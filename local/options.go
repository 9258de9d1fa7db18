package local

import (
	"strconv"
	"strings"
)

// SocketOptions is the option set of Socket and Server: Qt's
// QLocalServer::SocketOptions, and QLocalSocket::SocketOptions folded into
// the same type (DESIGN §7: one bit-set type for both). The values are
// QLocalServer's; Qt's QLocalSocket::AbstractNamespaceOption is 0x1, here
// it is the server's 0x8 for both.
type SocketOptions uint

// The socket options. The access options only matter to a Server; a Socket
// only looks at AbstractNamespaceOption.
const (
	NoOptions         SocketOptions = 0x0 // QLocalServer::NoOptions
	UserAccessOption  SocketOptions = 0x1 // QLocalServer::UserAccessOption: the owner may connect (mode 0700)
	GroupAccessOption SocketOptions = 0x2 // QLocalServer::GroupAccessOption: the group may connect (0070)
	OtherAccessOption SocketOptions = 0x4 // QLocalServer::OtherAccessOption: everyone else may connect (0007)
	WorldAccessOption SocketOptions = 0x7 // QLocalServer::WorldAccessOption: everyone (0777)
	// AbstractNamespaceOption is QLocalServer::AbstractNamespaceOption
	// (Qt 6.2): the name is an address in Linux's abstract namespace, with
	// no file behind it; elsewhere it fails with
	// UnsupportedSocketOperationError.
	AbstractNamespaceOption SocketOptions = 0x8
)

// String returns the set options joined by "|", such as
// "UserAccessOption|GroupAccessOption", or "NoOptions".
func (o SocketOptions) String() string {
	if o == NoOptions {
		return "NoOptions"
	}
	var parts []string
	if o&WorldAccessOption == WorldAccessOption {
		parts = append(parts, "WorldAccessOption")
	} else {
		for _, f := range [...]struct {
			bit  SocketOptions
			name string
		}{{UserAccessOption, "UserAccessOption"}, {GroupAccessOption, "GroupAccessOption"}, {OtherAccessOption, "OtherAccessOption"}} {
			if o&f.bit != 0 {
				parts = append(parts, f.name)
			}
		}
	}
	if o&AbstractNamespaceOption != 0 {
		parts = append(parts, "AbstractNamespaceOption")
	}
	if rest := o &^ (WorldAccessOption | AbstractNamespaceOption); rest != 0 {
		parts = append(parts, "0x"+strconv.FormatUint(uint64(rest), 16))
	}
	return strings.Join(parts, "|")
}

// fileMode is the permission bits the access options ask for.
func (o SocketOptions) fileMode() uint32 {
	var m uint32
	if o&UserAccessOption != 0 {
		m |= 0o700
	}
	if o&GroupAccessOption != 0 {
		m |= 0o070
	}
	if o&OtherAccessOption != 0 {
		m |= 0o007
	}
	return m
}
