// Command broadcastsender is Qt's Broadcast Sender example as a terminal
// program: once a second it broadcasts "Broadcast message N" (N from 1) as
// one UDP datagram to 255.255.255.255, port 45454, from a socket it never
// binds (the first datagram binds it, as QUdpSocket does). The payload is
// byte for byte Qt's, so Qt's broadcastreceiver and this module's
// broadcastreceiver both take it.
//
// Usage:
//
//	broadcastsender [-addr 255.255.255.255] [-port 45454] [-n 0] [-interval 1s]
//
// Each datagram sent prints Qt's status line, "Now broadcasting datagram N".
// With -n it stops after N datagrams and exits with status 0; a failed send
// prints the error and exits with status 1.
package main

import (
	"flag"
	"fmt"
	"net/netip"
	"os"
	"time"

	"github.com/qsock/qsock/engine"
	"github.com/qsock/qsock/examples/internal/fortune"
	"github.com/qsock/qsock/udp"
)

const title = "Broadcast Sender"

func main() {
	fs := flag.NewFlagSet("broadcastsender", flag.ExitOnError)
	addr := fs.String("addr", "255.255.255.255", "broadcast address to send to")
	port := fs.Int("port", 45454, "UDP port to send to")
	n := fs.Int("n", 0, "send this many datagrams, then exit (0: forever)")
	interval := fs.Duration("interval", time.Second, "time between datagrams")
	fortune.Usage(fs, "[-addr a.b.c.d] [-port n] [-n count] [-interval d]",
		"Broadcasts \"Broadcast message N\" once per interval, as Qt's\n"+
			"Broadcast Sender example, and prints a line for each datagram.")
	fs.Parse(os.Args[1:])
	to, err := netip.ParseAddr(*addr)
	if err != nil {
		fortune.UsageError(fs, fmt.Errorf("-addr %q is not an IP address", *addr))
	}
	p, err := fortune.CheckPort(*port, false)
	if err != nil {
		fortune.UsageError(fs, err)
	}
	if *n < 0 || *interval <= 0 {
		fortune.UsageError(fs, fmt.Errorf("-n must be >= 0 and -interval > 0"))
	}

	loop, err := engine.NewLoop()
	if err != nil {
		fortune.Fail(title, err.Error())
	}
	defer loop.Close()
	s := &sender{loop: loop, socket: udp.NewSocket(loop), to: to, port: p, left: *n, interval: *interval}
	s.timer = loop.AfterFunc(s.interval, s.broadcastDatagram) // "Start" pressed
	if err := loop.Run(); err != nil {
		fortune.Fail(title, err.Error())
	}
	if s.failure != "" {
		fortune.Fail(title, s.failure)
	}
}

// sender is Qt's Sender dialog without the widgets; it lives on the loop.
type sender struct {
	loop      *engine.Loop
	socket    *udp.Socket
	timer     *engine.Timer
	to        netip.Addr
	port      uint16
	left      int // datagrams still to send; 0 when sending forever
	interval  time.Duration
	messageNo int
	failure   string
}

// broadcastDatagram is Qt's Sender::broadcastDatagram.
func (s *sender) broadcastDatagram() {
	s.messageNo++
	fmt.Printf("Now broadcasting datagram %d\n", s.messageNo)
	datagram := []byte("Broadcast message " + fmt.Sprint(s.messageNo))
	if _, err := s.socket.WriteDatagram(datagram, s.to, s.port); err != nil {
		s.failure = err.Error()
		s.loop.Quit()
		return
	}
	if s.left > 0 {
		if s.left--; s.left == 0 {
			s.socket.Close()
			s.loop.Quit()
			return
		}
	}
	s.timer.Reset(s.interval)
}
