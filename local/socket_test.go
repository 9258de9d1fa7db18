package local_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/qsock/qsock/engine"
	"github.com/qsock/qsock/local"
	"github.com/qsock/qsock/socket"
)

func TestSocketDefaults(t *testing.T) {
	s := local.NewSocket(nil)
	if s.State() != local.UnconnectedState || s.Error() != local.UnknownSocketError ||
		s.ServerName() != "" || s.FullServerName() != "" || s.SocketDescriptor() != -1 ||
		s.SocketOptions() != local.NoOptions || s.IsOpen() || s.ReadBufferSize() != 0 {
		t.Fatalf("defaults: state %v error %v name %q full %q fd %d options %v open %v rbuf %d",
			s.State(), s.Error(), s.ServerName(), s.FullServerName(), s.SocketDescriptor(),
			s.SocketOptions(), s.IsOpen(), s.ReadBufferSize())
	}
	// QLocalSocket's states and errors have QAbstractSocket's numbers.
	for _, c := range []struct {
		got, want int
	}{
		{int(local.UnconnectedState), 0}, {int(local.ConnectingState), 2}, {int(local.ConnectedState), 3}, {int(local.ClosingState), 6},
		{int(local.ConnectionRefusedError), 0}, {int(local.PeerClosedError), 1}, {int(local.ServerNotFoundError), 2},
		{int(local.SocketAccessError), 3}, {int(local.SocketResourceError), 4}, {int(local.SocketTimeoutError), 5},
		{int(local.DatagramTooLargeError), 6}, {int(local.ConnectionError), 7}, {int(local.UnsupportedSocketOperationError), 10},
		{int(local.OperationError), 19}, {int(local.UnknownSocketError), -1},
		{int(local.UserAccessOption), 1}, {int(local.GroupAccessOption), 2}, {int(local.OtherAccessOption), 4},
		{int(local.WorldAccessOption), 7}, {int(local.AbstractNamespaceOption), 8},
	} {
		if c.got != c.want {
			t.Errorf("value %d, want Qt's %d", c.got, c.want)
		}
	}
	if got := local.ErrorName(local.PeerClosedError); got != "PeerClosedError" {
		t.Errorf("ErrorName(PeerClosedError) = %q", got)
	}
	if got := (local.UserAccessOption | local.AbstractNamespaceOption).String(); got != "UserAccessOption|AbstractNamespaceOption" {
		t.Errorf("String = %q", got)
	}
}

// Qt on Unix: connectToServer is over when it returns, with
// stateChanged(Connecting), stateChanged(Connected), connected().
func TestConnectSequence(t *testing.T) {
	dir := tmpdir(t)
	srv := listen(t, "seq")
	c := local.NewSocket(nil)
	ev := record(c)
	c.ConnectToServer("seq")
	ev.Check(t, "connect", "state:ConnectingState", "state:ConnectedState", "connected")
	if c.ServerName() != "seq" || c.FullServerName() != dir+"/seq" || c.OpenMode() != socket.ReadWrite || c.SocketDescriptor() < 0 {
		t.Fatalf("connected: name %q full %q mode %v fd %d", c.ServerName(), c.FullServerName(), c.OpenMode(), c.SocketDescriptor())
	}
	if srv.FullServerName() != dir+"/seq" || srv.ServerName() != "seq" {
		t.Fatalf("server names %q %q", srv.ServerName(), srv.FullServerName())
	}
	p := accept(t, srv)
	// Qt 6's describeSocket: the accepted socket reports the server's path.
	if p.FullServerName() != dir+"/seq" || p.ServerName() != "seq" || p.State() != local.ConnectedState {
		t.Fatalf("accepted: %q %q %v", p.ServerName(), p.FullServerName(), p.State())
	}
	ev.Reset()
	c.DisconnectFromServer()
	ev.Check(t, "disconnect", "state:ClosingState", "state:UnconnectedState", "readChannelFinished", "disconnected")
	// Qt clears both names when the socket becomes Unconnected.
	if c.ServerName() != "" || c.FullServerName() != "" {
		t.Fatalf("after disconnect: name %q full %q", c.ServerName(), c.FullServerName())
	}
	// ConnectToServer("") uses ServerName().
	c.SetServerName("seq")
	ev.Reset()
	c.ConnectToServer("")
	ev.Check(t, "reconnect by ServerName", "state:ConnectingState", "state:ConnectedState", "connected")
	c.Abort()
}

