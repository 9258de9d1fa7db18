package engine

import "golang.org/x/sys/unix"

// ipv4Membership uses ip_mreqn, which names the interface by index; the
// address is left empty so an interface without IPv4 still works.
func ipv4Membership(fd int, group [4]byte, ifIndex int, join bool) error {
	name := unix.IP_ADD_MEMBERSHIP
	if !join {
		name = unix.IP_DROP_MEMBERSHIP
	}
	mreq := &unix.IPMreqn{Multiaddr: group, Ifindex: int32(ifIndex)}
	return sysSetsockoptIPMreqn(fd, unix.IPPROTO_IP, name, mreq)
}

// setIPv4MulticastIf passes the index and the interface's address: the
// kernel routes by the index but reports only the address back through
// getsockopt, which MulticastInterface maps to the index again.
func setIPv4MulticastIf(fd, ifIndex int) error {
	a, err := interfaceIPv4(ifIndex)
	if err != nil {
		return err
	}
	mreq := &unix.IPMreqn{Address: a, Ifindex: int32(ifIndex)}
	return sysSetsockoptIPMreqn(fd, unix.IPPROTO_IP, unix.IP_MULTICAST_IF, mreq)
}
