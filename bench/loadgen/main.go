// Command loadgen drives one echo server through one scenario and prints
// one JSON line with the result (see Result).
//
// Scenarios (-kind):
//
//	pingpong  -conns N -size S: each connection sends S bytes and waits for
//	          them to come back before sending again (TCP_NODELAY on).
//	          Round-trip latency goes into a histogram (p50/p99/p99.9).
//	pipeline  -conns N -size S -depth D: as pingpong, but each round trip
//	          carries D messages written at once; one op is one message.
//	bulk      -conns 1 -size S: one goroutine writes S-byte chunks as fast
//	          as the server takes them, another reads the echo; ops are bytes.
//	connect   -workers W: each worker connects, sends 1 byte, reads it
//	          back and closes, in a loop (blocking system calls, one OS
//	          thread per worker); one op is one connection.
//	idle      -conns N: opens N connections, echoes 64 bytes once on each,
//	          waits -settle, then reads the server's RSS; ops are
//	          connections.
//
// With -tls every connection is a crypto/tls client (TLS 1.3,
// InsecureSkipVerify, no ALPN, no session cache, so that every handshake
// is a full one): pingpong, pipeline, bulk and idle handshake each
// connection before the load starts; connect makes a full handshake per
// op (connect, handshake, 1-byte echo, close with close_notify), with Go's
// net package instead of raw system calls.
//
// While the measurement window (-duration, after -warmup) runs, the
// server's CPU time (utime+stime from /proc/PID/stat) is sampled at both
// ends, so throughput can be given per second of server CPU.
package main

