package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/qsock/qsock/engine"
	"github.com/qsock/qsock/socket"
	"github.com/qsock/qsock/sslsock"
)

// quietTime is how long the server must stay silent, after the input
// ended, before the client closes.
const quietTime = 500 * time.Millisecond

type options struct {
	host         string
	port         uint16
	caFile       string
	ignoreErrors bool
}

func parse(args []string, stderr io.Writer) (o options, code int, ok bool) {
	fs := flag.NewFlagSet("securesocketclient", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.host, "host", "localhost", "host name or address of the server")
	port := fs.Int("port", 443, "port of the server (1..65535)")
	fs.StringVar(&o.caFile, "ca", "", "trust the CA certificates in this PEM `file` instead of the system's")
	fs.BoolVar(&o.ignoreErrors, "ignore-errors", false, "go on despite certificate errors, without asking")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: securesocketclient [-host name] [-port n] [-ca file] [-ignore-errors]\n\n"+
			"Connects over TLS as Qt's Secure Socket Client example does, shows the\n"+
			"session and the server's certificate chain, then sends each line of\n"+
			"standard input and prints what comes back.\n\nflags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return o, 0, false
		}
		return o, 2, false
	}
	if *port < 1 || *port > 65535 || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "securesocketclient: -port must be 1..65535, and there are no arguments")
		fs.Usage()
		return o, 2, false
	}
	o.port = uint16(*port)
	return o, 0, true
}

// client is the program's state; all of it lives on the loop's goroutine.
type client struct {
	o         options
	loop      *engine.Loop
	s         *sslsock.Socket
	out, errw io.Writer
	asking    bool     // the SSL errors question waits for its answer
	lines     []string // input read before the session was encrypted
	inputDone bool
	encrypted bool
	failed    bool
	quiet     *engine.Timer
}

// run is the program: it returns the exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	o, code, ok := parse(args, stderr)
	if !ok {
		return code
	}
	cfg := sslsock.DefaultConfiguration()
	if o.caFile != "" {
		cas, err := readCAs(o.caFile)
		if err != nil {
			fmt.Fprintf(stderr, "Connection error: %v\n", err)
			return 1
		}
		cfg.CACertificates = cas
	}
	loop, err := engine.NewLoop()
	if err != nil {
		fmt.Fprintf(stderr, "Connection error: %v\n", err)
		return 1
	}
	defer loop.Close()
	c := &client{o: o, loop: loop, s: sslsock.NewSocket(loop), out: stdout, errw: stderr}
	c.s.SetSSLConfiguration(cfg)
	if !o.ignoreErrors {
		// The handshake waits while the user decides (Qt's dialog is modal).
		c.s.SetPauseMode(socket.PauseOnSSLErrors)
	}
	c.s.Encrypted.Connect(c.socketEncrypted)
	c.s.SSLErrors.Connect(c.sslErrors)
	c.s.ReadyRead.Connect(c.socketReadyRead)
	c.s.ErrorOccurred.Connect(c.socketError)
	c.s.StateChanged.Connect(func(st socket.State) {
		if st == socket.UnconnectedState {
			loop.Quit()
		}
	})
	fmt.Fprintf(stdout, "Connecting to %s:%d...\n", o.host, o.port)
	c.s.ConnectToHostEncrypted(o.host, o.port)

	go func() {
		sc := bufio.NewScanner(stdin)
		for sc.Scan() {
			line := sc.Text()
			if !loop.TryPost(func() { c.inputLine(line) }) {
				return
			}
		}
		loop.TryPost(c.inputEnded)
	}()
	if c.s.State() != socket.UnconnectedState {
		loop.Run()
	}
	if c.failed || !c.encrypted {
		return 1
	}
	return 0
}

// socketEncrypted is Qt's SslClient::socketEncrypted: show the session.
func (c *client) socketEncrypted() {
	c.encrypted = true
	printSession(c.out, c.s)
	for _, line := range c.lines {
		c.s.Write([]byte(line + "\n"))
	}
	c.lines = nil
	c.armQuiet()
}

// sslErrors is Qt's SslClient::sslErrors: list the problems, then go on
// only if the user says so. The answer is the next line of input.
func (c *client) sslErrors(errs []sslsock.Error) {
	printErrors(c.out, errs)
	if c.o.ignoreErrors {
		fmt.Fprintln(c.out, "Ignoring them (-ignore-errors).")
		c.s.IgnoreSSLErrors()
		return
	}
	fmt.Fprint(c.out, "Ignore these errors and continue? [y/N] ")
	if len(c.lines) > 0 {
		answer := c.lines[0]
		c.lines = c.lines[1:]
		fmt.Fprintln(c.out, answer)
		if yes(answer) {
			c.s.IgnoreSSLErrors() // from the slot: no pause
			return
		}
		c.loop.Post(c.s.Resume) // the handshake pauses after this slot
		return
	}
	if c.inputDone {
		fmt.Fprintln(c.out)
		c.loop.Post(c.s.Resume)
		return
	}
	c.asking = true
}

func yes(answer string) bool {
	a := strings.ToLower(strings.TrimSpace(answer))
	return a == "y" || a == "yes"
}

// inputLine is one line of standard input: the answer to the question,
// or a line for the server, held until the session is encrypted (the
// question may still need it).
func (c *client) inputLine(line string) {
	switch {
	case c.asking:
		c.asking = false
		if yes(line) {
			c.s.IgnoreSSLErrors()
		}
		c.s.Resume()
	case c.encrypted:
		c.s.Write([]byte(line + "\n"))
	default:
		c.lines = append(c.lines, line)
	}
}

// inputEnded closes the session once the server has gone quiet.
func (c *client) inputEnded() {
	c.inputDone = true
	if c.asking {
		c.asking = false
		fmt.Fprintln(c.out)
		c.s.Resume() // not ignored: the handshake fails
		return
	}
	c.armQuiet()
}

func (c *client) armQuiet() {
	if !c.inputDone || !c.encrypted {
		return
	}
	if c.quiet == nil {
		c.quiet = c.loop.AfterFunc(quietTime, c.s.DisconnectFromHost)
		return
	}
	c.quiet.Reset(quietTime)
}

// socketReadyRead is Qt's SslClient::socketReadyRead.
func (c *client) socketReadyRead() {
	c.out.Write(c.s.ReadAll())
	c.armQuiet()
}

// socketError is Qt's SslClient::socketError, a message box there. The
// server closing an encrypted session is its normal end.
func (c *client) socketError(e socket.SocketError) {
	if e == socket.RemoteHostClosedError && c.encrypted {
		fmt.Fprintln(c.out, "The server closed the connection.")
		return
	}
	if c.failed {
		return // the close that follows a failure says nothing new
	}
	c.failed = true
	fmt.Fprintf(c.errw, "Connection error: %s\n", c.s.ErrorString())
}
