package engine

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// PeerCredentials returns the process, user and group of the peer of an
// AF_UNIX socket: OpenBSD's SO_PEERCRED fills a struct sockpeercred.
func (e *NativeEngine) PeerCredentials() (pid, uid, gid int, err error) {
	var cred struct{ uid, gid, pid int32 }
	n := uint32(unsafe.Sizeof(cred))
	if err := sysGetsockoptRaw(int(e.fd), unix.SOL_SOCKET, unix.SO_PEERCRED, unsafe.Pointer(&cred), &n); err != nil {
		return -1, -1, -1, opErr("getsockopt", err)
	}
	return int(cred.pid), int(cred.uid), int(cred.gid), nil
}
