package local_test

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/qsock/qsock/engine"
	"github.com/qsock/qsock/local"
	"github.com/qsock/qsock/socket"
)

func TestServerDefaults(t *testing.T) {
	srv := local.NewServer(nil)
	if srv.IsListening() || srv.MaxPendingConnections() != 30 || srv.ListenBacklogSize() != 50 ||
		srv.ServerError() != socket.UnknownSocketError || srv.ErrorString() != "" || srv.SocketDescriptor() != -1 ||
		srv.ServerName() != "" || srv.FullServerName() != "" || srv.SocketOptions() != local.NoOptions ||
		srv.HasPendingConnections() || srv.NextPendingConnection() != nil {
		t.Fatal("server defaults differ from Qt's")
	}
	if ok, timedOut := srv.WaitForNewConnection(10 * time.Millisecond); ok || timedOut {
		t.Fatalf("WaitForNewConnection while not listening: %v %v", ok, timedOut)
	}
	srv.Close() // harmless
}

// A stale socket file (a killed server's) makes Listen fail with
// AddressInUseError and is left alone until RemoveServer.
func TestStaleFileAndRemoveServer(t *testing.T) {
	dir := tmpdir(t)
	e, err := engine.NewNativeEngine(unix.AF_UNIX, unix.SOCK_STREAM)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.BindPath(dir + "/stale"); err != nil {
		t.Fatal(err)
	}
	e.Close()
	for _, opts := range []local.SocketOptions{local.NoOptions, local.WorldAccessOption} {
		srv := local.NewServer(nil)
		srv.SetSocketOptions(opts)
		err := srv.Listen("stale")
		if !errors.Is(err, socket.AddressInUseError) || srv.ServerError() != socket.AddressInUseError ||
			srv.ErrorString() != "QLocalServer::listen: Address in use" || srv.IsListening() {
			t.Fatalf("%v: Listen over a stale file: %v, %v %q", opts, err, srv.ServerError(), srv.ErrorString())
		}
		if fi, err := os.Lstat(dir + "/stale"); err != nil || fi.Mode()&os.ModeSocket == 0 {
			t.Fatalf("%v: the stale file was touched: %v", opts, err)
		}
	}
	if err := local.RemoveServer("stale"); err != nil {
		t.Fatal(err)
	}
	if err := local.RemoveServer("stale"); err != nil {
		t.Fatalf("RemoveServer of a missing file: %v", err)
	}
	srv := listen(t, "stale")
	if srv.ServerError() != socket.UnknownSocketError {
		t.Logf("error after a good Listen: %v %q (Qt keeps the old one too)", srv.ServerError(), srv.ErrorString())
	}
	// Not a socket: refused, kept.
	os.WriteFile(dir+"/plain", []byte("data"), 0o644)
	if err := local.RemoveServer("plain"); err == nil {
		t.Fatal("RemoveServer removed a regular file")
	}
	if _, err := os.Stat(dir + "/plain"); err != nil {
		t.Fatal(err)
	}
}

func TestCloseRemovesItsFile(t *testing.T) {
	dir := tmpdir(t)
	srv := local.NewServer(nil)
	if err := srv.Listen("mine"); err != nil {
		t.Fatal(err)
	}
	if err := srv.Listen("mine"); !errors.Is(err, socket.OperationError) || srv.ServerError() != socket.UnknownSocketError {
		t.Fatalf("second Listen: %v (ServerError %v)", err, srv.ServerError())
	}
	srv.Close()
	if _, err := os.Lstat(dir + "/mine"); !os.IsNotExist(err) {
		t.Fatalf("file after Close: %v", err)
	}
	if srv.IsListening() || srv.ServerName() != "" || srv.FullServerName() != "" || srv.SocketDescriptor() != -1 {
		t.Fatal("Close left the server listening or named")
	}
	// A file put in its place by someone else is not ours to remove.
	if err := srv.Listen("mine"); err != nil {
		t.Fatal(err)
	}
	os.Remove(dir + "/mine")
	other := listen(t, "mine")
	srv.Close()
	if _, err := os.Lstat(dir + "/mine"); err != nil {
		t.Fatalf("Close removed another server's file: %v", err)
	}
	c := local.NewSocket(nil)
	c.ConnectToServer("mine")
	if c.State() != local.ConnectedState {
		t.Fatalf("other server unreachable: %v", c.ErrorString())
	}
	accept(t, other)
	c.Abort()
	if err := srv.Listen("again"); err != nil {
		t.Fatalf("Listen after Close: %v", err)
	}
	srv.Close()
}

