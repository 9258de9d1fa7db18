package server_test

import (
	"net"
	"os"
	"sync"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/qsock/qsock/server"
	"github.com/qsock/qsock/socket"
)

// A real EMFILE, from RLIMIT_NOFILE rather than the fault seam: the server
// reports it, backs off without spinning, and serves everyone once
// descriptors are available again.
func TestAcceptRealEMFILE(t *testing.T) {
	loop := newLoop(t)
	srv, port := listen(t, loop, socket.LocalHost)
	errs := 0
	do(loop, func() {
		srv.SetMaxPendingConnections(100)
		srv.PauseAccepting()
		srv.AcceptError.Connect(func(e socket.SocketError) {
			if e == socket.SocketResourceError {
				errs++
			}
		})
	})
	const clients = 3
	for range clients {
		dial(t, "127.0.0.1", port) // into the kernel backlog
	}

	var old unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_NOFILE, &old); err != nil {
		t.Skip(err)
	}
	// The lowest free descriptor number: from it on, every new
	// descriptor fails with EMFILE.
	f, err := os.Open("/dev/null")
	if err != nil {
		t.Fatal(err)
	}
	lowest := f.Fd()
	f.Close()
	low := old
	low.Cur = uint64(lowest)
	if err := unix.Setrlimit(unix.RLIMIT_NOFILE, &low); err != nil {
		t.Skipf("cannot lower RLIMIT_NOFILE: %v", err)
	}
	restored := false
	restore := func() {
		if !restored {
			restored = true
			unix.Setrlimit(unix.RLIMIT_NOFILE, &old)
		}
	}
	defer restore()

	var before, readyBefore int
	do(loop, func() {
		before, readyBefore = srv.AcceptStats()
		srv.ResumeAccepting()
	})
	time.Sleep(200 * time.Millisecond)
	var during, readyDuring, gotErrs int
	do(loop, func() { during, readyDuring = srv.AcceptStats(); gotErrs = errs })
	restore()
	if gotErrs == 0 {
		t.Fatal("no AcceptError(SocketResourceError) while out of descriptors")
	}
	// 10+20+40+80 ms fit in 200 ms: about 5 attempts, not thousands.
	if n, r := during-before, readyDuring-readyBefore; n > 8 || r > 8 {
		t.Errorf("%d accept calls in %d wake-ups in 200 ms out of descriptors: spinning", n, r)
	}
	taken := 0
	until(t, loop, "every client after the limit was raised", func() bool {
		for srv.HasPendingConnections() {
			srv.NextPendingConnection().Abort()
			taken++
		}
		return taken == clients
	})
}

// Far more clients than one turn accepts: all are served, none lost.
func TestManyClients(t *testing.T) {
	loop := newLoop(t)
	srv := server.NewTCPServer(loop)
	const clients = 300
	var port uint16
	accepted := 0
	do(loop, func() {
		srv.SetMaxPendingConnections(clients)
		srv.SetListenBacklogSize(clients)
		srv.NewConnection.Connect(func() { accepted++ })
		srv.SetHandler(echo)
		if err := srv.Listen(socket.LocalHost, 0); err != nil {
			t.Fatal(err)
		}
		port = srv.ServerPort()
	})
	defer do(loop, srv.Close)
	var wg sync.WaitGroup
	for i := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := net.Dial("tcp", "127.0.0.1:"+itoa(port))
			if err != nil {
				t.Error(err)
				return
			}
			defer c.Close()
			roundTrip(t, c, "client "+itoa(uint16(i)))
		}()
	}
	wg.Wait()
	until(t, loop, "all accepted", func() bool { return accepted == clients })
}
