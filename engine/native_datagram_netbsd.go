package engine

import "golang.org/x/sys/unix"

// parseIPv4Pktinfo has nothing to do: NetBSD answers with IP_RECVDSTADDR
// and IP_RECVIF.
func parseIPv4Pktinfo(int32, []byte, *DatagramHeader) {}

// putIPv4Source: x/sys/unix knows no IPv4 source-address control message
// for NetBSD, so asking for one is EOPNOTSUPP rather than ignored.
func putIPv4Source([]byte, *int, *DatagramHeader) error { return unix.EOPNOTSUPP }
