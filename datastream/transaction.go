package datastream

import "io"

// TransactionDevice is a source with its own read transactions, as
// QIODevice has: bytes read after StartTransaction are kept by the device
// and given back by RollbackTransaction; CommitTransaction drops them. Every
// qsock socket (socket.AbstractSocket and the types embedding it) implements
// it. A Reader over a TransactionDevice uses the device's transactions, so
// that a rollback returns the bytes to the socket itself.
type TransactionDevice interface {
	io.Reader
	StartTransaction()
	CommitTransaction()
	RollbackTransaction()
}

// StartTransaction starts a read transaction (QDataStream::startTransaction).
// The outermost call starts the device's transaction (or the Reader's own,
// over a plain io.Reader) and resets the status to Ok; nested calls only
// count, and report to the outermost transaction.
func (r *Reader) StartTransaction() {
	r.txDepth++
	if r.txDepth != 1 {
		return
	}
	if r.dev != nil {
		r.dev.StartTransaction()
	} else {
		r.compact()
	}
	r.ResetStatus()
}

// CommitTransaction ends a read transaction and reports whether every read
// in it succeeded (QDataStream::commitTransaction). For the outermost
// transaction: when the status is ReadPastEnd, the data is not complete yet,
// so the device is rolled back to where StartTransaction found it and
// CommitTransaction returns false — call it again when more data has arrived;
// otherwise the bytes read are consumed (even on ReadCorruptData). Inner
// commits only report. Without a transaction it returns false.
func (r *Reader) CommitTransaction() bool {
	if r.txDepth == 0 {
		return false
	}
	r.txDepth--
	if r.txDepth == 0 {
		if r.status == ReadPastEnd {
			r.deviceRollback()
			return false
		}
		r.deviceCommit()
	}
	return r.status == Ok
}

// RollbackTransaction reverts a read transaction
// (QDataStream::rollbackTransaction): it sets ReadPastEnd if the status was
// Ok, and the outermost call restores the device to the start of the
// transaction — unless the status is ReadCorruptData (or another error), in
// which case the transaction is aborted and the bytes stay consumed.
func (r *Reader) RollbackTransaction() {
	r.SetStatus(ReadPastEnd)
	if r.txDepth == 0 {
		return
	}
	r.txDepth--
	if r.txDepth != 0 {
		return
	}
	if r.status == ReadPastEnd {
		r.deviceRollback()
	} else {
		r.deviceCommit()
	}
}

// AbortTransaction discards a read transaction after a protocol error
// (QDataStream::abortTransaction): the status becomes ReadCorruptData, and
// the outermost call commits the device, leaving the read position where it
// is.
func (r *Reader) AbortTransaction() {
	r.status = ReadCorruptData
	if r.txDepth == 0 {
		return
	}
	r.txDepth--
	if r.txDepth == 0 {
		r.deviceCommit()
	}
}

// IsTransactionStarted reports whether a transaction is in progress on this
// Reader.
func (r *Reader) IsTransactionStarted() bool { return r.txDepth > 0 }

func (r *Reader) deviceRollback() {
	if r.dev != nil {
		r.dev.RollbackTransaction()
		return
	}
	r.off = 0
}

func (r *Reader) deviceCommit() {
	if r.dev != nil {
		r.dev.CommitTransaction()
		return
	}
	r.compact()
}

// compact drops the bytes already consumed from the replay buffer.
func (r *Reader) compact() {
	n := copy(r.buf, r.buf[r.off:])
	r.buf, r.off = r.buf[:n], 0
	if n == 0 && cap(r.buf) > 64<<10 {
		r.buf = nil // do not keep a large transaction's memory
	}
}
