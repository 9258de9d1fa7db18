package udp_test

import (
	"fmt"

	"github.com/qsock/qsock/engine"
	"github.com/qsock/qsock/socket"
	"github.com/qsock/qsock/udp"
)

// A receiver on a loop reads every pending datagram in its ReadyRead slot,
// as Qt's broadcastreceiver does; a sender needs no Bind.
func Example() {
	loop, _ := engine.NewLoop()
	defer loop.Close()

	receiver := udp.NewSocket(loop)
	receiver.ReadyRead.Connect(func() {
		for receiver.HasPendingDatagrams() {
			d, err := receiver.ReceiveDatagram(-1)
			if err != nil {
				return
			}
			fmt.Printf("%s (to %v)\n", d.Data, d.Destination.Addr())
			loop.Quit()
		}
	})
	if err := receiver.Bind(socket.LocalHost, 0, socket.ShareAddress); err != nil {
		fmt.Println(err)
		return
	}

	sender := udp.NewSocket(loop)
	sender.StateChanged.Connect(func(st socket.State) { fmt.Println("sender:", st) })
	sender.BytesWritten.Connect(func(n int64) { fmt.Println("sent", n, "bytes") })
	sender.WriteDatagram([]byte("Broadcast message 1"), socket.LocalHost, receiver.LocalPort())

	loop.Run()
	sender.Close()
	receiver.Close()
	// Output:
	// sender: BoundState
	// sent 19 bytes
	// Broadcast message 1 (to 127.0.0.1)
	// sender: ClosingState
	// sender: UnconnectedState
}

// In blocking style (nil loop) WaitForReadyRead waits for a datagram.
func ExampleSocket_WaitForReadyRead() {
	r := udp.NewSocket(nil)
	defer r.Close()
	r.Bind(socket.LocalHost, 0, socket.DefaultForPlatform)

	s := udp.NewSocket(nil)
	defer s.Close()
	s.WriteDatagram([]byte("ping"), socket.LocalHost, r.LocalPort())

	if r.WaitForReadyRead(socket.DefaultWaitTimeout) {
		buf := make([]byte, 64)
		n, _, port, _ := r.ReadDatagram(buf)
		fmt.Printf("%s from port %v: %v\n", buf[:n], port == s.LocalPort(), r.PendingDatagramSize())
	}
	// Output: ping from port true: -1
}

// MakeReply answers a datagram from the address it reached.
func ExampleDatagram_MakeReply() {
	r := udp.NewSocket(nil)
	defer r.Close()
	r.Bind(socket.LocalHost, 0, socket.DefaultForPlatform)
	s := udp.NewSocket(nil)
	defer s.Close()
	s.SendDatagram(udp.NewDatagram([]byte("question"), socket.LocalHost, r.LocalPort()))

	r.WaitForReadyRead(socket.DefaultWaitTimeout)
	q, _ := r.ReceiveDatagram(-1)
	r.SendDatagram(q.MakeReply([]byte("answer")))

	s.WaitForReadyRead(socket.DefaultWaitTimeout)
	a, _ := s.ReceiveDatagram(-1)
	fmt.Printf("%s from %v\n", a.Data, a.Sender.Addr().Unmap())
	// Output: answer from 127.0.0.1
}

// Connected UDP: Read and Write move one datagram each.
func ExampleSocket_ConnectToHost() {
	server := udp.NewSocket(nil)
	defer server.Close()
	server.Bind(socket.LocalHost, 0, socket.DefaultForPlatform)

	c := udp.NewSocket(nil)
	defer c.Close()
	c.ConnectToHost("127.0.0.1", server.LocalPort())
	fmt.Println(c.State())
	c.Write([]byte("hello"))

	server.WaitForReadyRead(socket.DefaultWaitTimeout)
	d, _ := server.ReceiveDatagram(-1)
	fmt.Printf("%s\n", d.Data)
	// Output:
	// ConnectedState
	// hello
}
