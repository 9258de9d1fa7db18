package datastream

import (
	"fmt"
	"math"
	"time"
)

// Date is a QDate: a day of the proleptic Gregorian calendar, held as Qt
// holds it, as a Julian Day number, so that every value Qt streams reads back
// and writes again unchanged. The zero Date is the null QDate (QDate()).
//
// Years follow Qt's numbering, which has no year 0: year -1 is 1 BCE, where
// package time would say year 0. DateOf and Date.In convert.
type Date struct {
	v uint64 // the Julian Day number with its top bit flipped: 0 is null
}

// Qt's range of valid Julian Day numbers (QDate::minJd, QDate::maxJd) and
// the null date's (QDate::nullJd).
const (
	minJD  = -784350574879
	maxJD  = 784354017364
	nullJD = math.MinInt64
)

// DateFromJulianDay returns the Date of Julian Day number jd
// (QDate::fromJulianDay). Numbers outside Qt's range give an invalid Date.
func DateFromJulianDay(jd int64) Date { return Date{uint64(jd) ^ 1<<63} }

// NewDate returns the Date of year (Qt's numbering: no year 0), month and
// day, or the null Date if there is no such day (QDate(y, m, d)).
func NewDate(year int, month time.Month, day int) Date {
	if year == 0 || year < -3e9 || year > 3e9 || month < time.January || month > time.December ||
		day < 1 || day > daysIn(year, month) {
		return Date{}
	}
	d := DateFromJulianDay(julianDay(int64(year), int64(month), int64(day)))
	if !d.IsValid() {
		return Date{}
	}
	return d
}

// DateOf returns the calendar date of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	if y <= 0 {
		y-- // package time's year 0 is Qt's -1
	}
	return NewDate(y, m, d)
}

// JulianDay returns the Julian Day number (QDate::toJulianDay); the null
// Date gives math.MinInt64, as QDate() holds.
func (d Date) JulianDay() int64 { return int64(d.v ^ 1<<63) }

// IsValid reports whether d is a day Qt can represent (QDate::isValid).
func (d Date) IsValid() bool {
	jd := d.JulianDay()
	return jd >= minJD && jd <= maxJD
}

// IsNull reports whether d is not a valid date; like QDate::isNull it is
// !IsValid.
func (d Date) IsNull() bool { return !d.IsValid() }

// Equal reports whether d and e hold the same Julian Day number.
func (d Date) Equal(e Date) bool { return d == e }

// YearMonthDay returns the year (Qt's numbering), month and day, or zeros for
// an invalid Date.
func (d Date) YearMonthDay() (year int, month time.Month, day int) {
	if !d.IsValid() {
		return 0, 0, 0
	}
	// QGregorianCalendar::partsFromJulian.
	a := d.JulianDay() + 32044
	b := floorDiv(4*a+3, 146097)
	c := a - floorDiv(146097*b, 4)
	dd := floorDiv(4*c+3, 1461)
	e := c - floorDiv(1461*dd, 4)
	m := floorDiv(5*e+2, 153)
	day = int(e - floorDiv(153*m+2, 5) + 1)
	month = time.Month(m + 3 - 12*floorDiv(m, 10))
	year = int(100*b + dd - 4800 + floorDiv(m, 10))
	if year <= 0 {
		year--
	}
	return year, month, day
}

// In returns midnight at the start of d in loc, for a valid Date.
func (d Date) In(loc *time.Location) time.Time {
	y, m, day := d.YearMonthDay()
	if y < 0 {
		y++
	}
	return time.Date(y, m, day, 0, 0, 0, 0, loc)
}

// String returns the date as YYYY-MM-DD (a negative year with a minus sign),
// or "" for an invalid Date.
func (d Date) String() string {
	if !d.IsValid() {
		return ""
	}
	y, m, day := d.YearMonthDay()
	if y < 0 {
		return fmt.Sprintf("-%04d-%02d-%02d", -y, m, day)
	}
	return fmt.Sprintf("%04d-%02d-%02d", y, m, day)
}

// julianDay is QGregorianCalendar::julianFromParts.
func julianDay(year, month, day int64) int64 {
	if year < 0 {
		year++
	}
	var a int64
	if month < 3 {
		a = 1
	}
	y := year + 4800 - a
	m := month + 12*a - 3
	return day + floorDiv(153*m+2, 5) + 365*y + floorDiv(y, 4) - floorDiv(y, 100) + floorDiv(y, 400) - 32045
}

