package udp

import (
	"errors"

	"github.com/qsock/qsock/engine"
	"github.com/qsock/qsock/socket"
)

// batchWriter is a transport that sends datagrams in batches
// (*engine.NativeEngine, with sendmmsg on Linux).
type batchWriter interface {
	WriteDatagrams(bufs [][]byte, hdrs []engine.DatagramHeader) (int, error)
}

// writeBatch is WriteDatagrams' scratch, kept so that a batch allocates
// nothing.
type writeBatch struct {
	bufs [engine.BatchMax][]byte
	hdrs [engine.BatchMax]engineHeader
}

// WriteDatagrams sends ds in order, each as SendDatagram would send it,
// in as few system calls as the system allows (sendmmsg on Linux), and
// returns how many were sent. It goes beyond Qt, whose QUdpSocket sends
// one datagram per call; what it does is what a loop of SendDatagram
// does: an unbound socket is bound first, BytesWritten is emitted once
// per datagram sent, in order, before it returns, and the first datagram
// that cannot be sent ends the call with its error, emitted through
// ErrorOccurred as SendDatagram emits it (the ones before it were sent).
// A datagram without a destination goes to the connected peer. Steady-
// state calls allocate nothing.
func (s *Socket) WriteDatagrams(ds []Datagram) (int, error) {
	for _, d := range ds {
		if !d.Destination.IsValid() && s.State() != socket.ConnectedState {
			return 0, s.fail("writeDatagram", socket.SocketAddressNotAvailableError, "Invalid destination address", errNoDestination)
		}
	}
	dt, err := s.writable("writeDatagram")
	if err != nil || len(ds) == 0 {
		return 0, err
	}
	bw, ok := dt.(batchWriter)
	if !ok {
		for i := range ds {
			if _, err := s.SendDatagram(ds[i]); err != nil {
				return i, err
			}
		}
		return len(ds), nil
	}
	if s.wb == nil {
		s.wb = new(writeBatch)
	}
	wb := s.wb
	sent := 0
	for sent < len(ds) {
		chunk := ds[sent:min(len(ds), sent+engine.BatchMax)]
		for i := range chunk {
			wb.bufs[i] = chunk[i].Data
			chunk[i].header(&wb.hdrs[i])
		}
		n, err := bw.WriteDatagrams(wb.bufs[:len(chunk)], wb.hdrs[:len(chunk)])
		clear(wb.bufs[:len(chunk)]) // keep no caller buffer alive
		// Qt emits bytesWritten per datagram, even from inside a
		// bytesWritten slot, so there is no re-entrancy guard here.
		for i := range n {
			s.BytesWritten.Emit(int64(len(chunk[i].Data)))
		}
		sent += n
		if err != nil {
			if errors.Is(err, engine.ErrWouldBlock) {
				return sent, s.fail("writeDatagram", socket.TemporaryError, "Unable to send a datagram", err)
			}
			code, msg := sendCodeOf(err)
			return sent, s.fail("writeDatagram", code, msg, err)
		}
	}
	return sent, nil
}
