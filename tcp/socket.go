// Package tcp provides Socket, Qt's QTcpSocket: a socket.AbstractSocket
// over TCP.
//
// Everything a QTcpSocket does comes from the embedded AbstractSocket:
// ConnectToHost, the signals, the QIODevice reading API with transactions,
// and the blocking WaitFor* calls. Servers hand out *Socket values from
// server.TCPServer.NextPendingConnection.
package tcp

import (
	"github.com/qsock/qsock/engine"
	"github.com/qsock/qsock/socket"
)

// Socket is a TCP socket (QTcpSocket).
type Socket struct {
	*socket.AbstractSocket
}

// NewSocket creates an unconnected TCP socket on loop. With a nil loop the
// socket is used in blocking style: ConnectToHost, then WaitForConnected,
// WaitForReadyRead and so on, from one goroutine at a time.
func NewSocket(loop *engine.Loop) *Socket {
	return &Socket{socket.NewAbstractSocket(socket.TCPSocket, loop)}
}
