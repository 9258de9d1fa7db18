package datastream

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
)

// probe replays one read_* line of testdata/qt{5,6}.txt: qtgen fed Qt's
// reader an input and reported, step by step, the status, the device
// position and the values read (see internal/qtgen/qtgen.cpp). The Go
// Reader gets the same input with the same settings and must do the same.
type probe struct {
	t     *testing.T
	id    string
	vec   vector
	input []byte
	start int // where restart put the Reader
	src   *bytes.Reader
	in    *Reader
	rep   *Reader
	repRd *bytes.Reader
}

func newProbe(t *testing.T, vec vector) *probe {
	p := &probe{t: t, vec: vec, repRd: bytes.NewReader(vec.data)}
	p.id = "qt" + strconv.Itoa(vec.qt) + " v" + strconv.Itoa(int(vec.version)) + " " + vec.order.String() + " " + vec.name
	p.rep = NewReader(p.repRd)
	p.rep.SetVersion(Qt_5_15)
	p.input = p.rep.ReadByteArray()
	p.restart(0)
	return p
}

// restart gives the Go side a fresh Reader on the input from offset off, as
// the probe does with resetStatus and QBuffer::seek.
func (p *probe) restart(off int) {
	p.start = off
	p.src = bytes.NewReader(p.input[off:])
	p.in = NewReader(p.src)
	p.in.SetVersion(p.vec.version)
	p.in.SetByteOrder(p.vec.order)
}

// pos is the read position since restart, as QBuffer::pos reports it.
func (p *probe) pos() int64 {
	consumed := int64(len(p.input) - p.start - p.src.Len())
	return consumed - int64(len(p.in.buf)-p.in.off) // bytes a rollback gave back
}

// step compares the status and position after a step with Qt's.
func (p *probe) step(what string) {
	p.t.Helper()
	st, pos := Status(p.rep.ReadInt32()), p.rep.ReadInt64()
	if got := p.in.Status(); got != st || p.pos() != pos {
		p.t.Errorf("%s: after %s: status %v at %d, Qt %v at %d", p.id, what, got, p.pos(), st, pos)
	}
}

func (p *probe) check(what string, got, qt any) {
	p.t.Helper()
	if got != qt {
		p.t.Errorf("%s: %s = %v, Qt %v", p.id, what, got, qt)
	}
}

