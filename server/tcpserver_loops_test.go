package server_test

import (
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/qsock/qsock/engine"
	"github.com/qsock/qsock/server"
	"github.com/qsock/qsock/socket"
	"github.com/qsock/qsock/tcp"
)

func newGroup(t *testing.T, n int) *engine.LoopGroup {
	t.Helper()
	g, err := engine.NewLoopGroup(n)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { g.Close() })
	return g
}

// With a LoopGroup and a handler, each socket is made on a worker loop
// and the handler runs there, on that loop's goroutine.
func TestLoopGroupHandler(t *testing.T) {
	loop := newLoop(t)
	g := newGroup(t, 3)
	srv, port := listen(t, loop, socket.LocalHost)
	var mu sync.Mutex
	perLoop := map[*engine.Loop]int{}
	var bad atomic.Int32
	news := 0
	do(loop, func() {
		srv.SetLoopGroup(g)
		srv.SetHandler(func(c *tcp.Socket) {
			if !c.Loop().InLoop() || c.Loop() == loop || c.State() != socket.ConnectedState {
				bad.Add(1)
			}
			mu.Lock()
			perLoop[c.Loop()]++
			mu.Unlock()
			c.ReadyRead.Connect(func() {
				if !c.Loop().InLoop() {
					bad.Add(1)
				}
				c.Write(c.ReadAll())
			})
		})
		srv.NewConnection.Connect(func() {
			news++
			if srv.NextPendingConnection() != nil {
				bad.Add(1) // the handler took it
			}
		})
	})
	for i := range 6 {
		roundTrip(t, dial(t, "127.0.0.1", port), "worker "+itoa(uint16(i)))
	}
	until(t, loop, "6 newConnection", func() bool { return news == 6 })
	if bad.Load() != 0 {
		t.Errorf("%d callbacks off their socket's loop, or sockets queued", bad.Load())
	}
	mu.Lock()
	defer mu.Unlock()
	if len(perLoop) != 3 {
		t.Errorf("sockets spread over %d loops, want 3: %v", len(perLoop), perLoop)
	}
}

// With a LoopGroup and no handler, the socket is queued on the server's
// loop and newConnection fires once it is: NextPendingConnection in the
// slot finds a socket that belongs to a worker loop.
func TestLoopGroupQueued(t *testing.T) {
	loop := newLoop(t)
	g := newGroup(t, 2)
	srv, port := listen(t, loop, socket.LocalHost)
	var log []string
	var taken []*tcp.Socket
	do(loop, func() {
		srv.SetLoopGroup(g)
		record(srv, &log)
		srv.NewConnection.Connect(func() {
			c := srv.NextPendingConnection()
			if c == nil {
				log = append(log, "nil")
				return
			}
			taken = append(taken, c)
			c.Loop().Post(func() { echo(c) })
		})
	})
	conn := dial(t, "127.0.0.1", port)
	until(t, loop, "newConnection", func() bool { return len(taken) == 1 })
	do(loop, func() {
		if taken[0].Loop() == loop || (taken[0].Loop() != g.Loop(0) && taken[0].Loop() != g.Loop(1)) {
			t.Error("the queued socket is not on a group loop")
		}
		want := []string{"pendingConnectionAvailable", "newConnection"}
		if len(log) != 2 || log[0] != want[0] || log[1] != want[1] {
			t.Errorf("signals %v, want %v", log, want)
		}
	})
	roundTrip(t, conn, "queued on a worker")
	// An untaken worker socket is aborted on its own loop by Close.
	do(loop, func() { srv.NewConnection.DisconnectAll() })
	untaken := dial(t, "127.0.0.1", port)
	until(t, loop, "pending", srv.HasPendingConnections)
	do(loop, srv.Close)
	expectClosed(t, untaken)
}

// A blocking-style server with a group: WaitForNewConnection waits for
// the worker to make the socket.
func TestLoopGroupBlockingServer(t *testing.T) {
	g := newGroup(t, 2)
	srv, port := listen(t, nil, socket.LocalHost)
	srv.SetLoopGroup(g)
	conn := dial(t, "127.0.0.1", port)
	if ok, _ := srv.WaitForNewConnection(5 * time.Second); !ok {
		t.Fatal("no connection")
	}
	c := srv.NextPendingConnection()
	if c == nil || c.Loop() == nil {
		t.Fatalf("socket %v not on a worker loop", c)
	}
	c.Loop().Invoke(func() { echo(c) })
	roundTrip(t, conn, "blocking server, worker socket")
	c.Loop().Invoke(c.Abort)
}