func TestServerNotFound(t *testing.T) {
	tmpdir(t)
	c := local.NewSocket(nil)
	ev := record(c)
	var stateInSlot socket.State
	var nameInSlot string
	c.ErrorOccurred.Connect(func(socket.SocketError) { stateInSlot, nameInSlot = c.State(), c.ServerName() })
	c.ConnectToServer("nobody")
	ev.Check(t, "not found", "state:ConnectingState", "error:ServerNotFoundError", "state:UnconnectedState")
	if c.ErrorString() != "QLocalSocket::connectToServer: Invalid name" {
		t.Errorf("ErrorString = %q", c.ErrorString())
	}
	if nameInSlot != "nobody" {
		t.Errorf("ServerName in the error slot = %q (state %v)", nameInSlot, stateInSlot)
	}
	if c.SocketDescriptor() != -1 || c.IsOpen() || c.ServerName() != "" || c.FullServerName() != "" {
		t.Errorf("after: fd %d open %v name %q full %q", c.SocketDescriptor(), c.IsOpen(), c.ServerName(), c.FullServerName())
	}
	if !errors.Is(c.LastError(), local.ServerNotFoundError) || !errors.Is(c.LastError(), unix.ENOENT) {
		t.Errorf("LastError = %v", c.LastError())
	}
}

func TestNameErrors(t *testing.T) {
	tmpdir(t)
	for _, name := range []string{"", strings.Repeat("x", 200), "/" + strings.Repeat("y", 120)} {
		c := local.NewSocket(nil)
		ev := record(c)
		c.ConnectToServer(name)
		ev.Check(t, "client "+name, "state:ConnectingState", "error:ServerNotFoundError", "state:UnconnectedState")
		if c.ErrorString() != "QLocalSocket::connectToServer: Invalid name" {
			t.Errorf("client %q: ErrorString %q", name, c.ErrorString())
		}
		srv := local.NewServer(nil)
		err := srv.Listen(name)
		if !errors.Is(err, socket.HostNotFoundError) || srv.ServerError() != socket.HostNotFoundError ||
			srv.ErrorString() != "QLocalServer::listen: Name error" || srv.IsListening() {
			t.Errorf("server %q: %v, %v %q", name, err, srv.ServerError(), srv.ErrorString())
		}
	}
}

// A socket file nobody listens on: ECONNREFUSED, ConnectionRefusedError.
func TestConnectionRefused(t *testing.T) {
	dir := tmpdir(t)
	e, err := engine.NewNativeEngine(unix.AF_UNIX, unix.SOCK_STREAM)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.BindPath(dir + "/dead"); err != nil {
		t.Fatal(err)
	}
	e.Close()
	c := local.NewSocket(nil)
	ev := record(c)
	c.ConnectToServer("dead")
	ev.Check(t, "refused", "state:ConnectingState", "error:ConnectionRefusedError", "state:UnconnectedState")
	if c.ErrorString() != "QLocalSocket::connectToServer: Connection refused" {
		t.Errorf("ErrorString = %q", c.ErrorString())
	}
}

func TestAccessDenied(t *testing.T) {
	dir := tmpdir(t)
	listen(t, "private")
	check := func(what string) {
		t.Helper()
		c := local.NewSocket(nil)
		ev := record(c)
		c.ConnectToServer("private")
		ev.Check(t, what, "state:ConnectingState", "error:SocketAccessError", "state:UnconnectedState")
		if c.ErrorString() != "QLocalSocket::connectToServer: Socket access error" {
			t.Errorf("%s: ErrorString %q", what, c.ErrorString())
		}
	}
	// The kernel's EACCES through the engine's fault seam: root passes
	// every permission check, so this is the case that always runs.
	restore := engine.InjectFault(engine.SysConnect, unix.EACCES, 1)
	check("injected EACCES")
	restore()
	if os.Geteuid() == 0 {
		t.Log("running as root, which ignores file modes: only the injected EACCES was tested")
		return
	}
	if err := os.Chmod(dir+"/private", 0); err != nil {
		t.Fatal(err)
	}
	check("mode 000")
}

