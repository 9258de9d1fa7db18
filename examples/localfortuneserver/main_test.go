package main

import (
	"bytes"
	"testing"
)

// The block is Qt's: the QChar count, then the QString; the first fortune
// is the 122 bytes captured from Qt's localfortuneserver.
func TestBlock(t *testing.T) {
	b := Block("You've been leading a dog's life. Stay off the furniture.")
	if len(b) != 122 || !bytes.Equal(b[:10], []byte{0, 0, 0, 0x39, 0, 0, 0, 0x72, 0, 'Y'}) {
		t.Fatalf("block % x", b)
	}
	// Characters outside the BMP count twice, as QString::size does.
	if b := Block("😀"); !bytes.Equal(b[:8], []byte{0, 0, 0, 2, 0, 0, 0, 4}) {
		t.Fatalf("surrogate pair: % x", b[:8])
	}
}
