package engine

import (
	"net/netip"
	"unsafe"

	"golang.org/x/sys/unix"
)

// parseIPv4Pktinfo reads darwin's IP_PKTINFO, which carries the interface
// and destination together.
func parseIPv4Pktinfo(typ int32, data []byte, h *DatagramHeader) {
	if typ == unix.IP_PKTINFO && len(data) >= unix.SizeofInet4Pktinfo {
		pi := (*unix.Inet4Pktinfo)(unsafe.Pointer(&data[0]))
		h.Dst = netip.AddrFrom4(pi.Addr)
		h.IfIndex = int(pi.Ifindex)
	}
}

// putIPv4Source writes IP_PKTINFO, darwin's way to choose the source
// address and interface of one datagram.
func putIPv4Source(b []byte, off *int, h *DatagramHeader) error {
	data := putCmsg(b, off, unix.IPPROTO_IP, unix.IP_PKTINFO, unix.SizeofInet4Pktinfo)
	pi := (*unix.Inet4Pktinfo)(unsafe.Pointer(&data[0]))
	*pi = unix.Inet4Pktinfo{Ifindex: uint32(h.IfIndex)}
	if h.Dst.IsValid() {
		pi.Spec_dst = h.Dst.Unmap().As4()
	}
	return nil
}
