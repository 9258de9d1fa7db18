// Command multicastreceiver is Qt's Multicast Receiver example as a
// terminal program: it binds one UDP socket to AnyIPv4 and one to AnyIPv6,
// both on port 45454 with ShareAddress, joins 239.255.43.21 and ff12::2115,
// and prints every datagram. It takes the datagrams of Qt's multicastsender
// and of this module's.
//
// Usage:
//
//	multicastreceiver [-group4 239.255.43.21] [-group6 ff12::2115] [-port 45454]
//	                  [-iface name] [-n 0]
//
// It first prints Qt's label, "Listening for multicast messages on both IPv4
// and IPv6" (or "... on IPv4 only" when the IPv6 socket cannot bind or join,
// or -group6 is ""), then one line per datagram, with Qt's label texts and
// the sender:
//
//	Received IPv4 datagram: "Multicast message 1" from 192.168.1.7:50211
//	Received IPv6 datagram from [fe80::1%eth0]:50211: "Multicast message 1"
//
// With -n it exits with status 0 after N datagrams; a failed IPv4 bind or
// join prints the error and exits with status 1.
package main

import (
	"flag"
	"fmt"
	"net"
	"net/netip"
	"os"
	"strconv"

	"github.com/qsock/qsock/engine"
	"github.com/qsock/qsock/examples/internal/fortune"
	"github.com/qsock/qsock/socket"
	"github.com/qsock/qsock/udp"
)

const title = "Multicast Receiver"

func main() {
	fs := flag.NewFlagSet("multicastreceiver", flag.ExitOnError)
	g4 := fs.String("group4", "239.255.43.21", "IPv4 multicast group to join")
	g6 := fs.String("group6", "ff12::2115", "IPv6 multicast group to join (empty: IPv4 only)")
	port := fs.Int("port", 45454, "UDP port to listen on")
	ifname := fs.String("iface", "", "interface to join on (default: the system's choice)")
	n := fs.Int("n", 0, "exit after this many datagrams (0: never)")
	fortune.Usage(fs, "[-group4 a] [-group6 a] [-port n] [-iface name] [-n count]",
		"Joins an IPv4 and an IPv6 multicast group and prints every datagram,\n"+
			"as Qt's Multicast Receiver example shows them, with the sender.")
	fs.Parse(os.Args[1:])
	group4, err := netip.ParseAddr(*g4)
	if err != nil || !group4.Is4() || !group4.IsMulticast() {
		fortune.UsageError(fs, fmt.Errorf("-group4 %q is not an IPv4 multicast group", *g4))
	}
	var group6 netip.Addr
	if *g6 != "" {
		group6, err = netip.ParseAddr(*g6)
		if err != nil || !group6.Is6() || !group6.IsMulticast() {
			fortune.UsageError(fs, fmt.Errorf("-group6 %q is not an IPv6 multicast group", *g6))
		}
	}
	p, err := fortune.CheckPort(*port, true)
	if err != nil {
		fortune.UsageError(fs, err)
	}
	if *n < 0 {
		fortune.UsageError(fs, fmt.Errorf("-n %d: must be >= 0", *n))
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
	r := &receiver{loop: loop, socket4: udp.NewSocket(loop), socket6: udp.NewSocket(loop), left: *n}
	// Qt's Receiver constructor.
	if err := r.socket4.Bind(socket.AnyIPv4, p, socket.ShareAddress); err != nil {
		fortune.Fail(title, err.Error())
	}
	if err := r.socket4.JoinMulticastGroup(group4, iface); err != nil {
		fortune.Fail(title, err.Error())
	}
	both := false
	if group6.IsValid() {
		if err := r.socket6.Bind(socket.AnyIPv6, p, socket.ShareAddress); err == nil {
			if err := r.socket6.JoinMulticastGroup(group6, iface); err == nil {
				both = true
			} else {
				fmt.Fprintf(os.Stderr, "%s: IPv6 disabled: %v\n", title, err)
				r.socket6.Close()
			}
		} else {
			fmt.Fprintf(os.Stderr, "%s: IPv6 disabled: %v\n", title, err)
		}
	}
	r.socket4.ReadyRead.Connect(r.processPendingDatagrams)
	r.socket6.ReadyRead.Connect(r.processPendingDatagrams)
	if both {
		fmt.Println("Listening for multicast messages on both IPv4 and IPv6")
	} else {
		fmt.Println("Listening for multicast messages on IPv4 only")
	}
	if err := loop.Run(); err != nil {
		fortune.Fail(title, err.Error())
	}
}

// receiver is Qt's Receiver dialog without the widgets.
type receiver struct {
	loop             *engine.Loop
	socket4, socket6 *udp.Socket
	left             int
	buf              []byte
}

// processPendingDatagrams is Qt's Receiver::processPendingDatagrams: the
// IPv4 socket is read with readDatagram, the IPv6 one with
// receiveDatagram, which also gives the sender.
func (r *receiver) processPendingDatagrams() {
	for r.socket4.HasPendingDatagrams() {
		size := r.socket4.PendingDatagramSize()
		if int64(cap(r.buf)) < size {
			r.buf = make([]byte, size)
		}
		n, from, port, err := r.socket4.ReadDatagram(r.buf[:size])
		if err != nil {
			continue
		}
		fmt.Printf("Received IPv4 datagram: %q from %v\n", r.buf[:n], netip.AddrPortFrom(from, port))
		if r.counted() {
			return
		}
	}
	for r.socket6.HasPendingDatagrams() {
		d, err := r.socket6.ReceiveDatagram(-1)
		if err != nil {
			continue
		}
		fmt.Printf("Received IPv6 datagram from [%v]:%d: %q\n", qtZone(d.Sender.Addr()), d.Sender.Port(), d.Data)
		if r.counted() {
			return
		}
	}
}

// qtZone names a link-local address's zone by its interface, as Qt's
// QHostAddress::toString prints it (fe80::1%eth0); the socket reports the
// interface index, which is just as valid but not what Qt's label shows.
func qtZone(a netip.Addr) netip.Addr {
	if idx, err := strconv.Atoi(a.Zone()); err == nil {
		if ifi, err := net.InterfaceByIndex(idx); err == nil {
			return a.WithZone(ifi.Name)
		}
	}
	return a
}

// counted counts one datagram against -n and reports whether that was the
// last one.
func (r *receiver) counted() bool {
	if r.left == 0 {
		return false
	}
	if r.left--; r.left > 0 {
		return false
	}
	r.socket4.Close()
	r.socket6.Close()
	r.loop.Quit()
	return true
}
