package bridge

import (
	"net"
	"net/netip"

	"golang.org/x/sys/unix"

	"github.com/qsock/qsock/local"
	"github.com/qsock/qsock/socket"
	"github.com/qsock/qsock/sslsock"
	"github.com/qsock/qsock/tcp"
)

// Stream is the set of socket types NewConn adapts: qsock's stream
// sockets. All of them embed *socket.AbstractSocket, whose buffers and
// signals the adapter works through; the type itself supplies Close and
// Abort, which local.Socket refines.
type Stream interface {
	*tcp.Socket | *local.Socket | *sslsock.Socket
}

// endpoint is a Stream with its type erased: what a conn needs of it.
type endpoint struct {
	base  *socket.AbstractSocket
	close func()
	abort func()
	unix  bool // a Unix-domain socket: addresses are *net.UnixAddr
}

func endpointOf[S Stream](s S) endpoint {
	switch v := any(s).(type) {
	case *tcp.Socket:
		if v != nil && v.AbstractSocket != nil {
			return endpoint{base: v.AbstractSocket, close: v.Close, abort: v.Abort}
		}
	case *local.Socket:
		if v != nil && v.AbstractSocket != nil {
			return endpoint{base: v.AbstractSocket, close: v.Close, abort: v.Abort, unix: true}
		}
	case *sslsock.Socket:
		if v != nil && v.Socket != nil && v.AbstractSocket != nil {
			return endpoint{base: v.AbstractSocket, close: v.Close, abort: v.Abort}
		}
	}
	panic("bridge: nil socket")
}

// network is the name net.Addr.Network and net.OpError report.
func (e endpoint) network() string {
	if e.unix {
		return "unix"
	}
	return "tcp"
}

// addrs reads the socket's local and remote addresses; it runs on the
// socket's loop.
func (e endpoint) addrs() (laddr, raddr net.Addr) {
	if e.unix {
		return unixAddrs(e.base.SocketDescriptor())
	}
	b := e.base
	return tcpAddr(b.LocalAddress(), b.LocalPort()), tcpAddr(b.PeerAddress(), b.PeerPort())
}

// tcpAddr converts a socket's address; an IPv4 peer of a dual-stack
// socket (::ffff:a.b.c.d) is reported as the IPv4 address, as Go's net
// prints it.
func tcpAddr(a netip.Addr, port uint16) *net.TCPAddr {
	if !a.IsValid() {
		return &net.TCPAddr{Port: int(port)}
	}
	return net.TCPAddrFromAddrPort(netip.AddrPortFrom(a.Unmap(), port))
}

// unixAddrs asks the kernel, as Go's net does: a client's own end is
// usually unnamed, an accepted connection's is the server's path, and an
// abstract name starts with '@'.
func unixAddrs(fd int) (laddr, raddr *net.UnixAddr) {
	laddr, raddr = &net.UnixAddr{Net: "unix"}, &net.UnixAddr{Net: "unix"}
	if fd < 0 {
		return laddr, raddr
	}
	if sa, err := unix.Getsockname(fd); err == nil {
		if u, ok := sa.(*unix.SockaddrUnix); ok {
			laddr.Name = u.Name
		}
	}
	if sa, err := unix.Getpeername(fd); err == nil {
		if u, ok := sa.(*unix.SockaddrUnix); ok {
			raddr.Name = u.Name
		}
	}
	return laddr, raddr
}
