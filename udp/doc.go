// Package udp provides Socket, Qt's QUdpSocket, and Datagram, Qt's
// QNetworkDatagram.
//
// A Socket embeds *socket.AbstractSocket, so the states, signals, errors,
// options and blocking WaitFor* calls are the ones every qsock socket has.
// What differs is what QUdpSocket changes: UDP is unbuffered, so
// WriteDatagram, SendDatagram and a connected Write send one datagram at
// once and emit BytesWritten before they return; ReadDatagram and
// ReceiveDatagram take one datagram straight from the kernel; and
// ReadyRead follows QUdpSocket's rule: it is not emitted again while a
// datagram announced by it is unread, and every read re-arms it.
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
package udp
