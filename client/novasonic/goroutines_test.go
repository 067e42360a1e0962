package novasonic

import (
	"runtime"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bedrockwire/bedrockwire/client/bedrocktest"
)

// goroutineSet is a snapshot of the running goroutines: stack by ID.
type goroutineSet map[uint64]string

// runningGoroutines returns the goroutines that run now.
func runningGoroutines() goroutineSet {
	buf := make([]byte, 256<<10)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	set := make(goroutineSet)
	for _, g := range strings.Split(string(buf), "\n\n") {
		rest, ok := strings.CutPrefix(g, "goroutine ")
		if !ok {
			continue
		}
		id, _, _ := strings.Cut(rest, " ")
		n, err := strconv.ParseUint(id, 10, 64)
		if err != nil {
			continue
		}
		set[n] = g
	}
	return set
}

// leakCandidate reports whether a goroutine's stack is of the kind a test
// of this package can leave behind: this module's code, or net/http and
// net connections (the client's transport and the test's loopback server).
// Goroutines the runtime or the testing package start on their own are
// not.
func leakCandidate(stack string) bool {
	return strings.Contains(stack, "bedrockwire/bedrockwire/") ||
		strings.Contains(stack, "net/http.") || strings.Contains(stack, "net.(*")
}

// goroutinesSettle waits until every goroutine that started after base
// and could be the test's has ended, and fails the test with their stacks
// if that does not happen. Goroutines are told apart by ID, so one that
// ends cannot hide one that leaks. It keeps closing the idle connections of
// the emulator's client. The bound is generous: it only decides how long a
// real leak takes to be reported on a loaded machine under -race.
func goroutinesSettle(t *testing.T, base goroutineSet, srv *bedrocktest.Server) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		if tr, ok := srv.Client().Transport.(interface{ CloseIdleConnections() }); ok {
			tr.CloseIdleConnections()
		}
		var left []string
		for id, stack := range runningGoroutines() {
			if _, ok := base[id]; !ok && leakCandidate(stack) {
				left = append(left, stack)
			}
		}
		if len(left) == 0 {
			return
		}
		if time.Now().After(deadline) {
			sort.Strings(left)
			t.Fatalf("%d goroutines started by the test still run:\n\n%s", len(left), strings.Join(left, "\n\n"))
		}
		time.Sleep(5 * time.Millisecond)
	}
}
