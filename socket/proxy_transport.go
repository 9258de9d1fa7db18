package socket

import (
	"context"
	"net/netip"
	"time"

	"github.com/qsock/qsock/engine"
)

// The Transport side of proxyConn: what the socket calls once the
// handshake is done (a byte stream over the control connection), and the
// blocking Wait that drives the handshake for WaitForConnected.

// FD returns the control connection's descriptor, -1 while there is none
// (Qt reports a made-up number for a proxied socket).
func (pc *proxyConn) FD() int {
	if pc.ne == nil {
		return -1
	}
	return pc.ne.FD()
}

// ConnectResult reports the handshake's outcome: engine.ErrInProgress
// while it runs.
func (pc *proxyConn) ConnectResult() error {
	if pc.phase != proxyDone {
		return engine.ErrInProgress
	}
	return pc.err
}

// Bind is not supported through a proxy.
func (pc *proxyConn) Bind(netip.AddrPort) error {
	return proxyFail(UnsupportedSocketOperationError, "Operation on socket is not supported", nil)
}

// Read returns the bytes that came with the proxy's reply first, then
// reads the connection.
func (pc *proxyConn) Read(p []byte) (int, error) {
	if pc.phase != proxyDone || pc.ne == nil {
		return 0, engine.ErrWouldBlock
	}
	if len(pc.in) > 0 {
		n := copy(p, pc.in)
		pc.in = pc.in[n:]
		if len(pc.in) == 0 {
			pc.in = nil
		}
		return n, nil
	}
	return pc.ne.Read(p)
}

// Writev writes to the connection once the handshake is done.
func (pc *proxyConn) Writev(bufs [][]byte) (int, error) {
	if pc.phase != proxyDone || pc.ne == nil {
		return 0, engine.ErrWouldBlock
	}
	return pc.ne.Writev(bufs)
}

// Shutdown shuts the connection down.
func (pc *proxyConn) Shutdown(how int) error {
	if pc.ne == nil {
		return nil
	}
	return pc.ne.Shutdown(how)
}

// Close abandons the handshake or closes the connection.
func (pc *proxyConn) Close() error {
	pc.closed = true
	if pc.cancel != nil {
		pc.cancel()
		pc.cancel = nil
	}
	pc.lookup = nil
	pc.closeEngine()
	pc.in, pc.out = nil, nil
	return nil
}

// BytesAvailable counts the bytes held back from the proxy's reply and
// those the kernel holds.
func (pc *proxyConn) BytesAvailable() (int, error) {
	if pc.ne == nil {
		return len(pc.in), nil
	}
	n, err := pc.ne.BytesAvailable()
	return n + len(pc.in), err
}

// LocalAddr returns what the proxy reported: the SOCKS5 server's bound
// address, or the control connection's local end for HTTP.
func (pc *proxyConn) LocalAddr() (netip.AddrPort, error) {
	if pc.phase == proxyDone && pc.err == nil {
		return pc.local, nil
	}
	if pc.ne == nil {
		return netip.AddrPort{}, ErrNotOpen
	}
	return pc.ne.LocalAddr()
}

// PeerAddr returns the target: an invalid address with the port when the
// proxy resolved a name, as Qt reports it.
func (pc *proxyConn) PeerAddr() (netip.AddrPort, error) {
	return netip.AddrPortFrom(pc.addr, pc.port), nil
}

// SetOption sets o on the control connection, and on any later one.
func (pc *proxyConn) SetOption(o engine.Option, v int) error {
	found := false
	for i := range pc.opts {
		if pc.opts[i].o == o {
			pc.opts[i].v, found = v, true
		}
	}
	if !found {
		pc.opts = append(pc.opts, optionValue{o, v})
	}
	if pc.ne != nil {
		return pc.ne.SetOption(o, v)
	}
	return nil
}

// Option reads o from the control connection (or the value set for it).
func (pc *proxyConn) Option(o engine.Option) (int, error) {
	if pc.ne != nil {
		return pc.ne.Option(o)
	}
	for _, ov := range pc.opts {
		if ov.o == o {
			return ov.v, nil
		}
	}
	return 0, &Error{Code: UnsupportedSocketOperationError, Op: "getsockopt", Err: ErrNotOpen}
}

// Wait is the blocking side. While the handshake runs it drives it on the
// calling goroutine and reports writable once it has finished, however it
// ended (ConnectResult tells), as a native connect does; afterwards it
// waits on the connection, reporting readable at once while bytes from the
// proxy's reply are held back.
func (pc *proxyConn) Wait(read, write bool, timeout time.Duration) (readable, writable bool, err error) {
	if pc.phase != proxyDone {
		return pc.waitHandshake(timeout)
	}
	if read && len(pc.in) > 0 {
		return true, false, nil
	}
	if pc.ne == nil {
		return false, false, ErrNotOpen
	}
	return pc.ne.Wait(read, write, timeout)
}

func (pc *proxyConn) waitHandshake(timeout time.Duration) (bool, bool, error) {
	deadline := time.Now().Add(timeout)
	left := func() time.Duration {
		if timeout < 0 {
			return -1
		}
		return max(time.Until(deadline), 0)
	}
	for pc.phase != proxyDone {
		if pc.closed {
			return false, false, ErrNotOpen
		}
		if pc.phase == proxyLookup {
			if !pc.waitLookup(left()) {
				return false, false, nil
			}
			continue
		}
		r, w, err := pc.ne.Wait(pc.phase == proxyHandshake, pc.phase == proxyDialing || len(pc.out) > 0, left())
		if err != nil {
			pc.fail(pc.controlErr(err, pc.phase == proxyDialing))
			break
		}
		if !r && !w {
			return false, false, nil // time is up
		}
		pc.step(r, w)
	}
	pc.handOver()
	return false, true, nil
}

// waitLookup finishes the proxy's host lookup within d; false when d
// passed first.
func (pc *proxyConn) waitLookup(d time.Duration) bool {
	if ch := pc.lookup; ch != nil {
		var timeout <-chan time.Time
		if d >= 0 {
			t := time.NewTimer(d)
			defer t.Stop()
			timeout = t.C
		}
		select {
		case r := <-ch:
			pc.resolved(r)
			return true
		case <-timeout:
			return false
		}
	}
	ctx := context.Background()
	if d >= 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, d)
		defer cancel()
	}
	addrs, err := resolve(ctx, pc.proxy.HostName)
	if ctx.Err() != nil {
		return false
	}
	pc.resolved(lookupResult{addrs, err})
	return true
}
