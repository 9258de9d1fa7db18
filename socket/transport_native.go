package socket

import (
	"net/netip"

	"golang.org/x/sys/unix"

	"github.com/qsock/qsock/engine"
)

// handler is the socket as the loop sees it. The methods the loop calls
// live on this type so they do not become part of AbstractSocket's API.
type handler AbstractSocket

func (h *handler) Ready(ev engine.Events) { (*AbstractSocket)(h).ready(ev) }
func (h *handler) EndOfTurn()             { (*AbstractSocket)(h).endOfTurn() }
func (h *handler) LoopClosed()            { (*AbstractSocket)(h).loopClosed() }

// initTransport makes a native transport for a connect to host, unless the
// socket already has one (after Bind), or the proxy transport when the
// connect goes through a proxy.
func (s *AbstractSocket) initTransport(host netip.Addr) error {
	if s.x != nil && s.x.via != nil {
		if s.isUDP() {
			return s.associateToConnect()
		}
		s.newProxyConn()
		return nil
	}
	if s.tr != nil {
		return nil
	}
	domain := unix.AF_INET6
	if host.Is4() {
		domain = unix.AF_INET
	}
	sotype := unix.SOCK_STREAM
	if s.isUDP() {
		sotype = unix.SOCK_DGRAM
	}
	e, err := engine.NewNativeEngine(domain, sotype)
	if err != nil {
		return err
	}
	if sotype == unix.SOCK_DGRAM {
		datagramOptions(e)
	}
	if err := s.attach(e); err != nil {
		e.Close()
		return err
	}
	return nil
}

// attach makes t the socket's transport, registers it with the loop and
// applies the options set before it existed. On failure t is left to the
// caller.
func (s *AbstractSocket) attach(t Transport) error {
	if s.loop != nil {
		n, err := s.loop.NewNotifier(t.FD(), (*handler)(s))
		if err != nil {
			return err
		}
		s.notifier = n
	}
	s.tr = t
	for o, v := range s.presetOptions() {
		s.applyOption(o, v)
	}
	return nil
}

// SetTransport gives the socket a transport made elsewhere (a proxy
// engine, or a local socket's Unix-domain engine) without changing the
// state; socket classes call it and then SetSocketState.
func (s *AbstractSocket) SetTransport(t Transport) error {
	s.releaseTransport()
	return s.attach(t)
}

// releaseTransport deregisters and closes the descriptor.
func (s *AbstractSocket) releaseTransport() {
	s.stopConnectTimer()
	if s.notifier != nil {
		s.notifier.Close()
		s.notifier = nil
	}
	if s.tr != nil {
		s.tr.Close()
		s.tr = nil
	}
	s.flags &^= flagReadPaused | flagDatagramUnread
	if s.Layer() != nil {
		s.Layer().Release()
	}
}

// setNotify sets which readiness the loop watches for.
func (s *AbstractSocket) setNotify(read, write bool) {
	if s.notifier == nil {
		return
	}
	var ev engine.Events
	if read {
		ev |= engine.Readable
	}
	if write {
		ev |= engine.Writable
	}
	s.notifier.SetEnabled(ev)
}

// readWanted reports whether the loop should watch for readability: while
// connected (not closing: Qt stops reading in disconnectFromHost) and the
// read buffer has room.
func (s *AbstractSocket) readWanted() bool {
	if s.State() == ClosingState && s.Layer() != nil && !s.Layer().Ready() {
		return true // a layer's handshake must finish before the close
	}
	if s.State() != ConnectedState && s.State() != BoundState {
		return false
	}
	if s.isUDP() {
		return !s.is(flagDatagramUnread)
	}
	return !s.is(flagReadPaused)
}

func (s *AbstractSocket) bufferFull() bool {
	max := s.ReadBufferSize()
	return max > 0 && int64(s.rbuf.Len()) >= max
}

// loopClosed releases the descriptor without signals when the loop closes.
func (s *AbstractSocket) loopClosed() {
	s.cancelLookup()
	s.notifier = nil // the loop removes it
	if s.tr != nil {
		s.tr.Close()
		s.tr = nil
	}
	if s.Layer() != nil {
		s.Layer().Release()
	}
	s.wbuf.Reset()
	s.st = uint8(UnconnectedState)
	s.openMode = uint8(NotOpen)
}
