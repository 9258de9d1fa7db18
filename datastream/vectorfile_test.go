package datastream

import (
	"bufio"
	"encoding/hex"
	"os"
	"strconv"
	"strings"
	"testing"
)

// vector is one line of testdata/qt5.txt or qt6.txt, written by
// internal/qtgen with real Qt.
type vector struct {
	qt      int // 5 or 6
	version Version
	order   ByteOrder
	name    string
	data    []byte
	line    int
}

func loadVectors(t testing.TB, qt int) []vector {
	t.Helper()
	f, err := os.Open("testdata/qt" + strconv.Itoa(qt) + ".txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	vs, err := parseVectors(f, qt)
	if err != nil {
		t.Fatal(err)
	}
	return vs
}

func parseVectors(f *os.File, qt int) ([]vector, error) {
	var vs []vector
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		fields := strings.Fields(line)
		ver, err := strconv.Atoi(fields[0])
		if err != nil || len(fields) != 4 {
			return nil, &os.PathError{Op: "parse", Path: f.Name() + ":" + strconv.Itoa(n), Err: os.ErrInvalid}
		}
		data, err := hex.DecodeString(fields[3])
		if err != nil {
			return nil, err
		}
		order := BigEndian
		if fields[1] == "le" {
			order = LittleEndian
		}
		vs = append(vs, vector{qt, Version(ver), order, fields[2], data, n})
	}
	return vs, sc.Err()
}
