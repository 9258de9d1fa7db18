package local

import (
	"github.com/qsock/qsock/engine"
	"github.com/qsock/qsock/internal/accept"
	"github.com/qsock/qsock/socket"
	"golang.org/x/sys/unix"
)

// NextPendingConnection returns the oldest queued connection, or nil when
// none is queued (QLocalServer::nextPendingConnection). The socket is
// already connected (Connected is not emitted for it) and reports the
// server's names. Taking one below the pending limit resumes accepting.
//
// With a LoopGroup the socket belongs to its own loop (c.Loop()), not the
// server's: call its methods through c.Loop().Post or Invoke.
func (s *Server) NextPendingConnection() *Socket {
	c, _ := s.l.Take()
	return c
}

// HasPendingConnections reports whether a connection is queued
// (QLocalServer::hasPendingConnections).
func (s *Server) HasPendingConnections() bool { return s.l.Has() }

// AddPendingConnection queues c for NextPendingConnection, for functions
// given to SetIncomingConnection.
func (s *Server) AddPendingConnection(c *Socket) { s.l.Add(c) }

// SetIncomingConnection replaces what the server does with each accepted
// descriptor: Qt's virtual QLocalServer::incomingConnection(quintptr).
// fn owns fd: it adopts it (Socket.SetSocketDescriptor), queues a socket
// with AddPendingConnection, or closes it. NewConnection is emitted after
// fn returns. nil restores the default.
func (s *Server) SetIncomingConnection(fn func(fd int)) { s.incoming = fn }

// SetLoopGroup makes the default incomingConnection create each socket on
// g.Next() instead of the server's loop, to serve on several cores, as
// server.TCPServer.SetLoopGroup does; nil goes back to the server's loop.
func (s *Server) SetLoopGroup(g *engine.LoopGroup) { s.group = g }

// SetHandler makes the default incomingConnection pass each socket to fn
// instead of queuing it, on the socket's own loop, before any of its
// signals can fire (see server.TCPServer.SetHandler). nil goes back to
// queuing. Beyond Qt.
func (s *Server) SetHandler(fn func(c *Socket)) { s.handler = fn }

// incomingConnection is the accept hook: the user's replacement or Qt's
// default, which makes a connected Socket and queues it.
func (s *Server) incomingConnection(ac accept.Conn) {
	if s.incoming != nil {
		s.incoming(ac.FD)
		return
	}
	target := s.loop
	if s.group != nil {
		target = s.group.Next()
	}
	mk := s.maker()
	if target == s.loop {
		c, ok := mk(target, ac)
		if !ok {
			unix.Close(ac.FD)
			return
		}
		if s.handler != nil {
			s.handler(c)
		} else {
			s.l.Add(c)
		}
		return
	}
	if h := s.handler; h != nil {
		s.batchFor(target).Hand(ac, mk, h)
		return
	}
	s.deferNew = true
	s.l.HandOff(s.loop, target, ac, mk, func(c *Socket) {
		s.l.Add(c)
		s.NewConnection.Emit()
	}, func(c *Socket) { c.Loop().Post(c.Abort) })
}

// batchFor returns the hand-off queue to target.
func (s *Server) batchFor(target *engine.Loop) *accept.Batch[*Socket] {
	b := s.batches[target]
	if b == nil {
		if s.batches == nil {
			s.batches = make(map[*engine.Loop]*accept.Batch[*Socket])
		}
		b = accept.NewBatch[*Socket](target)
		s.batches[target] = b
	}
	return b
}

// maker returns what makes a socket for an accepted descriptor: it
// captures the names now, on the server's goroutine, for a socket that
// may be made on another loop.
func (s *Server) maker() func(*engine.Loop, accept.Conn) (*Socket, bool) {
	full, name, abstract := s.full, s.name, s.abstract
	if !abstract {
		_, name, _ = describeSockaddr(full)
	}
	return func(loop *engine.Loop, ac accept.Conn) (*Socket, bool) {
		c := NewSocket(loop)
		if err := c.adopt(ac.FD, socket.ConnectedState, full, name, abstract); err != nil {
			return nil, false
		}
		return c, true
	}
}

// accepted emits NewConnection once the connection was queued, unless the
// socket is still being made on another loop.
func (s *Server) accepted() {
	if s.deferNew {
		s.deferNew = false
		return
	}
	s.NewConnection.Emit()
}

// drop aborts a queued socket nobody took when the server closes; on
// Loop.Close the sockets of that loop are released by the loop itself.
func (s *Server) drop(c *Socket, loopClosing bool) {
	switch cl := c.Loop(); {
	case cl == s.loop && loopClosing:
	case cl == s.loop || cl == nil || cl.InLoop():
		c.Abort()
	default:
		cl.Post(c.Abort)
	}
}
