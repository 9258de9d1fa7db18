package server

import (
	"github.com/qsock/qsock/engine"
	"github.com/qsock/qsock/internal/accept"
	"github.com/qsock/qsock/tcp"
	"golang.org/x/sys/unix"
)

// NextPendingConnection returns the oldest queued connection, or nil when
// none is queued (QTcpServer::nextPendingConnection). The socket is
// already connected; Connected is not emitted for it, as in Qt. Taking one
// resumes accepting below the pending limit, even after PauseAccepting,
// as Qt's does.
//
// With a LoopGroup the socket belongs to its own loop (c.Loop()), not the
// server's: call its methods through c.Loop().Post or Invoke.
func (s *TCPServer) NextPendingConnection() *tcp.Socket {
	c, _ := s.l.Take()
	return c
}

// HasPendingConnections reports whether a connection is queued
// (QTcpServer::hasPendingConnections).
func (s *TCPServer) HasPendingConnections() bool { return s.l.Has() }

// AddPendingConnection queues c for NextPendingConnection and emits
// PendingConnectionAvailable (QTcpServer::addPendingConnection, as in Qt
// 6). Functions given to SetIncomingConnection call it for the sockets
// they make.
func (s *TCPServer) AddPendingConnection(c *tcp.Socket) {
	s.l.Add(c)
	s.PendingConnectionAvailable.Emit()
}

// SetIncomingConnection replaces what the server does with each accepted
// descriptor: Qt's virtual incomingConnection(qintptr), which subclasses
// override to hand the descriptor to a worker thread or to make their own
// socket type. fn owns fd: it adopts it (tcp.Socket.SetSocketDescriptor),
// queues a socket with AddPendingConnection, or closes it. NewConnection
// is emitted after fn returns. nil restores the default, which makes a
// tcp.Socket on the right loop (see SetLoopGroup), adopts fd and queues
// the socket, or passes it to the handler (SetHandler).
func (s *TCPServer) SetIncomingConnection(fn func(fd int)) { s.incoming = fn }

// SetLoopGroup makes the default incomingConnection create each socket on
// g.Next() instead of the server's loop, to serve on several cores; nil
// goes back to the server's loop. The server still accepts on its own
// loop. See the package documentation for what that means for
// NextPendingConnection, and SetHandler for the race-free way.
func (s *TCPServer) SetLoopGroup(g *engine.LoopGroup) { s.group = g }

// SetHandler makes the default incomingConnection pass each socket to fn
// instead of queuing it. fn runs on the socket's loop (the server's, or
// the group's next one with SetLoopGroup) right after the socket adopted
// its descriptor, before any of its signals can fire; with a nil loop it
// runs inside WaitForNewConnection. NewConnection is still emitted per
// accept, on the server's loop, and nothing is ever pending. nil goes back
// to queuing. Beyond Qt: it is what a Go server usually wants.
func (s *TCPServer) SetHandler(fn func(c *tcp.Socket)) { s.handler = fn }

// incomingConnection is the accept hook: the user's replacement or Qt's
// default.
func (s *TCPServer) incomingConnection(ac accept.Conn) {
	if s.incoming != nil {
		s.incoming(ac.FD)
		return
	}
	domain := unix.AF_INET6
	if e := s.l.Engine(); e != nil {
		domain = e.Domain()
	}
	adopt := s.adopter(domain)
	target := s.loop
	if s.group != nil {
		target = s.group.Next()
	}
	if target == s.loop {
		c, ok := adopt(target, ac)
		if !ok {
			unix.Close(ac.FD)
			return
		}
		if s.handler != nil {
			s.handler(c)
		} else {
			s.AddPendingConnection(c)
		}
		return
	}
	if h := s.handler; h != nil {
		// Nothing comes back to the server: the handler owns the socket.
		s.batchFor(target).Hand(ac, adopt, h)
		return
	}
	s.deferNew = true
	s.l.HandOff(s.loop, target, ac, adopt, func(c *tcp.Socket) {
		s.AddPendingConnection(c)
		s.NewConnection.Emit()
	}, func(c *tcp.Socket) { c.Loop().Post(c.Abort) })
}

// adopter returns what makes a socket of an accepted descriptor of
// domain, made once per domain so that accepting allocates no closure.
func (s *TCPServer) adopter(domain int) func(*engine.Loop, accept.Conn) (*tcp.Socket, bool) {
	if s.adopt == nil || s.adoptDomain != domain {
		s.adopt = func(loop *engine.Loop, ac accept.Conn) (*tcp.Socket, bool) { return adoptAccepted(loop, ac, domain) }
		s.adoptDomain = domain
	}
	return s.adopt
}

// batchFor returns the hand-off queue to target.
func (s *TCPServer) batchFor(target *engine.Loop) *accept.Batch[*tcp.Socket] {
	b := s.batches[target]
	if b == nil {
		if s.batches == nil {
			s.batches = make(map[*engine.Loop]*accept.Batch[*tcp.Socket])
		}
		b = accept.NewBatch[*tcp.Socket](target)
		s.batches[target] = b
	}
	return b
}

// adoptAccepted makes a connected socket of ac on loop. On failure the
// descriptor is left open, as SetSocketDescriptor leaves it, for the
// caller to close.
func adoptAccepted(loop *engine.Loop, ac accept.Conn, domain int) (*tcp.Socket, bool) {
	c := tcp.NewSocket(loop)
	// An accepted descriptor needs few questions asked of the kernel: its
	// family is the listener's, accept4 made it non-blocking and said who
	// the peer is.
	if err := c.AdoptAccepted(engine.AcceptedEngine(ac.FD, domain, unix.SOCK_STREAM), ac.Peer); err != nil {
		return nil, false
	}
	return c, true
}

// accepted emits NewConnection after the incomingConnection hook returned, unless
// the socket is still being made on another loop.
func (s *TCPServer) accepted() {
	if s.deferNew {
		s.deferNew = false
		return
	}
	s.NewConnection.Emit()
}

// drop aborts a queued socket nobody took when the server closes. On
// Loop.Close the sockets of that loop are released by the loop itself.
func (s *TCPServer) drop(c *tcp.Socket, loopClosing bool) {
	switch cl := c.Loop(); {
	case cl == s.loop && loopClosing:
	case cl == s.loop || cl == nil || cl.InLoop():
		c.Abort()
	default:
		cl.Post(c.Abort)
	}
}