import (
	"bufio"
	"crypto/tls"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"math/bits"
	"net"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// Result is one scenario run against one server: the JSON line loadgen
// prints.
type Result struct {
	Server   string  `json:"server"`
	Scenario string  `json:"scenario"`
	Kind     string  `json:"kind"`
	Round    int     `json:"round"`
	Conns    int     `json:"conns"`
	Size     int     `json:"size"`
	Depth    int     `json:"depth,omitempty"`
	Window   float64 `json:"window_s"`
	Ops      int64   `json:"ops"`   // messages, bytes (bulk) or connections
	Bytes    int64   `json:"bytes"` // payload bytes echoed back
	Errors   int64   `json:"errors"`
	FirstErr string  `json:"first_error,omitempty"`
	Unit     string  `json:"unit"` // what an op is: msg, B, conn

	OpsPerSec    float64 `json:"ops_per_s"`
	ServerCPU    float64 `json:"server_cpu_s"`   // over the window
	ServerUtil   float64 `json:"server_util"`    // cores
	OpsPerCPUSec float64 `json:"ops_per_cpu_s"`  // ops / server CPU-second
	ClientCPU    float64 `json:"client_cpu_s"`   // loadgen's own, over the window
	P50us        float64 `json:"p50_us"`         // round trip (pingpong, pipeline, connect)
	P99us        float64 `json:"p99_us"`         //
	P999us       float64 `json:"p999_us"`        //
	RSSBaseKB    int64   `json:"rss_base_kb"`    // server VmRSS before the load
	RSSKB        int64   `json:"rss_kb"`         // server VmRSS at the end (idle: with the N connections open)
	HWMKB        int64   `json:"hwm_kb"`         // server VmHWM at the end
	RSSPerConnB  float64 `json:"rss_per_conn_b"` // idle: (RSS - base) / N
	SetupSeconds float64 `json:"setup_s,omitempty"`
	TLS          bool    `json:"tls,omitempty"`
}

var (
	addr     = flag.String("addr", "127.0.0.1:9000", "server address")
	pid      = flag.Int("pid", 0, "server process id, for CPU and memory (0: not measured)")
	server   = flag.String("server", "?", "server label for the result")
	scenario = flag.String("scenario", "", "scenario label for the result (default: from the kind)")
	round    = flag.Int("round", 0, "round number for the result")
	kind     = flag.String("kind", "pingpong", "pingpong, pipeline, bulk, connect or idle")
	conns    = flag.Int("conns", 1, "connections")
	size     = flag.Int("size", 64, "message or chunk size in bytes")
	depth    = flag.Int("depth", 16, "messages per round trip (pipeline)")
	workers  = flag.Int("workers", 16, "connecting workers (connect, idle)")
	dsts     = flag.Int("dsts", 8, "connect: spread over 127.0.0.1..127.0.0.N so that TIME_WAIT does not run out of ports")
	duration = flag.Duration("duration", 3*time.Second, "measurement window")
	warmup   = flag.Duration("warmup", 500*time.Millisecond, "load before the window starts")
	settle   = flag.Duration("settle", time.Second, "idle: wait before reading RSS")
	wait     = flag.Duration("wait", 10*time.Second, "wait this long for the server to accept")
	useTLS   = flag.Bool("tls", false, "TLS 1.3 client connections (full handshakes, no verification)")
)

// tlsConfig is the client side of every TLS connection: TLS 1.3 only,
// the certificate not checked (the servers' are self-signed), no ALPN,
// and no ClientSessionCache, so that no session is ever resumed.
var tlsConfig = &tls.Config{
	InsecureSkipVerify: true,
	MinVersion:         tls.VersionTLS13,
	MaxVersion:         tls.VersionTLS13,
}

func main() {
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("loadgen: ")
	if *scenario == "" {
		*scenario = *kind
	}
	if err := waitForServer(); err != nil {
		log.Fatal(err)
	}
	r := Result{Server: *server, Scenario: *scenario, Kind: *kind, Round: *round, Conns: *conns, Size: *size, TLS: *useTLS}
	r.RSSBaseKB, _ = procStatus("VmRSS")
	var err error
	switch *kind {
	case "pingpong":
		r.Depth = 0
		err = pingpong(&r, 1)
	case "pipeline":
		r.Depth = *depth
		err = pingpong(&r, *depth)
	case "bulk":
		err = bulk(&r)
	case "connect":
		r.Conns = *workers
		r.Size = 1
		if *useTLS {
			err = connectTLSRate(&r)
		} else {
			err = connectRate(&r)
		}
	case "idle":
		err = idle(&r)
	default:
		err = fmt.Errorf("unknown -kind %q", *kind)
	}
	if err != nil {
		log.Fatalf("%s %s: %v", *server, *scenario, err)
	}
	if r.RSSKB == 0 {
		r.RSSKB, _ = procStatus("VmRSS")
	}
	r.HWMKB, _ = procStatus("VmHWM")
	if r.Kind == "idle" && r.Ops > 0 {
		r.RSSPerConnB = float64(r.RSSKB-r.RSSBaseKB) * 1024 / float64(r.Ops)
	}
	if r.Window > 0 {
		r.OpsPerSec = float64(r.Ops) / r.Window
		r.ServerUtil = r.ServerCPU / r.Window
	}
	if r.ServerCPU > 0 {
		r.OpsPerCPUSec = float64(r.Ops) / r.ServerCPU
	}
	r.FirstErr = firstErr
	b, _ := json.Marshal(r)
	fmt.Println(string(b))
	fmt.Fprintln(os.Stderr, summary(&r))
}

// summary is the one-line human form of r.
func summary(r *Result) string {
	s := fmt.Sprintf("round %d %-15s %-8s", r.Round, r.Scenario, r.Server)
	if r.Kind == "idle" {
		return s + fmt.Sprintf(" %d conns, server RSS %d kB (%.0f B/conn), %d errors", r.Ops, r.RSSKB, r.RSSPerConnB, r.Errors)
	}
	s += fmt.Sprintf(" %12.0f %s/s  %5.2f server cores  %12.0f %s/CPU-s", r.OpsPerSec, r.Unit, r.ServerUtil, r.OpsPerCPUSec, r.Unit)
	if r.P99us > 0 {
		s += fmt.Sprintf("  p50 %.0f p99 %.0f µs", r.P50us, r.P99us)
	}
	if r.Errors > 0 {
		s += fmt.Sprintf("  %d errors (first: %s)", r.Errors, r.FirstErr)
	}
	return s
}

// waitForServer dials until the server accepts.
func waitForServer() error {
	deadline := time.Now().Add(*wait)
	for {
		c, err := net.DialTimeout("tcp", *addr, time.Second)
		if err == nil {
			return c.Close()
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("server at %s not accepting: %v", *addr, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// firstErr keeps the first error a scenario met, for the result.
var (
	firstErrMu sync.Mutex
	firstErr   string
)

func noteErr(err error) {
	firstErrMu.Lock()
	if firstErr == "" {
		firstErr = err.Error()
	}
	firstErrMu.Unlock()
}

// ---- measurement ----

// window runs the warm-up, then the measurement window, sampling the
// server's and the load generator's CPU time and the op counter at both
// ends. rec is set while the window is open.
func window(r *Result, ops func() int64, rec *atomic.Bool) {
	time.Sleep(*warmup)
	s0, _ := serverCPU()
	c0 := selfCPU()
	o0 := ops()
	t0 := time.Now()
	rec.Store(true)
	time.Sleep(*duration)
	rec.Store(false)
	o1 := ops()
	el := time.Since(t0)
	s1, _ := serverCPU()
	c1 := selfCPU()
	r.Window = el.Seconds()
	r.Ops = o1 - o0
	r.ServerCPU = s1 - s0
	r.ClientCPU = c1 - c0
}

// clkTck is USER_HZ; Linux reports 100 on every architecture Go runs on.
const clkTck = 100

// serverCPU returns the server's utime+stime in seconds.
func serverCPU() (float64, error) {
	if *pid == 0 {
		return 0, nil
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", *pid))
	if err != nil {
		return 0, err
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0, errors.New("bad /proc stat")
	}
	f := strings.Fields(s[i+1:])
	// f[0] is field 3 (state); utime is field 14, stime 15.
	if len(f) < 13 {
		return 0, errors.New("short /proc stat")
	}
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return float64(ut+st) / clkTck, nil
}

// procStatus returns a kB field (VmRSS, VmHWM) of the server's
// /proc/PID/status.
func procStatus(field string) (int64, error) {
	if *pid == 0 {
		return 0, nil
	}
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", *pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, field+":") {
			fs := strings.Fields(line[len(field)+1:])
			if len(fs) > 0 {
				return strconv.ParseInt(fs[0], 10, 64)
			}
		}
	}
	return 0, fmt.Errorf("%s not found", field)
}

func selfCPU() float64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}

// counter is one goroutine's op count, on its own cache line.
type counter struct {
	n atomic.Int64
	_ [56]byte
}

func sum(cs []counter) int64 {
	var t int64
	for i := range cs {
		t += cs[i].n.Load()
	}
	return t
}

// ---- latency histogram ----

// hist is a log-linear histogram of nanoseconds: exact below 64 ns, then
// 32 buckets per power of two (3 % resolution).
type hist [64 + 58*32]uint64

func histIndex(v uint64) int {
	if v < 64 {
		return int(v)
	}
	shift := bits.Len64(v) - 6
	return 64 + (shift-1)*32 + int(v>>uint(shift)) - 32
}

// histValue is the middle of bucket i.
func histValue(i int) float64 {
	if i < 64 {
		return float64(i)
	}
	k := i - 64
	shift := uint(k/32 + 1)
	top := uint64(k%32 + 32)
	return float64(top<<shift) + float64(uint64(1)<<shift)/2
}

func (h *hist) record(d time.Duration) {
	if d < 0 {
		d = 0
	}
	h[histIndex(uint64(d))]++
}

func (h *hist) add(o *hist) {
	for i := range h {
		h[i] += o[i]
	}
}

// quantile returns the q-quantile in microseconds.
func (h *hist) quantile(q float64) float64 {
	var total uint64
	for _, c := range h {
		total += c
	}
	if total == 0 {
		return 0
	}
	want := uint64(q * float64(total))
	if want >= total {
		want = total - 1
	}
	var seen uint64
	for i, c := range h {
		seen += c
		if seen > want {
			return histValue(i) / 1e3
		}
	}
	return 0
}

func (r *Result) setLatency(h *hist) {
	r.P50us = h.quantile(0.50)
	r.P99us = h.quantile(0.99)
	r.P999us = h.quantile(0.999)
}

// ---- connections ----

// dialAll opens n connections with TCP_NODELAY, using a few dialers at
// once so that a small listen backlog does not overflow. With -tls each
// one is a crypto/tls client whose handshake is done.
func dialAll(n, par int) ([]net.Conn, error) {
	cs := make([]net.Conn, n)
	var next atomic.Int64
	var firstErr error
	var mu sync.Mutex
	var wg sync.WaitGroup
	for w := 0; w < par; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				c, err := net.DialTimeout("tcp", *addr, 10*time.Second)
				if err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					return
				}
				c.(*net.TCPConn).SetNoDelay(true)
				if *useTLS {
					tc := tls.Client(c, tlsConfig)
					tc.SetDeadline(time.Now().Add(10 * time.Second))
					if err := tc.Handshake(); err != nil {
						c.Close()
						mu.Lock()
						if firstErr == nil {
							firstErr = fmt.Errorf("TLS handshake: %w", err)
						}
						mu.Unlock()
						return
					}
					tc.SetDeadline(time.Time{})
					c = tc
				}
				cs[i] = c
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		closeAll(cs)
		return nil, firstErr
	}
	return cs, nil
}

func closeAll(cs []net.Conn) {
	for _, c := range cs {
		if c != nil {
			c.Close()
		}
	}
}

// ---- scenarios ----

// pingpong: each connection writes depth messages of -size bytes at once,
// reads them all back, and starts again.
func pingpong(r *Result, depth int) error {
	cs, err := dialAll(*conns, 32)
	if err != nil {
		return err
	}
	defer closeAll(cs)
	counts := make([]counter, len(cs))
	hists := make([]hist, len(cs))
	var stop, rec atomic.Bool
	var errs atomic.Int64
	var wg sync.WaitGroup
	for i, c := range cs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out := make([]byte, *size*depth)
			in := make([]byte, len(out))
			h := &hists[i]
			for !stop.Load() {
				t0 := time.Now()
				if _, err := c.Write(out); err != nil {
					errs.Add(1)
					noteErr(err)
					return
				}
				if _, err := io.ReadFull(c, in); err != nil {
					errs.Add(1)
					noteErr(err)
					return
				}
				if rec.Load() {
					h.record(time.Since(t0))
				}
				counts[i].n.Add(int64(depth))
			}
		}()
	}
	window(r, func() int64 { return sum(counts) }, &rec)
	stop.Store(true)
	for _, c := range cs {
		c.SetDeadline(time.Now().Add(2 * time.Second))
	}
	wg.Wait()
	var h hist
	for i := range hists {
		h.add(&hists[i])
	}
	r.setLatency(&h)
	r.Unit = "msg"
	r.Bytes = r.Ops * int64(*size)
	r.Errors = errs.Load()
	return nil
}

