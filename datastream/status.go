package datastream

import (
	"errors"
	"strconv"
)

// Status is the state of a Reader or Writer (QDataStream::Status). It
// implements error so that errors.Is(r.Err(), datastream.ReadPastEnd) works.
type Status int

// Qt's QDataStream::Status values.
const (
	// Ok: the stream is operating normally.
	Ok Status = iota
	// ReadPastEnd: a read needed more bytes than the device had. Inside a
	// transaction this means "wait for more data": CommitTransaction
	// rolls the device back.
	ReadPastEnd
	// ReadCorruptData: the bytes read cannot be a valid value (an odd QString
	// byte length, a QVariant user type that is not known, a QHostAddress
	// protocol out of range, AbortTransaction).
	ReadCorruptData
	// WriteFailed: the underlying io.Writer returned an error or a short count.
	WriteFailed
	// SizeLimitExceeded: a size is larger than this stream supports: above
	// the Reader's SetMaxAllocation limit, negative, or (writing) too large
	// for a version before Qt_6_7. Qt 6.7 added this value.
	SizeLimitExceeded
)

var statusNames = [...]string{"Ok", "ReadPastEnd", "ReadCorruptData", "WriteFailed", "SizeLimitExceeded"}

// String returns Qt's name of the status.
func (s Status) String() string {
	if s >= 0 && int(s) < len(statusNames) {
		return statusNames[s]
	}
	return "Status(" + strconv.Itoa(int(s)) + ")"
}

// Error returns the Qt name, as String does, so that a Status prints the same
// with %v whether it is seen as an error or not. Reader.Err and Writer.Err
// add the package prefix.
func (s Status) Error() string { return s.String() }

// statusError is what Err returns: the status plus the I/O error, if any,
// that caused it. errors.Is matches either.
type statusError struct {
	status Status
	io     error
}

func (e *statusError) Error() string {
	if e.io != nil {
		return "datastream: " + e.status.String() + ": " + e.io.Error()
	}
	return "datastream: " + e.status.String()
}

func (e *statusError) Unwrap() []error {
	if e.io != nil {
		return []error{e.status, e.io}
	}
	return []error{e.status}
}

func makeErr(s Status, ioErr error) error {
	if s == Ok {
		return nil
	}
	return &statusError{status: s, io: ioErr}
}

// ErrNoDevice is the I/O error of a Reader or Writer made without a
// device (a nil io.Reader or io.Writer).
var ErrNoDevice = errors.New("datastream: no device")

// noDevice stands in for a nil device, so that misuse is a status and an
// error instead of a nil dereference.
type noDevice struct{}

func (noDevice) Read([]byte) (int, error)  { return 0, ErrNoDevice }
func (noDevice) Write([]byte) (int, error) { return 0, ErrNoDevice }
