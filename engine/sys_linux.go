package engine

import "golang.org/x/sys/unix"

// Linux-only thin wrappers; see sys_unix.go.

func sysSetsockoptIPMreqn(fd, level, name int, mreq *unix.IPMreqn) error {
	if err := hook(SysSetsockopt); err != nil {
		return err
	}
	return unix.SetsockoptIPMreqn(fd, level, name, mreq)
}
