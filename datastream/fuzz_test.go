package datastream

import (
	"bytes"
	"runtime"
	"testing"
)

const fuzzLimit = 1 << 20

// fuzzOps are the reads FuzzReader chooses from, one per op byte.
var fuzzOps = []func(r *Reader){
	func(r *Reader) { r.ReadBool() },
	func(r *Reader) { r.ReadInt16() },
	func(r *Reader) { r.ReadUint32() },
	func(r *Reader) { r.ReadInt64() },
	func(r *Reader) { r.ReadFloat32() },
	func(r *Reader) { r.ReadFloat64() },
	func(r *Reader) { r.ReadQString() },
	func(r *Reader) { r.ReadByteArray() },
	func(r *Reader) { r.ReadBytes() },
	func(r *Reader) { r.ReadCString() },
	func(r *Reader) { r.ReadQStringList() },
	func(r *Reader) { ReadList(r, (*Reader).ReadInt32) },
	func(r *Reader) { ReadList(r, func(r *Reader) []String { return ReadList(r, (*Reader).ReadQString) }) },
	func(r *Reader) { ReadPairs(r, (*Reader).ReadQString, (*Reader).ReadVariant) },
	func(r *Reader) { ReadMap(r, (*Reader).ReadInt32, (*Reader).ReadString) },
	func(r *Reader) { ReadMultiMap(r, (*Reader).ReadUint8, (*Reader).ReadByteArray) },
	func(r *Reader) { r.ReadVariant() },
	func(r *Reader) { r.ReadVariantList() },
	func(r *Reader) { r.StartTransaction() },
	func(r *Reader) { r.CommitTransaction() },
	func(r *Reader) { r.RollbackTransaction() },
	func(r *Reader) { r.AbortTransaction() },
	func(r *Reader) { r.ResetStatus() },
	func(r *Reader) { r.SkipRawData(100) },
	func(r *Reader) { r.AtEnd() },
	func(r *Reader) { r.ReadDateTime() },
	func(r *Reader) { r.ReadURL() },
	func(r *Reader) { r.ReadUUID() },
	func(r *Reader) { r.ReadHostAddress() },
	func(r *Reader) { r.ReadDate() },
	func(r *Reader) { r.ReadTime() },
}

// FuzzReader feeds arbitrary bytes to a sequence of reads chosen by ops (the
// first op byte also picks version, byte order and precision). The Reader
// must never panic and never allocate far beyond the data it was given and
// its allocation limit.
func FuzzReader(f *testing.F) {
	f.Add([]byte{17, 6}, fortuneCapture)
	f.Add([]byte{20, 16, 16}, mustHex("00000008 00 00000002 00000002 0061 0000000a 00 ffffffff"))
	f.Add([]byte{22, 7, 11}, mustHex("fffffffe 7fffffffffffffff"))
	f.Add([]byte{7, 18, 6, 19, 18, 6, 20}, mustHex("0000000a 0041 0042 0043"))
	f.Add([]byte{13, 17}, mustHex("00000009 00 00000001 00000009 00 00000001 00000009 00 00000001"))
	f.Add([]byte{3, 12, 14}, mustHex("ffffffff ffffffff"))
	f.Add([]byte{20, 25, 16, 28}, mustHex("0000000000258ad7 02d72afe 03 0000001a 004f0066006600730065007400460072006f006d00550074006300 00000010 00000000 00000000 01 00000004 0102"))
	f.Add([]byte{19, 16, 6}, mustHex("00000400 00 0000000d 51486f73744164647265737300 01 20010db8000000000000000000000001 ffffffff"))
	f.Fuzz(func(t *testing.T, ops, data []byte) {
		if len(ops) > 64 {
			ops = ops[:64]
		}
		src := &trickle{data: data}
		r := NewReader(src)
		r.SetMaxAllocation(fuzzLimit)
		if len(ops) > 0 {
			r.SetVersion(Version(ops[0] % 25))
			r.SetByteOrder(ByteOrder(ops[0] >> 7))
			r.SetFloatingPointPrecision(FloatingPointPrecision(ops[0] >> 6 & 1))
		}
		n := allocated(func() {
			for _, op := range ops {
				fuzzOps[int(op)%len(fuzzOps)](r)
			}
		})
		// Each op may hold the limit's worth of bytes in chunks (about 3x
		// while growing) plus its decoded form; everything else is
		// proportional to the input.
		if bound := uint64(len(ops))*4*fuzzLimit + 512*uint64(len(data)) + 64<<10; n > bound {
			t.Fatalf("allocated %d bytes for %d ops over %d bytes (bound %d)", n, len(ops), len(data), bound)
		}
	})
}

// TestFuzzSeedsAllocateLittle runs the hostile seeds with a large limit:
// a prefix claiming gigabytes must not be honoured.
func TestFuzzSeedsAllocateLittle(t *testing.T) {
	data := mustHex("7fffffff 0000")
	for i := range fuzzOps[:18] {
		r := NewReader(bytes.NewReader(data))
		r.SetMaxAllocation(1 << 40)
		if n := allocated(func() { fuzzOps[i](r) }); n > 1<<20 {
			t.Errorf("op %d allocated %d bytes", i, n)
		}
	}
	runtime.GC()
}
