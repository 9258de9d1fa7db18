package main

import (
	"bytes"
	"fmt"
	"os"

	"golang.org/x/sys/unix"

	"github.com/qsock/qsock/datastream"
	"github.com/qsock/qsock/engine"
	"github.com/qsock/qsock/examples/internal/fortune"
	"github.com/qsock/qsock/socket"
	"github.com/qsock/qsock/tcp"
)

// serveFortune is Qt's FortuneThread::run, on the worker loop w: adopt the
// descriptor, write the fortune, disconnect. Qt's thread then blocks in
// waitForDisconnected; a loop need not block: DisconnectFromHost finishes
// the flush and the close on w while it serves other clients.
func serveFortune(w *engine.Loop, fd int, text string) {
	s := tcp.NewSocket(w)
	if err := s.SetSocketDescriptor(fd, socket.ConnectedState); err != nil {
		// Qt's thread emits error(socketError) here, which the example
		// never connects; say it, and release the descriptor, still ours.
		fmt.Fprintf(os.Stderr, "%s: %s\n", fortune.ThreadedServerTitle, s.ErrorString())
		unix.Close(fd)
		return
	}

	var block bytes.Buffer
	out := datastream.NewWriter(&block)
	out.SetVersion(datastream.Qt_4_0)
	out.WriteString(text)

	s.Write(block.Bytes())
	s.DisconnectFromHost()
}
