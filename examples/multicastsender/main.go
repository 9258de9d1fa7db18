// Command multicastsender is Qt's Multicast Sender example as a terminal
// program: once a second it sends "Multicast message N" (N from 1) to the
// IPv4 group 239.255.43.21 and the IPv6 group ff12::2115, port 45454, from
// two sockets bound to AnyIPv4 and AnyIPv6 on one ephemeral port, as Qt's
// sender does. The payload is byte for byte Qt's, so Qt's
// multicastreceiver and this module's both take it.
//
// Usage:
//
//	multicastsender [-group4 239.255.43.21] [-group6 ff12::2115] [-port 45454]
//	                [-iface name] [-ttl 1] [-n 0] [-interval 1s]
//
// -ttl is the IPv4 socket's MulticastTtlOption (Qt's TTL spin box); -iface
// picks the outgoing interface of both sockets. -group6 "" sends IPv4 only,
// as Qt does when the IPv6 socket cannot bind. Each datagram prints Qt's
// status line, "Now sending datagram N". With -n it stops after N datagrams
// and exits with status 0; a failure prints the error and exits with 1.
package main

import (
	"flag"
	"fmt"
	"net"
	"net/netip"
	"os"
	"time"

	"github.com/qsock/qsock/engine"
	"github.com/qsock/qsock/examples/internal/fortune"
	"github.com/qsock/qsock/socket"
	"github.com/qsock/qsock/udp"
)

const title = "Multicast Sender"

func main() {
	fs := flag.NewFlagSet("multicastsender", flag.ExitOnError)
	g4 := fs.String("group4", "239.255.43.21", "IPv4 multicast group")
	g6 := fs.String("group6", "ff12::2115", "IPv6 multicast group (empty: IPv4 only)")
	port := fs.Int("port", 45454, "UDP port to send to")
	ifname := fs.String("iface", "", "outgoing interface (default: the system's choice)")
	ttl := fs.Int("ttl", 1, "IPv4 multicast TTL, 0..255")
	n := fs.Int("n", 0, "send this many datagrams, then exit (0: forever)")
	interval := fs.Duration("interval", time.Second, "time between datagrams")
	fortune.Usage(fs, "[-group4 a] [-group6 a] [-port n] [-iface name] [-ttl n] [-n count] [-interval d]",
		"Sends \"Multicast message N\" once per interval to an IPv4 and an IPv6\n"+
			"group, as Qt's Multicast Sender example, printing a line for each.")
	fs.Parse(os.Args[1:])
	group4, err := parseGroup(*g4, true)
	if err != nil {
		fortune.UsageError(fs, fmt.Errorf("-group4: %v", err))
	}
	var group6 netip.Addr
	if *g6 != "" {
		if group6, err = parseGroup(*g6, false); err != nil {
			fortune.UsageError(fs, fmt.Errorf("-group6: %v", err))
		}
	}
	p, err := fortune.CheckPort(*port, false)
	if err != nil {
		fortune.UsageError(fs, err)
	}
	if *ttl < 0 || *ttl > 255 || *n < 0 || *interval <= 0 {
		fortune.UsageError(fs, fmt.Errorf("need 0 <= -ttl <= 255, -n >= 0, -interval > 0"))
	}
	var iface *net.Interface
	if *ifname != "" {
		if iface, err = net.InterfaceByName(*ifname); err != nil {
			fortune.UsageError(fs, fmt.Errorf("-iface: %v", err))
		}
	}

	loop, err := engine.NewLoop()
	if err != nil {
		fortune.Fail(title, err.Error())
	}
	defer loop.Close()
	s, err := newSender(loop, group4, group6, p, iface, *ttl)
	if err != nil {
		fortune.Fail(title, err.Error())
	}
	s.left, s.interval = *n, *interval
	s.timer = loop.AfterFunc(s.interval, s.sendDatagram) // "Start" pressed
	if err := loop.Run(); err != nil {
		fortune.Fail(title, err.Error())
	}
	if s.failure != "" {
		fortune.Fail(title, s.failure)
	}
}

func parseGroup(s string, v4 bool) (netip.Addr, error) {
	a, err := netip.ParseAddr(s)
	switch {
	case err != nil:
		return a, fmt.Errorf("%q is not an IP address", s)
	case !a.IsMulticast() || a.Is4() != v4:
		return a, fmt.Errorf("%v is not an IPv%d multicast group", a, map[bool]int{true: 4, false: 6}[v4])
	}
	return a, nil
}

// sender is Qt's Sender dialog without the widgets; it lives on the loop.
type sender struct {
	loop           *engine.Loop
	socket4        *udp.Socket
	socket6        *udp.Socket
	group4, group6 netip.Addr
	port           uint16
	timer          *engine.Timer
	left           int
	interval       time.Duration
	messageNo      int
	failure        string
}

// newSender is Qt's Sender constructor: the IPv4 socket binds first, the
// IPv6 one to the same port; a failed IPv6 bind means IPv4 only.
func newSender(loop *engine.Loop, group4, group6 netip.Addr, port uint16, iface *net.Interface, ttl int) (*sender, error) {
	s := &sender{loop: loop, socket4: udp.NewSocket(loop), socket6: udp.NewSocket(loop),
		group4: group4, group6: group6, port: port}
	if err := s.socket4.Bind(socket.AnyIPv4, 0, socket.DefaultForPlatform); err != nil {
		return nil, err
	}
	if err := s.socket4.SetSocketOption(socket.MulticastTTLOption, ttl); err != nil {
		return nil, err
	}
	if group6.IsValid() {
		if err := s.socket6.Bind(socket.AnyIPv6, s.socket4.LocalPort(), socket.DefaultForPlatform); err != nil {
			fmt.Fprintf(os.Stderr, "%s: IPv6 disabled: %v\n", title, err)
		}
	}
	if iface != nil {
		if err := s.socket4.SetMulticastInterface(iface); err != nil {
			return nil, err
		}
		if s.socket6.State() == socket.BoundState {
			if err := s.socket6.SetMulticastInterface(iface); err != nil {
				return nil, err
			}
		}
	}
	return s, nil
}

// sendDatagram is Qt's Sender::sendDatagram.
func (s *sender) sendDatagram() {
	s.messageNo++
	fmt.Printf("Now sending datagram %d\n", s.messageNo)
	datagram := []byte("Multicast message " + fmt.Sprint(s.messageNo))
	if _, err := s.socket4.WriteDatagram(datagram, s.group4, s.port); err != nil {
		s.fail(err)
		return
	}
	if s.socket6.State() == socket.BoundState {
		if _, err := s.socket6.WriteDatagram(datagram, s.group6, s.port); err != nil {
			s.fail(err)
			return
		}
	}
	if s.left > 0 {
		if s.left--; s.left == 0 {
			s.socket4.Close()
			s.socket6.Close()
			s.loop.Quit()
			return
		}
	}
	s.timer.Reset(s.interval)
}

func (s *sender) fail(err error) {
	s.failure = err.Error()
	s.loop.Quit()
}