// EMFILE on accept: acceptError(SocketResourceError) per failure, a
// back-off instead of a busy loop, and service resumes by itself.
func TestAcceptEMFILE(t *testing.T) {
	loop := newLoop(t)
	srv, port := listen(t, loop, socket.LocalHost)
	var log []string
	do(loop, func() {
		record(srv, &log)
		srv.SetHandler(echo)
	})
	restore := engine.InjectFault(engine.SysAccept, unix.EMFILE, 3)
	defer restore()
	start := time.Now()
	conn := dial(t, "127.0.0.1", port)
	roundTrip(t, conn, "after EMFILE") // served once the back-off is over
	elapsed := time.Since(start)
	var calls, ready int
	do(loop, func() {
		calls, ready = srv.AcceptStats()
		want := []string{"acceptError:SocketResourceError", "acceptError:SocketResourceError",
			"acceptError:SocketResourceError", "newConnection"}
		if len(log) != len(want) {
			t.Errorf("signals %v, want %v", log, want)
		} else {
			for i := range want {
				if log[i] != want[i] {
					t.Errorf("signals %v, want %v", log, want)
					break
				}
			}
		}
		if srv.ServerError() != socket.SocketResourceError || !srv.IsListening() {
			t.Errorf("ServerError %v, listening %v", srv.ServerError(), srv.IsListening())
		}
	})
	if elapsed < 70*time.Millisecond {
		t.Errorf("served after %v: the 10+20+40 ms back-off was cut short", elapsed)
	}
	// Three failures, the success, the EAGAIN that ends the batch.
	if calls > 8 || ready > 8 {
		t.Errorf("%d accept calls in %d wake-ups during a 70 ms back-off: spinning", calls, ready)
	}
	// And it keeps serving.
	roundTrip(t, dial(t, "127.0.0.1", port), "later")
}

// Taking a pending connection during a back-off does not resume
// accepting before the back-off ends.
func TestNextPendingDuringBackoff(t *testing.T) {
	loop := newLoop(t)
	srv, port := listen(t, loop, socket.LocalHost)
	dial(t, "127.0.0.1", port)
	until(t, loop, "first", srv.HasPendingConnections)
	restore := engine.InjectFault(engine.SysAccept, unix.EMFILE, -1)
	errs := 0
	do(loop, func() { srv.AcceptError.Connect(func(socket.SocketError) { errs++ }) })
	dial(t, "127.0.0.1", port)
	until(t, loop, "acceptError", func() bool { return errs > 0 })
	var before, readyBefore int
	do(loop, func() {
		before, readyBefore = srv.AcceptStats()
		srv.NextPendingConnection().Abort()
		srv.ResumeAccepting()
	})
	// Still failing: within 300 ms the back-off allows about 5 attempts
	// (10, 20, 40, 80, 160 ms), a resumed notifier thousands.
	time.Sleep(300 * time.Millisecond)
	var after, readyAfter int
	do(loop, func() { after, readyAfter = srv.AcceptStats() })
	if after-before > 8 || readyAfter-readyBefore > 8 {
		t.Errorf("%d accept calls in %d wake-ups in 300 ms of EMFILE", after-before, readyAfter-readyBefore)
	}
	restore()
	until(t, loop, "the second connection", srv.HasPendingConnections)
}

// No descriptor or goroutine is left behind by 1,000 accept/close cycles.
func TestNoLeaks(t *testing.T) {
	loop := newLoop(t)
	srv := server.NewTCPServer(loop)
	conns := make(chan net.Conn, 1)
	warm := func() {
		var port uint16
		do(loop, func() {
			if err := srv.Listen(socket.LocalHost, 0); err != nil {
				t.Fatal(err)
			}
			port = srv.ServerPort()
		})
		c, err := net.Dial("tcp", "127.0.0.1:"+itoa(port))
		if err != nil {
			t.Fatal(err)
		}
		conns <- c
	}
	cycle := func(i int) {
		warm()
		c := <-conns
		var got *tcp.Socket
		until(t, loop, "pending", func() bool {
			got = srv.NextPendingConnection()
			return got != nil
		})
		do(loop, func() {
			if i%2 == 0 {
				got.Abort() // taken and closed
			} else {
				srv.AddPendingConnection(got) // left for Close to drop
			}
			srv.Close()
		})
		if i%2 == 1 {
			expectClosed(t, c) // dropped by Close, not by the client leaving
		}
		c.Close()
	}
	cycle(0)
	cycle(1)
	fds, gs := openFDs(t), settle(0)
	for i := range 1000 {
		cycle(i)
	}
	if n := openFDs(t); n > fds {
		t.Errorf("descriptors: %d before, %d after 1000 cycles", fds, n)
	}
	if n := settle(gs); n > gs {
		t.Errorf("goroutines: %d before, %d after 1000 cycles", gs, n)
	}
}

// Loop.Close releases a server still listening on it, and its pending
// sockets; calls afterwards are harmless.
func TestLoopCloseReleasesServer(t *testing.T) {
	before := openFDs(t)
	loop, err := engine.NewLoop()
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { defer close(done); loop.Run() }()
	srv := server.NewTCPServer(loop)
	var port uint16
	loop.Invoke(func() {
		if err := srv.Listen(socket.LocalHost, 0); err != nil {
			t.Fatal(err)
		}
		port = srv.ServerPort()
	})
	conn := dial(t, "127.0.0.1", port)
	until(t, loop, "pending", srv.HasPendingConnections)
	loop.Close()
	<-done
	if srv.IsListening() || srv.HasPendingConnections() || srv.SocketDescriptor() != -1 {
		t.Error("server still listening after Loop.Close")
	}
	expectClosed(t, conn)
	conn.Close()
	srv.Close()
	srv.PauseAccepting()
	srv.ResumeAccepting()
	if err := srv.Listen(socket.LocalHost, 0); err == nil {
		t.Error("Listen on a closed loop succeeded")
		srv.Close()
	}
	if n := openFDs(t); n > before {
		t.Errorf("descriptors: %d before, %d after Loop.Close", before, n)
	}
}
