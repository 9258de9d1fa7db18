package socket_test

import (
	"errors"
	"fmt"
	"syscall"

	"github.com/qsock/qsock/socket"
)

// A Signal1 carries an argument to its slots, in connection order; this is
// how a socket's StateChanged reaches user code.
func ExampleSignal1() {
	var stateChanged socket.Signal1[socket.State]
	stateChanged.Connect(func(st socket.State) { fmt.Println("state:", st) })
	stateChanged.Emit(socket.HostLookupState)
	stateChanged.Emit(socket.ConnectedState)
	// Output:
	// state: HostLookupState
	// state: ConnectedState
}

// A slot can disconnect itself through its Connection, here after the
// first emission, like a Qt::SingleShotConnection.
func ExampleConnection_Disconnect() {
	var readyRead socket.Signal
	var once socket.Connection
	once = readyRead.Connect(func() {
		fmt.Println("first readyRead")
		once.Disconnect()
	})
	readyRead.Connect(func() { fmt.Println("every readyRead") })
	readyRead.Emit()
	readyRead.Emit()
	fmt.Println("still connected:", once.Connected(), "slots:", readyRead.Len())
	// Output:
	// first readyRead
	// every readyRead
	// every readyRead
	// still connected: false slots: 1
}

// A Signal2 carries two arguments, as QSslServer::errorOccurred does.
func ExampleSignal2() {
	var errorOccurred socket.Signal2[string, socket.SocketError]
	errorOccurred.Connect(func(peer string, e socket.SocketError) {
		// fmt prints an error's Error() in preference to String().
		fmt.Printf("%s: %s (%v)\n", peer, e.String(), e)
	})
	errorOccurred.Emit("client 1", socket.RemoteHostClosedError)
	// Output:
	// client 1: RemoteHostClosedError (The remote host closed the connection)
}

// An *Error carries both Qt's code and the system's cause; errors.Is
// matches either.
func ExampleError() {
	var err error = &socket.Error{Code: socket.ConnectionRefusedError, Op: "connect", Err: syscall.ECONNREFUSED}
	fmt.Println(err)
	fmt.Println(errors.Is(err, socket.ConnectionRefusedError), errors.Is(err, syscall.ECONNREFUSED))
	// Output:
	// connect: connection refused
	// true true
}
