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
// # Versions
//
// A new Reader or Writer uses [DefaultVersion], [Qt_6_4]: what a Qt 6.4
// QDataStream starts with. Qt 5.15 starts with [Qt_5_15] and Qt 6.6 and later
// with newer versions, so set the version whenever the peer's Qt may differ.
//
// # Errors
//
// As in Qt, errors are sticky status values rather than per-call errors: the
// first failure sets [Reader.Status], and later failures do not change it
// until [Reader.ResetStatus] (or an outermost [Reader.StartTransaction]).
// Check the status (or [Reader.Err] / [Writer.Err], which return it as an
// error together with the underlying I/O error) after a group of operations.
//
// Reading follows Qt's rules after a failure. Outside a transaction reads go
// on: each value is read if its bytes are there (so after an odd-length
// QString, which Qt reports as corrupt after reading only its length, the
// next reads return the string's bytes), and a value that cannot be read
// whole is zero. Containers read after a failure are read in full, their
// elements judged by their own reads, and the earlier status is kept, as
// Qt's QtPrivate::StreamStateSaver does. Inside a transaction the first
// failure suspends reading: every later read returns a zero value and
// consumes nothing, as Qt's documentation of startTransaction describes.
// Write methods do nothing once [Writer.Status] is not Ok.
//
// # Hostile input
//
// Length prefixes are never trusted. Data is read in bounded chunks that grow
// only as bytes actually arrive, so a QByteArray or QString prefix far beyond
// the data ends in [ReadPastEnd], as in Qt, having held no more than the bytes
// that exist (in a transaction, the device then keeps them until the rest
// arrives, as in Qt). A value longer than [Reader.SetMaxAllocation] (64 MiB
// by default) is read and discarded and then refused with
// [SizeLimitExceeded]; containers count their elements against the same
// limit and never preallocate more than a few.
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
//	QDate                   [Date] (a Julian Day; [NewDate], [DateOf])
//	QTime                   [Time] (milliseconds since midnight; [NewTime], [TimeOf])
//	QDateTime               [DateTime] (date, time, [TimeSpec], offset or [Zone]);
//	                        time.Time via [DateTimeOf] and [DateTime.ToTime]
//	QTimeZone               [Zone]
//	QUrl                    [URL] (the encoded form; *url.URL via [URLOf] and [URL.Parse])
//	QUuid                   [UUID] ([16]byte, RFC 4122 order)
//	QHostAddress            [HostAddress] (a netip.Addr, or null)
//
// The zero values of Date, Time and DateTime are Qt's null QDate(), QTime()
// and QDateTime(); they hold Qt's own representation, so that every value Qt
// streams writes back unchanged.
package datastream
