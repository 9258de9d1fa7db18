package socket

import (
	"net/netip"
	"time"

	"github.com/qsock/qsock/engine"
)

// Transport is what an AbstractSocket moves bytes through and learns
// readiness from: Qt's QAbstractSocketEngine. *engine.NativeEngine is the
// first implementation; proxy engines wrap one. The state machine,
// buffers and signals never ask which one they hold.
//
// Errors follow the engine's conventions: engine.ErrWouldBlock when
// nothing can be done now, engine.ErrInProgress for a connect that has
// started, io.EOF for an orderly end of stream, and anything else wrapping
// the errno (or a proxy's own SocketError).
type Transport interface {
	// FD is the descriptor the loop watches and WaitFor* polls.
	FD() int
	Connect(addr netip.AddrPort) error
	// ConnectResult reports how a started connect ended, once the
	// descriptor is writable.
	ConnectResult() error
	Bind(addr netip.AddrPort) error
	Read(p []byte) (int, error)
	Writev(bufs [][]byte) (int, error)
	Shutdown(how int) error
	Close() error
	BytesAvailable() (int, error)
	LocalAddr() (netip.AddrPort, error)
	PeerAddr() (netip.AddrPort, error)
	SetOption(o engine.Option, v int) error
	Option(o engine.Option) (int, error)
	Wait(read, write bool, timeout time.Duration) (readable, writable bool, err error)
}

var _ Transport = (*engine.NativeEngine)(nil)
