package engine

import (
	"strconv"
	"sync"
	"sync/atomic"

	"golang.org/x/sys/unix"
)

// Syscall names a kind of system call the engine makes, for InjectFault.
// Go's internal/socktest is the model: tests anywhere can make the real
// call fail with a chosen errno without a fake socket.
type Syscall int

// The system calls that can be made to fail. Write and Writev are the
// logical operations (both are sendmsg underneath on most systems), so a
// test can target stream writes without touching datagram sends.
const (
	SysSocket Syscall = iota
	SysBind
	SysListen
	SysAccept
	SysConnect
	SysRead
	SysWrite
	SysReadv
	SysWritev
	SysSendmsg
	SysRecvmsg
	SysSetsockopt
	SysGetsockopt
	SysClose
	SysShutdown
	SysPoll
	numSyscalls
)

var syscallNames = [numSyscalls]string{
	"socket", "bind", "listen", "accept", "connect", "read", "write", "readv",
	"writev", "sendmsg", "recvmsg", "setsockopt", "getsockopt", "close",
	"shutdown", "poll",
}

// String returns the system call's name, such as "accept".
func (c Syscall) String() string {
	if c >= 0 && c < numSyscalls {
		return syscallNames[c]
	}
	return "Syscall(" + strconv.Itoa(int(c)) + ")"
}

// fault is one installed failure: the next count calls fail with errno
// (count < 0: every call until restored).
type fault struct {
	errno unix.Errno
	count int
}

// The fault table is the package's only mutable global, by necessity: the
// seam must reach engines created deep inside other packages' code.
// faultsInstalled is the fast path: while it is zero, hook is one atomic load.
var (
	faultsInstalled atomic.Int32
	faultMu         sync.Mutex
	faults          [numSyscalls][]*fault // newest last; guarded by faultMu
)

// InjectFault makes the next count calls of kind call fail with errno
// before reaching the kernel (count < 0: every call until restore). Faults
// for the same call stack: the newest is consumed first. The returned
// restore removes this fault if it is still installed; it may be called
// more than once. Safe for concurrent use.
func InjectFault(call Syscall, errno unix.Errno, count int) (restore func()) {
	if call < 0 || call >= numSyscalls || count == 0 {
		return func() {}
	}
	f := &fault{errno: errno, count: count}
	faultMu.Lock()
	faults[call] = append(faults[call], f)
	faultsInstalled.Add(1)
	faultMu.Unlock()
	return func() {
		faultMu.Lock()
		removeFault(call, f)
		faultMu.Unlock()
	}
}

// removeFault drops f from the table; the caller holds faultMu.
func removeFault(call Syscall, f *fault) {
	list := faults[call]
	for i, g := range list {
		if g == f {
			faults[call] = append(list[:i:i], list[i+1:]...)
			faultsInstalled.Add(-1)
			return
		}
	}
}

// hook is the seam every system call wrapper passes through first: it
// returns the injected errno, or nil to let the real call run.
func hook(call Syscall) error {
	if faultsInstalled.Load() == 0 {
		return nil
	}
	faultMu.Lock()
	defer faultMu.Unlock()
	list := faults[call]
	if len(list) == 0 {
		return nil
	}
	f := list[len(list)-1]
	if f.count > 0 {
		f.count--
		if f.count == 0 {
			removeFault(call, f)
		}
	}
	return f.errno
}