var probes = map[string]func(p *probe){
	"read_after_corrupt": func(p *probe) {
		s := p.in.ReadQString()
		p.step("odd-length QString")
		p.check("isNull", s.Null, p.rep.ReadBool())
		for i := range 5 {
			c := p.in.ReadUint8()
			p.step("quint8 " + strconv.Itoa(i))
			p.check("quint8", c, p.rep.ReadUint8())
		}
	},
	"read_after_past_end": func(p *probe) {
		i := p.in.ReadInt32()
		p.step("short qint32")
		p.check("qint32", i, p.rep.ReadInt32())
		c := p.in.ReadUint8()
		p.step("quint8")
		p.check("quint8", c, p.rep.ReadUint8())
	},
	"read_failed_length": func(p *probe) {
		s := p.in.ReadQString()
		p.step("QString")
		p.check("QString isNull", s.Null, p.rep.ReadBool())
		p.check("QString isEmpty", s.S == "", p.rep.ReadBool())
		b := p.in.ReadByteArray()
		p.step("QByteArray")
		p.check("QByteArray isNull", b == nil, p.rep.ReadBool())
		p.check("QByteArray isEmpty", len(b) == 0, p.rep.ReadBool())
	},
	"read_containers_after_error": func(p *probe) {
		p.in.SetStatus(ReadCorruptData)
		l := ReadList(p.in, (*Reader).ReadInt32)
		p.step("QList<qint32>")
		p.check("QList", fmtAny(l), fmtAny(ReadList(p.rep, (*Reader).ReadInt32)))
		sl := p.in.ReadStringList()
		p.step("QStringList")
		p.check("QStringList", fmtAny(sl), fmtAny(p.rep.ReadStringList()))
		m := ReadMap(p.in, (*Reader).ReadInt32, (*Reader).ReadInt32)
		p.step("QMap<qint32,qint32>")
		p.check("QMap size", uint32(len(m)), p.rep.ReadUint32())
		p.check("QMap value", m[3], p.rep.ReadInt32())
		c := p.in.ReadUint8()
		p.step("quint8")
		p.check("quint8", c, p.rep.ReadUint8())
		h := p.in.ReadInt16()
		p.step("qint16 past the end")
		p.check("qint16", h, p.rep.ReadInt16())
	},
	"read_container_element_fails": func(p *probe) {
		l := ReadList(p.in, (*Reader).ReadInt32)
		p.step("QList<qint32>")
		p.check("QList length", len(l), len(ReadList(p.rep, (*Reader).ReadInt32)))
	},
	"read_transaction_after_error": func(p *probe) {
		p.in.StartTransaction()
		p.in.ReadQString()
		p.step("odd-length QString")
		c := p.in.ReadUint8()
		p.step("quint8")
		p.check("quint8", c, p.rep.ReadUint8())
		l := ReadList(p.in, (*Reader).ReadInt32)
		p.step("QList<qint32>")
		p.check("QList length", len(l), len(ReadList(p.rep, (*Reader).ReadInt32)))
		p.check("readRawData", int32(p.in.ReadRawData(make([]byte, 2))), p.rep.ReadInt32())
		p.step("readRawData")
		p.check("skipRawData", int32(p.in.SkipRawData(1)), p.rep.ReadInt32())
		p.step("skipRawData")
		p.check("commitTransaction", p.in.CommitTransaction(), p.rep.ReadBool())
		p.step("commitTransaction")
		c = p.in.ReadUint8()
		p.step("quint8 after the transaction")
		p.check("quint8", c, p.rep.ReadUint8())
	},
	"read_raw_after_error": func(p *probe) {
		p.in.SetStatus(ReadCorruptData)
		buf := make([]byte, 2)
		p.check("readRawData", int32(p.in.ReadRawData(buf)), p.rep.ReadInt32())
		p.step("readRawData")
		p.check("data", string(buf), string(p.rep.ReadByteArray()))
		p.check("skipRawData", int32(p.in.SkipRawData(5)), p.rep.ReadInt32())
		p.step("skipRawData")
	},
	"read_huge_lengths": func(p *probe) {
		probeHuge(p, []string{"QByteArray", "QString", "readBytes"})
	},
	"read_huge_string": func(p *probe) {
		probeHuge(p, []string{"QString", "QByteArray", "readBytes"})
	},
	"read_variant_ids": func(p *probe) {
		if p.vec.qt == 6 && p.vec.version < Qt_6_0 {
			// Before Qt_6_0 ReadVariant decides as Qt 5 does (see
			// qtKnows); Qt 6 maps Qt 5's GUI ids to its own.
			p.repRd.Reset(nil)
			return
		}
		const each = 4 + 1 + 16
		for off := 0; off < len(p.input); off += each {
			p.restart(off)
			id := p.rep.ReadUint32()
			st, pos, valid := Status(p.rep.ReadInt32()), p.rep.ReadInt64(), p.rep.ReadBool()
			v := p.in.ReadVariant()
			got := "status " + p.in.Status().String() + " at " + strconv.FormatInt(p.pos(), 10) + " valid " + strconv.FormatBool(v.IsValid())
			qt := "status " + st.String() + " at " + strconv.FormatInt(pos, 10) + " valid " + strconv.FormatBool(valid)
			if got == qt {
				continue
			}
			// An unknown user type: Qt leaves an invalid QVariant, the
			// Reader a Variant that keeps the type's name.
			if _, user := qtTypeID(id, p.vec.version); user && st == ReadCorruptData && p.in.Status() == st &&
				p.pos() == pos && v.Type == MetaTypeUser {
				continue
			}
			// A type Qt reads (or fails to) that this package does not
			// decode: ReadCorruptData, documented on ReadVariant.
			mapped, user := qtTypeID(id, p.vec.version)
			if !user && !decodable(MetaType(mapped)) && (st == ReadCorruptData || valid) && p.in.Status() == ReadCorruptData {
				continue
			}
			p.t.Errorf("%s: type id %d: %s; Qt %s", p.id, id, got, qt)
		}
	},
	"read_datetime_specs": func(p *probe) {
		for i := 0; p.repRd.Len() > 0; i++ {
			dt := p.in.ReadDateTime()
			p.step("QDateTime " + strconv.Itoa(i))
			p.check("QDateTime "+strconv.Itoa(i), qtView(dt), qtView(p.rep.ReadDateTime()))
		}
	},
	"read_datetime_custom_zone": func(p *probe) {
		dt := p.in.ReadDateTime()
		p.step("QDateTime")
		p.check("QDateTime", qtView(dt), qtView(p.rep.ReadDateTime()))
		t, ok := dt.ToTime()
		_, off := t.Zone()
		p.check("offsetFromUtc", ok && int32(off) == -7200, p.rep.ReadInt32() == -7200)
	},
	"read_hostaddress_protocols": func(p *probe) {
		for i := range 3 {
			a := p.in.ReadHostAddress()
			p.step("QHostAddress " + strconv.Itoa(i))
			proto := int32(protocolIPv6)
			switch {
			case a.Null:
				proto = protocolUnknown
			case !a.Addr.IsValid():
				proto = protocolAny
			case a.Addr.Is4():
				proto = protocolIPv4
			}
			p.check("protocol", proto, p.rep.ReadInt32())
			p.rep.ReadQString()
		}
	},
	"read_uuid_short": func(p *probe) {
		u := p.in.ReadUUID()
		p.step("QUuid")
		p.check("QUuid", u, UUID{}) // Qt leaves the QUuid as it was
		p.rep.ReadByteArray()
	},
}

