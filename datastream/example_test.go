package datastream_test

import (
	"bytes"
	"fmt"

	"github.com/qsock/qsock/datastream"
)

// The fortune server's message: one QString, stream version Qt_5_10.
func Example() {
	var block bytes.Buffer
	out := datastream.NewWriter(&block)
	out.SetVersion(datastream.Qt_5_10)
	out.WriteString("You might have mail.")
	fmt.Printf("% x\n", block.Bytes()[:8])

	in := datastream.NewReader(&block)
	in.SetVersion(datastream.Qt_5_10)
	fortune := in.ReadString()
	fmt.Println(fortune, in.Status())
	// Output:
	// 00 00 00 28 00 59 00 6f
	// You might have mail. Ok
}

// Qt's fortune client reads with a transaction, so that a message that has
// only partly arrived is left in the device until the rest comes.
func ExampleReader_StartTransaction() {
	var block bytes.Buffer
	w := datastream.NewWriter(&block)
	w.SetVersion(datastream.Qt_5_10)
	w.WriteString("You've got to think about tomorrow.")
	msg := block.Bytes()

	var arrived bytes.Buffer // stands in for a socket's read buffer
	in := datastream.NewReader(&arrived)
	in.SetVersion(datastream.Qt_4_0)
	readFortune := func() {
		in.StartTransaction()
		fortune := in.ReadString()
		if !in.CommitTransaction() {
			fmt.Println("incomplete:", in.Status())
			return
		}
		fmt.Println("fortune:", fortune)
	}

	arrived.Write(msg[:10]) // first segment
	readFortune()
	arrived.Write(msg[10:]) // the rest
	readFortune()
	// Output:
	// incomplete: ReadPastEnd
	// fortune: You've got to think about tomorrow.
}

// A QMap<QString, qint32> written from a Go map, and read back in wire order.
func ExampleWriteMap() {
	var buf bytes.Buffer
	w := datastream.NewWriter(&buf)
	datastream.WriteMap(w, map[string]int32{"b": 2, "a": 1},
		(*datastream.Writer).WriteString, (*datastream.Writer).WriteInt32)

	r := datastream.NewReader(&buf)
	pairs := datastream.ReadPairs(r, (*datastream.Reader).ReadString, (*datastream.Reader).ReadInt32)
	fmt.Println(pairs)
	// Output:
	// [{a 1} {b 2}]
}

// A QVariantMap, as QSettings or a JSON-like protocol would stream it.
func ExampleWriter_WriteVariant() {
	v, _ := datastream.VariantOf(map[string]datastream.Variant{
		"port": {Type: datastream.MetaTypeInt, Value: int32(8080)},
	})
	var buf bytes.Buffer
	w := datastream.NewWriter(&buf)
	w.SetVersion(datastream.Qt_5_15)
	w.WriteVariant(v)
	fmt.Printf("% x\n", buf.Bytes())

	r := datastream.NewReader(&buf)
	r.SetVersion(datastream.Qt_5_15)
	m := r.ReadVariant().Value.([]datastream.Pair[datastream.String, datastream.Variant])
	fmt.Println(m[0].Key, m[0].Value.Value)
	// Output:
	// 00 00 00 08 00 00 00 00 01 00 00 00 08 00 70 00 6f 00 72 00 74 00 00 00 02 00 00 00 1f 90
	// port 8080
}

// A Qt program that registered stream operators for its own type
// (qRegisterMetaTypeStreamOperators<Point>()) sends it inside a QVariant;
// registering the same streaming here reads and writes it.
func ExampleRegisterUserType() {
	type Point struct{ X, Y int32 }
	datastream.RegisterUserType("Point", datastream.UserType{
		Read: func(r *datastream.Reader) any { return Point{r.ReadInt32(), r.ReadInt32()} },
		Write: func(w *datastream.Writer, v any) {
			p := v.(Point)
			w.WriteInt32(p.X)
			w.WriteInt32(p.Y)
		},
	})
	var buf bytes.Buffer
	w := datastream.NewWriter(&buf)
	w.SetVersion(datastream.Qt_5_15)
	w.WriteVariant(datastream.Variant{Type: datastream.MetaTypeUser, TypeName: "Point", Value: Point{3, 4}})

	r := datastream.NewReader(&buf)
	r.SetVersion(datastream.Qt_5_15)
	v := r.ReadVariant()
	fmt.Println(v.TypeName, v.Value, r.Status())
	// Output: Point {3 4} Ok
}
