package sslsock

import (
	"crypto/tls"
	"encoding/binary"
)

// sessionCache is the client's tls.ClientSessionCache when the
// configuration holds a ticket or SessionPersistence is on: it offers the
// ticket for resumption and, with SessionPersistence, hands every session
// the server sends to the socket. One per handshake; crypto/tls calls Get on the handshake
// goroutine and Put there (TLS 1.2, in the handshake) or on the loop
// (TLS 1.3, when the record is read).
type sessionCache struct {
	l      *tlsLayer
	keep   bool                    // SessionPersistence
	resume *tls.ClientSessionState // nil: nothing to resume
}

func (c *sessionCache) Get(string) (*tls.ClientSessionState, bool) {
	return c.resume, c.resume != nil
}

func (c *sessionCache) Put(_ string, cs *tls.ClientSessionState) {
	if cs == nil || !c.keep {
		return // nil: crypto/tls evicting a session that failed to resume
	}
	ticket := encodeSession(cs)
	if ticket == nil {
		return
	}
	l := c.l
	l.post(func() { l.s.sessionReceived(l, ticket) })
}

// sessionReceived keeps a session the server sent. Only a ticket that
// came after the handshake, which is TLS 1.3's NewSessionTicket, is
// announced, as in Qt; a TLS 1.2 ticket is part of the handshake.
func (s *Socket) sessionReceived(l *tlsLayer, ticket []byte) {
	if s.layer != l {
		return
	}
	s.config.SessionTicket = ticket
	if l.ready {
		s.NewSessionTicketReceived.Emit()
	}
}

// encodeSession serializes a session as crypto/tls describes it: the
// ticket, length first, then the session state.
func encodeSession(cs *tls.ClientSessionState) []byte {
	ticket, state, err := cs.ResumptionState()
	if err != nil || state == nil {
		return nil
	}
	sb, err := state.Bytes()
	if err != nil {
		return nil
	}
	b := binary.BigEndian.AppendUint32(make([]byte, 0, 4+len(ticket)+len(sb)), uint32(len(ticket)))
	b = append(b, ticket...)
	return append(b, sb...)
}

// decodeSession reverses encodeSession; nil when b is not a session.
func decodeSession(b []byte) *tls.ClientSessionState {
	if len(b) < 4 {
		return nil
	}
	n := binary.BigEndian.Uint32(b)
	if uint64(n) > uint64(len(b)-4) {
		return nil
	}
	state, err := tls.ParseSessionState(b[4+n:])
	if err != nil {
		return nil
	}
	cs, err := tls.NewResumptionState(b[4:4+n], state)
	if err != nil {
		return nil
	}
	return cs
}
