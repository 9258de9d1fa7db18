//go:build race

package udp_test

// raceEnabled: under the race detector sync.Pool drops a quarter of what
// it is given, so allocation counts through the receive ring's pool are
// not zero.
const raceEnabled = true
