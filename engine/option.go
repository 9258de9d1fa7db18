package engine

import (
	"strconv"

	"golang.org/x/sys/unix"
)

// Option is a socket option, Qt's QAbstractSocketEngine::SocketOption (a
// superset of QAbstractSocket::SocketOption).
type Option int

// The options. Where an option exists at both the IPv4 and the IPv6 level,
// an AF_INET6 socket uses the IPv6 one even when dual-stack, as Qt does.
const (
	NonBlockingOption       Option = iota // O_NONBLOCK (engines are always created non-blocking)
	BroadcastOption                       // SO_BROADCAST
	ReceiveBufferOption                   // SO_RCVBUF
	SendBufferOption                      // SO_SNDBUF
	ReuseAddressOption                    // SO_REUSEADDR
	ReusePortOption                       // SO_REUSEPORT
	ReceiveOutOfBandOption                // SO_OOBINLINE
	LowDelayOption                        // TCP_NODELAY
	KeepAliveOption                       // SO_KEEPALIVE
	MulticastTTLOption                    // IP_MULTICAST_TTL / IPV6_MULTICAST_HOPS
	MulticastLoopbackOption               // IP_MULTICAST_LOOP / IPV6_MULTICAST_LOOP
	TypeOfServiceOption                   // IP_TOS / IPV6_TCLASS
	ReceivePacketInfoOption               // IP_PKTINFO (IP_RECVDSTADDR+IP_RECVIF on BSD) / IPV6_RECVPKTINFO
	ReceiveHopLimitOption                 // IP_RECVTTL / IPV6_RECVHOPLIMIT
	PathMTUOption                         // IP_MTU / IPV6_MTU (Linux; connected sockets)
	IPv6OnlyOption                        // IPV6_V6ONLY
	numOptions
)

var optionNames = [numOptions]string{
	"NonBlockingOption", "BroadcastOption", "ReceiveBufferOption",
	"SendBufferOption", "ReuseAddressOption", "ReusePortOption",
	"ReceiveOutOfBandOption", "LowDelayOption", "KeepAliveOption",
	"MulticastTTLOption", "MulticastLoopbackOption", "TypeOfServiceOption",
	"ReceivePacketInfoOption", "ReceiveHopLimitOption", "PathMTUOption",
	"IPv6OnlyOption",
}

// String returns the option's Go name, such as "LowDelayOption".
func (o Option) String() string {
	if o >= 0 && o < numOptions {
		return optionNames[o]
	}
	return "Option(" + strconv.Itoa(int(o)) + ")"
}

// boolean reports whether o is a flag: such options read back as 0 or 1,
// even where a BSD kernel answers with the option's bit value.
func (o Option) boolean() bool {
	switch o {
	case ReceiveBufferOption, SendBufferOption, MulticastTTLOption,
		TypeOfServiceOption, PathMTUOption:
		return false
	}
	return true
}

