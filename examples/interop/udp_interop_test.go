package interop

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// The UDP interop tests run this module's broadcast and multicast
// examples against the Qt console datagram peer (qtudppeer/), each side
// in its own network namespace joined by a veth pair: our sender → Qt's
// receiver and Qt's sender → our receiver, for broadcast and for IPv4 and
// IPv6 multicast. The payloads are Qt's examples' own.

const (
	udpCount   = 3
	udpPort    = "45454"
	group4     = "239.255.43.21"
	group6     = "ff12::2115"
	sendPeriod = "20ms"
)

// checkLines matches every line against re, whose first group must be the
// message number, and wants 1..udpCount in order.
func checkLines(t *testing.T, who string, got []string, re *regexp.Regexp) {
	t.Helper()
	if len(got) != udpCount {
		t.Fatalf("%s: %d lines, want %d:\n%s", who, len(got), udpCount, strings.Join(got, "\n"))
	}
	for i, l := range got {
		m := re.FindStringSubmatch(l)
		if m == nil || m[1] != fmt.Sprint(i+1) {
			t.Fatalf("%s: line %d = %q, want a match of %s with message %d", who, i, l, re, i+1)
		}
	}
}

func TestUDPBroadcastGoToQt(t *testing.T) {
	qt, sender := qtUDPPeer(t), udpBin(t, "broadcastsender")
	n := newNSPair(t)
	r := startReceiver(t, n.b, "ready", qt, "recv", udpPort, fmt.Sprint(udpCount))
	sendFrom(t, n.a, sender, "-n", fmt.Sprint(udpCount), "-interval", sendPeriod, "-port", udpPort)
	checkLines(t, "Qt receiver", r.collect(t), regexp.MustCompile(`^Broadcast message (\d+)\t(::ffff:)?10\.77\.0\.1:\d+$`))
}

func TestUDPBroadcastQtToGo(t *testing.T) {
	qt, recv := qtUDPPeer(t), udpBin(t, "broadcastreceiver")
	n := newNSPair(t)
	r := startReceiver(t, n.b, "Listening for broadcasted messages", recv, "-n", fmt.Sprint(udpCount), "-port", udpPort)
	sendFrom(t, n.a, qt, "send", "255.255.255.255", udpPort, fmt.Sprint(udpCount))
	checkLines(t, "our broadcastreceiver", r.collect(t), regexp.MustCompile(`^Received datagram: "Broadcast message (\d+)" from 10\.77\.0\.1:\d+$`))
}

func TestUDPMulticastGoToQt(t *testing.T) {
	qt, sender := qtUDPPeer(t), udpBin(t, "multicastsender")
	for _, tc := range []struct {
		name, group, sender string
	}{
		{"IPv4", group4, `10\.77\.0\.1`},
		{"IPv6", group6, `fe80::[0-9a-f:]+%v1`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := newNSPair(t)
			r := startReceiver(t, n.b, "ready", qt, "recv", udpPort, fmt.Sprint(udpCount), "-group", tc.group, "-iface", "v1")
			sendFrom(t, n.a, sender, "-n", fmt.Sprint(udpCount), "-interval", sendPeriod, "-port", udpPort, "-iface", "v0")
			checkLines(t, "Qt receiver of "+tc.group, r.collect(t), regexp.MustCompile(`^Multicast message (\d+)\t`+tc.sender+`:\d+$`))
		})
	}
}

func TestUDPMulticastQtToGo(t *testing.T) {
	qt, recv := qtUDPPeer(t), udpBin(t, "multicastreceiver")
	for _, tc := range []struct {
		name, group, line string
	}{
		{"IPv4", group4, `^Received IPv4 datagram: "Multicast message (\d+)" from 10\.77\.0\.1:\d+$`},
		{"IPv6", group6, `^Received IPv6 datagram from \[fe80::[0-9a-f:]+%v1\]:\d+: "Multicast message (\d+)"$`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := newNSPair(t)
			r := startReceiver(t, n.b, "Listening for multicast messages on both IPv4 and IPv6", recv,
				"-n", fmt.Sprint(udpCount), "-port", udpPort, "-iface", "v1")
			sendFrom(t, n.a, qt, "send", tc.group, udpPort, fmt.Sprint(udpCount), "-iface", "v0", "-payload", "Multicast message")
			checkLines(t, "our multicastreceiver on "+tc.group, r.collect(t), regexp.MustCompile(tc.line))
		})
	}
}
