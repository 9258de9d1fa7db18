// Command localfortuneclient is Qt's Local Fortune Client example
// (corelib/ipc/localfortuneclient) as a terminal program: event-driven on
// one engine.Loop, it connects to a local fortune server, reads a quint32
// character count and then the fortune QString (QDataStream Qt_5_10), and
// prints the fortune. It works with Qt's localfortuneserver and the Go one.
//
// Usage:
//
//	localfortuneclient [-name fortune] [-n 1]
//
// With -n it fetches several fortunes, one connection each. Like Qt's
// client it asks again, at once, when the server sends the fortune it sent
// last time, so consecutive lines always differ. On failure it prints the
// message Qt's client shows in its message box and exits with status 1.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/qsock/qsock/datastream"
	"github.com/qsock/qsock/engine"
	"github.com/qsock/qsock/examples/internal/fortune"
	"github.com/qsock/qsock/local"
	"github.com/qsock/qsock/socket"
)

// title is the window title Qt's example shows, which prefixes its errors.
const title = "Local Fortune Client"

func main() {
	fs := flag.NewFlagSet("localfortuneclient", flag.ExitOnError)
	name := fs.String("name", "fortune", "server name: a file in $TMPDIR (or /tmp), or an absolute path")
	n := fs.Int("n", 1, "number of fortunes to fetch")
	fortune.Usage(fs, "[-name fortune] [-n count]",
		"Fetches fortunes from a local fortune server, as Qt's Local Fortune Client\n"+
			"example, and prints each on its own line. A fortune equal to the previous\n"+
			"one is asked for again.")
	fs.Parse(os.Args[1:])
	if *name == "" {
		fortune.UsageError(fs, fmt.Errorf("-name must not be empty"))
	}
	if *n < 1 {
		fortune.UsageError(fs, fmt.Errorf("-n %d: need at least 1", *n))
	}
	if fs.NArg() > 0 {
		fortune.UsageError(fs, fmt.Errorf("unexpected argument %q", fs.Arg(0)))
	}

	loop, err := engine.NewLoop()
	if err != nil {
		fortune.Fail(title, err.Error())
	}
	defer loop.Close()
	c := newClient(loop, *name, *n)
	loop.Post(c.requestNewFortune) // the first "Get Fortune" click
	if err := loop.Run(); err != nil {
		fortune.Fail(title, err.Error())
	}
	if c.failure != "" {
		fortune.Fail(title, c.failure)
	}
}

// client is Qt's Client dialog without the widgets: every method runs on
// the loop's goroutine, so its fields need no lock.
type client struct {
	loop   *engine.Loop
	name   string
	want   int // fortunes still to print
	socket *local.Socket
	in     *datastream.Reader

	blockSize      uint32
	currentFortune string
	haveFortune    bool // the current connection delivered its fortune
	failure        string
}

func newClient(loop *engine.Loop, name string, n int) *client {
	c := &client{loop: loop, name: name, want: n}
	c.socket = local.NewSocket(loop)
	c.in = datastream.NewReader(c.socket)
	c.in.SetVersion(datastream.Qt_5_10)
	c.socket.ReadyRead.Connect(c.readFortune)
	c.socket.ErrorOccurred.Connect(c.displayError)
	c.socket.Disconnected.Connect(c.disconnected)
	return c
}

// requestNewFortune is Qt's Client::requestNewFortune.
func (c *client) requestNewFortune() {
	c.blockSize = 0
	c.socket.Abort() // may emit Disconnected for the last connection
	c.haveFortune = false
	c.socket.ConnectToServer(c.name)
}

// readFortune is Qt's Client::readFortune: the quint32 character count,
// then the QString. Qt compares the count of characters with the bytes
// available, which a QString split over two reads could fool; the string
// is read in a transaction here, so a partial one waits for the rest.
func (c *client) readFortune() {
	if c.haveFortune {
		return
	}
	if c.blockSize == 0 {
		if c.socket.BytesAvailable() < 4 {
			return
		}
		c.blockSize = c.in.ReadUint32()
	}
	if c.socket.BytesAvailable() < int64(c.blockSize) || c.in.AtEnd() {
		return
	}
	c.in.StartTransaction()
	nextFortune := c.in.ReadString()
	if !c.in.CommitTransaction() {
		return
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

// displayError is Qt's Client::displayError; a message box ends the
// program.
func (c *client) displayError(code socket.SocketError) {
	switch code {
	case local.ServerNotFoundError:
		c.fail("The host was not found. Please make sure that the server is running and that the server name is correct.")
	case local.ConnectionRefusedError:
		c.fail("The connection was refused by the peer. Make sure the fortune server is running, and check that the server name is correct.")
	case local.PeerClosedError:
	default:
		c.fail(fmt.Sprintf("The following error occurred: %s.", c.socket.ErrorString()))
	}
}

// disconnected catches a server that closed without sending a whole
// fortune, where Qt's dialog would wait for another click. Bytes that came
// with the close are still buffered, so they are tried first.
func (c *client) disconnected() {
	if c.haveFortune || c.failure != "" {
		return
	}
	c.readFortune()
	if !c.haveFortune {
		c.fail("The server closed the connection before sending a whole fortune.")
	}
}

func (c *client) fail(msg string) {
	if c.failure == "" {
		c.failure = msg
	}
	c.loop.Quit()
}
