// Package interop holds the tests that prove the Go fortune examples are
// interchangeable with Qt's: our clients against Qt's real fortuneserver and
// threadedfortuneserver binaries (Debian's qtbase5-examples), a Qt console
// fortune client (qtclient/, built with g++ against qtbase5-dev) against our
// servers, our clients against our servers, and byte-level checks of what
// every server sends. Tests whose Qt parts are missing skip and name the
// Debian packages to install.
//
// The package has no API; run it with
//
//	go test ./examples/interop/
package interop