// bulk: one writer streams -size chunks, one reader counts the echo.
func bulk(r *Result) error {
	cs, err := dialAll(*conns, 4)
	if err != nil {
		return err
	}
	counts := make([]counter, len(cs))
	var rec atomic.Bool
	var wg sync.WaitGroup
	for i, c := range cs {
		wg.Add(2)
		go func() {
			defer wg.Done()
			out := make([]byte, *size)
			for {
				if _, err := c.Write(out); err != nil {
					return
				}
			}
		}()
		go func() {
			defer wg.Done()
			in := make([]byte, 64<<10)
			for {
				n, err := c.Read(in)
				counts[i].n.Add(int64(n))
				if err != nil {
					return
				}
			}
		}()
	}
	window(r, func() int64 { return sum(counts) }, &rec)
	closeAll(cs)
	wg.Wait()
	r.Unit = "B"
	r.Bytes = r.Ops
	return nil
}

// connectRate: each worker, on its own OS thread with blocking system
// calls, connects, echoes one byte and closes.
func connectRate(r *Result) error {
	ap, err := net.ResolveTCPAddr("tcp4", *addr)
	if err != nil {
		return err
	}
	ip4 := ap.IP.To4()
	if ip4 == nil || ip4[0] != 127 {
		*dsts = 1
	}
	counts := make([]counter, *workers)
	hists := make([]hist, *workers)
	var stop, rec atomic.Bool
	var errs atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < *workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			runtime.LockOSThread()
			h := &hists[w]
			one := []byte{'x'}
			in := make([]byte, 1)
			for k := w; !stop.Load(); k++ {
				sa := &unix.SockaddrInet4{Port: ap.Port}
				copy(sa.Addr[:], ip4)
				if *dsts > 1 {
					sa.Addr[3] = byte(1 + k%*dsts)
				}
				t0 := time.Now()
				if err := echoOnce(sa, one, in); err != nil {
					errs.Add(1)
					noteErr(err)
					time.Sleep(time.Millisecond)
					continue
				}
				if rec.Load() {
					h.record(time.Since(t0))
				}
				counts[w].n.Add(1)
			}
		}()
	}
	window(r, func() int64 { return sum(counts) }, &rec)
	stop.Store(true)
	wg.Wait()
	var h hist
	for i := range hists {
		h.add(&hists[i])
	}
	r.setLatency(&h)
	r.Unit = "conn"
	r.Bytes = r.Ops
	r.Errors = errs.Load()
	return nil
}

