package engine_test

import (
	"errors"
	"testing"

	"github.com/qsock/qsock/engine"
	"golang.org/x/sys/unix"
)

func TestOptionRoundTrip(t *testing.T) {
	checkLeaks(t)
	type opt struct {
		o      engine.Option
		values []int
	}
	flags := []int{1, 0, 1}
	common := []opt{
		{engine.NonBlockingOption, []int{0, 1}},
		{engine.ReceiveBufferOption, []int{64 << 10}},
		{engine.SendBufferOption, []int{64 << 10}},
		{engine.ReuseAddressOption, flags},
		{engine.ReusePortOption, flags},
		{engine.TypeOfServiceOption, []int{0x20, 0}},
	}
	tcp := []opt{
		{engine.LowDelayOption, flags},
		{engine.KeepAliveOption, flags},
		{engine.ReceiveOutOfBandOption, flags},
	}
	udp := []opt{
		{engine.BroadcastOption, flags},
		{engine.MulticastTTLOption, []int{5, 1}},
		{engine.MulticastLoopbackOption, []int{0, 1}},
		{engine.ReceivePacketInfoOption, flags},
		{engine.ReceiveHopLimitOption, flags},
	}
	for _, f := range ipFamilies {
		for _, typ := range []struct {
			name string
			typ  int
			opts []opt
		}{{"TCP", unix.SOCK_STREAM, tcp}, {"UDP", unix.SOCK_DGRAM, udp}} {
			t.Run(f.name+"/"+typ.name, func(t *testing.T) {
				e := newTestEngine(t, f.domain, typ.typ)
				opts := append(append([]opt{}, common...), typ.opts...)
				if f.domain == unix.AF_INET6 {
					// Dual-stack by default: reads back 0 before anyone sets it.
					if v, err := e.Option(engine.IPv6OnlyOption); v != 0 || err != nil {
						t.Errorf("IPv6OnlyOption on a new socket = %d, %v; want 0 (dual-stack)", v, err)
					}
					opts = append(opts, opt{engine.IPv6OnlyOption, flags})
				}
				for _, o := range opts {
					for _, v := range o.values {
						if err := e.SetOption(o.o, v); err != nil {
							t.Errorf("SetOption(%v, %d): %v", o.o, v, err)
							continue
						}
						got, err := e.Option(o.o)
						switch {
						case err != nil:
							t.Errorf("Option(%v): %v", o.o, err)
						case o.o == engine.ReceiveBufferOption || o.o == engine.SendBufferOption:
							// Linux doubles it for bookkeeping.
							if got < v {
								t.Errorf("%v = %d after setting %d", o.o, got, v)
							}
						case got != v:
							t.Errorf("%v = %d after setting %d", o.o, got, v)
						}
					}
				}
			})
		}
	}
}

func TestOptionErrors(t *testing.T) {
	checkLeaks(t)
	e := newTestEngine(t, unix.AF_INET, unix.SOCK_DGRAM)
	// An unconnected socket has no path MTU yet.
	if _, err := e.Option(engine.PathMTUOption); err == nil {
		t.Error("PathMTUOption on an unconnected socket succeeded")
	}
	var op *engine.OpError
	if err := e.SetOption(engine.IPv6OnlyOption, 1); !errors.As(err, &op) || op.Op != "setsockopt" {
		t.Errorf("IPv6OnlyOption on AF_INET = %v, want *OpError setsockopt", err)
	}
	if err := e.SetOption(engine.Option(99), 1); !errors.Is(err, unix.ENOPROTOOPT) {
		t.Errorf("unknown option = %v, want ENOPROTOOPT", err)
	}
	if s := engine.LowDelayOption.String(); s != "LowDelayOption" {
		t.Errorf("String = %q", s)
	}
	if s := engine.Option(99).String(); s != "Option(99)" {
		t.Errorf("String = %q", s)
	}
}
