package fortune

import (
	"fmt"

	"github.com/qsock/qsock/socket"
)

// Titles of the examples' windows, which prefix their error messages.
const (
	ClientTitle          = "Fortune Client"
	BlockingClientTitle  = "Blocking Fortune Client"
	ServerTitle          = "Fortune Server"
	ThreadedServerTitle  = "Threaded Fortune Server"
	connectionRefusedMsg = "The connection was refused by the peer. " +
		"Make sure the fortune server is running, " +
		"and check that the host name and port settings are correct."
)

// ClientError is the text of Qt's fortuneclient's displayError for code,
// with errorString standing for tcpSocket->errorString().
func ClientError(code socket.SocketError, errorString string) string {
	switch code {
	case socket.HostNotFoundError:
		return "The host was not found. Please check the host name and port settings."
	case socket.ConnectionRefusedError:
		return connectionRefusedMsg
	}
	return otherError(errorString)
}

// BlockingClientError is the text of Qt's blockingfortuneclient's
// displayError (its host message says "host and port", not "host name and
// port", and it has no case for RemoteHostClosedError).
func BlockingClientError(code socket.SocketError, errorString string) string {
	switch code {
	case socket.HostNotFoundError:
		return "The host was not found. Please check the host and port settings."
	case socket.ConnectionRefusedError:
		return connectionRefusedMsg
	}
	return otherError(errorString)
}

// ListenError is the text of the fortune servers' message box when listen
// fails.
func ListenError(errorString string) string {
	return fmt.Sprintf("Unable to start the server: %s.", errorString)
}

func otherError(errorString string) string {
	return fmt.Sprintf("The following error occurred: %s.", errorString)
}