// probeHuge reads each of what from the start of the input, as the probe
// does after resetStatus and seek(0).
func probeHuge(p *probe, what []string) {
	for i, w := range what {
		if i > 0 {
			p.restart(0)
		}
		switch w {
		case "QByteArray":
			b := p.in.ReadByteArray()
			p.step(w)
			p.check(w+" isNull", b == nil, p.rep.ReadBool())
		case "QString":
			s := p.in.ReadQString()
			p.step(w)
			p.check(w+" isNull", s.Null, p.rep.ReadBool())
		case "readBytes":
			b := p.in.ReadBytes()
			p.step(w)
			p.check(w+" length", uint32(len(b)), p.rep.ReadUint32())
		}
	}
}

// qtView is dt as Qt holds it after reading: an offset of 0 is UTC, and a
// TimeZone spec without a zone (from a stream before Qt_5_2) local time.
func qtView(dt DateTime) DateTime {
	switch {
	case dt.Spec == OffsetFromUTC && dt.Offset == 0:
		dt.Spec = UTC
	case dt.Spec == TimeZone && dt.Zone == (Zone{}):
		dt.Spec = LocalTime
	}
	return dt
}

func fmtAny(x any) string {
	var b strings.Builder
	switch v := x.(type) {
	case []int32:
		for _, e := range v {
			b.WriteString(strconv.Itoa(int(e)) + " ")
		}
	case []string:
		for _, e := range v {
			b.WriteString(strconv.Quote(e) + " ")
		}
	}
	return "[" + strings.TrimSpace(b.String()) + "]"
}

// TestQtReadProbes replays every read probe Qt 5 and Qt 6 ran.
func TestQtReadProbes(t *testing.T) {
	for _, qt := range []int{5, 6} {
		seen := map[string]bool{}
		for _, vec := range loadVectors(t, qt) {
			if !strings.HasPrefix(vec.name, "read_") {
				continue
			}
			run, ok := probes[vec.name]
			if !ok {
				t.Fatalf("qt%d.txt:%d: no Go probe for %q", qt, vec.line, vec.name)
			}
			seen[vec.name] = true
			p := newProbe(t, vec)
			run(p)
			if p.rep.Status() != Ok || p.repRd.Len() != 0 {
				t.Errorf("%s: report read with status %v, %d bytes left", p.id, p.rep.Status(), p.repRd.Len())
			}
		}
		for name := range probes {
			if !seen[name] {
				t.Errorf("qt%d.txt has no probe %q", qt, name)
			}
		}
	}
}
