package bridge_test

import (
	"bufio"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"

	"github.com/qsock/qsock/bridge"
	"github.com/qsock/qsock/engine"
	"github.com/qsock/qsock/server"
	"github.com/qsock/qsock/socket"
	"github.com/qsock/qsock/tcp"
)

// runLoop starts a loop on its own goroutine; Close stops and releases it.
func runLoop() *engine.Loop {
	loop, err := engine.NewLoop()
	if err != nil {
		log.Fatal(err)
	}
	go loop.Run()
	return loop
}

// Serving net/http from a qsock TCPServer.
func ExampleNewListener() {
	loop := runLoop()
	defer loop.Close()

	srv := server.NewTCPServer(loop)
	var err error
	loop.Invoke(func() { err = srv.Listen(socket.LocalHost, 0) })
	if err != nil {
		log.Fatal(err)
	}
	ln := bridge.NewListener(srv)

	hs := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "hello, %s", r.URL.Query().Get("name"))
	})}
	go hs.Serve(ln)
	defer hs.Close() // closes the listener, and with it the server

	client := &http.Client{Transport: &http.Transport{}}
	defer client.CloseIdleConnections()
	resp, err := client.Get("http://" + ln.Addr().String() + "/?name=qsock")
	if err != nil {
		log.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Println(resp.Status, string(body))
	// Output: 200 OK hello, qsock
}

// A tcp.Socket used as a net.Conn, here against an echo server of Go's
// net.
func ExampleNewConn() {
	loop := runLoop()
	defer loop.Close()

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	defer ln.Close()
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		io.Copy(c, c)
	}()

	s := tcp.NewSocket(loop)
	port := uint16(ln.Addr().(*net.TCPAddr).Port)
	loop.Invoke(func() { s.ConnectToHost("127.0.0.1", port) })
	c := bridge.NewConn(s) // c owns s from here on
	defer c.Close()

	fmt.Fprintln(c, "ping")
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(line)
	// Output: ping
}

// An http.Client whose connections are qsock sockets.
func ExampleDialer() {
	loop := runLoop()
	defer loop.Close()

	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "served to a qsock client")
	}))
	defer ts.Close()

	tr := &http.Transport{DialContext: (&bridge.Dialer{Loop: loop}).DialContext}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr}
	resp, err := client.Get(ts.URL)
	if err != nil {
		log.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Println(string(body))
	// Output: served to a qsock client
}
