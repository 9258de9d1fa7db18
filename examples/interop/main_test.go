package interop

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// examples are the Go programs under test, built once into binDir by
// TestMain.
var examples = []string{"fortuneserver", "fortuneclient", "blockingfortuneclient", "threadedfortuneserver"}

// binDir holds the built examples.
var binDir string

func TestMain(m *testing.M) {
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	dir, err := os.MkdirTemp("", "qsock-interop-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	binDir = dir
	if err := buildExamples(dir); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return m.Run()
}

// buildExamples builds every example into dir with the go command that runs
// the tests, with -race when the tests have it.
func buildExamples(dir string) error {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		goCmd = filepath.Join(os.Getenv("GOROOT"), "bin", "go")
	}
	args := []string{"build", "-o", dir + string(filepath.Separator)}
	if raceEnabled {
		args = append(args, "-race")
	}
	for _, e := range examples {
		args = append(args, "github.com/qsock/qsock/examples/"+e)
	}
	cmd := exec.Command(goCmd, args...)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("building the examples: %v\n%s", err, out)
	}
	return nil
}

// bin returns the path of a built example.
func bin(name string) string { return filepath.Join(binDir, name) }
