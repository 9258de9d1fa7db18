package tcp_test

import (
	"fmt"
	"net"
	"time"

	"github.com/qsock/qsock/engine"
	"github.com/qsock/qsock/socket"
	"github.com/qsock/qsock/tcp"
)

// A Qt-style event-driven client: the signals drive it on the loop.
func ExampleSocket() {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	defer ln.Close()
	go func() { // a peer that greets and hangs up
		c, _ := ln.Accept()
		c.Write([]byte("hello from the peer\n"))
		c.Close()
	}()

	loop, _ := engine.NewLoop()
	defer loop.Close()
	s := tcp.NewSocket(loop)
	s.StateChanged.Connect(func(st socket.State) { fmt.Println("state:", st) })
	s.ReadyRead.Connect(func() {
		for s.CanReadLine() {
			fmt.Printf("line: %q\n", s.ReadLine(0))
		}
	})
	s.Disconnected.Connect(loop.Quit)
	s.ConnectToHost("127.0.0.1", uint16(ln.Addr().(*net.TCPAddr).Port))
	loop.Run()
	// Output:
	// state: HostLookupState
	// state: ConnectingState
	// state: ConnectedState
	// line: "hello from the peer\n"
	// state: ClosingState
	// state: UnconnectedState
}

// Blocking style, as a Qt socket in a thread without an event loop.
func ExampleSocket_blocking() {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	defer ln.Close()
	go func() {
		c, _ := ln.Accept()
		buf := make([]byte, 4)
		c.Read(buf)
		c.Write([]byte("pong"))
		c.Close()
	}()

	s := tcp.NewSocket(nil)
	s.ConnectToHost("127.0.0.1", uint16(ln.Addr().(*net.TCPAddr).Port))
	if !s.WaitForConnected(5 * time.Second) {
		fmt.Println(s.ErrorString())
		return
	}
	s.Write([]byte("ping"))
	s.WaitForBytesWritten(5 * time.Second)
	if s.WaitForReadyRead(5 * time.Second) {
		fmt.Printf("%s\n", s.ReadAll())
	}
	s.WaitForDisconnected(5 * time.Second)
	fmt.Println(s.State(), s.Error())
	// Output:
	// pong
	// UnconnectedState The remote host closed the connection
}
