package server_test

import (
	"bufio"
	"bytes"
	"fmt"
	"log"
	"net"
	"strconv"
	"time"

	"github.com/qsock/qsock/engine"
	"github.com/qsock/qsock/server"
	"github.com/qsock/qsock/socket"
	"github.com/qsock/qsock/tcp"
)

// An event-driven server: every connection is taken in the NewConnection
// slot and answers each line in capitals.
func Example() {
	loop, err := engine.NewLoop()
	if err != nil {
		log.Fatal(err)
	}
	defer loop.Close()

	srv := server.NewTCPServer(loop)
	srv.NewConnection.Connect(func() {
		c := srv.NextPendingConnection()
		c.ReadyRead.Connect(func() {
			for c.CanReadLine() {
				c.Write(bytes.ToUpper(c.ReadLine(0)))
			}
		})
	})
	if err := srv.Listen(socket.LocalHost, 0); err != nil {
		log.Fatal(err)
	}
	addr := "127.0.0.1:" + strconv.Itoa(int(srv.ServerPort()))

	go func() { // a client, in plain Go
		defer loop.Quit()
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			log.Print(err)
			return
		}
		defer conn.Close()
		fmt.Fprintf(conn, "hello, qsock\n")
		reply, _ := bufio.NewReader(conn).ReadString('\n')
		fmt.Print(reply)
	}()
	loop.Run()
	srv.Close()
	// Output: HELLO, QSOCK
}

// A blocking-style server, as a QTcpServer in a thread without an event
// loop: WaitForNewConnection accepts, and the socket is driven with its
// own WaitFor calls.
func ExampleTCPServer_WaitForNewConnection() {
	srv := server.NewTCPServer(nil)
	if err := srv.Listen(socket.LocalHost, 0); err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	addr := "127.0.0.1:" + strconv.Itoa(int(srv.ServerPort()))
	go func() {
		conn, err := net.Dial("tcp", addr)
		if err == nil {
			conn.Write([]byte("ping"))
			conn.Close()
		}
	}()
	if ok, timedOut := srv.WaitForNewConnection(5 * time.Second); !ok {
		log.Fatalf("no client (timed out: %v)", timedOut)
	}
	c := srv.NextPendingConnection()
	defer c.Abort()
	for c.BytesAvailable() < 4 && c.WaitForReadyRead(5*time.Second) {
	}
	fmt.Printf("%s\n", c.ReadAll())
	// Output: ping
}

// Serving on several loops: each socket is made on a loop of the group,
// and the handler sets it up there, before any of its signals can fire.
func ExampleTCPServer_SetHandler() {
	loop, err := engine.NewLoop()
	if err != nil {
		log.Fatal(err)
	}
	defer loop.Close()
	group, err := engine.NewLoopGroup(2)
	if err != nil {
		log.Fatal(err)
	}
	defer group.Close()

	srv := server.NewTCPServer(loop)
	srv.SetLoopGroup(group)
	srv.SetHandler(func(c *tcp.Socket) { // runs on c.Loop(), a group loop
		c.ReadyRead.Connect(func() { c.Write(c.ReadAll()) })
		c.Disconnected.Connect(func() { c.Close() })
	})
	if err := srv.Listen(socket.LocalHost, 0); err != nil {
		log.Fatal(err)
	}
	addr := "127.0.0.1:" + strconv.Itoa(int(srv.ServerPort()))

	go func() {
		defer loop.Quit()
		for i := range 3 {
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				log.Print(err)
				return
			}
			fmt.Fprintf(conn, "echo %d\n", i)
			reply, _ := bufio.NewReader(conn).ReadString('\n')
			fmt.Print(reply)
			conn.Close()
		}
	}()
	loop.Run()
	srv.Close()
	// Output:
	// echo 0
	// echo 1
	// echo 2
}
