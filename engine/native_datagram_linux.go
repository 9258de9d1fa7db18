package engine

import (
	"net/netip"
	"unsafe"

	"golang.org/x/sys/unix"
)

// fionread is FIONREAD under its Linux socket name.
const fionread = unix.SIOCINQ

// parseIPv4Cmsg reads IP_PKTINFO and IP_TTL (the answer to IP_RECVTTL).
func parseIPv4Cmsg(typ int32, data []byte, h *DatagramHeader) {
	switch typ {
	case unix.IP_PKTINFO:
		if len(data) >= unix.SizeofInet4Pktinfo {
			pi := (*unix.Inet4Pktinfo)(unsafe.Pointer(&data[0]))
			// Addr is the header's destination; Spec_dst would be the
			// local address a reply would come from.
			h.Dst = netip.AddrFrom4(pi.Addr)
			h.IfIndex = int(pi.Ifindex)
		}
	case unix.IP_TTL:
		if len(data) >= 4 {
			h.HopLimit = int(*(*int32)(unsafe.Pointer(&data[0])))
		}
	}
}

// putIPv4Control writes IP_TTL and IP_PKTINFO (source in ipi_spec_dst,
// which is what Linux reads for the source address).
func putIPv4Control(b []byte, h *DatagramHeader) (int, error) {
	off := 0
	if h.HopLimit > 0 {
		data := putCmsg(b, &off, unix.IPPROTO_IP, unix.IP_TTL, 4)
		*(*int32)(unsafe.Pointer(&data[0])) = int32(h.HopLimit)
	}
	if h.IfIndex != 0 || h.Dst.IsValid() {
		data := putCmsg(b, &off, unix.IPPROTO_IP, unix.IP_PKTINFO, unix.SizeofInet4Pktinfo)
		pi := (*unix.Inet4Pktinfo)(unsafe.Pointer(&data[0]))
		*pi = unix.Inet4Pktinfo{Ifindex: int32(h.IfIndex)}
		if h.Dst.IsValid() {
			pi.Spec_dst = h.Dst.Unmap().As4()
		}
	}
	return off, nil
}

// PendingDatagramSize returns the size of the next datagram (0 for an
// empty one) without consuming it: Linux's recv(MSG_PEEK|MSG_TRUNC)
// reports the real length even into a zero-byte buffer. ErrWouldBlock
// when none is queued.
func (e *NativeEngine) PendingDatagramSize() (int, error) {
	s := e.rs()
	s.setIov1(nil)
	n, err := ignoringEINTRIO(func() (int, error) {
		return sysRecvmsg(int(e.fd), &s.msg, unix.MSG_PEEK|unix.MSG_TRUNC)
	})
	s.clear()
	if err != nil {
		return 0, wrapErr("recvmsg", err)
	}
	return n, nil
}
