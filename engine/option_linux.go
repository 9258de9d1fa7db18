package engine

import "golang.org/x/sys/unix"

// ipRecvPktinfo asks for IP_PKTINFO, which carries destination and
// interface together.
const ipRecvPktinfo = unix.IP_PKTINFO

func pathMTUOption(v6 bool) (level, name int, err error) {
	if v6 {
		return unix.IPPROTO_IPV6, unix.IPV6_MTU, nil
	}
	return unix.IPPROTO_IP, unix.IP_MTU, nil
}

// byteSized: Linux takes an int for every option the engine sets.
func byteSized(level, name int) bool { return false }

// setPktinfoCompanion: IP_PKTINFO needs no companion on Linux.
func setPktinfoCompanion(fd, v int) error { return nil }
