//go:build !linux

package local

// abstractSupported: only Linux has the abstract socket namespace; the
// option fails with UnsupportedSocketOperationError elsewhere.
const abstractSupported = false
