package engine

import "golang.org/x/sys/unix"

// ipRecvPktinfo: darwin has IP_PKTINFO (destination and interface), which
// Qt prefers where defined.
const ipRecvPktinfo = unix.IP_PKTINFO

// setPktinfoCompanion: IP_PKTINFO needs no companion.
func setPktinfoCompanion(fd, v int) error { return nil }