// The access options give the file exactly the mode asked for, whatever
// the umask, and leave no temporary directory behind.
func TestAccessOptionModes(t *testing.T) {
	dir := tmpdir(t)
	old := unix.Umask(0o022)
	defer unix.Umask(old)
	for _, c := range []struct {
		opts local.SocketOptions
		mode os.FileMode
	}{
		{local.NoOptions, 0o755}, // the umask's
		{local.UserAccessOption, 0o700},
		{local.GroupAccessOption, 0o070},
		{local.OtherAccessOption, 0o007},
		{local.UserAccessOption | local.GroupAccessOption, 0o770},
		{local.WorldAccessOption, 0o777},
	} {
		srv := local.NewServer(nil)
		srv.SetSocketOptions(c.opts)
		if err := srv.Listen("m"); err != nil {
			t.Fatalf("%v: %v", c.opts, err)
		}
		fi, err := os.Lstat(dir + "/m")
		if err != nil || fi.Mode()&os.ModeSocket == 0 || fi.Mode().Perm() != c.mode {
			t.Errorf("%v: mode %v, %v; want %v", c.opts, fi.Mode(), err, c.mode)
		}
		cl := local.NewSocket(nil)
		cl.ConnectToServer("m")
		if cl.State() != local.ConnectedState {
			t.Errorf("%v: connect: %v", c.opts, cl.ErrorString())
		}
		cl.Abort()
		srv.Close()
		if ents, _ := os.ReadDir(dir); len(ents) != 0 {
			t.Fatalf("%v: left behind: %v", c.opts, ents)
		}
	}
}

func TestMaxPendingConnections(t *testing.T) {
	tmpdir(t)
	loop := newLoop(t)
	srv := local.NewServer(loop)
	var news int
	loop.Invoke(func() {
		srv.SetMaxPendingConnections(2)
		srv.NewConnection.Connect(func() { news++ })
		if err := srv.Listen("pend"); err != nil {
			t.Fatal(err)
		}
	})
	defer loop.Invoke(srv.Close)
	var clients []*local.Socket
	for range 5 {
		c := local.NewSocket(nil)
		c.ConnectToServer("pend")
		if c.State() != local.ConnectedState {
			t.Fatalf("client: %v %s", c.State(), c.ErrorString())
		}
		clients = append(clients, c)
		defer c.Abort()
	}
	until(t, loop, "2 pending", func() bool { return news == 2 })
	time.Sleep(30 * time.Millisecond)
	loop.Invoke(func() {
		if news != 2 {
			t.Fatalf("accepted %d past the limit of 2", news)
		}
		if srv.NextPendingConnection() == nil {
			t.Fatal("nothing pending")
		}
	})
	until(t, loop, "the third accepted", func() bool { return news == 3 })
}

// With the pending limit reached and the kernel backlog full, a client
// stays Connecting (EAGAIN) until there is room; WaitForConnected drives
// it, where Qt would give up after 100 ms.
func TestBacklogFullRetries(t *testing.T) {
	tmpdir(t)
	srv := local.NewServer(nil)
	srv.SetMaxPendingConnections(1)
	srv.SetListenBacklogSize(1)
	if err := srv.Listen("full"); err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	var waiting *local.Socket
	for i := 0; i < 10 && waiting == nil; i++ {
		c := local.NewSocket(nil)
		ev := record(c)
		c.ConnectToServer("full")
		defer c.Abort()
		if c.State() == local.ConnectingState {
			ev.Check(t, "backlog full", "state:ConnectingState")
			waiting = c
		}
	}
	if waiting == nil {
		t.Skip("the kernel queued every connect: no EAGAIN to test")
	}
	if waiting.WaitForConnected(30 * time.Millisecond) {
		t.Fatal("connected while the backlog is full")
	}
	if waiting.State() != local.ConnectingState {
		t.Fatalf("a timed-out WaitForConnected left %v, Qt stays Connecting", waiting.State())
	}
	done := make(chan bool)
	go func() { done <- waiting.WaitForConnected(10 * time.Second) }()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		srv.WaitForNewConnection(20 * time.Millisecond)
		for srv.NextPendingConnection() != nil {
		}
		select {
		case ok := <-done:
			if !ok {
				t.Fatalf("WaitForConnected: %v", waiting.ErrorString())
			}
			return
		default:
		}
	}
	t.Fatal("the waiting client never connected")
}

