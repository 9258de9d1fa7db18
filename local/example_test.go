package local_test

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/qsock/qsock/engine"
	"github.com/qsock/qsock/local"
)

// A server and a client on one loop: the server sends a greeting to each
// client and disconnects; the client prints it.
func Example() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	name := filepath.Join(dir, "greeter")

	loop, _ := engine.NewLoop()
	defer loop.Close()

	srv := local.NewServer(loop)
	srv.NewConnection.Connect(func() {
		c := srv.NextPendingConnection()
		c.WriteString("hello from the server\n")
		c.DisconnectFromServer()
	})
	if err := srv.Listen(name); err != nil {
		fmt.Println(srv.ErrorString())
		return
	}
	defer srv.Close()

	client := local.NewSocket(loop)
	client.ReadyRead.Connect(func() {
		if client.CanReadLine() {
			fmt.Print(string(client.ReadLine(0)))
		}
	})
	client.Disconnected.Connect(loop.Quit)
	client.ConnectToServer(name) // connected when it returns, as Qt on Unix
	fmt.Println("state:", client.State())
	loop.Run()
	// Output:
	// state: ConnectedState
	// hello from the server
}

// Blocking style, as a QLocalSocket in a thread without an event loop.
func ExampleSocket_WaitForReadyRead() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	name := filepath.Join(dir, "blocking")

	srv := local.NewServer(nil)
	srv.Listen(name)
	defer srv.Close()

	client := local.NewSocket(nil)
	client.ConnectToServer(name)
	client.WriteString("ping")
	client.Flush()

	srv.WaitForNewConnection(time.Second)
	peer := srv.NextPendingConnection()
	peer.WaitForReadyRead(time.Second)
	fmt.Printf("server got %q\n", peer.ReadAll())
	peer.Abort()
	client.Abort()
	// Output: server got "ping"
}

// A stale socket file, left by a server that was killed, blocks Listen
// until RemoveServer.
func ExampleRemoveServer() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	name := filepath.Join(dir, "daemon")

	// A server killed before it could clean up leaves its file.
	killed, _ := net.Listen("unix", name)
	killed.(*net.UnixListener).SetUnlinkOnClose(false)
	killed.Close()

	srv := local.NewServer(nil)
	if err := srv.Listen(name); err != nil {
		fmt.Println(srv.ErrorString())
		local.RemoveServer(name)
	}
	if err := srv.Listen(name); err == nil {
		fmt.Println("listening on", filepath.Base(srv.FullServerName()))
	}
	srv.Close()
	// Output:
	// QLocalServer::listen: Address in use
	// listening on daemon
}

// The peer's credentials: whom a daemon is talking to.
func ExampleSocket_PeerCredentials() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	name := filepath.Join(dir, "cred")
	srv := local.NewServer(nil)
	srv.Listen(name)
	defer srv.Close()
	client := local.NewSocket(nil)
	client.ConnectToServer(name)
	defer client.Abort()
	srv.WaitForNewConnection(time.Second)
	peer := srv.NextPendingConnection()
	defer peer.Abort()
	cred, err := peer.PeerCredentials()
	fmt.Println(err == nil && cred.UID == os.Geteuid() && cred.PID == os.Getpid())
	// Output: true
}
