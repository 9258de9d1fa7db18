//go:build darwin || freebsd || netbsd || openbsd

package engine

import "golang.org/x/sys/unix"

// pathMTUOption: no IP_MTU/IPV6_MTU that x/sys/unix knows here.
func pathMTUOption(bool) (level, name int, err error) {
	return 0, 0, unix.ENOPROTOOPT
}

// byteSized reports the options the BSDs take as a u_char, as Qt's engine
// special-cases them; an int there is EINVAL.
func byteSized(level, name int) bool {
	return level == unix.IPPROTO_IP && (name == unix.IP_MULTICAST_TTL || name == unix.IP_MULTICAST_LOOP)
}
