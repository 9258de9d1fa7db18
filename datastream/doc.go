// Package datastream reads and writes Qt's QDataStream binary format, so that
// Go programs can exchange data with Qt peers (for example the QString a Qt
// fortune server sends, or the QVariantMap a Qt application stores).
//
// A [Writer] corresponds to a QDataStream opened for writing, a [Reader] to one
// opened for reading. Both carry Qt's three settings: the stream [Version]
// (QDataStream::setVersion), the [ByteOrder] (big-endian by default) and the
// [FloatingPointPrecision] (double by default; it applies from [Qt_4_6] on).
// Peers must agree on all three; Qt recommends always setting the version.
//
// # Errors
//
// As in Qt, errors are sticky status values rather than per-call errors: read
// methods return zero values once [Reader.Status] is not [Ok], and write methods
// do nothing once [Writer.Status] is not Ok. Check the status (or [Reader.Err] /
// [Writer.Err], which return it as an error together with the underlying I/O
// error) after a group of operations. Unlike Qt, which stops reading after a
// failure only inside a transaction, a Reader never reads again after a
// failure until [Reader.ResetStatus] (or an outermost
// [Reader.StartTransaction]) clears the status.
//
// # Hostile input
//
// Length prefixes are never trusted: a QByteArray or QString prefix above the
// [Reader.SetMaxAllocation] limit (64 MiB by default) sets [SizeLimitExceeded]
// without reading further, and data under the limit is read in bounded chunks,
// so memory grows only as bytes actually arrive. Container counts are checked
// against the same limit and never preallocated beyond a small bound.
//
// # Transactions
//
// [Reader.StartTransaction], [Reader.CommitTransaction],
// [Reader.RollbackTransaction] and [Reader.AbortTransaction] mirror
// QDataStream's read transactions. Over a [TransactionDevice] (a qsock socket)
// they use the device's own transaction; over any other io.Reader the Reader
// keeps the bytes read during the transaction itself. The fortune client
// pattern is:
//
//	r.StartTransaction()
//	fortune := r.ReadString()
//	if !r.CommitTransaction() {
//		return // wait for more data; the socket was rolled back
//	}
//
// # Type mapping
//
//	Qt                      Go
//	bool                    bool
//	qint8 … quint64         int8 … uint64
//	float, double           float32, float64 (see FloatingPointPrecision)
//	QChar, char16_t         uint16
//	QString                 string ([Reader.ReadString]) or [String] (keeps null)
//	QByteArray              []byte (nil = null QByteArray)
//	const char *            string ([Writer.WriteCString])
//	QStringList             []string or []String
//	QList<T>, QVector<T>    []T via [ReadList] / [WriteList]
//	QMap<K,V>, QHash<K,V>   []Pair[K,V] (wire order) or map[K]V via [ReadMap] / [WriteMap]
//	QMultiMap, QMultiHash   map[K][]V via [ReadMultiMap] / [WriteMultiMap]
//	QVariant                [Variant]
package datastream