// connectTLSRate: each worker connects, makes a full TLS handshake,
// echoes one byte and closes (close_notify, then FIN), in a loop.
func connectTLSRate(r *Result) error {
	ap, err := net.ResolveTCPAddr("tcp4", *addr)
	if err != nil {
		return err
	}
	ip4 := ap.IP.To4()
	if ip4 == nil || ip4[0] != 127 {
		*dsts = 1
	}
	counts := make([]counter, *workers)
	hists := make([]hist, *workers)
	var stop, rec atomic.Bool
	var errs atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < *workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			h := &hists[w]
			one := []byte{'x'}
			in := make([]byte, 1)
			dst := &net.TCPAddr{IP: make(net.IP, 4), Port: ap.Port}
			copy(dst.IP, ip4)
			for k := w; !stop.Load(); k++ {
				if *dsts > 1 {
					dst.IP[3] = byte(1 + k%*dsts)
				}
				t0 := time.Now()
				if err := tlsEchoOnce(dst, one, in); err != nil {
					errs.Add(1)
					noteErr(err)
					time.Sleep(time.Millisecond)
					continue
				}
				if rec.Load() {
					h.record(time.Since(t0))
				}
				counts[w].n.Add(1)
			}
		}()
	}
	window(r, func() int64 { return sum(counts) }, &rec)
	stop.Store(true)
	wg.Wait()
	var h hist
	for i := range hists {
		h.add(&hists[i])
	}
	r.setLatency(&h)
	r.Unit = "conn"
	r.Bytes = r.Ops
	r.Errors = errs.Load()
	return nil
}

