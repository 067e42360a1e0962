package novasonic

import (
	"testing"

	"github.com/bedrockwire/bedrockwire/client/bedrocktest"
	"github.com/bedrockwire/bedrockwire/internal/leakcheck"
)

// goroutineSet is a snapshot of the running goroutines (see leakcheck).
type goroutineSet = leakcheck.Snapshot

// runningGoroutines returns the goroutines that run now.
func runningGoroutines() goroutineSet { return leakcheck.Take() }

// goroutinesSettle waits until every goroutine the test started after base
// has ended, closing the idle connections of the emulator's client
// meanwhile, and fails the test with their stacks if that does not happen
// (leakcheck.Settle).
func goroutinesSettle(t *testing.T, base goroutineSet, srv *bedrocktest.Server) {
	t.Helper()
	var closeIdle func()
	if tr, ok := srv.Client().Transport.(interface{ CloseIdleConnections() }); ok {
		closeIdle = tr.CloseIdleConnections
	}
	leakcheck.Settle(t, base, closeIdle)
}
