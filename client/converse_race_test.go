//go:build race

package client

// cvRaceEnabled is true in -race builds, where long loopback streams are
// shortened to keep the package's tests fast.
const cvRaceEnabled = true
