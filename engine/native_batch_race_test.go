//go:build race

package engine_test

// raceEnabled: the race detector's sync.Pool drops a quarter of what it
// is given, so allocation counts through a pool are not zero.
const raceEnabled = true
