package tcp_test

import (
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
