package bridge_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/qsock/qsock/bridge"
	"github.com/qsock/qsock/internal/sockettest"
)

func httpHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /hello", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "hello %s", r.URL.Query().Get("n"))
	})
	mux.HandleFunc("POST /echo", func(w http.ResponseWriter, r *http.Request) {
		io.Copy(w, r.Body)
	})
	return mux
}

// TestHTTPServer serves net/http over a bridged TCPServer, to Go's own
// client and to a client dialing through bridge.Dialer: sequential
// keep-alive requests, concurrent ones, and bodies of several MiB both
// ways; then a graceful Shutdown.
func TestHTTPServer(t *testing.T) {
	serverLoop, clientLoop := sockettest.RunLoop(t), sockettest.RunLoop(t)
	checkLeaks(t)
	ln := listenTCP(t, serverLoop)
	srv := &http.Server{Handler: httpHandler()}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	base := "http://" + ln.Addr().String()

	clients := map[string]*http.Transport{
		"GoClient":    {},
		"QsockClient": {DialContext: (&bridge.Dialer{Loop: clientLoop}).DialContext},
	}
	for name, tr := range clients {
		t.Run(name, func(t *testing.T) {
			defer tr.CloseIdleConnections()
			client := &http.Client{Transport: tr, Timeout: 20 * time.Second}
			for i := range 20 {
				get(t, client, fmt.Sprintf("%s/hello?n=%d", base, i), fmt.Sprintf("hello %d", i))
			}
			var wg sync.WaitGroup
			for g := range 8 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := range 10 {
						n := fmt.Sprint(g*100 + i)
						get(t, client, base+"/hello?n="+n, "hello "+n)
					}
				}()
			}
			wg.Wait()
			body := bytes.Repeat([]byte("0123456789abcdef"), 4<<20/16)
			resp, err := client.Post(base+"/echo", "application/octet-stream", bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil || !bytes.Equal(got, body) {
				t.Fatalf("echo: %d bytes, err %v; want %d bytes back", len(got), err, len(body))
			}
		})
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	if err := <-served; err != http.ErrServerClosed {
		t.Fatalf("Serve: %v", err)
	}
}

func get(t *testing.T, client *http.Client, url, want string) {
	t.Helper()
	resp, err := client.Get(url)
	if err != nil {
		t.Error(err)
		return
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != 200 || strings.TrimSpace(string(b)) != want {
		t.Errorf("GET %s: %d %q %v; want %q", url, resp.StatusCode, b, err, want)
	}
}
