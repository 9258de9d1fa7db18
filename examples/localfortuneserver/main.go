// Command localfortuneserver is Qt's Local Fortune Server example
// (corelib/ipc/localfortuneserver) as a terminal program: a local.Server
// that sends each client one random fortune and then disconnects. It is
// wire-identical to Qt's: a quint32 with the fortune's length in UTF-16
// units, then the fortune as a QString, QDataStream version Qt_5_10. Qt's
// localfortuneclient and the Go localfortuneclient both work with it.
//
// Usage:
//
//	localfortuneserver [-name fortune]
//
// The name resolves as QLocalServer's does: a name without '/' is a file in
// $TMPDIR (or /tmp). The first line of output says where it listens:
//
//	The server is running on /tmp/fortune
//
// It serves until SIGINT or SIGTERM, then removes its socket file and exits
// with status 0. Like Qt's, it refuses to start over an existing file (a
// killed server's): remove that file first. Failing to listen prints Qt's
// message box text and exits with status 1.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"unicode/utf16"

	"github.com/qsock/qsock/datastream"
	"github.com/qsock/qsock/engine"
	"github.com/qsock/qsock/examples/internal/fortune"
	"github.com/qsock/qsock/local"
)

// title is the window title Qt's example shows, which prefixes its errors.
const title = "Local Fortune Server"

func main() {
	fs := flag.NewFlagSet("localfortuneserver", flag.ExitOnError)
	name := fs.String("name", "fortune", "server name: a file in $TMPDIR (or /tmp), or an absolute path")
	fortune.Usage(fs, "[-name fortune]",
		"Serves one random fortune per connection over a local (Unix-domain) socket,\n"+
			"as Qt's Local Fortune Server example (a quint32 character count, then a\n"+
			"QDataStream Qt_5_10 QString; then the server disconnects).\n"+
			"Runs until SIGINT or SIGTERM.")
	fs.Parse(os.Args[1:])
	if fs.NArg() > 0 {
		fortune.UsageError(fs, fmt.Errorf("unexpected argument %q", fs.Arg(0)))
	}

	loop, err := engine.NewLoop()
	if err != nil {
		fortune.Fail(title, fortune.ListenError(err.Error()))
	}
	defer loop.Close()

	srv := local.NewServer(loop)
	srv.NewConnection.Connect(func() { sendFortune(srv) })
	if err := srv.Listen(*name); err != nil {
		fortune.Fail(title, fortune.ListenError(srv.ErrorString()))
	}
	defer srv.Close()
	fmt.Println("The server is running on " + srv.FullServerName())

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		<-stop
		loop.Quit()
	}()
	if err := loop.Run(); err != nil {
		srv.Close()
		fortune.Fail(title, err.Error())
	}
}

// Block returns what Qt's Server::sendFortune writes for message: the
// number of QChars (UTF-16 units, not bytes) as a quint32, then the
// QString, with QDataStream version Qt_5_10.
func Block(message string) []byte {
	var block bytes.Buffer
	out := datastream.NewWriter(&block)
	out.SetVersion(datastream.Qt_5_10)
	out.WriteUint32(uint32(len(utf16.Encode([]rune(message)))))
	out.WriteString(message)
	return block.Bytes()
}

// sendFortune is Qt's Server::sendFortune: write the block to the next
// pending connection, flush, and disconnect (which sends whatever the flush
// left first). A closed socket holds nothing, so no deleteLater is needed.
func sendFortune(srv *local.Server) {
	c := srv.NextPendingConnection()
	if c == nil {
		return
	}
	c.Write(Block(fortune.Random()))
	c.Flush()
	c.DisconnectFromServer()
}
