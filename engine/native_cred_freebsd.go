package engine

import "golang.org/x/sys/unix"

// PeerCredentials returns the user and group of the peer of an AF_UNIX
// socket (LOCAL_PEERCRED, getpeereid's source); pid is -1, which x/sys's
// xucred layout does not expose.
func (e *NativeEngine) PeerCredentials() (pid, uid, gid int, err error) {
	if err := hook(SysGetsockopt); err != nil {
		return -1, -1, -1, opErr("getsockopt", err)
	}
	cred, err := unix.GetsockoptXucred(int(e.fd), unix.SOL_LOCAL, unix.LOCAL_PEERCRED)
	if err != nil {
		return -1, -1, -1, opErr("getsockopt", err)
	}
	return -1, int(cred.Uid), int(cred.Groups[0]), nil
}
