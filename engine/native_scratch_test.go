package engine_test

import (
	"sync"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/qsock/qsock/engine"
)

// One reader and one writer may run at once on an engine, even when both
// are its first calls, which make its scratch space (run with -race).
func TestReaderAndWriterFirstAtOnce(t *testing.T) {
	checkLeaks(t)
	for range 50 {
		p, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM, 0)
		if err != nil {
			t.Fatal(err)
		}
		e, err := engine.AdoptNativeEngine(p[0])
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		wg.Add(2)
		go func() { defer wg.Done(); e.Readv([][]byte{make([]byte, 8), make([]byte, 8)}) }()
		go func() { defer wg.Done(); e.Writev([][]byte{[]byte("ab"), []byte("cd")}) }()
		wg.Wait()
		buf := make([]byte, 8)
		if n, err := unix.Read(p[1], buf); err != nil || string(buf[:n]) != "abcd" {
			t.Fatalf("peer read %q, %v; want \"abcd\"", buf[:n], err)
		}
		e.Close()
		unix.Close(p[1])
	}
}
