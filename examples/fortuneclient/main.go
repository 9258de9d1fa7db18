// Command fortuneclient is Qt's Fortune Client example as a terminal program:
// event-driven on one engine.Loop, it connects to a fortune server, reads the
// QString the server sends with a QDataStream read transaction (so a fortune
// split over several reads is read once it is whole), and prints it. It works
// with Qt's fortuneserver and threadedfortuneserver and with the Go ones.
//
// Usage:
//
//	fortuneclient [-host localhost] -port n [-n 1]
//
// With -n it fetches several fortunes, one connection each. Like Qt's client
// it asks again, at once, when the server sends the fortune it sent last time,
// so consecutive lines always differ. On failure it prints the message Qt's
// client shows in its message box and exits with status 1.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/qsock/qsock/datastream"
	"github.com/qsock/qsock/engine"
	"github.com/qsock/qsock/examples/internal/fortune"
	"github.com/qsock/qsock/socket"
	"github.com/qsock/qsock/tcp"
)

func main() {
	fs := flag.NewFlagSet("fortuneclient", flag.ExitOnError)
	host := fs.String("host", "localhost", "fortune server host name or address")
	port := fs.Int("port", 0, "fortune server port (required)")
	n := fs.Int("n", 1, "number of fortunes to fetch")
	fortune.Usage(fs, "[-host name] -port n [-n count]",
		"Fetches fortunes from a fortune server, as Qt's Fortune Client example,\n"+
			"and prints each on its own line. A fortune equal to the previous one\n"+
			"is asked for again.")
	fs.Parse(os.Args[1:])
	p, err := fortune.CheckPort(*port, false)
	if err != nil {
		fortune.UsageError(fs, err)
	}
	if *n < 1 {
		fortune.UsageError(fs, fmt.Errorf("-n %d: need at least 1", *n))
	}

	loop, err := engine.NewLoop()
	if err != nil {
		fortune.Fail(fortune.ClientTitle, err.Error())
	}
	defer loop.Close()
	c := newClient(loop, *host, p, *n)
	loop.Post(c.requestNewFortune) // the first "Get Fortune" click
	if err := loop.Run(); err != nil {
		fortune.Fail(fortune.ClientTitle, err.Error())
	}
	if c.failure != "" {
		fortune.Fail(fortune.ClientTitle, c.failure)
	}
}

// client is Qt's Client dialog without the widgets: every method runs on
// the loop's goroutine, so its fields need no lock.
type client struct {
	loop   *engine.Loop
	host   string
	port   uint16
	want   int // fortunes still to print
	socket *tcp.Socket
	in     *datastream.Reader

	currentFortune string
	haveFortune    bool // the current connection delivered its fortune
	failure        string
}

func newClient(loop *engine.Loop, host string, port uint16, n int) *client {
	c := &client{loop: loop, host: host, port: port, want: n}
	c.socket = tcp.NewSocket(loop)
	// As in Qt: the stream is bound to the socket once and its version set;
	// the transactions use the socket's own, so a rollback leaves the bytes
	// in the socket until the rest arrives.
	c.in = datastream.NewReader(c.socket)
	c.in.SetVersion(datastream.Qt_4_0)
	c.socket.ReadyRead.Connect(c.readFortune)
	c.socket.ErrorOccurred.Connect(c.displayError)
	c.socket.Disconnected.Connect(c.disconnected)
	return c
}

// requestNewFortune is Qt's Client::requestNewFortune.
func (c *client) requestNewFortune() {
	c.socket.Abort()
	c.haveFortune = false
	c.socket.ConnectToHost(c.host, c.port)
}

// readFortune is Qt's Client::readFortune.
func (c *client) readFortune() {
	c.in.StartTransaction()
	nextFortune := c.in.ReadString()
	if !c.in.CommitTransaction() {
		return // not all of it yet: wait for the next ReadyRead
	}
	c.haveFortune = true

	if nextFortune == c.currentFortune {
		c.loop.AfterFunc(0, c.requestNewFortune) // QTimer::singleShot(0, ...)
		return
	}
	c.currentFortune = nextFortune
	fmt.Println(nextFortune)
	if c.want--; c.want == 0 {
		c.loop.Quit()
		return
	}
	c.loop.Post(c.requestNewFortune) // the next click
}

// displayError is Qt's Client::displayError; a message box ends the program.
func (c *client) displayError(code socket.SocketError) {
	if code == socket.RemoteHostClosedError {
		return // expected: the server closes after sending
	}
	c.fail(fortune.ClientError(code, c.socket.ErrorString()))
}

// disconnected catches a server that closed without sending a whole fortune,
// where Qt's dialog would simply wait for another click. Bytes that came
// with the close are still buffered, so they are tried first.
func (c *client) disconnected() {
	if c.haveFortune || c.failure != "" {
		return
	}
	if c.socket.BytesAvailable() > 0 {
		c.readFortune()
		if c.haveFortune {
			return
		}
	}
	c.fail(fortune.ClientError(socket.RemoteHostClosedError, socket.RemoteHostClosedError.Error()))
}

func (c *client) fail(msg string) {
	if c.failure == "" {
		c.failure = msg
	}
	c.loop.Quit()
}
