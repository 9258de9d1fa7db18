package datastream

import (
	"bytes"
	"math/rand/v2"
	"net/netip"
	"net/url"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestDateCalendar(t *testing.T) {
	for _, tt := range []struct {
		y  int
		m  time.Month
		d  int
		jd int64
	}{
		{2024, time.March, 5, 2460375},
		{1970, time.January, 1, 2440588},
		{1, time.January, 1, 1721426},
		{-1, time.December, 31, 1721425}, // no year 0 in Qt
		{-4714, time.November, 24, 0},
	} {
		d := NewDate(tt.y, tt.m, tt.d)
		if d.JulianDay() != tt.jd {
			t.Errorf("NewDate(%d, %v, %d).JulianDay() = %d, want %d", tt.y, tt.m, tt.d, d.JulianDay(), tt.jd)
		}
		if y, m, day := DateFromJulianDay(tt.jd).YearMonthDay(); y != tt.y || m != tt.m || day != tt.d {
			t.Errorf("jd %d = %d-%d-%d", tt.jd, y, m, day)
		}
	}
	for _, bad := range [][3]int{{0, 1, 1}, {2023, 2, 29}, {2024, 13, 1}, {2024, 4, 31}} {
		if d := NewDate(bad[0], time.Month(bad[1]), bad[2]); !d.IsNull() || d != (Date{}) {
			t.Errorf("NewDate%v = %v, want null", bad, d)
		}
	}
	if d := (Date{}); d.IsValid() || d.JulianDay() != nullJD || d.String() != "" {
		t.Errorf("zero Date: valid %v, jd %d, %q", d.IsValid(), d.JulianDay(), d.String())
	}
	if s := NewDate(-44, time.March, 15).String(); s != "-0044-03-15" {
		t.Errorf("String() = %q", s)
	}
	// Julian Day and calendar agree over Qt's whole range.
	rng := rand.New(rand.NewPCG(1, 2))
	for range 10000 {
		jd := minJD + rng.Int64N(maxJD-minJD+1)
		y, m, d := DateFromJulianDay(jd).YearMonthDay()
		if got := NewDate(y, m, d).JulianDay(); got != jd {
			t.Fatalf("jd %d -> %d-%d-%d -> %d", jd, y, m, d, got)
		}
	}
	// package time's year 0 is Qt's year -1.
	gt := time.Date(0, time.June, 1, 0, 0, 0, 0, time.UTC)
	if d := DateOf(gt); d != NewDate(-1, time.June, 1) || !d.In(time.UTC).Equal(gt) {
		t.Errorf("DateOf(year 0) = %v", d)
	}
}

func TestTimeOfDay(t *testing.T) {
	tm := NewTime(13, 14, 15, 678)
	if tm.Hour() != 13 || tm.Minute() != 14 || tm.Second() != 15 || tm.Msec() != 678 ||
		tm.MsecsSinceStartOfDay() != 47655678 || tm.String() != "13:14:15.678" {
		t.Errorf("NewTime(13, 14, 15, 678) = %v (%d ms)", tm, tm.MsecsSinceStartOfDay())
	}
	if m := NewTime(0, 0, 0, 0); m.IsNull() || !m.IsValid() || m == (Time{}) {
		t.Error("midnight is null")
	}
	if n := (Time{}); !n.IsNull() || n.IsValid() || n.Hour() != -1 || NewTime(24, 0, 0, 0) != n || TimeFromMsecs(msecsPerDay) != n {
		t.Error("null Time")
	}
	if got := TimeOf(time.Date(2024, 1, 1, 1, 2, 3, 4999999, time.UTC)); got != NewTime(1, 2, 3, 4) {
		t.Errorf("TimeOf = %v", got)
	}
}

func TestDateTimeConversions(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	at := func(loc *time.Location) time.Time { return time.Date(2024, 7, 1, 0, 30, 0, 5e6, loc) }
	fixed := time.FixedZone("X", -16200)
	for _, tt := range []struct {
		t    time.Time
		want DateTime
	}{
		{at(time.UTC), DateTime{NewDate(2024, 7, 1), NewTime(0, 30, 0, 5), UTC, 0, Zone{}}},
		{at(time.Local), DateTime{NewDate(2024, 7, 1), NewTime(0, 30, 0, 5), LocalTime, 0, Zone{}}},
		{at(fixed), DateTime{NewDate(2024, 7, 1), NewTime(0, 30, 0, 5), OffsetFromUTC, -16200, Zone{}}},
		{at(berlin), DateTime{NewDate(2024, 7, 1), NewTime(0, 30, 0, 5), TimeZone, 0, Zone{ID: "Europe/Berlin"}}},
		{at(time.FixedZone("", 0)), DateTime{NewDate(2024, 7, 1), NewTime(0, 30, 0, 5), UTC, 0, Zone{}}},
	} {
		dt := DateTimeOf(tt.t)
		if diff := cmp.Diff(tt.want, dt); diff != "" {
			t.Errorf("DateTimeOf(%v) (-want +got):\n%s", tt.t, diff)
		}
		back, ok := dt.ToTime()
		if !ok || !back.Equal(tt.t) {
			t.Errorf("%v: ToTime = %v, %v", tt.t, back, ok)
		}
	}
	// An offset zone: Qt's fields, and the instant.
	z := OffsetZone(-5400)
	if z.ID != "UTC-01:30" || z.Name != z.ID || z.Abbreviation != z.ID || z.Comment != z.ID || !z.OffsetForm {
		t.Errorf("OffsetZone(-5400) = %+v", z)
	}
	if OffsetZone(0).ID != "UTC" || OffsetZone(3661).ID != "UTC+01:01:01" {
		t.Errorf("OffsetZone ids %q %q", OffsetZone(0).ID, OffsetZone(3661).ID)
	}
	dt := DateTime{NewDate(2024, 3, 5), NewTime(12, 0, 0, 0), TimeZone, 0, z}
	if got, ok := dt.ToTime(); !ok || !got.Equal(time.Date(2024, 3, 5, 13, 30, 0, 0, time.UTC)) {
		t.Errorf("offset zone: %v %v", got, ok)
	}
	if _, ok := (DateTime{NewDate(2024, 3, 5), NewTime(12, 0, 0, 0), TimeZone, 0, Zone{ID: "No/Such"}}).ToTime(); ok {
		t.Error("unknown zone converted")
	}
	if _, ok := (DateTime{}).ToTime(); ok {
		t.Error("null DateTime converted")
	}
}

// TestDateTimeQt50Local checks Qt_5_0's UTC conversion with a local zone
// that is not UTC (the Qt vectors are generated with TZ=UTC).
func TestDateTimeQt50Local(t *testing.T) {
	saved := time.Local
	time.Local = time.FixedZone("UTC+2", 7200)
	defer func() { time.Local = saved }()

	local := DateTime{Date: NewDate(2024, 3, 5), Time: NewTime(13, 14, 15, 678), Spec: LocalTime}
	// Qt 5.0 wrote the UTC date and time, then the spec.
	wire := mustHex("0000000000258ad7 02694dfe 00") // 11:14:15.678 UTC
	var buf bytes.Buffer
	w := NewWriter(&buf)
	w.SetVersion(Qt_5_0)
	w.WriteDateTime(local)
	if !bytes.Equal(buf.Bytes(), wire) {
		t.Errorf("wrote %x, want %x", buf.Bytes(), wire)
	}
	r := NewReader(bytes.NewReader(wire))
	r.SetVersion(Qt_5_0)
	if got := r.ReadDateTime(); got != local || r.Status() != Ok {
		t.Errorf("read %v (%v), want %v", got, r.Status(), local)
	}
}

// TestDateTimeOldSpecs: Qt 4's spec bytes, and what a DateTime read from
// them becomes in a newer stream.
func TestDateTimeOldSpecs(t *testing.T) {
	for spec, want := range map[int8]TimeSpec{-1: LocalTime, 0: LocalTime, 1: LocalTime, 2: UTC, 3: OffsetFromUTC, 4: TimeZone, 5: LocalTime} {
		r := NewReader(bytes.NewReader(append(mustHex("0000000000258ad7 02d72afe"), byte(spec))))
		r.SetVersion(Qt_5_1)
		dt := r.ReadDateTime()
		if dt.Spec != want || dt.Offset != 0 || dt.Zone != (Zone{}) || r.Status() != Ok {
			t.Errorf("spec byte %d: %+v, %v", spec, dt, r.Status())
		}
		var buf bytes.Buffer
		w := NewWriter(&buf)
		w.SetVersion(Qt_5_15)
		w.WriteDateTime(dt)
		// OffsetFromUTC keeps offset 0 (Qt reads it as UTC); a TimeZone
		// without a zone is local time, as Qt has it.
		wantSpec := map[TimeSpec]string{LocalTime: "00", UTC: "01", OffsetFromUTC: "02 00000000", TimeZone: "00"}[want]
		if wantBytes := mustHex("0000000000258ad7 02d72afe " + wantSpec); !bytes.Equal(buf.Bytes(), wantBytes) {
			t.Errorf("spec byte %d rewritten at Qt_5_15 as %x, want %x", spec, buf.Bytes(), wantBytes)
		}
	}
}

func TestUUIDAndHostAddress(t *testing.T) {
	if s := testUUID.String(); s != "67c8770b-44f1-410a-ab9a-f9b5446f13ee" {
		t.Errorf("UUID.String() = %q", s)
	}
	if !(UUID{}).IsNull() || testUUID.IsNull() {
		t.Error("UUID.IsNull")
	}
	a := HostAddress{Addr: netip.MustParseAddr("::1")}
	if !a.Equal(a) || a.Equal(HostAddress{Null: true}) || !(HostAddress{Null: true, Addr: a.Addr}).Equal(HostAddress{Null: true}) {
		t.Error("HostAddress.Equal")
	}
	r := NewReader(bytes.NewReader(mustHex("03 01020304")))
	if got := r.ReadHostAddress(); !got.Null || r.Status() != ReadCorruptData {
		t.Errorf("protocol 3: %+v, %v", got, r.Status())
	}
}

func TestVariantOfNewTypes(t *testing.T) {
	u, _ := url.Parse("http://example.com/a%20b")
	for _, x := range []any{
		NewDate(2024, 3, 5), NewTime(1, 2, 3, 4), time.Date(2024, 3, 5, 1, 2, 3, 4e6, time.UTC),
		DateTimeOf(time.Date(2024, 3, 5, 1, 2, 3, 0, time.FixedZone("", 3600))), URL("qt:x"), u,
		testUUID, HostAddress{Null: true}, netip.MustParseAddr("fe80::1%eth0"),
	} {
		v, ok := VariantOf(x)
		if !ok {
			t.Errorf("VariantOf(%T) failed", x)
			continue
		}
		for _, ver := range []Version{Qt_4_0, Qt_4_6, Qt_5_0, Qt_5_15, Qt_6_0, Qt_6_7} {
			var buf bytes.Buffer
			w := NewWriter(&buf)
			w.SetVersion(ver)
			w.WriteVariant(v)
			r := NewReader(&buf)
			r.SetVersion(ver)
			got := r.ReadVariant()
			if w.Status() != Ok || r.Status() != Ok || buf.Len() != 0 {
				t.Errorf("%T v%d: write %v read %v, %d bytes left", x, ver, w.Status(), r.Status(), buf.Len())
			}
			want := v
			if dt, ok := want.Value.(DateTime); ok && ver < Qt_5_2 && dt.Spec == OffsetFromUTC {
				continue // no offset on the wire before Qt_5_2
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%T v%d round trip (-want +got):\n%s", x, ver, diff)
			}
		}
	}
	if v, _ := VariantOf(u); v.Value != URL("http://example.com/a%20b") {
		t.Errorf("VariantOf(*url.URL) = %v", v.Value)
	}
}
