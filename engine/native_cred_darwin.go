package engine

import "golang.org/x/sys/unix"

// PeerCredentials returns the process, user and group of the peer of an
// AF_UNIX socket (LOCAL_PEERCRED, plus LOCAL_PEERPID for the process).
func (e *NativeEngine) PeerCredentials() (pid, uid, gid int, err error) {
	if err := hook(SysGetsockopt); err != nil {
		return -1, -1, -1, opErr("getsockopt", err)
	}
	cred, err := unix.GetsockoptXucred(int(e.fd), unix.SOL_LOCAL, unix.LOCAL_PEERCRED)
	if err != nil {
		return -1, -1, -1, opErr("getsockopt", err)
	}
	pid, err = unix.GetsockoptInt(int(e.fd), unix.SOL_LOCAL, unix.LOCAL_PEERPID)
	if err != nil {
		pid = -1
	}
	// cr_groups[0] is the effective group, as getpeereid reports it.
	return pid, int(cred.Uid), int(cred.Groups[0]), nil
}
