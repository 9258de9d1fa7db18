package fortune

import (
	"flag"
	"fmt"
	"net"
	"net/netip"
	"os"
	"strings"

	"github.com/qsock/qsock/socket"
)

// Usage installs a -h text on fs: what the program does, then its flags.
func Usage(fs *flag.FlagSet, synopsis, about string) {
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprintf(w, "usage: %s %s\n\n%s\n\nflags:\n", fs.Name(), synopsis, about)
		fs.PrintDefaults()
	}
}

// ParseListenAddr turns a -host value of a server into the address to listen
// on: "any" (or "") is socket.Any, Qt's QHostAddress::Any (one dual-stack
// socket), "localhost" is 127.0.0.1, and anything else must be an IP literal
// ("0.0.0.0" and "::" listen on one IP version only, as Qt's AnyIPv4 and
// AnyIPv6).
func ParseListenAddr(host string) (netip.Addr, error) {
	switch strings.ToLower(host) {
	case "", "any":
		return socket.Any, nil
	case "localhost":
		return socket.LocalHost, nil
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}, fmt.Errorf("-host %q is not an IP address, \"any\" or \"localhost\"", host)
	}
	return a, nil
}

// CheckPort validates a -port value: 0..65535, and not 0 unless zeroOK
// (servers take 0 for "any free port"; clients need a real one, as Qt's
// QIntValidator(1, 65535) in the fortune clients).
func CheckPort(port int, zeroOK bool) (uint16, error) {
	if port == 0 && !zeroOK {
		return 0, fmt.Errorf("-port is required (1..65535)")
	}
	lo := 1
	if zeroOK {
		lo = 0
	}
	if port < lo || port > 65535 {
		return 0, fmt.Errorf("-port %d is out of range %d..65535", port, lo)
	}
	return uint16(port), nil
}

// DisplayAddress is the address a server's first line shows. For a listener
// on any address it is what Qt's fortune servers put in their label: the
// first non-loopback IPv4 address of the machine, else 127.0.0.1. A specific
// address is shown as it is.
func DisplayAddress(listen netip.Addr) string {
	if listen.IsValid() && !listen.IsUnspecified() {
		return listen.String()
	}
	if addrs, err := net.InterfaceAddrs(); err == nil {
		for _, a := range addrs {
			ipn, ok := a.(*net.IPNet)
			if !ok {
				continue
			}
			ip, ok := netip.AddrFromSlice(ipn.IP)
			if ok && ip.Unmap().Is4() && !ip.IsLoopback() {
				return ip.Unmap().String()
			}
		}
	}
	return socket.LocalHost.String()
}

// RunningLine is a server's first line of output, which scripts and tests
// read to learn the port.
func RunningLine(listen netip.Addr, port uint16) string {
	return fmt.Sprintf("The server is running on IP: %s port: %d", DisplayAddress(listen), port)
}

// Fail prints "title: msg" on stderr, the text of the message box Qt's
// example would show, and exits with status 1.
func Fail(title, msg string) {
	fmt.Fprintf(os.Stderr, "%s: %s\n", title, msg)
	os.Exit(1)
}

// UsageError prints err and the usage of fs on stderr and exits with status 2,
// as the flag package does for a flag it cannot parse.
func UsageError(fs *flag.FlagSet, err error) {
	fmt.Fprintf(fs.Output(), "%s: %v\n", fs.Name(), err)
	fs.Usage()
	os.Exit(2)
}
