package client

import (
	"net/http"
	"testing"

	"github.com/bedrockwire/bedrockwire/internal/leakcheck"
)

// goroutineSet is a snapshot of the running goroutines (see leakcheck).
type goroutineSet = leakcheck.Snapshot

// runningGoroutines returns the goroutines that run now.
func runningGoroutines() goroutineSet { return leakcheck.Take() }

// goroutinesSettle waits until every goroutine the test started after base
// has ended, closing tr's idle connections meanwhile, and fails the test
// with their stacks if that does not happen (leakcheck.Settle).
func goroutinesSettle(t *testing.T, base goroutineSet, tr *http.Transport) {
	t.Helper()
	leakcheck.Settle(t, base, tr.CloseIdleConnections)
}
