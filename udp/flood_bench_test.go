package udp_test

import (
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/qsock/qsock/socket"
	"github.com/qsock/qsock/udp"
)

// floodEnv names the flood a child process of the test binary runs
// ("port/size"); see TestFloodHelper.
const floodEnv = "QSOCK_UDP_FLOOD"

// TestFloodHelper is not a test: run as a child process with floodEnv
// set, it floods 127.0.0.1:port with datagrams of size bytes from two
// goroutines (sendmmsg batches of 64) until its standard input closes. The
// flood runs in another process so that the receiver's CPU time
// (getrusage RUSAGE_SELF) counts the receiver alone.
func TestFloodHelper(t *testing.T) {
	spec := os.Getenv(floodEnv)
	if spec == "" {
		t.Skip("the flood benchmarks' sender process")
	}
	portStr, sizeStr, _ := strings.Cut(spec, "/")
	port, _ := strconv.Atoi(portStr)
	size, _ := strconv.Atoi(sizeStr)
	ds := make([]udp.Datagram, 64)
	for i := range ds {
		ds[i] = udp.NewDatagram(make([]byte, size), socket.LocalHost, uint16(port))
	}
	for range 2 {
		go func() {
			s := udp.NewSocket(nil)
			for {
				s.WriteDatagrams(ds) // a full queue is the receiver's loss
			}
		}()
	}
	var b [1]byte
	os.Stdin.Read(b[:]) // the parent closes it, or dies
	os.Exit(0)
}

// startFlood starts the flood process against port; the returned stop
// ends it.
func startFlood(b *testing.B, port uint16, size int) (stop func()) {
	b.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestFloodHelper$", "-test.count=1")
	cmd.Env = append(os.Environ(), floodEnv+"="+strconv.Itoa(int(port))+"/"+strconv.Itoa(size))
	in, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	return func() { in.Close(); cmd.Wait() }
}

// cpuTime is the process's user plus system time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// measure runs receive until it has received b.N datagrams and reports
// datagrams per second and per CPU-second of this process.
func measure(b *testing.B, receive func()) {
	b.ReportAllocs()
	b.ResetTimer()
	start, cpu0 := time.Now(), cpuTime()
	receive()
	wall, cpu := time.Since(start), cpuTime()-cpu0
	b.StopTimer()
	b.ReportMetric(float64(b.N)/wall.Seconds(), "dgrams/s")
	b.ReportMetric(float64(b.N)/cpu.Seconds(), "dgrams/CPU-s")
}

// BenchmarkFloodReceive is a receiver under a flood from another process:
// qsock reads in its ReadyRead slot on a loop, draining with
// HasPendingDatagrams and ReadDatagram as Qt's examples do (batched
// underneath); Go's net reads with ReadMsgUDPAddrPort on its goroutine.
// One op is one datagram received; dgrams/CPU-s counts this process's
// CPU time, the receiver's alone.
func BenchmarkFloodReceive(b *testing.B) {
	for _, sz := range sizes {
		b.Run("qsock-loop/"+sz.name, func(b *testing.B) {
			l := newLoop(b)
			var r *udp.Socket
			var got atomic.Int64
			target := int64(b.N)
			finished := make(chan struct{})
			buf := make([]byte, 2048)
			l.Invoke(func() {
				r = udp.NewSocket(l)
				r.SetSocketOption(socket.ReceiveBufferSizeSocketOption, 4<<20)
				r.ReadyRead.Connect(func() {
					for r.HasPendingDatagrams() {
						if _, _, _, err := r.ReadDatagram(buf); err != nil {
							return
						}
						if got.Add(1) == target {
							close(finished)
						}
					}
				})
				if err := r.Bind(socket.LocalHost, 0, 0); err != nil {
					b.Error(err)
				}
			})
			stop := startFlood(b, r.LocalPort(), sz.n)
			defer stop()
			measure(b, func() {
				select {
				case <-finished:
				case <-time.After(60 * time.Second):
					b.Fatal("flood receiver stalled")
				}
			})
			l.Invoke(r.Close)
		})
		b.Run("net/"+sz.name, func(b *testing.B) {
			r := peer(b, "udp4", "127.0.0.1:0")
			r.SetReadBuffer(4 << 20)
			stop := startFlood(b, portOf(r), sz.n)
			defer stop()
			buf, oob := make([]byte, 2048), make([]byte, 64)
			measure(b, func() {
				for range b.N {
					if _, _, _, _, err := r.ReadMsgUDPAddrPort(buf, oob); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}
