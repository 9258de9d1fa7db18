package engine

import "runtime"

// goid returns the current goroutine's id. The runtime does not export it;
// it is read from the stack header ("goroutine 123 [...") and used only
// where a wrong answer would deadlock: Invoke and Close called from the
// loop's own goroutine. It costs about a microsecond, never on a hot path.
func goid() int64 {
	var buf [32]byte
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
