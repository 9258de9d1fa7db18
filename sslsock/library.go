package sslsock

import (
	"runtime"
	"strings"
)

// SupportsSSL reports whether TLS can be used (QSslSocket::supportsSsl):
// always, since crypto/tls is compiled into the program.
func SupportsSSL() bool { return true }

// SSLLibraryVersionString names the TLS library in use
// (QSslSocket::sslLibraryVersionString): Go's crypto/tls, with the
// version of the Go toolchain that built the program, as in
// "Go crypto/tls go1.26.8".
func SSLLibraryVersionString() string { return "Go crypto/tls " + runtime.Version() }

// SSLLibraryVersionNumber is the library's version as a number laid out as
// OpenSSL 3's OPENSSL_VERSION_NUMBER, 0xMNN00PP0 — major, minor, patch of
// Go: go1.26.8 gives 0x11a00080 (QSslSocket::sslLibraryVersionNumber). A
// development toolchain gives 0.
func SSLLibraryVersionNumber() int64 { return goVersionNumber(runtime.Version()) }

// SSLLibraryBuildVersionString is SSLLibraryVersionString: the library is
// the one the program was built with.
func SSLLibraryBuildVersionString() string { return SSLLibraryVersionString() }

// SSLLibraryBuildVersionNumber is SSLLibraryVersionNumber, for the same
// reason.
func SSLLibraryBuildVersionNumber() int64 { return SSLLibraryVersionNumber() }

// goVersionNumber packs "goMAJOR.MINOR[.PATCH][suffix]".
func goVersionNumber(v string) int64 {
	v, ok := strings.CutPrefix(v, "go")
	if !ok {
		return 0
	}
	var n [3]int64
	for i := range n {
		digits := 0
		for digits < len(v) && v[digits] >= '0' && v[digits] <= '9' {
			n[i] = n[i]*10 + int64(v[digits]-'0')
			digits++
		}
		if digits == 0 {
			break
		}
		v = v[digits:]
		if len(v) == 0 || v[0] != '.' {
			break
		}
		v = v[1:]
	}
	return n[0]<<28 | n[1]<<20 | n[2]<<4
}
