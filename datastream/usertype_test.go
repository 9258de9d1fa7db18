package datastream

import (
	"bytes"
	"encoding/binary"
	"errors"
	"testing"
)

type point struct{ X, Y int32 }

// A registered user type streams as Qt streams one whose stream operators
// were registered: the user type id (1024 in Qt 5, 65536 from Qt_6_0), the
// null flag, the name as a C string, then the value as its operator<<
// writes it.
func TestUserTypeWire(t *testing.T) {
	if err := RegisterUserType("Point", UserType{
		Read: func(r *Reader) any { return point{r.ReadInt32(), r.ReadInt32()} },
		Write: func(w *Writer, v any) {
			p := v.(point)
			w.WriteInt32(p.X)
			w.WriteInt32(p.Y)
		},
	}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		version Version
		id      uint32
	}{{Qt_5_15, 1024}, {Qt_6_0, 65536}} {
		want := binary.BigEndian.AppendUint32(nil, c.id)
		want = append(want, 0)                                      // not null
		want = append(want, 0, 0, 0, 6, 'P', 'o', 'i', 'n', 't', 0) // the name, NUL included
		want = append(want, 0, 0, 0, 3, 0xff, 0xff, 0xff, 0xfe)     // 3, -2

		var buf bytes.Buffer
		w := NewWriter(&buf)
		w.SetVersion(c.version)
		w.WriteVariant(Variant{Type: MetaTypeUser, TypeName: "Point", Value: point{3, -2}})
		if w.Err() != nil || !bytes.Equal(buf.Bytes(), want) {
			t.Fatalf("version %v: wrote % x, %v; want % x", c.version, buf.Bytes(), w.Err(), want)
		}
		r := NewReader(bytes.NewReader(want))
		r.SetVersion(c.version)
		v := r.ReadVariant()
		if r.Err() != nil || v.Type != MetaTypeUser || v.TypeName != "Point" || v.Value != (point{3, -2}) {
			t.Errorf("version %v: read %+v, %v", c.version, v, r.Err())
		}
	}
}

func TestRegisterUserTypeRefuses(t *testing.T) {
	ok := UserType{Read: func(*Reader) any { return nil }, Write: func(*Writer, any) {}}
	for _, c := range []struct {
		name string
		t    UserType
	}{
		{"", ok},
		{"QHostAddress", ok},
		{"bad\x00name", ok},
		{"NoRead", UserType{Write: ok.Write}},
		{"NoWrite", UserType{Read: ok.Read}},
	} {
		if err := RegisterUserType(c.name, c.t); !errors.Is(err, ErrUserType) {
			t.Errorf("RegisterUserType(%q) = %v, want ErrUserType", c.name, err)
		}
	}
}
