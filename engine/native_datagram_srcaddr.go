//go:build freebsd || openbsd

package engine

import "golang.org/x/sys/unix"

// parseIPv4Pktinfo has nothing to do: these systems answer with
// IP_RECVDSTADDR and IP_RECVIF instead.
func parseIPv4Pktinfo(int32, []byte, *DatagramHeader) {}

// putIPv4Source writes IP_SENDSRCADDR. There is no per-datagram IPv4
// interface here, so asking for one is EOPNOTSUPP rather than ignored.
func putIPv4Source(b []byte, off *int, h *DatagramHeader) error {
	if h.IfIndex != 0 {
		return unix.EOPNOTSUPP
	}
	data := putCmsg(b, off, unix.IPPROTO_IP, unix.IP_SENDSRCADDR, 4)
	a := h.Dst.Unmap().As4()
	copy(data, a[:])
	return nil
}
