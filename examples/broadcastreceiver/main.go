// Command broadcastreceiver is Qt's Broadcast Receiver example as a
// terminal program: it binds a UDP socket to port 45454 on every address
// (dual-stack, ShareAddress, as Qt's bind(45454, ShareAddress)), reads
// every datagram in its readyRead slot and prints it. It takes the
// datagrams of Qt's broadcastsender and of this module's.
//
// Usage:
//
//	broadcastreceiver [-port 45454] [-n 0]
//
// It first prints Qt's label, "Listening for broadcasted messages", then one
// line per datagram, Qt's label text followed by the sender:
//
//	Received datagram: "Broadcast message 1" from 192.168.1.7:50211
//
// With -n it exits with status 0 after N datagrams; a failed bind prints the
// error and exits with status 1.
package main

import (
	"flag"
	"fmt"
	"net/netip"
	"os"

	"github.com/qsock/qsock/engine"
	"github.com/qsock/qsock/examples/internal/fortune"
	"github.com/qsock/qsock/socket"
	"github.com/qsock/qsock/udp"
)

const title = "Broadcast Receiver"

func main() {
	fs := flag.NewFlagSet("broadcastreceiver", flag.ExitOnError)
	port := fs.Int("port", 45454, "UDP port to listen on")
	n := fs.Int("n", 0, "exit after this many datagrams (0: never)")
	fortune.Usage(fs, "[-port n] [-n count]",
		"Prints every datagram that reaches the port, as Qt's Broadcast\n"+
			"Receiver example shows it, followed by the sender.")
	fs.Parse(os.Args[1:])
	p, err := fortune.CheckPort(*port, true)
	if err != nil {
		fortune.UsageError(fs, err)
	}
	if *n < 0 {
		fortune.UsageError(fs, fmt.Errorf("-n %d: must be >= 0", *n))
	}

	loop, err := engine.NewLoop()
	if err != nil {
		fortune.Fail(title, err.Error())
	}
	defer loop.Close()
	r := &receiver{loop: loop, socket: udp.NewSocket(loop), left: *n}
	if err := r.socket.Bind(socket.Any, p, socket.ShareAddress); err != nil {
		fortune.Fail(title, err.Error())
	}
	r.socket.ReadyRead.Connect(r.processPendingDatagrams)
	fmt.Println("Listening for broadcasted messages")
	if err := loop.Run(); err != nil {
		fortune.Fail(title, err.Error())
	}
}

// receiver is Qt's Receiver dialog without the widgets.
type receiver struct {
	loop   *engine.Loop
	socket *udp.Socket
	left   int
	buf    []byte
}

// processPendingDatagrams is Qt's Receiver::processPendingDatagrams: read
// every pending datagram, each into a buffer of its own size.
func (r *receiver) processPendingDatagrams() {
	for r.socket.HasPendingDatagrams() {
		size := r.socket.PendingDatagramSize()
		if int64(cap(r.buf)) < size {
			r.buf = make([]byte, size)
		}
		n, from, port, err := r.socket.ReadDatagram(r.buf[:size])
		if err != nil {
			continue
		}
		fmt.Printf("Received datagram: %q from %v\n", r.buf[:n], netip.AddrPortFrom(from.Unmap(), port))
		if r.left > 0 {
			if r.left--; r.left == 0 {
				r.socket.Close()
				r.loop.Quit()
				return
			}
		}
	}
}
