package engine

import "unsafe"

// PeerCredentials returns the process, user and group of the peer of an
// AF_UNIX socket: NetBSD's LOCAL_PEEREID fills a struct unpcbid.
func (e *NativeEngine) PeerCredentials() (pid, uid, gid int, err error) {
	const localPeereid = 3 // LOCAL_PEEREID at level 0, from <sys/un.h>
	var id struct{ pid, uid, gid int32 }
	n := uint32(unsafe.Sizeof(id))
	if err := sysGetsockoptRaw(int(e.fd), 0, localPeereid, unsafe.Pointer(&id), &n); err != nil {
		return -1, -1, -1, opErr("getsockopt", err)
	}
	return int(id.pid), int(id.uid), int(id.gid), nil
}
