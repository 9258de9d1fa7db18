//go:build !race

package accept

const raceEnabled = false
