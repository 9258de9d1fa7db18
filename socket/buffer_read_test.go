package socket

import (
	"bytes"
	"math/rand/v2"
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

// Random appends (Write, and Tail plus Commit as a read makes them),
// consumption, ungetChar and resets keep the ring equal to a plain byte
// slice holding the same bytes: Len, Peek at an offset, ByteAt and
// IndexByte; an empty buffer holds no block.
func TestReadBufferMatchesModel(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var r readBuffer
	var model []byte
	next := byte(0)
	fill := func(p []byte) {
		for i := range p {
			p[i] = next
			next++
		}
	}
	for step := range 5000 {
		switch op := rng.IntN(12); {
		case op < 3:
			p := make([]byte, rng.IntN(6000))
			fill(p)
			r.Write(p)
			model = append(model, p...)
		case op < 6:
			room := r.Tail(1 + rng.IntN(20000))
			n := rng.IntN(len(room) + 1)
			fill(room[:n])
			model = append(model, room[:n]...)
			r.Commit(n)
		case op < 10:
			n := rng.IntN(len(model) + 1)
			r.Discard(n)
			model = model[n:]
		case op < 11:
			c := next
			next++
			r.Prepend(c)
			model = append([]byte{c}, model...)
		default:
			r.Reset()
			model = model[:0]
		}
		if r.Len() != len(model) {
			t.Fatalf("step %d: Len %d, want %d", step, r.Len(), len(model))
		}
		if len(model) == 0 {
			if r.blk != nil {
				t.Fatalf("step %d: an empty buffer holds a block", step)
			}
			continue
		}
		off := rng.IntN(len(model))
		got := make([]byte, len(model)-off)
		if n := r.Peek(got, off); n != len(got) || !bytes.Equal(got, model[off:]) {
			t.Fatalf("step %d: Peek at %d gave %d bytes differing from the model", step, off, n)
		}
		if r.ByteAt(off) != model[off] {
			t.Fatalf("step %d: ByteAt(%d) = %d, want %d", step, off, r.ByteAt(off), model[off])
		}
		c := model[len(model)-1]
		want := bytes.IndexByte(model[off:], c)
		if want >= 0 {
			want += off
		}
		if got := r.IndexByte(c, off); got != want {
			t.Fatalf("step %d: IndexByte(%d, %d) = %d, want %d", step, c, off, got, want)
		}
	}
}
