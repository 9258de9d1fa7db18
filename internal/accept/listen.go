package accept

import (
	"errors"
	"net/netip"

	"github.com/qsock/qsock/engine"
	"github.com/qsock/qsock/socket"
	"golang.org/x/sys/unix"
)

// errAlreadyListening is the cause of Listen's OperationError when the
// listener holds a descriptor (Qt: "listen() called when already
// listening", a warning and false).
var errAlreadyListening = errors.New("already listening")

// ListenIP creates a TCP listening socket the way QTcpServer::listen does:
// socket.Any is one dual-stack AF_INET6 socket on [::] (IPV6_V6ONLY off;
// AF_INET 0.0.0.0 where the system has no IPv6), socket.AnyIPv4 an AF_INET
// socket on 0.0.0.0, socket.AnyIPv6 and every other IPv6 address an
// AF_INET6 socket with IPV6_V6ONLY on (v4-mapped addresses excepted, which
// need it off). SO_REUSEADDR is set first, as Qt does on Unix so that a
// restarted server can bind while old connections sit in TIME_WAIT. Port 0
// picks an ephemeral port.
//
// Already listening is an OperationError that leaves ServerError alone,
// as in Qt. Any other failure sets ServerError and ErrorString and returns
// a *socket.Error matching both the code and the errno under errors.Is.
func (l *Listener[T]) ListenIP(addr netip.Addr, port uint16) error {
	if l.eng != nil {
		return &socket.Error{Code: socket.OperationError, Op: "listen", Err: errAlreadyListening}
	}
	domain, v6only := unix.AF_INET6, true
	switch {
	case addr == socket.Any:
		v6only = false
	case addr.Is4():
		domain = unix.AF_INET
	case addr.Is4In6():
		v6only = false
	}
	eng, err := engine.NewNativeEngine(domain, unix.SOCK_STREAM)
	if err != nil && addr == socket.Any && errors.Is(err, unix.EAFNOSUPPORT) {
		// QTcpServer::listen: Any on a host without IPv6 is AnyIPv4.
		domain = unix.AF_INET
		eng, err = engine.NewNativeEngine(domain, unix.SOCK_STREAM)
	}
	if err != nil {
		return l.fail(err)
	}
	if domain == unix.AF_INET6 && v6only {
		if err := eng.SetOption(engine.IPv6OnlyOption, 1); err != nil {
			_ = eng.Close()
			return l.fail(err)
		}
	}
	// Qt ignores a failure here too (configureCreatedSocket): binding may
	// still work.
	_ = eng.SetOption(engine.ReuseAddressOption, 1)
	if err := eng.Bind(netip.AddrPortFrom(addr, port)); err != nil {
		_ = eng.Close()
		return l.fail(err)
	}
	if err := l.Open(eng); err != nil {
		_ = eng.Close()
		return err
	}
	if addr == socket.Any && domain == unix.AF_INET6 {
		l.addr = netip.AddrPortFrom(socket.Any, l.addr.Port())
	}
	return nil
}

// Open starts listening on a bound stream engine (listen(2) with the
// backlog, then the read notifier) and takes ownership of it on success;
// on failure the engine is still the caller's. local.Server binds its path
// itself and comes in here.
func (l *Listener[T]) Open(eng *engine.NativeEngine) error {
	if l.eng != nil {
		return &socket.Error{Code: socket.OperationError, Op: "listen", Err: errAlreadyListening}
	}
	if err := eng.Listen(l.backlog); err != nil {
		return l.fail(err)
	}
	return l.start(eng)
}

// Adopt takes over fd, a socket that is already listening
// (QTcpServer::setSocketDescriptor). On failure fd stays the caller's.
// An AF_INET6 socket bound to :: with IPV6_V6ONLY off reports socket.Any.
func (l *Listener[T]) Adopt(fd int) error {
	if l.eng != nil {
		return &socket.Error{Code: socket.OperationError, Op: "setSocketDescriptor", Err: errAlreadyListening}
	}
	// Qt takes the descriptor's word for it; checking here turns a later
	// EINVAL from every accept into an error the caller can act on.
	if v, err := unix.GetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_ACCEPTCONN); err != nil || v == 0 {
		if err == nil {
			err = unix.EINVAL
		}
		return l.failOp("setSocketDescriptor", err)
	}
	eng, err := engine.AdoptNativeEngine(fd)
	if err != nil {
		return l.fail(err)
	}
	if eng.Type() != unix.SOCK_STREAM {
		// AdoptNativeEngine changed only the descriptor's flags.
		return l.failOp("setSocketDescriptor", unix.EPROTOTYPE)
	}
	if err := l.start(eng); err != nil {
		return err
	}
	if eng.Domain() == unix.AF_INET6 && l.addr.Addr().IsUnspecified() {
		if v6, err := eng.Option(engine.IPv6OnlyOption); err == nil && v6 == 0 {
			l.addr = netip.AddrPortFrom(socket.Any, l.addr.Port())
		}
	}
	return nil
}

// start registers the notifier and makes eng the listener's. The engine
// is the caller's until it succeeds.
func (l *Listener[T]) start(eng *engine.NativeEngine) error {
	var n *engine.Notifier
	if l.loop != nil {
		var err error
		if n, err = l.loop.NewNotifier(eng.FD(), l); err != nil {
			return l.fail(err)
		}
	}
	l.eng, l.n = eng, n
	if ap, err := eng.LocalAddr(); err == nil {
		l.addr = ap
	}
	l.paused = false
	l.update()
	return nil
}

// Ready implements engine.Handler: the listening descriptor is readable.
func (l *Listener[T]) Ready(engine.Events) {
	l.readyCalls++
	l.acceptBatch(false)
}

// fail records err as the server's error and returns it as a
// *socket.Error.
func (l *Listener[T]) fail(err error) error {
	op := ""
	var oe *engine.OpError
	if errors.As(err, &oe) {
		op, err = oe.Op, oe.Err
	}
	return l.failOp(op, err)
}

func (l *Listener[T]) failOp(op string, err error) error {
	code, text := Code(err)
	l.err, l.errStr = code, text
	return &socket.Error{Code: code, Op: op, Err: err}
}

// Refuse fails a Listen before any descriptor exists, with Qt's code and
// text for it (a proxy the server cannot listen through, say).
func (l *Listener[T]) Refuse(code socket.SocketError, text string, cause error) error {
	l.err, l.errStr = code, text
	return &socket.Error{Code: code, Op: "listen", Err: cause}
}
