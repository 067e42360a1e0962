// Package leakcheck finds the goroutines a test leaves running. It serves
// the module's tests only.
//
// Goroutines are told apart by ID, so one that ends cannot hide one that
// leaks:
//
//	base := leakcheck.Take()
//	… the test opens connections, streams, sessions …
//	leakcheck.Settle(t, base, transport.CloseIdleConnections)
package leakcheck

import (
	"runtime"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Snapshot is the set of running goroutines at one moment: stack by ID.
type Snapshot map[uint64]string

// Take returns the goroutines that run now.
func Take() Snapshot {
	buf := make([]byte, 256<<10)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	set := make(Snapshot)
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

// candidate reports whether a goroutine's stack is of the kind a test of
// this module can leave behind: this module's code, or net/http and net
// connections (a client's transport, a test's loopback server). Goroutines
// the runtime or the testing package start on their own are not.
func candidate(stack string) bool {
	return strings.Contains(stack, "bedrockwire/bedrockwire/") ||
		strings.Contains(stack, "net/http.") || strings.Contains(stack, "net.(*")
}

// Since returns, sorted, the stacks of the leak candidates that run now and
// are not in base.
func Since(base Snapshot) []string {
	var left []string
	for id, stack := range Take() {
		if _, ok := base[id]; !ok && candidate(stack) {
			left = append(left, stack)
		}
	}
	sort.Strings(left)
	return left
}

// Settle waits until every goroutine that started after base and could be
// the test's has ended, and fails the test with their stacks if that does
// not happen. It calls closeIdle (nil: nothing) on each round: an HTTP/2
// connection outlives its streams in a transport's pool, and a stream's
// release there is asynchronous, so the connection closes once the stream
// was released. The wait is bounded generously: goroutines of a closed
// connection end promptly, but on a loaded machine under -race "promptly"
// can take seconds, and the bound only decides how long a real leak takes
// to be reported.
func Settle(t testing.TB, base Snapshot, closeIdle func()) {
	t.Helper()
	settle(t, base, closeIdle, 30*time.Second)
}

func settle(t testing.TB, base Snapshot, closeIdle func(), bound time.Duration) {
	t.Helper()
	deadline := time.Now().Add(bound)
	for {
		if closeIdle != nil {
			closeIdle()
		}
		left := Since(base)
		if len(left) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d goroutines started by the test still run:\n\n%s", len(left), strings.Join(left, "\n\n"))
		}
		time.Sleep(5 * time.Millisecond)
	}
}
