//go:build darwin || freebsd || netbsd || openbsd

package engine

import "golang.org/x/sys/unix"

// ipv4Membership uses the portable ip_mreq, which names the interface by
// its first IPv4 address, as Qt's engine does outside Linux.
func ipv4Membership(fd int, group [4]byte, ifIndex int, join bool) error {
	name := unix.IP_ADD_MEMBERSHIP
	if !join {
		name = unix.IP_DROP_MEMBERSHIP
	}
	a, err := interfaceIPv4(ifIndex)
	if err != nil {
		return err
	}
	mreq := &unix.IPMreq{Multiaddr: group, Interface: a}
	return sysSetsockoptIPMreq(fd, unix.IPPROTO_IP, name, mreq)
}

// setIPv4MulticastIf sets IP_MULTICAST_IF to the interface's address.
func setIPv4MulticastIf(fd, ifIndex int) error {
	a, err := interfaceIPv4(ifIndex)
	if err != nil {
		return err
	}
	return sysSetsockoptInet4Addr(fd, unix.IPPROTO_IP, unix.IP_MULTICAST_IF, a)
}
