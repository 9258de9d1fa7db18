package engine

import "runtime"

// goid returns the current goroutine's id. The runtime does not export it;
// it is read from the stack header ("goroutine 123 [...") and used only
// where a wrong answer would deadlock: Invoke and Close called from the
// loop's own goroutine. It costs a couple of microseconds, so a loop reads
// its driver's once per Run, or once per ProcessEvents turn that has
// something to run; never on a hot path.
func goid() int64 {
	var buf [32]byte
	return goidInto(&buf)
}

// goidInto is goid with the caller's scratch buffer, which runtime.Stack
// would otherwise make escape: a loop's driver keeps one.
func goidInto(buf *[32]byte) int64 {
	b := buf[:runtime.Stack(buf[:], false)]
	const prefix = "goroutine "
	if len(b) <= len(prefix) {
		return 0
	}
	var id int64
	for _, c := range b[len(prefix):] {
		if c < '0' || c > '9' {
			break
		}
		id = id*10 + int64(c-'0')
	}
	return id
}