// sockopt maps o to the level and name for this socket's family.
func (e *NativeEngine) sockopt(o Option) (level, name int, err error) {
	v6 := e.domain == unix.AF_INET6
	pick := func(v4level, v4name, v6level, v6name int) (int, int, error) {
		if v6 {
			return v6level, v6name, nil
		}
		return v4level, v4name, nil
	}
	switch o {
	case BroadcastOption:
		return unix.SOL_SOCKET, unix.SO_BROADCAST, nil
	case ReceiveBufferOption:
		return unix.SOL_SOCKET, unix.SO_RCVBUF, nil
	case SendBufferOption:
		return unix.SOL_SOCKET, unix.SO_SNDBUF, nil
	case ReuseAddressOption:
		return unix.SOL_SOCKET, unix.SO_REUSEADDR, nil
	case ReusePortOption:
		return unix.SOL_SOCKET, unix.SO_REUSEPORT, nil
	case ReceiveOutOfBandOption:
		return unix.SOL_SOCKET, unix.SO_OOBINLINE, nil
	case KeepAliveOption:
		return unix.SOL_SOCKET, unix.SO_KEEPALIVE, nil
	case LowDelayOption:
		return unix.IPPROTO_TCP, unix.TCP_NODELAY, nil
	case MulticastTTLOption:
		return pick(unix.IPPROTO_IP, unix.IP_MULTICAST_TTL, unix.IPPROTO_IPV6, unix.IPV6_MULTICAST_HOPS)
	case MulticastLoopbackOption:
		return pick(unix.IPPROTO_IP, unix.IP_MULTICAST_LOOP, unix.IPPROTO_IPV6, unix.IPV6_MULTICAST_LOOP)
	case TypeOfServiceOption:
		return pick(unix.IPPROTO_IP, unix.IP_TOS, unix.IPPROTO_IPV6, unix.IPV6_TCLASS)
	case ReceivePacketInfoOption:
		return pick(unix.IPPROTO_IP, ipRecvPktinfo, unix.IPPROTO_IPV6, unix.IPV6_RECVPKTINFO)
	case ReceiveHopLimitOption:
		return pick(unix.IPPROTO_IP, unix.IP_RECVTTL, unix.IPPROTO_IPV6, unix.IPV6_RECVHOPLIMIT)
	case PathMTUOption:
		return pathMTUOption(v6)
	case IPv6OnlyOption:
		return unix.IPPROTO_IPV6, unix.IPV6_V6ONLY, nil
	}
	return 0, 0, unix.ENOPROTOOPT
}

// SetOption sets o to v. Flags take 0 or non-zero; sizes are in bytes.
func (e *NativeEngine) SetOption(o Option, v int) error {
	if o == NonBlockingOption {
		return opErr("fcntl", unix.SetNonblock(int(e.fd), v != 0))
	}
	level, name, err := e.sockopt(o)
	if err != nil {
		return opErr("setsockopt", err)
	}
	if o.boolean() && v != 0 {
		v = 1
	}
	if byteSized(level, name) {
		err = ignoringEINTR(func() error { return sysSetsockoptByte(int(e.fd), level, name, byte(v)) })
	} else {
		err = ignoringEINTR(func() error { return sysSetsockoptInt(int(e.fd), level, name, v) })
	}
	if err == nil && o == ReceivePacketInfoOption && level == unix.IPPROTO_IP {
		err = setPktinfoCompanion(int(e.fd), v)
	}
	if err == nil && o == ReceiveHopLimitOption && e.domain == unix.AF_INET6 {
		// IPv4 datagrams reaching a dual-stack socket carry only IPv4
		// control messages for the hop limit (Linux's udpv6_recvmsg);
		// Qt leaves it unknown there, we ask for it too. Best effort: a
		// system that refuses IP-level options on AF_INET6 just keeps
		// reporting -1 for IPv4 senders.
		_ = sysSetsockoptInt(int(e.fd), unix.IPPROTO_IP, unix.IP_RECVTTL, v)
	}
	return opErr("setsockopt", err)
}

// Option reads o back. Buffer sizes are what the kernel reports (Linux
// doubles the requested size for its bookkeeping); flags are 0 or 1.
func (e *NativeEngine) Option(o Option) (int, error) {
	if o == NonBlockingOption {
		fl, err := unix.FcntlInt(uintptr(int(e.fd)), unix.F_GETFL, 0)
		if err != nil {
			return 0, opErr("fcntl", err)
		}
		return b2i(fl&unix.O_NONBLOCK != 0), nil
	}
	level, name, err := e.sockopt(o)
	if err != nil {
		return 0, opErr("getsockopt", err)
	}
	var v int
	if byteSized(level, name) {
		var b byte
		b, err = sysGetsockoptByte(int(e.fd), level, name)
		v = int(b)
	} else {
		v, err = ignoringEINTRIO(func() (int, error) { return sysGetsockoptInt(int(e.fd), level, name) })
	}
	if err != nil {
		return 0, opErr("getsockopt", err)
	}
	if o.boolean() {
		v = b2i(v != 0)
	}
	return v, nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
