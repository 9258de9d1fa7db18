package datastream

import (
	"cmp"
	"slices"
	"unicode/utf8"
)

// Pair is one entry of a QMap, QHash, QMultiMap or QMultiHash, or a QPair /
// std::pair (which Qt streams as First then Second with no header).
type Pair[K, V any] struct {
	Key   K
	Value V
}

// ReadList reads a QList<T> (also QVector<T>, QSet<T>, QQueue<T>, QStack<T>):
// a count, then count elements, each read by read, which is typically a
// method expression such as (*Reader).ReadInt32. As in Qt, if any element
// fails the whole list is dropped: ReadList returns nil with the status set.
// An empty list is a non-nil empty slice.
//
// As Qt's container readers do, ReadList reads a whole list even when the
// status is already not Ok (outside a transaction): it judges its elements
// by their own reads and puts the earlier status back afterwards. A list of
// more than MaxAllocation elements is read to its end, its elements
// dropped, and refused with SizeLimitExceeded.
func ReadList[T any](r *Reader, read func(*Reader) T) []T {
	defer r.containerStatus()()
	n := r.readCount()
	if n < 0 {
		return nil
	}
	l := make([]T, 0, prealloc(n))
	for i := range n {
		v := read(r)
		if r.status != Ok {
			return nil
		}
		if i < r.limit {
			l = append(l, v)
		}
	}
	if n > r.limit {
		r.SetStatus(SizeLimitExceeded)
		return nil
	}
	return l
}

// containerStatus is QtPrivate::StreamStateSaver. Outside a transaction a
// container starts reading with status Ok, so that its elements' failures
// show; the returned function, deferred, puts back a status that was not Ok
// before.
func (r *Reader) containerStatus() func() {
	old := r.status
	if r.txDepth == 0 {
		r.status = Ok
	}
	return func() {
		if old != Ok {
			r.status = old
		}
	}
}

// WriteList writes l as a QList<T>: the count, then each element by write,
// for example (*Writer).WriteInt32.
func WriteList[T any](w *Writer, l []T, write func(*Writer, T)) {
	if !w.writeSize(int64(len(l))) {
		return
	}
	for _, v := range l {
		write(w, v)
	}
}

// ReadPairs reads a QMap, QHash, QMultiMap or QMultiHash keeping the entries
// in wire order (which differs between Qt versions: Qt 5 writes a QMap in
// descending key order, Qt 6 in ascending order; a QHash in arbitrary order).
// Writing the result back with WritePairs reproduces the bytes. If any entry
// fails, it returns nil with the status set. Like ReadList it reads on after
// an earlier failure and refuses more than MaxAllocation entries.
func ReadPairs[K, V any](r *Reader, readKey func(*Reader) K, readValue func(*Reader) V) []Pair[K, V] {
	defer r.containerStatus()()
	n := r.readCount()
	if n < 0 {
		return nil
	}
	l := make([]Pair[K, V], 0, prealloc(n))
	for i := range n {
		k := readKey(r)
		v := readValue(r)
		if r.status != Ok {
			return nil
		}
		if i < r.limit {
			l = append(l, Pair[K, V]{k, v})
		}
	}
	if n > r.limit {
		r.SetStatus(SizeLimitExceeded)
		return nil
	}
	return l
}

// WritePairs writes entries in the given order as a QMap / QHash (count, then
// key, value, key, value ...).
func WritePairs[K, V any](w *Writer, l []Pair[K, V], writeKey func(*Writer, K), writeValue func(*Writer, V)) {
	if !w.writeSize(int64(len(l))) {
		return
	}
	for _, p := range l {
		writeKey(w, p.Key)
		writeValue(w, p.Value)
	}
}

// ReadMap reads a QMap<K,V> or QHash<K,V> into a Go map. When a key repeats
// (a multi-map, or Qt 5's insertMulti on reading) the entry read last wins,
// which is the value Qt's QMap::value returns. It returns nil with the
// status set on failure.
func ReadMap[K comparable, V any](r *Reader, readKey func(*Reader) K, readValue func(*Reader) V) map[K]V {
	l := ReadPairs(r, readKey, readValue)
	if l == nil {
		return nil
	}
	m := make(map[K]V, len(l))
	for _, p := range l {
		m[p.Key] = p.Value
	}
	return m
}

// WriteMap writes m as a QMap<K,V> or QHash<K,V>, keys in ascending order as
// Qt 6 writes a QMap (string keys compare by UTF-16 code unit, as
// QString::operator<). Qt readers of every version accept any order.
func WriteMap[K cmp.Ordered, V any](w *Writer, m map[K]V, writeKey func(*Writer, K), writeValue func(*Writer, V)) {
	if !w.writeSize(int64(len(m))) {
		return
	}
	for _, k := range sortedKeys(m) {
		writeKey(w, k)
		writeValue(w, m[k])
	}
}

// ReadMultiMap reads a QMultiMap<K,V> or QMultiHash<K,V>. The values of each
// key keep wire order, which Qt (5 and 6) writes oldest insertion first.
func ReadMultiMap[K comparable, V any](r *Reader, readKey func(*Reader) K, readValue func(*Reader) V) map[K][]V {
	l := ReadPairs(r, readKey, readValue)
	if l == nil {
		return nil
	}
	m := make(map[K][]V)
	for _, p := range l {
		m[p.Key] = append(m[p.Key], p.Value)
	}
	return m
}

// WriteMultiMap writes m as a QMultiMap<K,V> or QMultiHash<K,V> the way Qt 6
// does: keys ascending, each key's values in slice order (oldest first).
func WriteMultiMap[K cmp.Ordered, V any](w *Writer, m map[K][]V, writeKey func(*Writer, K), writeValue func(*Writer, V)) {
	var n int64
	for _, vs := range m {
		n += int64(len(vs))
	}
	if !w.writeSize(n) {
		return
	}
	for _, k := range sortedKeys(m) {
		for _, v := range m[k] {
			writeKey(w, k)
			writeValue(w, v)
		}
	}
}

func sortedKeys[K cmp.Ordered, V any](m map[K]V) []K {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, compareKeys[K])
	return keys
}

func compareKeys[K cmp.Ordered](a, b K) int {
	if sa, ok := any(a).(string); ok {
		return compareUTF16(sa, any(b).(string))
	}
	return cmp.Compare(a, b)
}

// compareUTF16 orders strings by their UTF-16 code units, as QString does:
// characters above U+FFFF (surrogates 0xD800..) sort before U+E000..U+FFFF.
func compareUTF16(a, b string) int {
	for a != "" && b != "" {
		ca, na := utf8.DecodeRuneInString(a)
		cb, nb := utf8.DecodeRuneInString(b)
		if ca != cb {
			return cmp.Compare(utf16Key(ca), utf16Key(cb))
		}
		a, b = a[na:], b[nb:]
	}
	return cmp.Compare(len(a), len(b))
}

// utf16Key maps a code point to a value that sorts like its UTF-16 form.
func utf16Key(c rune) int64 {
	if c >= 0x10000 {
		return 0xd800<<16 | int64(c-0x10000) // below 0xe000<<16
	}
	return int64(c) << 16
}
