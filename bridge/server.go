package bridge

import (
	"net"
	"net/netip"

	"github.com/qsock/qsock/engine"
	"github.com/qsock/qsock/local"
	"github.com/qsock/qsock/server"
	"github.com/qsock/qsock/socket"
)

// Server is the set of server types NewListener adapts.
type Server interface {
	*server.TCPServer | *server.SSLServer | *local.Server
}

// acceptor is a Server with its type erased: what a listener needs of it.
// Every function runs on the server's loop.
type acceptor struct {
	loop *engine.Loop
	// ready is the signal that a connection can be taken: TCP's
	// PendingConnectionAvailable, which an SSLServer emits only once the
	// socket is encrypted, and a local server's NewConnection.
	ready     *socket.Signal
	take      func() (endpoint, bool)
	listening func() bool
	close     func()
	addr      func() net.Addr
}

func acceptorOf[S Server](srv S) acceptor {
	switch v := any(srv).(type) {
	case *server.TCPServer:
		if v != nil {
			return queueAcceptor(v.Loop(), &v.PendingConnectionAvailable, v.NextPendingConnection,
				v.IsListening, v.Close, func() net.Addr { return serverAddr(v.ServerAddress(), v.ServerPort()) })
		}
	case *server.SSLServer:
		if v != nil && v.TCPServer != nil {
			return queueAcceptor(v.Loop(), &v.PendingConnectionAvailable, v.NextPendingConnection,
				v.IsListening, v.Close, func() net.Addr { return serverAddr(v.ServerAddress(), v.ServerPort()) })
		}
	case *local.Server:
		if v != nil {
			return queueAcceptor(v.Loop(), &v.NewConnection, v.NextPendingConnection, v.IsListening, v.Close,
				func() net.Addr {
					laddr, _ := unixAddrs(v.SocketDescriptor())
					return laddr
				})
		}
	}
	panic("bridge: nil server")
}

// queueAcceptor is the acceptor of a server that queues its connections
// for next and announces them with ready.
func queueAcceptor[T Stream](loop *engine.Loop, ready *socket.Signal, next func() T,
	listening func() bool, close func(), addr func() net.Addr) acceptor {
	return acceptor{
		loop:  loop,
		ready: ready,
		take: func() (endpoint, bool) {
			var none T
			if s := next(); s != none {
				return endpointOf(s), true
			}
			return endpoint{}, false
		},
		listening: listening,
		close:     close,
		addr:      addr,
	}
}

// serverAddr is a TCP server's address as Go's net reports a listener's:
// a dual-stack server (socket.Any) listens on [::].
func serverAddr(a netip.Addr, port uint16) net.Addr {
	if !a.IsValid() {
		a = netip.IPv6Unspecified()
	}
	return tcpAddr(a, port)
}
