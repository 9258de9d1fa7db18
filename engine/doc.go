// Package engine is qsock's platform layer: everything that touches the
// operating system, and nothing that knows about Qt's state machines.
//
// It has three parts:
//
//   - NativeEngine, Qt's QNativeSocketEngine: one non-blocking,
//     close-on-exec socket descriptor and the system calls on it (socket,
//     bind, listen, accept4, connect, read/write, readv/writev,
//     sendmsg/recvmsg with control messages, socket options, multicast,
//     poll), over golang.org/x/sys/unix. Writes never raise SIGPIPE;
//     EINTR never escapes; a drained descriptor reports ErrWouldBlock; every
//     other failure is an *OpError naming the call.
//   - The poller (epoll on Linux, kqueue on darwin and the BSDs) and Loop,
//     Qt's event dispatcher: notifiers, timers, posted functions and
//     wake-ups; LoopGroup runs one loop per core.
//   - The fault-injection seam (InjectFault): every system call the engine
//     makes passes one switch where a test can make it fail with a chosen
//     errno, as Go's internal/socktest does for package net.
//
// On Linux a loop batches through io_uring where the kernel allows it:
// when a wait reports several readable sockets, the loop reads for every
// BatchReader among them in one io_uring_enter before dispatching, and at
// the end of the turn it sends for every BatchWriter in one more. Every
// request is non-blocking and completes inside the call, so nothing
// outlives it; without io_uring (other systems, old kernels, seccomp) the
// same handlers get one read(2) or send(2) each. Readiness itself always
// comes from epoll or kqueue.
//
// The system calls live in thin wrappers (sys*.go) with no policy; retrying,
// error mapping and Qt's semantics sit one layer above (native*.go), so the
// seam is a single place. The operating systems are split by file suffix
// and build tags, never by runtime.GOOS.
package engine
