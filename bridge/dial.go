package bridge

import (
	"context"
	"net"
	"net/netip"
	"strconv"
	"strings"

	"github.com/qsock/qsock/engine"
	"github.com/qsock/qsock/local"
	"github.com/qsock/qsock/socket"
	"github.com/qsock/qsock/tcp"
)

// Dialer connects qsock sockets and returns them as net.Conns, for code
// that takes a dial function: an http.Transport's DialContext, gRPC's
// WithContextDialer, or crypto/tls over tls.Client.
type Dialer struct {
	// Loop is the running loop the sockets belong to.
	Loop *engine.Loop
}

// Dial is DialContext without a context.
func (d *Dialer) Dial(network, address string) (net.Conn, error) {
	return d.DialContext(context.Background(), network, address)
}

// DialContext connects to address on the named network and returns the
// connected socket through NewConn. The networks are "tcp", "tcp4" and
// "tcp6", with a "host:port" address (a host name is looked up, and every
// address it has is tried in turn, as tcp.Socket's ConnectToHost does),
// and "unix", with a socket path or "@name" for Linux's abstract
// namespace. When ctx ends first the connect is aborted.
func (d *Dialer) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	if d.Loop == nil {
		return nil, dialError(network, address, engine.ErrLoopClosed)
	}
	switch network {
	case "tcp", "tcp4", "tcp6":
		host, service, err := net.SplitHostPort(address)
		if err != nil {
			return nil, dialError(network, address, err)
		}
		port, err := lookupPort(ctx, network, service)
		if err != nil {
			return nil, dialError(network, address, err)
		}
		proto := socket.AnyIPProtocol
		switch network {
		case "tcp4":
			proto = socket.IPv4Protocol
		case "tcp6":
			proto = socket.IPv6Protocol
		}
		s := tcp.NewSocket(d.Loop)
		return dial(ctx, endpointOf(s), network, address, func() {
			s.ConnectToHostMode(host, port, socket.ReadWrite, proto)
		})
	case "unix":
		s := local.NewSocket(d.Loop)
		name := address
		if strings.HasPrefix(name, "@") {
			name = name[1:]
			s.SetSocketOptions(local.AbstractNamespaceOption)
		}
		return dial(ctx, endpointOf(s), network, address, func() { s.ConnectToServer(name) })
	}
	return nil, dialError(network, address, net.UnknownNetworkError(network))
}

func lookupPort(ctx context.Context, network, service string) (uint16, error) {
	if p, err := strconv.ParseUint(service, 10, 16); err == nil {
		return uint16(p), nil
	}
	p, err := net.DefaultResolver.LookupPort(ctx, network, service)
	return uint16(p), err
}

// dial runs start on the loop and waits for the socket to connect or
// fail. A TCP socket reports a failure with StateChanged(Unconnected)
// before ErrorOccurred and a local one the other way round, so an
// Unconnected without an error yet reports it a loop turn later.
func dial(ctx context.Context, ep endpoint, network, address string, start func()) (net.Conn, error) {
	b := ep.base
	loop := b.Loop()
	result := make(chan error, 1)
	report := func(err error) {
		select {
		case result <- err:
		default:
		}
	}
	failure := func() error {
		if err := b.LastError(); err != nil {
			return err
		}
		return b.Error()
	}
	var slots []socket.Connection
	ran := false
	loop.Invoke(func() {
		ran = true
		slots = []socket.Connection{
			b.Connected.Connect(func() { report(nil) }),
			b.ErrorOccurred.Connect(func(socket.SocketError) { report(failure()) }),
			b.StateChanged.Connect(func(st socket.State) {
				if st == socket.UnconnectedState {
					loop.Post(func() { report(failure()) })
				}
			}),
		}
		start()
	})
	if !ran {
		return nil, dialError(network, address, engine.ErrLoopClosed)
	}
	var err error
	select {
	case err = <-result:
	case <-ctx.Done():
		err = ctx.Err()
	}
	loop.Invoke(func() {
		for _, s := range slots {
			s.Disconnect()
		}
		if err != nil {
			ep.abort()
		}
	})
	if err != nil {
		return nil, dialError(network, address, err)
	}
	return newConn(ep), nil
}

func dialError(network, address string, err error) error {
	return &net.OpError{Op: "dial", Net: network, Addr: dialAddr(network, address), Err: err}
}

// dialAddr is the address a dial error names, as Go's net would.
func dialAddr(network, address string) net.Addr {
	if network == "unix" {
		return &net.UnixAddr{Name: address, Net: network}
	}
	if ap, err := netip.ParseAddrPort(address); err == nil {
		return tcpAddr(ap.Addr(), ap.Port())
	}
	return nil
}
