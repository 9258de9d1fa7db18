package engine

import "golang.org/x/sys/unix"

// PeerCredentials returns the process, user and group of the peer of an
// AF_UNIX socket, as they were when it connected (SO_PEERCRED).
func (e *NativeEngine) PeerCredentials() (pid, uid, gid int, err error) {
	if err := hook(SysGetsockopt); err != nil {
		return -1, -1, -1, opErr("getsockopt", err)
	}
	cred, err := unix.GetsockoptUcred(int(e.fd), unix.SOL_SOCKET, unix.SO_PEERCRED)
	if err != nil {
		return -1, -1, -1, opErr("getsockopt", err)
	}
	return int(cred.Pid), int(cred.Uid), int(cred.Gid), nil
}
