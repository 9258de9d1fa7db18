package socket

// DisconnectFromHost closes the connection gracefully
// (QAbstractSocket::disconnectFromHost): the socket enters ClosingState,
// every queued byte is written, then StateChanged(Unconnected),
// ReadChannelFinished and Disconnected follow. While looking up or
// connecting it only marks the close as pending: the socket still
// connects, sends what was written, then closes, as Qt does. The socket
// stays open for reading what is buffered.
func (s *AbstractSocket) DisconnectFromHost() {
	switch s.State() {
	case UnconnectedState:
		return
	case HostLookupState, ConnectingState:
		if !s.is(flagAbortCalled) {
			s.flags |= flagPendingClose
			return
		}
	}
	if !s.is(flagAbortCalled) {
		if s.State() != ClosingState {
			s.setState(ClosingState)
			if s.State() != ClosingState {
				return
			}
		}
		if s.tr != nil && (s.wbuf.Len() > 0 || s.Layer() != nil) {
			// Stop reading and let the write notifier drain the
			// buffer; canWrite finishes the close. Without a loop the
			// socket stays Closing until Flush or a WaitFor* call
			// writes the rest, as Qt's does without an event loop.
			s.setNotify(false, true)
			return
		}
	}
	s.finishDisconnect()
}

// finishDisconnect releases the descriptor and emits the end of a close:
// StateChanged(Unconnected), ReadChannelFinished and, when the socket had
// been connected, Disconnected. The addresses are cleared afterwards, so
// the slots can still read them.
func (s *AbstractSocket) finishDisconnect() {
	prev := s.State()
	if s.Layer() != nil && s.tr != nil && !s.is(flagAbortCalled) {
		s.Layer().Shutdown(s.tr)
	}
	s.cancelLookup()
	s.releaseTransport()
	s.wbuf.Reset()
	s.flags &^= flagPendingClose
	s.flags &^= flagWriteChannel // Qt keeps the read channel: buffered bytes stay readable
	s.st = uint8(UnconnectedState)
	s.StateChanged.Emit(UnconnectedState)
	s.ReadChannelFinished.Emit()
	if prev == ConnectedState || prev == ClosingState {
		s.Disconnected.Emit()
	}
	if s.State() == UnconnectedState {
		s.clearAddresses()
	}
}

func (s *AbstractSocket) clearAddresses() {
	s.localAddr, s.localPort = packedAddr{}, 0
	s.peerAddr, s.peerPort = packedAddr{}, 0
	// Qt keeps peerName until the next connectToHost.
}

// Abort closes at once, dropping whatever is queued for writing
// (QAbstractSocket::abort): AboutToClose, StateChanged(Unconnected),
// ReadChannelFinished, and Disconnected if it was connected. The peer sees
// the connection closed. On an Unconnected socket that is still open (the
// peer closed it) it closes the device, as Qt 6 does (Qt 5 did nothing);
// on one that is not open it does nothing.
func (s *AbstractSocket) Abort() {
	if s.State() == UnconnectedState {
		if s.OpenMode() != NotOpen {
			s.Close()
		}
		return
	}
	s.flags |= flagAbortCalled
	s.wbuf.Reset()
	s.Close()
}

// Close emits AboutToClose, discards the read buffer, and disconnects
// gracefully: queued writes are still sent, as Qt's close does through
// disconnectFromHost. Afterwards the socket is not open.
func (s *AbstractSocket) Close() {
	if s.OpenMode() != NotOpen {
		s.AboutToClose.Emit()
	}
	s.openMode = uint8(NotOpen)
	s.flags &^= flagReadChannel | flagWriteChannel
	s.rbuf.Reset()
	s.flags &^= flagTxn
	s.setTxnPos(0)
	if s.State() != UnconnectedState {
		s.DisconnectFromHost()
	}
	if s.State() == UnconnectedState {
		s.clearAddresses()
		// A socket that failed to connect or was bound keeps nothing.
		s.releaseTransport()
	}
}

// resetBuffers empties both buffers, as a new connection starts clean.
func (s *AbstractSocket) resetBuffers() {
	s.rbuf.Reset()
	s.wbuf.Reset()
	s.flags &^= flagTxn | flagEOF
	s.setTxnPos(0)
}