func TestPathResolution(t *testing.T) {
	dir := tmpdir(t)
	t.Setenv("TMPDIR", dir+"/") // QDir::tempPath() has no trailing slash
	srv := listen(t, "p")
	if srv.FullServerName() != dir+"/p" {
		t.Fatalf("FullServerName %q", srv.FullServerName())
	}
	if _, err := os.Stat(dir + "/p"); err != nil {
		t.Fatal(err)
	}
	abs := filepath.Join(t.TempDir(), "abs")
	srv2 := listen(t, abs)
	if srv2.FullServerName() != abs || srv2.ServerName() != abs {
		t.Fatalf("absolute: %q %q", srv2.ServerName(), srv2.FullServerName())
	}
	c := local.NewSocket(nil)
	c.ConnectToServer(abs)
	if c.State() != local.ConnectedState || c.FullServerName() != abs {
		t.Fatalf("absolute connect: %v %q", c.State(), c.FullServerName())
	}
	if a := accept(t, srv2); a.ServerName() != "abs" {
		t.Errorf("accepted ServerName %q, want the last element", a.ServerName())
	}
	c.Abort()
	// Moving TMPDIR moves the name.
	t.Setenv("TMPDIR", t.TempDir())
	c.ConnectToServer("p")
	if c.State() != local.UnconnectedState || c.Error() != local.ServerNotFoundError {
		t.Fatalf("after moving TMPDIR: %v %v", c.State(), c.Error())
	}
}

// The remote close: readyRead → errorOccurred(PeerClosedError) → Closing →
// Unconnected → readChannelFinished → disconnected, data still readable.
func TestRemoteClose(t *testing.T) {
	tmpdir(t)
	srv := listen(t, "rc")
	c := local.NewSocket(nil)
	c.ConnectToServer("rc")
	p := accept(t, srv)
	ev := record(c)
	c.ReadyRead.Connect(func() { ev.Add("readyRead") })
	p.WriteString("bye")
	p.DisconnectFromServer()
	if p.State() != local.UnconnectedState && !p.WaitForDisconnected(5*time.Second) {
		t.Fatalf("server side did not disconnect: %v", p.State())
	}
	for c.State() != local.UnconnectedState {
		if !c.WaitForReadyRead(5*time.Second) && c.State() != local.UnconnectedState {
			t.Fatalf("WaitForReadyRead: %v %v", c.State(), c.ErrorString())
		}
	}
	ev.Check(t, "remote close", "readyRead", "error:PeerClosedError", "state:ClosingState",
		"state:UnconnectedState", "readChannelFinished", "disconnected")
	if c.ErrorString() != "QLocalSocket: Remote closed" {
		t.Errorf("ErrorString %q", c.ErrorString())
	}
	if got := string(c.ReadAll()); got != "bye" {
		t.Errorf("buffered after the close: %q", got)
	}
}

func TestAbort(t *testing.T) {
	tmpdir(t)
	srv := listen(t, "ab")
	c := local.NewSocket(nil)
	c.ConnectToServer("ab")
	p := accept(t, srv)
	ev := record(c)
	c.WriteString("never sent")
	c.Abort()
	ev.Check(t, "abort", "aboutToClose", "state:UnconnectedState", "readChannelFinished", "disconnected")
	if c.BytesToWrite() != 0 || c.SocketDescriptor() != -1 || c.IsOpen() {
		t.Fatalf("after abort: toWrite %d fd %d open %v", c.BytesToWrite(), c.SocketDescriptor(), c.IsOpen())
	}
	pe := record(p)
	p.WaitForReadyRead(5 * time.Second)
	if p.State() != local.UnconnectedState || p.Error() != local.PeerClosedError {
		t.Fatalf("peer after abort: %v %v %v", p.State(), p.Error(), pe.Log)
	}
	if p.BytesAvailable() != 0 {
		t.Fatalf("peer got %q", p.ReadAll())
	}
}

