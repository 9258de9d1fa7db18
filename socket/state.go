package socket

import "strconv"

// State is the state of a socket: QAbstractSocket::SocketState, with Qt's
// names and numbers.
type State int

// The socket states, in Qt's order and with Qt's numbers.
const (
	UnconnectedState State = 0 // QAbstractSocket::UnconnectedState: not connected
	HostLookupState  State = 1 // QAbstractSocket::HostLookupState: resolving the host name
	ConnectingState  State = 2 // QAbstractSocket::ConnectingState: connect(2) in progress
	ConnectedState   State = 3 // QAbstractSocket::ConnectedState: a connection is established
	BoundState       State = 4 // QAbstractSocket::BoundState: bound to an address and port
	ListeningState   State = 5 // QAbstractSocket::ListeningState: listening (Qt: "for internal use only")
	ClosingState     State = 6 // QAbstractSocket::ClosingState: closing, buffered data still being written
)

var stateNames = [...]string{
	UnconnectedState: "UnconnectedState",
	HostLookupState:  "HostLookupState",
	ConnectingState:  "ConnectingState",
	ConnectedState:   "ConnectedState",
	BoundState:       "BoundState",
	ListeningState:   "ListeningState",
	ClosingState:     "ClosingState",
}

// String returns Qt's name of the state, such as "ConnectedState", or
// "State(n)" for a number Qt does not define.
func (s State) String() string {
	if s >= 0 && int(s) < len(stateNames) {
		return stateNames[s]
	}
	return "State(" + strconv.Itoa(int(s)) + ")"
}
