//go:build race

package interop

// raceEnabled builds the example binaries with -race too when the tests run
// under the race detector, so the examples' own goroutines are checked.
const raceEnabled = true
