package interop

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// clientTimeout bounds one client run; a hung client fails its test.
const clientTimeout = 20 * time.Second

// result is how a finished program ended.
type result struct {
	stdout, stderr string
	code           int // exit status; -1 when killed
}

// run runs a program to completion with clientTimeout.
func run(t *testing.T, path string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), clientTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Env = childEnv(nil)
	cmd.WaitDelay = time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	r := result{stdout: stdout.String(), stderr: stderr.String()}
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit):
		r.code = exit.ExitCode()
	default:
		t.Fatalf("%s %v: %v", path, args, err)
	}
	if ctx.Err() != nil {
		t.Fatalf("%s %v: still running after %v (stdout %q, stderr %q)", path, args, clientTimeout, r.stdout, r.stderr)
	}
	return r
}

// childEnv is the environment of a started program: ours plus env. Race
// builds would linger 1 s at exit (the race runtime's atexit_sleep_ms); a
// race they detect still fails the run, with exit status 66.
func childEnv(env []string) []string {
	e := append(os.Environ(), env...)
	if raceEnabled {
		e = append(e, "GORACE="+strings.TrimSpace(os.Getenv("GORACE")+" atexit_sleep_ms=0"))
	}
	return e
}

// process is a server started by a test.
type process struct {
	cmd    *exec.Cmd
	stderr *syncBuffer
	done   chan struct{} // closed when Wait returned
	err    error         // Wait's result, after done
}

// start starts a program and registers a cleanup that stops it: SIGTERM to
// exactly its PID, then SIGKILL if it has not exited within 3 s.
func start(t *testing.T, env []string, path string, args ...string) (*process, io.Reader) {
	t.Helper()
	cmd := exec.Command(path, args...)
	cmd.Env = childEnv(env)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	p := &process{cmd: cmd, stderr: new(syncBuffer), done: make(chan struct{})}
	cmd.Stderr = p.stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", path, err)
	}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		if err := p.stop(syscall.SIGTERM, 3*time.Second); err != nil && !killedBy(err, syscall.SIGTERM) {
			t.Logf("stopping %s (pid %d): %v", path, cmd.Process.Pid, err)
		}
	})
	return p, stdout
}

// pid returns the process ID.
func (p *process) pid() int { return p.cmd.Process.Pid }

// stop sends sig to the process and waits up to d for it to exit, then
// kills it. It returns Wait's error (nil for exit status 0).
func (p *process) stop(sig os.Signal, d time.Duration) error {
	select {
	case <-p.done:
		return p.err
	default:
	}
	p.cmd.Process.Signal(sig)
	select {
	case <-p.done:
		return p.err
	case <-time.After(d):
		p.cmd.Process.Kill()
		<-p.done
		return fmt.Errorf("did not exit on %v; killed", sig)
	}
}

// killedBy reports whether err says the process died of sig, as Qt's
// servers do on SIGTERM.
func killedBy(err error, sig syscall.Signal) bool {
	var exit *exec.ExitError
	if !errors.As(err, &exit) {
		return false
	}
	ws, ok := exit.Sys().(syscall.WaitStatus)
	return ok && ws.Signaled() && ws.Signal() == sig
}

// startGoServer starts one of our servers and returns it with the port read
// from its first line, "The server is running on IP: <addr> port: <port>".
func startGoServer(t *testing.T, name string, args ...string) (*process, uint16) {
	t.Helper()
	p, stdout := start(t, nil, bin(name), args...)
	lines := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		lines <- line
		io.Copy(io.Discard, stdout) // keep the pipe drained
	}()
	var line string
	select {
	case line = <-lines:
	case <-time.After(10 * time.Second):
		t.Fatalf("%s printed no first line in 10 s; stderr: %s", name, p.stderr)
	}
	const prefix = "The server is running on IP: "
	i := strings.LastIndex(line, " port: ")
	if !strings.HasPrefix(line, prefix) || i < 0 {
		t.Fatalf("%s: first line %q, want %q<addr> port: <port>; stderr: %s", name, line, prefix, p.stderr)
	}
	port, err := strconv.ParseUint(strings.TrimSpace(line[i+len(" port: "):]), 10, 16)
	if err != nil || port == 0 {
		t.Fatalf("%s: bad port in %q", name, line)
	}
	return p, uint16(port)
}

// syncBuffer is a bytes.Buffer safe for the writing process and a reading
// test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