func TestListenDescriptor(t *testing.T) {
	dir := tmpdir(t)
	e, err := engine.NewNativeEngine(unix.AF_UNIX, unix.SOCK_STREAM)
	if err != nil {
		t.Fatal(err)
	}
	e.BindPath(dir + "/inherited")
	e.Listen(5)
	srv := local.NewServer(nil)
	if err := srv.ListenDescriptor(e.FD()); err != nil {
		t.Fatal(err)
	}
	if srv.FullServerName() != dir+"/inherited" || srv.ServerName() != "inherited" || srv.SocketDescriptor() != e.FD() {
		t.Fatalf("names %q %q", srv.ServerName(), srv.FullServerName())
	}
	c := local.NewSocket(nil)
	c.ConnectToServer("inherited")
	accept(t, srv)
	c.Abort()
	srv.Close()
	if _, err := os.Lstat(dir + "/inherited"); err != nil {
		t.Fatalf("Close removed a file it did not make: %v", err)
	}
	// Not a listening Unix socket: refused, still the caller's.
	tcp, _ := engine.NewNativeEngine(unix.AF_INET, unix.SOCK_STREAM)
	defer tcp.Close()
	if err := srv.ListenDescriptor(tcp.FD()); err == nil || srv.IsListening() {
		t.Fatal("adopted a TCP socket")
	}
}

func TestWaitForNewConnection(t *testing.T) {
	tmpdir(t)
	srv := listen(t, "wait")
	start := time.Now()
	if ok, timedOut := srv.WaitForNewConnection(50 * time.Millisecond); ok || !timedOut || time.Since(start) < 40*time.Millisecond {
		t.Fatalf("with nobody: %v %v after %v", ok, timedOut, time.Since(start))
	}
	var news int
	srv.NewConnection.Connect(func() { news++ })
	a, b := local.NewSocket(nil), local.NewSocket(nil)
	a.ConnectToServer("wait")
	b.ConnectToServer("wait")
	defer a.Abort()
	defer b.Abort()
	// One connection per call, as QLocalServer's.
	if ok, timedOut := srv.WaitForNewConnection(5 * time.Second); !ok || timedOut || news != 1 {
		t.Fatalf("first: %v %v, %d new", ok, timedOut, news)
	}
	if ok, _ := srv.WaitForNewConnection(5 * time.Second); !ok || news != 2 {
		t.Fatalf("second: %d new", news)
	}
	for srv.NextPendingConnection() != nil {
	}
}

// Serving across a LoopGroup, as server.TCPServer does.
func TestServerLoopGroup(t *testing.T) {
	tmpdir(t)
	loop := newLoop(t)
	group, err := engine.NewLoopGroup(2)
	if err != nil {
		t.Fatal(err)
	}
	defer group.Close()
	srv := local.NewServer(loop)
	loop.Invoke(func() {
		srv.SetLoopGroup(group)
		srv.SetHandler(func(c *local.Socket) {
			c.ReadyRead.Connect(func() { c.Write(c.ReadAll()) })
		})
		if err := srv.Listen("group"); err != nil {
			t.Fatal(err)
		}
	})
	defer loop.Invoke(srv.Close)
	for i := range 8 {
		c := local.NewSocket(nil)
		c.ConnectToServer("group")
		msg := strings.Repeat("x", i+1)
		c.WriteString(msg)
		var got []byte
		for len(got) < len(msg) && c.WaitForReadyRead(5*time.Second) {
			got = append(got, c.ReadAll()...)
		}
		if string(got) != msg {
			t.Fatalf("echo %d: %q", i, got)
		}
		c.Abort()
	}
	// Queued (no handler): NewConnection once the socket exists.
	srv2 := local.NewServer(loop)
	var q *local.Socket
	loop.Invoke(func() {
		srv2.SetLoopGroup(group)
		srv2.NewConnection.Connect(func() { q = srv2.NextPendingConnection() })
		if err := srv2.Listen("group2"); err != nil {
			t.Fatal(err)
		}
	})
	defer loop.Invoke(srv2.Close)
	c := local.NewSocket(nil)
	c.ConnectToServer("group2")
	defer c.Abort()
	until(t, loop, "queued socket", func() bool { return q != nil })
	if q.Loop() == loop || q.FullServerName() != srv2.FullServerName() {
		t.Fatalf("socket on %p (server %p), name %q", q.Loop(), loop, q.FullServerName())
	}
	q.Loop().Invoke(q.Abort)
}
