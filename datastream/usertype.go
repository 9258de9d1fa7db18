package datastream

import (
	"errors"
	"sync"
)

// UserType tells ReadVariant and WriteVariant how to stream the values of
// one user type, as qRegisterMetaTypeStreamOperators<T>() tells Qt: after
// the type id, the null flag and the type's name, Qt streams a user
// type's value with its own operator<< and operator>>. Read and Write must
// match the Qt program's operators byte for byte.
type UserType struct {
	// Read reads one value, as the type's operator>> does; a failure is
	// the Reader's status.
	Read func(r *Reader) any
	// Write writes v, a value Read would return, as the type's
	// operator<< does.
	Write func(w *Writer, v any)
}

var userTypes sync.Map // name -> UserType

// ErrUserType is returned by RegisterUserType for a registration it
// cannot take: a name that is empty, contains a NUL (Qt streams the name
// as a C string) or is "QHostAddress", which this package streams itself;
// or a missing Read or Write.
var ErrUserType = errors.New("datastream: unusable user type registration")

// RegisterUserType makes Variants of the user type called name (its
// QMetaType name, such as "Point" or "MyApp::Settings") readable and
// writable: ReadVariant then decodes the value with t.Read instead of
// setting ReadCorruptData, and WriteVariant writes a Variant{Type:
// MetaTypeUser, TypeName: name} with t.Write. Registering a name again
// replaces its functions; both must be set. It is safe to call from any
// goroutine.
func RegisterUserType(name string, t UserType) error {
	if name == "" || name == hostAddressTypeName || t.Read == nil || t.Write == nil {
		return ErrUserType
	}
	for i := range len(name) {
		if name[i] == 0 {
			return ErrUserType
		}
	}
	userTypes.Store(name, t)
	return nil
}

// userType returns the registered streaming of the user type name.
func userType(name string) (UserType, bool) {
	t, ok := userTypes.Load(name)
	if !ok {
		return UserType{}, false
	}
	return t.(UserType), true
}
