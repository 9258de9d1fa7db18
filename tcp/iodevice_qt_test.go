package tcp_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/qsock/qsock/socket"
	"github.com/qsock/qsock/tcp"
)

// Channel counts through a socket's life and the channel signals' order,
// as a Qt 6.4 probe printed them: readyRead before channelReadyRead(0),
// bytesWritten before channelBytesWritten(0, n); counts 0/0 until
// connected, 1/1 while connected, 1/0 after the peer closed or after
// disconnectFromHost, 0/0 after close.
func TestChannelsAsQt(t *testing.T) {
	ln, port := listener(t)
	s := tcp.NewSocket(nil)
	var log []string
	counts := func(when string) {
		log = append(log, fmt.Sprintf("%s rc=%d wc=%d", when, s.ReadChannelCount(), s.WriteChannelCount()))
	}
	s.ReadyRead.Connect(func() { log = append(log, "readyRead") })
	s.ChannelReadyRead.Connect(func(ch int) { log = append(log, fmt.Sprint("channelReadyRead ", ch)) })
	s.BytesWritten.Connect(func(n int64) { log = append(log, fmt.Sprint("bytesWritten ", n)) })
	s.ChannelBytesWritten.Connect(func(ch int, n int64) { log = append(log, fmt.Sprint("channelBytesWritten ", ch, " ", n)) })
	counts("new")
	s.ConnectToHost("127.0.0.1", port)
	counts("connecting")
	if !s.WaitForConnected(5 * time.Second) {
		t.Fatal(s.ErrorString())
	}
	counts("connected")
	peer := accept(t, ln)
	peer.Write([]byte("hi"))
	s.Write([]byte("yo"))
	s.WaitForBytesWritten(5 * time.Second)
	for s.BytesAvailable() < 2 && s.WaitForReadyRead(5*time.Second) {
	}
	if s.Reset() || s.Pos() != 0 || s.Size() != 2 || s.CurrentReadChannel() != 0 || s.CurrentWriteChannel() != 0 {
		t.Errorf("sequential device: Reset %v Pos %d Size %d", s.Reset(), s.Pos(), s.Size())
	}
	s.ReadAll()
	peer.Close()
	s.WaitForDisconnected(5 * time.Second)
	counts("after remote close")
	s.Close()
	counts("after close")

	want := []string{
		"new rc=0 wc=0", "connecting rc=0 wc=0", "connected rc=1 wc=1",
		// waitForBytesWritten reads what is there first, in Qt too.
		"readyRead", "channelReadyRead 0", "bytesWritten 2", "channelBytesWritten 0 2",
		"after remote close rc=1 wc=0", "after close rc=0 wc=0",
	}
	if d := cmp.Diff(want, log); d != "" {
		t.Errorf("channels (-want +got):\n%s", d)
	}

	t2 := tcp.NewSocket(nil)
	t2.ConnectToHost("127.0.0.1", port)
	if !t2.WaitForConnected(5 * time.Second) {
		t.Fatal(t2.ErrorString())
	}
	accept(t, ln).Close()
	t2.DisconnectFromHost()
	if t2.ReadChannelCount() != 1 || t2.WriteChannelCount() != 0 || t2.State() != socket.UnconnectedState {
		t.Errorf("after DisconnectFromHost: rc=%d wc=%d %v; want 1, 0, Unconnected",
			t2.ReadChannelCount(), t2.WriteChannelCount(), t2.State())
	}
}

// Selecting a channel a socket does not have (QIODevice::
// setCurrentReadChannel/setCurrentWriteChannel): reads find nothing and
// readyRead is not emitted, only channelReadyRead(0); writes fail with a
// clear error and bytesWritten is not emitted, only channelBytesWritten.
// Back on channel 0 everything is there. PutChar writes one byte, and the
// protocol tag is kept.
func TestCurrentChannelsAndPutChar(t *testing.T) {
	ln, port := listener(t)
	s := tcp.NewSocket(nil)
	var log []string
	s.ReadyRead.Connect(func() { log = append(log, "readyRead") })
	s.ChannelReadyRead.Connect(func(ch int) { log = append(log, fmt.Sprint("channelReadyRead ", ch)) })
	s.BytesWritten.Connect(func(n int64) { log = append(log, fmt.Sprint("bytesWritten ", n)) })
	s.ChannelBytesWritten.Connect(func(ch int, n int64) { log = append(log, fmt.Sprint("channelBytesWritten ", ch, " ", n)) })
	s.ConnectToHost("127.0.0.1", port)
	if !s.WaitForConnected(5 * time.Second) {
		t.Fatal(s.ErrorString())
	}
	peer := accept(t, ln)
	defer s.Abort()

	if !s.PutChar('p') || !s.WaitForBytesWritten(5*time.Second) {
		t.Fatal("PutChar was not written")
	}
	got := make([]byte, 1)
	if _, err := peer.Read(got); err != nil || got[0] != 'p' {
		t.Fatalf("peer read %q, %v; want \"p\"", got, err)
	}

	s.SetCurrentReadChannel(1)
	peer.Write([]byte("hi"))
	s.WaitForReadyRead(5 * time.Second)
	if s.CurrentReadChannel() != 1 || s.BytesAvailable() != 0 || len(s.ReadAll()) != 0 || s.CanReadLine() {
		t.Errorf("on read channel 1: channel %d, %d bytes available", s.CurrentReadChannel(), s.BytesAvailable())
	}
	s.SetCurrentReadChannel(0)
	if b := s.ReadAll(); string(b) != "hi" {
		t.Errorf("back on channel 0 ReadAll = %q, want \"hi\"", b)
	}

	s.SetCurrentWriteChannel(1)
	if n, err := s.Write([]byte("x")); n != 0 || !errors.Is(err, socket.ErrNoChannel) {
		t.Errorf("Write on write channel 1 = %d, %v; want 0, ErrNoChannel", n, err)
	}
	s.SetCurrentWriteChannel(0)

	s.SetProtocolTag("fortune")
	if s.ProtocolTag() != "fortune" {
		t.Errorf("ProtocolTag = %q", s.ProtocolTag())
	}
	want := []string{"bytesWritten 1", "channelBytesWritten 0 1", "channelReadyRead 0"}
	if d := cmp.Diff(want, log); d != "" {
		t.Errorf("signals (-want +got):\n%s", d)
	}
}