func tlsEchoOnce(dst *net.TCPAddr, out, in []byte) error {
	c, err := net.DialTCP("tcp4", nil, dst)
	if err != nil {
		return err
	}
	c.SetDeadline(time.Now().Add(5 * time.Second))
	tc := tls.Client(c, tlsConfig)
	defer tc.Close()
	if err := tc.Handshake(); err != nil {
		return err
	}
	if _, err := tc.Write(out); err != nil {
		return err
	}
	if _, err := io.ReadFull(tc, in); err != nil {
		return err
	}
	return nil
}

func echoOnce(sa *unix.SockaddrInet4, out, in []byte) error {
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return err
	}
	defer unix.Close(fd)
	unix.SetsockoptInt(fd, unix.IPPROTO_TCP, unix.TCP_NODELAY, 1)
	tv := unix.Timeval{Sec: 5}
	unix.SetsockoptTimeval(fd, unix.SOL_SOCKET, unix.SO_RCVTIMEO, &tv)
	if err := unix.Connect(fd, sa); err != nil {
		return err
	}
	if _, err := unix.Write(fd, out); err != nil {
		return err
	}
	n, err := unix.Read(fd, in)
	if err != nil {
		return err
	}
	if n != 1 {
		return io.ErrUnexpectedEOF
	}
	return nil
}

// idle: open -conns connections, echo 64 bytes once on each, and measure
// the server's RSS with all of them open.
func idle(r *Result) error {
	t0 := time.Now()
	cs, err := dialAll(*conns, *workers)
	if err != nil {
		return err
	}
	defer closeAll(cs)
	var errs atomic.Int64
	var wg sync.WaitGroup
	var next atomic.Int64
	for w := 0; w < *workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out := make([]byte, 64)
			in := make([]byte, 64)
			for {
				i := int(next.Add(1) - 1)
				if i >= len(cs) {
					return
				}
				c := cs[i]
				c.SetDeadline(time.Now().Add(10 * time.Second))
				if _, err := c.Write(out); err != nil {
					errs.Add(1)
					noteErr(err)
					continue
				}
				if _, err := io.ReadFull(c, in); err != nil {
					errs.Add(1)
					noteErr(err)
				}
			}
		}()
	}
	wg.Wait()
	r.SetupSeconds = time.Since(t0).Seconds()
	time.Sleep(*settle)
	r.RSSKB, _ = procStatus("VmRSS")
	r.Ops = int64(len(cs)) - errs.Load()
	r.Errors = errs.Load()
	r.Unit = "conn"
	r.Bytes = 64 * r.Ops
	return nil
}
