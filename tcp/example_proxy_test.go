package tcp_test

import (
	"bytes"
	"fmt"
	"io"
	"net"

	"github.com/qsock/qsock/engine"
	"github.com/qsock/qsock/socket"
	"github.com/qsock/qsock/tcp"
)

// A connect through a SOCKS5 proxy that wants a user name and password:
// the socket offers none, the proxy refuses, and the
// ProxyAuthenticationRequired slot supplies them before the socket
// retries. The proxy here is a minimal one, good for this example only.
func ExampleSocket_proxy() {
	proxy, _ := net.Listen("tcp", "127.0.0.1:0")
	defer proxy.Close()
	go serveSOCKS5(proxy, "alice", "s3cret")

	loop, _ := engine.NewLoop()
	defer loop.Close()
	s := tcp.NewSocket(loop)
	s.SetProxy(socket.NewProxy(socket.Socks5Proxy, "127.0.0.1", uint16(proxy.Addr().(*net.TCPAddr).Port), "", ""))
	s.ProxyAuthenticationRequired().Connect(func(p socket.Proxy, auth *socket.Authenticator) {
		fmt.Println("the", p.Type, "asks for credentials")
		auth.User, auth.Password = "alice", "s3cret"
	})
	s.StateChanged.Connect(func(st socket.State) {
		fmt.Println("state:", st)
		if st == socket.UnconnectedState {
			loop.Quit()
		}
	})
	s.ErrorOccurred.Connect(func(socket.SocketError) { fmt.Println("error:", s.ErrorString()) })
	s.ReadyRead.Connect(func() {
		for s.CanReadLine() {
			fmt.Printf("line: %q\n", s.ReadLine(0))
		}
	})
	s.ConnectToHost("fortune.example", 7777) // the proxy resolves the name
	loop.Run()
	// Output:
	// state: HostLookupState
	// state: ConnectingState
	// the Socks5Proxy asks for credentials
	// state: ConnectedState
	// line: "connected to fortune.example:7777\n"
	// error: The remote host closed the connection
	// state: ClosingState
	// state: UnconnectedState
}

// serveSOCKS5 is a SOCKS5 server reduced to what the example needs: it
// requires user name and password authentication (RFC 1929), accepts a
// CONNECT by name, and instead of connecting anywhere says where it would
// have connected.
func serveSOCKS5(ln net.Listener, user, password string) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		go func() {
			defer c.Close()
			b := make([]byte, 2)
			io.ReadFull(c, b) // version, number of methods
			methods := make([]byte, b[1])
			io.ReadFull(c, methods)
			if !bytes.Contains(methods, []byte{2}) {
				c.Write([]byte{5, 0xff}) // no acceptable method
				return
			}
			c.Write([]byte{5, 2})
			io.ReadFull(c, b) // version, user length
			u := make([]byte, b[1])
			io.ReadFull(c, u)
			io.ReadFull(c, b[:1])
			pw := make([]byte, b[0])
			io.ReadFull(c, pw)
			if string(u) != user || string(pw) != password {
				c.Write([]byte{1, 1})
				return
			}
			c.Write([]byte{1, 0})
			req := make([]byte, 5) // version, CONNECT, reserved, type 3 (name), length
			io.ReadFull(c, req)
			host := make([]byte, req[4]+2)
			io.ReadFull(c, host)
			port := int(host[len(host)-2])<<8 | int(host[len(host)-1])
			c.Write([]byte{5, 0, 0, 1, 127, 0, 0, 1, 0, 0})
			fmt.Fprintf(c, "connected to %s:%d\n", host[:len(host)-2], port)
		}()
	}
}
