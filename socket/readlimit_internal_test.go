package socket

import (
	"bytes"
	"net"
	"testing"
	"time"
)

// With ReadBufferSize 0 (unlimited) the buffer still stops taking bytes at
// maxReadBuffered: reading pauses there, as at a set size, and resumes as
// the application reads, with no byte lost or reordered.
func TestUnlimitedReadBufferPausesAtMax(t *testing.T) {
	defer func(old int) { maxReadBuffered = old }(maxReadBuffered)
	maxReadBuffered = 8 << 10

	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	s := NewAbstractSocket(TCPSocket, nil)
	s.ConnectToAddress(LocalHost, uint16(ln.Addr().(*net.TCPAddr).Port))
	peer, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	defer peer.Close()
	if !s.WaitForConnected(5 * time.Second) {
		t.Fatalf("not connected: %v", s.ErrorString())
	}
	defer s.Abort()

	sent := make([]byte, 256<<10)
	for i := range sent {
		sent[i] = byte(i * 7)
	}
	go func() { peer.Write(sent) }()

	var got []byte
	buf := make([]byte, 3000)
	for len(got) < len(sent) {
		if s.BytesAvailable() == 0 && !s.WaitForReadyRead(5*time.Second) {
			t.Fatalf("after %d bytes: no more data: %v", len(got), s.ErrorString())
		}
		if n := s.BytesAvailable(); n > int64(maxReadBuffered) {
			t.Fatalf("%d bytes buffered, more than the %d-byte bound", n, maxReadBuffered)
		}
		n, err := s.Read(buf)
		if err != nil {
			t.Fatalf("read after %d bytes: %v", len(got), err)
		}
		got = append(got, buf[:n]...)
	}
	if !bytes.Equal(got, sent) {
		t.Fatalf("received bytes differ from those sent (%d of %d)", len(got), len(sent))
	}
}
