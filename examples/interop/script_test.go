package interop

import (
	"net"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// closeEarly in a script makes the scripted server close a connection
// without sending anything.
const closeEarly = -1

// scriptedServer is a fortune server whose fortunes are fixed in advance,
// to test what the clients do with repeats, split fortunes and early closes.
type scriptedServer struct {
	port  uint16
	conns atomic.Int32 // connections accepted so far
}

// startScripted serves connection i with the fortune script[i] (an index
// into fortune.Fortunes, or closeEarly); later connections get the last
// entry. With split, each fortune is sent in two parts 50 ms apart, so a
// client must wait for the rest (its read transaction rolls back).
func startScripted(t *testing.T, script []int, split bool) *scriptedServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &scriptedServer{port: uint16(ln.Addr().(*net.TCPAddr).Port)}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			i := int(s.conns.Add(1)) - 1
			k := script[min(i, len(script)-1)]
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				if k == closeEarly {
					return
				}
				b := qstring(fortuneText(k))
				if split {
					c.Write(b[:3])
					time.Sleep(50 * time.Millisecond)
					b = b[3:]
				}
				c.Write(b)
			}()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		wg.Wait()
	})
	return s
}

func (s *scriptedServer) portArg() string { return strconv.Itoa(int(s.port)) }
