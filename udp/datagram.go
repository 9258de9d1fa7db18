package udp

import "net/netip"

// Datagram is one UDP datagram with its addresses and metadata: Qt's
// QNetworkDatagram, as a plain value. ReceiveDatagram fills every field it
// can learn from the kernel; SendDatagram honours every field that is set.
type Datagram struct {
	// Data is the payload (QNetworkDatagram::data).
	Data []byte
	// Sender is who sent a received datagram; on send, the source address
	// to use (its port is ignored, as in Qt). Invalid: not set.
	Sender netip.AddrPort
	// Destination is where a received datagram was sent (the local
	// address, from IP_PKTINFO / IPV6_PKTINFO); on send, where it goes.
	// Invalid: not set, which on send means the connected peer.
	Destination netip.AddrPort
	// HopLimit is the TTL / hop limit a datagram arrived with; on send,
	// the TTL / hop limit for this datagram alone. -1: not set (0 on send
	// also means the socket's default).
	HopLimit int
	// InterfaceIndex is the interface the datagram arrived on or should
	// leave by (QNetworkDatagram::interfaceIndex). 0: not set.
	InterfaceIndex int
}

// NewDatagram returns a datagram carrying data to addr:port with no hop
// limit set: Qt's QNetworkDatagram(data, destination, port) constructor.
// An invalid addr leaves the destination unset.
func NewDatagram(data []byte, addr netip.Addr, port uint16) Datagram {
	d := Datagram{Data: data, HopLimit: -1}
	if addr.IsValid() {
		d.Destination = netip.AddrPortFrom(addr, port)
	}
	return d
}

// IsValid reports whether the datagram has a sender or a destination
// (QNetworkDatagram::isValid). ReceiveDatagram returns an invalid
// Datagram when it fails; an empty payload is still valid.
func (d Datagram) IsValid() bool {
	return d.Sender.IsValid() || d.Destination.IsValid()
}

// IsNull reports whether the datagram is not valid (QNetworkDatagram::isNull).
func (d Datagram) IsNull() bool { return !d.IsValid() }

// MakeReply returns a datagram carrying payload back to d's sender
// (QNetworkDatagram::makeReply): its destination is d's sender, its
// interface is d's, and its source is d's destination, so the reply
// leaves from the address the request reached; from a multicast or
// broadcast destination only the port is kept. The hop limit is not set.
func (d Datagram) MakeReply(payload []byte) Datagram {
	r := Datagram{Data: payload, Destination: d.Sender, HopLimit: -1, InterfaceIndex: d.InterfaceIndex}
	// The reply comes from where the datagram went; from a multicast
	// or broadcast destination only the port is kept, as in Qt.
	src := d.Destination.Addr()
	if isNonUnicast(src) {
		src = netip.Addr{}
	}
	r.Sender = netip.AddrPortFrom(src, d.Destination.Port())
	return r
}

// isNonUnicast is Qt's test in makeReply: a reply must not claim a
// multicast or broadcast address as its source.
func isNonUnicast(a netip.Addr) bool {
	a = a.Unmap()
	return a.IsMulticast() || a == netip.AddrFrom4([4]byte{255, 255, 255, 255})
}

// header converts the send-side fields to the engine's form.
func (d *Datagram) header(h *engineHeader) {
	*h = engineHeader{Addr: d.Destination, HopLimit: d.HopLimit, IfIndex: d.InterfaceIndex}
	if d.Sender.IsValid() {
		h.Dst = d.Sender.Addr()
	}
}
