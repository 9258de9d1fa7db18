package engine

import (
	"net/netip"
	"unsafe"

	"golang.org/x/sys/unix"
)

// DatagramHeader is the metadata of one datagram, Qt's
// QIpPacketHeader/QNetworkDatagram fields. What ReadDatagram fills beyond
// Addr and Truncated depends on ReceivePacketInfoOption and
// ReceiveHopLimitOption being on.
type DatagramHeader struct {
	// Addr is the sender on receive and the destination on send (invalid
	// on send: the connected peer).
	Addr netip.AddrPort
	// Dst is, on receive, the local address the datagram was sent to
	// (IP_PKTINFO / IPV6_PKTINFO, IP_RECVDSTADDR on BSD); on send, the
	// source address to use (invalid: the kernel picks).
	Dst netip.Addr
	// HopLimit is, on receive, the TTL / hop limit the datagram arrived
	// with (-1 unknown); on send, the TTL / hop limit for this datagram
	// alone. On send both -1 and 0 mean the socket's default: 0 is the
	// Go zero value, and a datagram that may not leave the host is no
	// use to anyone.
	HopLimit int
	// IfIndex is the arriving interface on receive, the outgoing one on
	// send; 0 is unset.
	IfIndex int
	// Truncated reports on receive that the datagram was larger than the
	// buffer and its tail is lost (MSG_TRUNC).
	Truncated bool
}

// Control buffer sizes: room for a packet-info and a hop-limit message of
// either family, with slack for the BSDs' interface sockaddr.
const (
	readOOBSize  = 256
	writeOOBSize = 128
)

// ReadDatagram receives one datagram into p and, if h is not nil, its
// sender, destination, hop limit, interface and truncation. ErrWouldBlock
// when none is queued. The msghdr, sockaddr and control buffer live in the
// engine: a call allocates nothing once the first one has run.
func (e *NativeEngine) ReadDatagram(p []byte, h *DatagramHeader) (int, error) {
	return e.readDatagram(p, h, 0)
}

// PeekDatagram is ReadDatagram that leaves the datagram queued
// (MSG_PEEK): the next read returns it again. A proxy's datagram
// transport peeks to learn the size of the payload behind its header.
func (e *NativeEngine) PeekDatagram(p []byte, h *DatagramHeader) (int, error) {
	return e.readDatagram(p, h, unix.MSG_PEEK)
}

func (e *NativeEngine) readDatagram(p []byte, h *DatagramHeader, flags int) (int, error) {
	s := e.rs()
	s.setIov1(p)
	if h != nil {
		if s.oob == nil {
			s.oob = make([]byte, readOOBSize)
		}
		s.sa.Addr.Family = unix.AF_UNSPEC
		s.msg.Name = (*byte)(unsafe.Pointer(&s.sa))
		s.msg.Namelen = unix.SizeofSockaddrAny
		s.msg.Control = &s.oob[0]
		s.msg.SetControllen(len(s.oob))
	}
	n, err := ignoringEINTRIO(func() (int, error) { return sysRecvmsg(int(e.fd), &s.msg, flags) })
	if err != nil {
		s.clear()
		return 0, wrapErr("recvmsg", err)
	}
	if h != nil {
		*h = DatagramHeader{HopLimit: -1, Truncated: s.msg.Flags&unix.MSG_TRUNC != 0}
		if s.msg.Namelen > 0 {
			h.Addr = rawToAddrPort(&s.sa)
		}
		parseControl(s.oob[:s.msg.Controllen], h)
	}
	s.clear()
	return n, nil
}

// WriteDatagram sends p as one datagram to h.Addr (h nil or h.Addr
// invalid: the connected peer), with per-datagram source address,
// interface and hop limit from h as control messages. A datagram the
// kernel will not queue whole is ErrWouldBlock, never cut short.
func (e *NativeEngine) WriteDatagram(p []byte, h *DatagramHeader) (int, error) {
	s := e.ws()
	s.setIov1(p)
	if h != nil {
		if err := e.prepareSend(s, h); err != nil {
			s.clear()
			return 0, opErr("sendmsg", err)
		}
	}
	n, err := ignoringEINTRIO(func() (int, error) { return sysSendmsg(int(e.fd), &s.msg) })
	s.clear()
	if err != nil {
		return 0, wrapErr("sendmsg", err)
	}
	return n, nil
}

