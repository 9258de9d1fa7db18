//go:build darwin || freebsd || netbsd || openbsd

package engine

import "golang.org/x/sys/unix"

// BSD sockaddrs begin with their own length (sa_len).
func setLen4(sa *unix.RawSockaddrInet4) { sa.Len = unix.SizeofSockaddrInet4 }
func setLen6(sa *unix.RawSockaddrInet6) { sa.Len = unix.SizeofSockaddrInet6 }
