package engine

import "golang.org/x/sys/unix"

// Linux sockaddrs carry no length byte; the BSDs' do (sockaddr_bsd.go).
func setLen4(*unix.RawSockaddrInet4) {}
func setLen6(*unix.RawSockaddrInet6) {}
