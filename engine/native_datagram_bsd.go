//go:build darwin || freebsd || netbsd || openbsd

package engine

import (
	"net/netip"
	"unsafe"

	"golang.org/x/sys/unix"
)

// fionread is FIONREAD, _IOR('f', 127, int) on every BSD; x/sys/unix
// does not export it for them.
const fionread = 0x4004667f

// parseIPv4Cmsg reads the BSD answers to IP_RECVDSTADDR (the destination),
// IP_RECVIF (a sockaddr_dl naming the interface) and IP_RECVTTL (one byte),
// plus IP_PKTINFO where the system has it.
func parseIPv4Cmsg(typ int32, data []byte, h *DatagramHeader) {
	switch typ {
	case unix.IP_RECVDSTADDR:
		if len(data) >= 4 {
			h.Dst = netip.AddrFrom4([4]byte(data[:4]))
		}
	case unix.IP_RECVIF:
		if len(data) >= 4 {
			h.IfIndex = int((*unix.RawSockaddrDatalink)(unsafe.Pointer(&data[0])).Index)
		}
	case unix.IP_RECVTTL:
		if len(data) >= 1 {
			h.HopLimit = int(data[0])
		}
	default:
		parseIPv4Pktinfo(typ, data, h)
	}
}

// putIPv4Control writes IP_TTL, as Qt does, and the source address in
// whatever form the system takes (putIPv4Source).
func putIPv4Control(b []byte, h *DatagramHeader) (int, error) {
	off := 0
	if h.HopLimit > 0 {
		data := putCmsg(b, &off, unix.IPPROTO_IP, unix.IP_TTL, 4)
		*(*int32)(unsafe.Pointer(&data[0])) = int32(h.HopLimit)
	}
	if h.IfIndex != 0 || h.Dst.IsValid() {
		if err := putIPv4Source(b, &off, h); err != nil {
			return 0, err
		}
	}
	return off, nil
}

// PendingDatagramSize returns the size of the next datagram without
// consuming it. A zero-byte MSG_PEEK tells whether one is queued (so an
// empty datagram is 0, nothing queued ErrWouldBlock); FIONREAD gives the
// size, which on some BSDs counts every queued datagram — as Qt's own
// fallback there does.
func (e *NativeEngine) PendingDatagramSize() (int, error) {
	s := e.rs()
	s.setIov1(nil)
	_, err := ignoringEINTRIO(func() (int, error) {
		return sysRecvmsg(int(e.fd), &s.msg, unix.MSG_PEEK)
	})
	s.clear()
	if err != nil {
		return 0, wrapErr("recvmsg", err)
	}
	return e.BytesAvailable()
}