// DisconnectFromServer with 10 MiB queued delivers every byte, then
// Closing → Unconnected → readChannelFinished → disconnected.
func TestDelayedDisconnectDeliversEverything(t *testing.T) {
	tmpdir(t)
	loop := newLoop(t)
	srv := listen(t, "big")
	const size = 10 << 20
	payload := bytes.Repeat([]byte("0123456789abcdef"), size/16)
	c := local.NewSocket(loop)
	var ev *events
	var written int64
	loop.Invoke(func() {
		ev = record(c)
		c.BytesWritten.Connect(func(n int64) { written += n })
		c.ConnectToServer("big")
		c.Write(payload)
		c.DisconnectFromServer()
		if c.State() != local.ClosingState {
			t.Errorf("state after DisconnectFromServer: %v", c.State())
		}
	})
	p := accept(t, srv)
	var got bytes.Buffer
	for p.State() == local.ConnectedState {
		p.WaitForReadyRead(10 * time.Second)
		got.Write(p.ReadAll())
	}
	got.Write(p.ReadAll())
	if got.Len() != size || !bytes.Equal(got.Bytes(), payload) {
		t.Fatalf("received %d bytes, want %d intact", got.Len(), size)
	}
	until(t, loop, "client Unconnected", func() bool { return c.State() == local.UnconnectedState })
	loop.Invoke(func() {
		ev.Check(t, "delayed disconnect", "state:ConnectingState", "state:ConnectedState", "connected",
			"state:ClosingState", "state:UnconnectedState", "readChannelFinished", "disconnected")
		if written != size {
			t.Errorf("BytesWritten total %d", written)
		}
	})
}

func TestReadBufferBound(t *testing.T) {
	tmpdir(t)
	loop := newLoop(t)
	srv := local.NewServer(loop)
	const limit = 4096
	var p *local.Socket
	loop.Invoke(func() {
		srv.NewConnection.Connect(func() {
			p = srv.NextPendingConnection()
			p.SetReadBufferSize(limit)
		})
		if err := srv.Listen("rb"); err != nil {
			t.Fatal(err)
		}
	})
	defer loop.Invoke(srv.Close)
	c := local.NewSocket(nil)
	c.ConnectToServer("rb")
	defer c.Abort()
	payload := bytes.Repeat([]byte{'z'}, 1<<20)
	c.Write(payload)
	c.Flush()
	until(t, loop, "buffer full", func() bool { return p != nil && p.BytesAvailable() == limit })
	time.Sleep(20 * time.Millisecond)
	var got int
	loop.Invoke(func() {
		if n := p.BytesAvailable(); n > limit {
			t.Errorf("buffer grew to %d past its limit %d", n, limit)
		}
		got += len(p.ReadAll())
	})
	flushed := make(chan struct{})
	go func() {
		defer close(flushed)
		for c.BytesToWrite() > 0 && c.WaitForBytesWritten(5*time.Second) {
		}
	}()
	defer func() { <-flushed }()
	until(t, loop, "all bytes", func() bool {
		if p.BytesAvailable() > limit {
			t.Errorf("buffer %d past its limit", p.BytesAvailable())
		}
		got += len(p.ReadAll())
		return got == len(payload)
	})
}

func TestTransactions(t *testing.T) {
	tmpdir(t)
	srv := listen(t, "tx")
	c := local.NewSocket(nil)
	c.ConnectToServer("tx")
	p := accept(t, srv)
	c.WriteString("abcdef")
	c.Flush()
	for p.BytesAvailable() < 6 && p.WaitForReadyRead(5*time.Second) {
	}
	p.StartTransaction()
	if got := string(p.ReadN(4)); got != "abcd" {
		t.Fatalf("read %q", got)
	}
	p.RollbackTransaction()
	if got := string(p.ReadAll()); got != "abcdef" {
		t.Fatalf("after rollback %q", got)
	}
}

func TestPeerCredentials(t *testing.T) {
	tmpdir(t)
	srv := listen(t, "cred")
	c := local.NewSocket(nil)
	c.ConnectToServer("cred")
	defer c.Abort()
	p := accept(t, srv)
	want := local.Credentials{PID: os.Getpid(), UID: os.Geteuid(), GID: os.Getegid()}
	for _, s := range []*local.Socket{c, p} {
		got, err := s.PeerCredentials()
		if err != nil || got != want {
			t.Fatalf("PeerCredentials = %+v, %v; want %+v", got, err, want)
		}
	}
	c.Abort()
	if _, err := c.PeerCredentials(); !errors.Is(err, local.OperationError) {
		t.Fatalf("unconnected PeerCredentials: %v", err)
	}
}