// prepareSend fills in the destination and control messages from h.
func (e *NativeEngine) prepareSend(s *msgScratch, h *DatagramHeader) error {
	v4 := e.domain == unix.AF_INET
	if h.Addr.IsValid() {
		namelen, err := putRawSockaddr(&s.sa, int(e.domain), h.Addr)
		if err != nil {
			return err
		}
		s.msg.Name = (*byte)(unsafe.Pointer(&s.sa))
		s.msg.Namelen = namelen
		// A v4-mapped destination leaves through the IPv4 stack, which
		// reads only IPv4 control messages (Linux's udp_sendmsg).
		v4 = v4 || h.Addr.Addr().Is4() || h.Addr.Addr().Is4In6()
	}
	if h.HopLimit <= 0 && h.IfIndex == 0 && !h.Dst.IsValid() {
		return nil
	}
	if s.oob == nil {
		s.oob = make([]byte, writeOOBSize)
	}
	var off int
	var err error
	if v4 {
		off, err = putIPv4Control(s.oob, h)
	} else {
		off, err = putIPv6Control(s.oob, h)
	}
	if err != nil || off == 0 {
		return err
	}
	s.msg.Control = &s.oob[0]
	s.msg.SetControllen(off)
	return nil
}

// cmsgHdrLen is the aligned size of a cmsghdr, where the data begins.
var cmsgHdrLen = unix.CmsgLen(0)

// parseControl walks the control messages recvmsg returned, without the
// allocations of unix.ParseSocketControlMessage.
func parseControl(b []byte, h *DatagramHeader) {
	for len(b) >= cmsgHdrLen {
		c := (*unix.Cmsghdr)(unsafe.Pointer(&b[0]))
		l := int(c.Len)
		if l < cmsgHdrLen || l > len(b) {
			return
		}
		data := b[cmsgHdrLen:l]
		switch c.Level {
		case unix.IPPROTO_IP:
			parseIPv4Cmsg(c.Type, data, h)
		case unix.IPPROTO_IPV6:
			parseIPv6Cmsg(c.Type, data, h)
		}
		next := unix.CmsgSpace(l - cmsgHdrLen)
		if next >= len(b) {
			return
		}
		b = b[next:]
	}
}

// parseIPv6Cmsg reads the IPv6 messages, which every system spells alike.
func parseIPv6Cmsg(typ int32, data []byte, h *DatagramHeader) {
	switch typ {
	case unix.IPV6_PKTINFO:
		if len(data) >= unix.SizeofInet6Pktinfo {
			pi := (*unix.Inet6Pktinfo)(unsafe.Pointer(&data[0]))
			h.Dst = netip.AddrFrom16(pi.Addr)
			h.IfIndex = int(pi.Ifindex)
		}
	case unix.IPV6_HOPLIMIT:
		if len(data) >= 4 {
			h.HopLimit = int(*(*int32)(unsafe.Pointer(&data[0])))
		}
	}
}

// putIPv6Control writes IPV6_HOPLIMIT and IPV6_PKTINFO as Qt's
// nativeSendDatagram does and returns the bytes used.
func putIPv6Control(b []byte, h *DatagramHeader) (int, error) {
	off := 0
	if h.HopLimit > 0 {
		data := putCmsg(b, &off, unix.IPPROTO_IPV6, unix.IPV6_HOPLIMIT, 4)
		*(*int32)(unsafe.Pointer(&data[0])) = int32(h.HopLimit)
	}
	if h.IfIndex != 0 || h.Dst.IsValid() {
		data := putCmsg(b, &off, unix.IPPROTO_IPV6, unix.IPV6_PKTINFO, unix.SizeofInet6Pktinfo)
		pi := (*unix.Inet6Pktinfo)(unsafe.Pointer(&data[0]))
		*pi = unix.Inet6Pktinfo{Ifindex: uint32(h.IfIndex)}
		if h.Dst.IsValid() {
			pi.Addr = h.Dst.As16()
		}
	}
	return off, nil
}

// putCmsg appends one control message header at *off and returns its data
// area (zeroed), advancing *off past the padded message.
func putCmsg(b []byte, off *int, level, typ int32, n int) []byte {
	c := (*unix.Cmsghdr)(unsafe.Pointer(&b[*off]))
	*c = unix.Cmsghdr{Level: level, Type: typ}
	c.SetLen(unix.CmsgLen(n))
	data := b[*off+cmsgHdrLen : *off+cmsgHdrLen+n]
	clear(data)
	*off += unix.CmsgSpace(n)
	return data
}
