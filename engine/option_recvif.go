//go:build freebsd || netbsd || openbsd

package engine

import "golang.org/x/sys/unix"

// ipRecvPktinfo: without IP_PKTINFO, IP_RECVDSTADDR gives the destination.
const ipRecvPktinfo = unix.IP_RECVDSTADDR

// setPktinfoCompanion adds IP_RECVIF for the arriving interface, which
// IP_RECVDSTADDR does not carry (Qt's engine does the same).
func setPktinfoCompanion(fd, v int) error {
	return ignoringEINTR(func() error { return sysSetsockoptInt(fd, unix.IPPROTO_IP, unix.IP_RECVIF, b2i(v != 0)) })
}
