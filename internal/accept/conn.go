package accept

import "net/netip"

// Conn is one accepted connection: its descriptor, and its peer's address
// as accept reported it (the zero AddrPort for a Unix-domain peer), which
// spares the socket that adopts it a getpeername.
type Conn struct {
	FD   int
	Peer netip.AddrPort
}
