package socket

import (
	"bytes"
	"testing"
)

// Tail with the free space split around the wrap, each piece shorter than
// asked though the total is enough: it must hand out room after the
// buffered bytes (it once recursed for ever), and keep their order.
func TestReadBufferTailAcrossWrap(t *testing.T) {
	for _, tc := range []struct{ write, discard, want int }{
		{3000, 2000, 3000}, // free: 1,096 after the data, 2,000 before it
		{4000, 3990, 4000},
		{minBlock, minBlock - 1, minBlock},
	} {
		var r readBuffer
		data := make([]byte, tc.write)
		for i := range data {
			data[i] = byte(i)
		}
		r.Write(data)
		r.Discard(tc.discard)
		kept := data[tc.discard:]
		p := r.Tail(tc.want)
		if len(p) == 0 || len(p) > tc.want {
			t.Fatalf("%+v: Tail gave %d bytes", tc, len(p))
		}
		for i := range p {
			p[i] = 0xEE
		}
		r.Commit(len(p))
		got := make([]byte, r.Len())
		r.Peek(got, 0)
		want := append(append([]byte{}, kept...), bytes.Repeat([]byte{0xEE}, len(p))...)
		if !bytes.Equal(got, want) {
			t.Fatalf("%+v: buffer holds %d bytes, not the kept ones then the new ones", tc, len(got))
		}
		r.Reset()
	}
}
