package datastream

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const regenHint = "install qtbase5-dev qt6-base-dev (with g++ and pkg-config) to regenerate the Qt vectors"

// TestQtGeneratorReproducesVectors rebuilds internal/qtgen against the
// installed Qt 5 and Qt 6 and checks that it writes exactly the committed
// testdata/qt5.txt and qt6.txt (apart from the header naming Qt's version),
// write vectors and read probes alike.
func TestQtGeneratorReproducesVectors(t *testing.T) {
	if testing.Short() {
		t.Skip("builds C++; skipped in -short mode")
	}
	for _, tool := range []string{"sh", "g++", "pkg-config"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not found: %s", tool, regenHint)
		}
	}
	if err := exec.Command("pkg-config", "--exists", "Qt5Core", "Qt5Network", "Qt6Core", "Qt6Network").Run(); err != nil {
		t.Skipf("pkg-config finds no Qt5Core/Qt5Network/Qt6Core/Qt6Network: %s", regenHint)
	}
	out := t.TempDir()
	cmd := exec.Command("sh", filepath.Join("internal", "qtgen", "gen.sh"), out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("gen.sh: %v\n%s", err, b)
	}
	for _, name := range []string{"qt5.txt", "qt6.txt"} {
		got := readLines(t, filepath.Join(out, name))
		want := readLines(t, filepath.Join("testdata", name))
		if got[0] != want[0] {
			t.Logf("%s: header differs (other Qt release?):\n got  %s\n want %s", name, got[0], want[0])
		}
		if len(got) != len(want) {
			t.Errorf("%s: generator wrote %d lines, testdata has %d", name, len(got), len(want))
		}
		for i := 1; i < min(len(got), len(want)); i++ {
			if got[i] != want[i] {
				t.Errorf("%s line %d:\n got  %s\n want %s", name, i+1, got[i], want[i])
				break
			}
		}
	}
}

func readLines(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimRight(string(b), "\n"), "\n")
}
