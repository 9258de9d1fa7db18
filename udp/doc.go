// Package udp provides Socket, Qt's QUdpSocket, and Datagram, Qt's
// QNetworkDatagram.
//
// A Socket embeds *socket.AbstractSocket, so the states, signals, errors,
// options and blocking WaitFor* calls are the ones every qsock socket has.
// What differs is what QUdpSocket changes: UDP is unbuffered, so
// WriteDatagram, SendDatagram and a connected Write send one datagram at
// once and emit BytesWritten before they return; ReadDatagram and
// ReceiveDatagram take one datagram at a time; and ReadyRead follows
// QUdpSocket's rule: it is not emitted again while a datagram announced by
// it is unread, and every read re-arms it.
//
// Beyond Qt, and invisible to the user: once ReadyRead has announced
// datagrams, the socket takes up to 32 of them from the kernel in one
// recvmmsg (a loop of recvmsg where the system has none) and serves
// HasPendingDatagrams, PendingDatagramSize and the reads from that batch,
// with the same sizes, payloads and metadata, and ReadyRead coming again
// on a later turn while any remain. Batches are pooled and held only while
// datagrams are buffered; a socket read without ReadyRead reads one
// datagram per system call as before. WriteDatagrams sends a slice of
// datagrams in sendmmsg calls, with SendDatagram's signals and errors.
//
// A receiver binds and reads in its ReadyRead slot until nothing is pending:
//
//	s := udp.NewSocket(loop)
//	s.ReadyRead.Connect(func() {
//		for s.HasPendingDatagrams() {
//			d, err := s.ReceiveDatagram(-1)
//			...
//		}
//	})
//	err := s.Bind(socket.AnyIPv4, 45454, socket.ShareAddress)
//
// A sender needs no Bind: the first WriteDatagram binds to Any, port 0,
// and emits StateChanged(BoundState) before BytesWritten, as Qt does.
//
// Proxies follow Qt: with a SOCKS5 proxy (SetProxy, or the application
// proxy) Bind asks the proxy for a UDP relay (UDP ASSOCIATE), blocking up
// to 5 seconds as Qt's does, and every datagram then goes through the
// relay, with its real sender reported on the way back; the socket shows
// no local address or port, as in Qt. ConnectToHost through SOCKS5 binds
// that way first and is connected at once. A proxy that cannot carry UDP
// (HTTP) fails Bind with UnsupportedSocketOperationError. Datagrams
// through a relay are read and sent one system call each, and their
// per-datagram options (hop limit, source address, interface) do not
// cross it.
package udp
