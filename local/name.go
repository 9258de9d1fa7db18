package local

import (
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/sys/unix"
)

// sunPathLen is the size of sockaddr_un's sun_path: 108 bytes on Linux,
// 104 on darwin and the BSDs. A path needs one more byte for its NUL, an
// abstract name one more for the leading NUL.
const sunPathLen = len(unix.RawSockaddrUnix{}.Path)

// address is where a name leads: what FullServerName reports and what
// bind(2)/connect(2) get (the engine's '@' prefix for the abstract
// namespace).
type address struct {
	full     string
	sockaddr string
	abstract bool
}

// resolveName turns a server name into its address as Qt does: an
// abstract name is used as it is, byte for byte (a trailing NUL is part
// of it); a name starting with '/' is a path; anything else lives in
// QDir::tempPath(), which is os.TempDir() cleaned. ok is false when the
// name cannot fit in a sockaddr_un, which Qt reports as a name error.
func resolveName(name string, abstract bool) (a address, ok bool) {
	if abstract {
		return address{full: name, sockaddr: "@" + name, abstract: true}, len(name)+1 <= sunPathLen
	}
	full := name
	if !strings.HasPrefix(name, "/") {
		full = tempPath() + "/" + name
	}
	return address{full: full, sockaddr: full}, len(full)+1 <= sunPathLen
}

// tempPath is QDir::tempPath(): $TMPDIR (else /tmp), without a trailing
// slash.
func tempPath() string { return filepath.Clean(os.TempDir()) }

// describeSockaddr is Qt 6's parseSockaddr: the full name, the name and
// whether the address is abstract, from a path as the engine reports it.
func describeSockaddr(path string) (full, name string, abstract bool) {
	if p, ok := strings.CutPrefix(path, "@"); ok {
		return p, p, true
	}
	if i := strings.LastIndexByte(path, '/'); i >= 0 && i < len(path)-1 {
		return path, path[i+1:], false
	}
	return path, path, false
}
