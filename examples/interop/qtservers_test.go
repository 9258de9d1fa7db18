package interop

import (
	"fmt"
	"net"
	"strconv"
	"sync"
	"testing"
)

// TestGoClientsQtServers runs both our clients against Qt's real servers.
func TestGoClientsQtServers(t *testing.T) {
	for _, srv := range []string{"fortuneserver", "threadedfortuneserver"} {
		t.Run(srv, func(t *testing.T) {
			port := strconv.Itoa(int(startQtServer(t, srv)))
			for _, c := range clients {
				for _, host := range []string{"localhost", "127.0.0.1"} {
					r := run(t, bin(c.name), "-host", host, "-port", port, "-n", "5")
					checkFortunes(t, fmt.Sprintf("%s -host %s → Qt's %s", c.name, host, srv), r, 5)
				}
			}
		})
	}
}

// TestManyClientsThreaded runs many clients at once against Qt's
// threadedfortuneserver and ours: client processes of both kinds, and
// raw connections checked byte by byte.
func TestManyClientsThreaded(t *testing.T) {
	servers := []struct {
		name  string
		start func(t *testing.T) uint16
	}{
		{"Qt's threadedfortuneserver", func(t *testing.T) uint16 { return startQtServer(t, "threadedfortuneserver") }},
		{"threadedfortuneserver", func(t *testing.T) uint16 {
			_, port := startGoServer(t, "threadedfortuneserver", "-loops", "4")
			return port
		}},
	}
	// At most processes+parallel connections are open at a time, below the
	// listen backlog of 50 that both servers use: past it Linux drops
	// handshakes and the clients wait for retransmissions, seconds long.
	const processes, conns, parallel = 16, 200, 32
	for _, srv := range servers {
		t.Run(srv.name, func(t *testing.T) {
			port := srv.start(t)
			var wg sync.WaitGroup
			for i := range processes {
				wg.Go(func() {
					c := clients[i%len(clients)]
					r := run(t, bin(c.name), "-host", "127.0.0.1", "-port", strconv.Itoa(int(port)), "-n", "3")
					checkFortunes(t, fmt.Sprintf("%s #%d → %s", c.name, i, srv.name), r, 3)
				})
			}
			addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(int(port)))
			errs := make(chan error, conns)
			slots := make(chan struct{}, parallel)
			for range conns {
				wg.Go(func() {
					slots <- struct{}{}
					defer func() { <-slots }()
					b, err := readAll(t, addr)
					if err == nil {
						_, err = whichFortune(b)
					}
					errs <- err
				})
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				if err != nil {
					t.Errorf("raw connection to %s: %v", srv.name, err)
				}
			}
		})
	}
}
