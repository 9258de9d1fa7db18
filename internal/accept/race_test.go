//go:build race

package accept

// raceEnabled: the race detector allocates on synchronisation, so
// allocation counts are not checked under it.
const raceEnabled = true