func daysIn(year int, month time.Month) int {
	if year < 0 {
		year++
	}
	// time.Date normalises day 0 of the next month to the last of this one.
	return time.Date(year, month+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// Time is a QTime: a time of day with millisecond precision, held as Qt
// holds it, as milliseconds since midnight, so that every value Qt streams
// reads back and writes again unchanged. The zero Time is the null QTime
// (QTime()), which is not midnight.
type Time struct {
	v uint32 // milliseconds since midnight plus one: 0 is null (Qt's -1)
}

const msecsPerDay = 86400000

// NewTime returns the time h:m:s.ms, or the null Time if that is not a time
// of day (QTime(h, m, s, ms)).
func NewTime(h, m, s, ms int) Time {
	if h < 0 || h > 23 || m < 0 || m > 59 || s < 0 || s > 59 || ms < 0 || ms > 999 {
		return Time{}
	}
	return timeFromWire(uint32(((h*60+m)*60+s)*1000 + ms))
}

// TimeFromMsecs returns the time ms milliseconds after midnight, or the null
// Time if ms is not within a day (QTime::fromMSecsSinceStartOfDay).
func TimeFromMsecs(ms int) Time {
	if ms < 0 || ms >= msecsPerDay {
		return Time{}
	}
	return timeFromWire(uint32(ms))
}

// TimeOf returns the time of day of t in t's location, truncated to the
// millisecond.
func TimeOf(t time.Time) Time {
	return NewTime(t.Hour(), t.Minute(), t.Second(), t.Nanosecond()/1e6)
}

func timeFromWire(mds uint32) Time { return Time{mds + 1} }

func (t Time) wire() uint32 { return t.v - 1 }

// IsNull reports whether t is the null Time (QTime::isNull).
func (t Time) IsNull() bool { return t.v == 0 }

// IsValid reports whether t is a time of day (QTime::isValid).
func (t Time) IsValid() bool { return t.v != 0 && t.wire() < msecsPerDay }

// Equal reports whether t and u are the same.
func (t Time) Equal(u Time) bool { return t == u }

// MsecsSinceStartOfDay returns the milliseconds since midnight, 0 for an
// invalid Time (QTime::msecsSinceStartOfDay).
func (t Time) MsecsSinceStartOfDay() int {
	if !t.IsValid() {
		return 0
	}
	return int(t.wire())
}

// Hour returns the hour, or -1 for an invalid Time (QTime::hour).
func (t Time) Hour() int { return t.part(3600000, 24) }

// Minute returns the minute, or -1 for an invalid Time (QTime::minute).
func (t Time) Minute() int { return t.part(60000, 60) }

// Second returns the second, or -1 for an invalid Time (QTime::second).
func (t Time) Second() int { return t.part(1000, 60) }

// Msec returns the millisecond, or -1 for an invalid Time (QTime::msec).
func (t Time) Msec() int { return t.part(1, 1000) }

func (t Time) part(unit, mod int) int {
	if !t.IsValid() {
		return -1
	}
	return int(t.wire()) / unit % mod
}

// String returns the time as HH:MM:SS.mmm, or "" for an invalid Time.
func (t Time) String() string {
	if !t.IsValid() {
		return ""
	}
	return fmt.Sprintf("%02d:%02d:%02d.%03d", t.Hour(), t.Minute(), t.Second(), t.Msec())
}

// TimeSpec is Qt::TimeSpec: how a DateTime's date and time relate to UTC.
type TimeSpec int8

// Qt's Qt::TimeSpec values.
const (
	LocalTime     TimeSpec = 0 // the reader's local time
	UTC           TimeSpec = 1
	OffsetFromUTC TimeSpec = 2 // a fixed offset, DateTime.Offset
	TimeZone      TimeSpec = 3 // a time zone, DateTime.Zone
)

// String returns the Qt name of the spec.
func (s TimeSpec) String() string {
	switch s {
	case LocalTime:
		return "LocalTime"
	case UTC:
		return "UTC"
	case OffsetFromUTC:
		return "OffsetFromUTC"
	case TimeZone:
		return "TimeZone"
	}
	return fmt.Sprintf("TimeSpec(%d)", int8(s))
}

// Zone is a QTimeZone as a QDateTime streams it. A zone Qt knows by its IANA
// id is streamed as the id alone. A zone made from an offset
// (QTimeZone(5400)) or a custom zone is streamed in Qt's offset form
// (OffsetForm set), with all the fields below; OffsetZone builds the one Qt
// builds for an offset.
type Zone struct {
	ID           string // IANA id ("Europe/Berlin"), or the offset zone's id ("UTC+01:30")
	OffsetForm   bool   // streamed in the offset form, with the fields below
	Offset       int32  // seconds east of UTC
	Name         string // display name
	Abbreviation string
	Territory    int32 // QLocale::Territory (QLocale::Country in Qt 5); 0 is any
	Comment      string
}

// OffsetZone returns the zone Qt builds for a fixed offset in seconds east
// of UTC (QTimeZone(offsetSeconds)): id, name, abbreviation and comment
// "UTC+hh:mm" (":ss" added when there are seconds), or "UTC" for 0.
func OffsetZone(seconds int32) Zone {
	id := "UTC"
	if seconds != 0 {
		sign, s := '+', int(seconds)
		if s < 0 {
			sign, s = '-', -s
		}
		id = fmt.Sprintf("UTC%c%02d:%02d", sign, s/3600, s/60%60)
		if s%60 != 0 {
			id += fmt.Sprintf(":%02d", s%60)
		}
	}
	return Zone{ID: id, OffsetForm: true, Offset: seconds, Name: id, Abbreviation: id, Comment: id}
}

// Location returns z as a *time.Location: a fixed zone for the offset form,
// otherwise time.LoadLocation(z.ID). It reports false if package time does
// not know the zone.
func (z Zone) Location() (*time.Location, bool) {
	if z.OffsetForm {
		name := z.Abbreviation
		if name == "" {
			name = z.ID
		}
		return time.FixedZone(name, int(z.Offset)), true
	}
	if z.ID == "" || z.ID == "Local" {
		return nil, false
	}
	loc, err := time.LoadLocation(z.ID)
	return loc, err == nil
}

// offsetFormMarker is what Qt streams in place of an IANA id before a zone
// in the offset form.
const offsetFormMarker = "OffsetFromUtc"

// ReadZone reads a QTimeZone.
func (r *Reader) ReadZone() Zone {
	id := r.ReadString()
	if id != offsetFormMarker {
		return Zone{ID: id}
	}
	z := Zone{OffsetForm: true}
	z.ID = r.ReadString()
	z.Offset = r.ReadInt32()
	z.Name = r.ReadString()
	z.Abbreviation = r.ReadString()
	z.Territory = r.ReadInt32()
	z.Comment = r.ReadString()
	return z
}

// WriteZone writes a QTimeZone as QTimeZone's operator<< does.
func (w *Writer) WriteZone(z Zone) {
	if !z.OffsetForm {
		w.WriteString(z.ID)
		return
	}
	w.WriteString(offsetFormMarker)
	w.WriteString(z.ID)
	w.WriteInt32(z.Offset)
	w.WriteString(z.Name)
	w.WriteString(z.Abbreviation)
	w.WriteInt32(z.Territory)
	w.WriteString(z.Comment)
}

// DateTime is a QDateTime as streamed: a Date and a Time, which are the wall
// clock in the frame Spec names, plus Offset (seconds east of UTC) when Spec
// is OffsetFromUTC and Zone when Spec is TimeZone. The zero DateTime is the
// null QDateTime().
//
// Streams before Qt_5_2 carry no offset and no zone: a DateTime read from
// them with Spec OffsetFromUTC has Offset 0, which Qt reads as UTC, and one
// with Spec TimeZone has the zero Zone, which Qt reads as local time. They
// are kept so that writing the DateTime back at that version gives the same
// bytes; ToTime and a Writer at Qt_5_2 or later treat them as Qt does.
// Streams before Qt_4_0 carry no spec: they read as LocalTime.
type DateTime struct {
	Date   Date
	Time   Time
	Spec   TimeSpec
	Offset int32 // seconds east of UTC, for OffsetFromUTC
	Zone   Zone  // for TimeZone
}

// DateTimeOf returns the DateTime of t, truncated to the millisecond: Spec
// UTC for time.UTC (and any zone named "UTC" with offset 0), LocalTime for
// time.Local, TimeZone for a location that time.LoadLocation knows by its
// name, and OffsetFromUTC (UTC for offset 0) for other fixed zones.
func DateTimeOf(t time.Time) DateTime {
	dt := DateTime{Date: DateOf(t), Time: TimeOf(t)}
	loc := t.Location()
	_, offset := t.Zone()
	switch {
	case loc == time.UTC || loc.String() == "UTC" && offset == 0:
		dt.Spec = UTC
	case loc == time.Local:
		dt.Spec = LocalTime
	default:
		if id := loc.String(); id != "" && id != "Local" {
			if _, err := time.LoadLocation(id); err == nil {
				dt.Spec, dt.Zone = TimeZone, Zone{ID: id}
				return dt
			}
		}
		if offset == 0 {
			dt.Spec = UTC
		} else {
			dt.Spec, dt.Offset = OffsetFromUTC, int32(offset)
		}
	}
	return dt
}

// IsNull reports whether both the date and the time are null
// (QDateTime::isNull).
func (dt DateTime) IsNull() bool { return dt.Date.IsNull() && dt.Time.IsNull() }

// IsValid reports whether the date and the time are valid.
func (dt DateTime) IsValid() bool { return dt.Date.IsValid() && dt.Time.IsValid() }

// Location returns the *time.Location dt's date and time are in: time.Local
// for LocalTime (and for TimeZone with the zero Zone), time.UTC for UTC, a
// fixed zone for OffsetFromUTC, Zone.Location for TimeZone. It reports false
// for a zone package time does not know and for an unknown Spec.
func (dt DateTime) Location() (*time.Location, bool) {
	switch dt.Spec {
	case LocalTime:
		return time.Local, true
	case UTC:
		return time.UTC, true
	case OffsetFromUTC:
		if dt.Offset == 0 {
			return time.UTC, true
		}
		return time.FixedZone(OffsetZone(dt.Offset).ID, int(dt.Offset)), true
	case TimeZone:
		if dt.Zone == (Zone{}) {
			return time.Local, true
		}
		return dt.Zone.Location()
	}
	return nil, false
}

// ToTime returns dt as a time.Time in dt's Location. It reports false if dt
// is not valid or its Location is unknown.
func (dt DateTime) ToTime() (time.Time, bool) {
	loc, ok := dt.Location()
	if !ok || !dt.IsValid() {
		return time.Time{}, false
	}
	y, m, d := dt.Date.YearMonthDay()
	if y < 0 {
		y++
	}
	t := dt.Time
	return time.Date(y, m, d, t.Hour(), t.Minute(), t.Second(), t.Msec()*1e6, loc), true
}

// String formats dt for debugging: date, time and spec.
func (dt DateTime) String() string {
	s := dt.Date.String() + "T" + dt.Time.String() + " " + dt.Spec.String()
	switch dt.Spec {
	case OffsetFromUTC:
		s += fmt.Sprintf("%+d", dt.Offset)
	case TimeZone:
		s += " " + dt.Zone.ID
	}
	return s
}

// ReadDate reads a QDate: a qint64 Julian Day from Qt_5_0 on, a quint32
// before, where 0 stands for the null date.
func (r *Reader) ReadDate() Date {
	if r.version < Qt_5_0 {
		jd := r.ReadUint32()
		if jd == 0 {
			return Date{}
		}
		return DateFromJulianDay(int64(jd))
	}
	return DateFromJulianDay(r.ReadInt64())
}

// WriteDate writes a QDate as Qt does for the stream's version (before
// Qt_5_0 the low 32 bits of the Julian Day, which is 0 for the null date).
func (w *Writer) WriteDate(d Date) {
	if w.version < Qt_5_0 {
		w.WriteUint32(uint32(d.JulianDay()))
		return
	}
	w.WriteInt64(d.JulianDay())
}

// ReadTime reads a QTime: a quint32 of milliseconds since midnight,
// 0xffffffff for the null time; before Qt_4_0 the null time is 0 (so
// midnight reads as null there, as in Qt).
func (r *Reader) ReadTime() Time {
	ms := r.ReadUint32()
	if r.version < Qt_4_0 && ms == 0 {
		return Time{}
	}
	return timeFromWire(ms)
}

// WriteTime writes a QTime as Qt does for the stream's version.
func (w *Writer) WriteTime(t Time) {
	if w.version < Qt_4_0 && t.IsNull() {
		w.WriteUint32(0)
		return
	}
	w.WriteUint32(t.wire())
}

// Qt 4's QDateTimePrivate::Spec, the spec byte from Qt_4_0 to Qt_5_1
// (except Qt_5_0).
// LocalStandard (0) and LocalDST (1) read as LocalTime too.
const (
	qt4LocalUnknown  = -1
	qt4UTC           = 2
	qt4OffsetFromUTC = 3
	qt4TimeZone      = 4
)

// ReadDateTime reads a QDateTime as Qt does for the stream's version: from
// Qt_5_2 on, date, time, a qint8 TimeSpec and the offset or zone; at Qt_5_0
// the date and time are UTC and are converted to the spec (LocalTime to
// time.Local), as Qt converts them; from Qt_4_0 the spec byte is Qt 4's
// (LocalTime is -1, 0 or 1, UTC 2, OffsetFromUTC 3, TimeZone 4); before
// Qt_4_0 there is no spec.
func (r *Reader) ReadDateTime() DateTime {
	dt := DateTime{Date: r.ReadDate(), Time: r.ReadTime()}
	switch {
	case r.version >= Qt_5_2:
		dt.Spec = TimeSpec(r.ReadInt8())
		switch dt.Spec {
		case OffsetFromUTC:
			dt.Offset = r.ReadInt32()
		case TimeZone:
			dt.Zone = r.ReadZone()
		}
	case r.version == Qt_5_0:
		dt.Spec = TimeSpec(r.ReadInt8())
		if t, ok := dt.utcTime(); ok {
			if loc, ok := dt.Location(); ok {
				t = t.In(loc)
				dt.Date, dt.Time = DateOf(t), TimeOf(t)
			}
		}
	case r.version >= Qt_4_0:
		switch r.ReadInt8() {
		case qt4UTC:
			dt.Spec = UTC
		case qt4OffsetFromUTC:
			dt.Spec = OffsetFromUTC
		case qt4TimeZone:
			dt.Spec = TimeZone
		}
	}
	return dt
}

// utcTime returns dt's date and time taken as UTC, for a valid dt.
func (dt DateTime) utcTime() (time.Time, bool) {
	u := dt
	u.Spec = UTC
	return u.ToTime()
}

// WriteDateTime writes a QDateTime as Qt does for the stream's version (see
// ReadDateTime). From Qt_5_2 on, Spec TimeZone with the zero Zone, which
// only older streams produce, is written as LocalTime, which is how Qt reads
// it. At Qt_5_0 a valid DateTime is converted to UTC first, as Qt 5.0 did.
func (w *Writer) WriteDateTime(dt DateTime) {
	switch {
	case w.version >= Qt_5_2:
		if dt.Spec == TimeZone && dt.Zone == (Zone{}) {
			dt.Spec = LocalTime
		}
		w.WriteDate(dt.Date)
		w.WriteTime(dt.Time)
		w.WriteInt8(int8(dt.Spec))
		switch dt.Spec {
		case OffsetFromUTC:
			w.WriteInt32(dt.Offset)
		case TimeZone:
			w.WriteZone(dt.Zone)
		}
	case w.version == Qt_5_0:
		date, tm := dt.Date, dt.Time
		if t, ok := dt.ToTime(); ok {
			t = t.UTC()
			date, tm = DateOf(t), TimeOf(t)
		}
		w.WriteDate(date)
		w.WriteTime(tm)
		w.WriteInt8(int8(dt.Spec))
	case w.version >= Qt_4_0:
		w.WriteDate(dt.Date)
		w.WriteTime(dt.Time)
		spec := int8(qt4LocalUnknown)
		switch dt.Spec {
		case UTC:
			spec = qt4UTC
		case OffsetFromUTC:
			spec = qt4OffsetFromUTC
		case TimeZone:
			spec = qt4TimeZone
		}
		w.WriteInt8(spec)
	default:
		w.WriteDate(dt.Date)
		w.WriteTime(dt.Time)
	}
}
