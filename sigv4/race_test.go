//go:build race

package sigv4

// raceEnabled: the race detector allocates, and sync.Pool drops items at
// random under it, so allocation counts are only held without it.
const raceEnabled = true