func TestSetSocketDescriptor(t *testing.T) {
	fds, err := engine.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM)
	if err != nil {
		t.Fatal(err)
	}
	a, b := local.NewSocket(nil), local.NewSocket(nil)
	ev := record(a)
	if err := a.SetSocketDescriptor(fds[0], local.ConnectedState); err != nil {
		t.Fatal(err)
	}
	if err := b.SetSocketDescriptor(fds[1], local.ConnectedState); err != nil {
		t.Fatal(err)
	}
	defer a.Abort()
	defer b.Abort()
	ev.Check(t, "adopt", "state:ConnectedState") // no connected(), as Qt
	a.WriteString("ping")
	a.Flush()
	if !b.WaitForReadyRead(5*time.Second) || string(b.ReadAll()) != "ping" {
		t.Fatal("no data over the adopted pair")
	}
	if err := local.NewSocket(nil).SetSocketDescriptor(-1, local.ConnectedState); !errors.Is(err, local.UnsupportedSocketOperationError) {
		t.Fatalf("bad descriptor: %v", err)
	}
}

// Calls in the wrong state give clear errors and change nothing.
func TestWrongState(t *testing.T) {
	tmpdir(t)
	srv := listen(t, "ws")
	c := local.NewSocket(nil)
	if n, err := c.WriteString("x"); n != 0 || !errors.Is(err, socket.ErrNotOpen) {
		t.Errorf("Write unconnected: %d %v", n, err)
	}
	if c.WaitForReadyRead(10*time.Millisecond) || c.WaitForConnected(10*time.Millisecond) ||
		c.WaitForDisconnected(10*time.Millisecond) || c.WaitForBytesWritten(10*time.Millisecond) {
		t.Error("a WaitFor* on an unconnected socket returned true")
	}
	c.DisconnectFromServer()
	c.Abort()
	c.Close()
	c.ConnectToServer("ws")
	accept(t, srv)
	ev := record(c)
	c.ConnectToServer("ws")
	ev.Check(t, "connect while connected", "error:OperationError")
	if c.State() != local.ConnectedState ||
		c.ErrorString() != "QLocalSocket::connectToserver: Operation not permitted when socket is in this state" {
		t.Errorf("after: %v %q", c.State(), c.ErrorString())
	}
	c.SetServerName("other")
	if c.ServerName() != "ws" {
		t.Errorf("SetServerName while connected changed it to %q", c.ServerName())
	}
	ev.Reset()
	c.ConnectToHost("localhost", 80)
	if err := c.Bind(socket.AnyIPv4, 0, socket.DefaultForPlatform); !errors.Is(err, local.OperationError) {
		t.Errorf("Bind: %v", err)
	}
	ev.Check(t, "host calls", "error:OperationError", "error:OperationError")
	if c.State() != local.ConnectedState {
		t.Errorf("state %v", c.State())
	}
	c.Abort()
}

// QLocalSocket::open(mode) is connectToServer(mode) to serverName(), and
// reports isOpen(); the mode is the device's.
func TestOpenMode(t *testing.T) {
	tmpdir(t)
	listen(t, "open")
	c := local.NewSocket(nil)
	c.SetServerName("open")
	if !c.Open(socket.ReadOnly) || c.State() != local.ConnectedState || c.OpenMode() != socket.ReadOnly {
		t.Fatalf("Open(ReadOnly): %v, mode %v", c.State(), c.OpenMode())
	}
	if _, err := c.Write([]byte("x")); !errors.Is(err, socket.ErrNotOpen) {
		t.Errorf("Write on a ReadOnly socket = %v, want ErrNotOpen", err)
	}
	c.Abort()
	d := local.NewSocket(nil)
	d.SetServerName("nobody-listens-here")
	if d.Open(socket.ReadWrite) || d.IsOpen() {
		t.Errorf("Open with no server = true or left open")
	}
}
