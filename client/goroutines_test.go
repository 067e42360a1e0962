package client

import (
	"net/http"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
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
// (taken with runningGoroutines before the test opened its connections) and
// could be the test's has ended, and fails the test with their stacks if
// that does not happen. Goroutines are told apart by ID, so one that ends
// cannot hide one that leaks. It keeps closing tr's idle connections: an
// HTTP/2 connection outlives its streams in the pool, and a stream's
// release there is asynchronous, so the connection closes once the stream
// was released. The wait is bounded generously: goroutines of a closed
// connection end promptly, but on a loaded machine under -race "promptly"
// can take seconds, and the bound only decides how long a real leak takes
// to be reported.
func goroutinesSettle(t *testing.T, base goroutineSet, tr *http.Transport) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		tr.CloseIdleConnections()
		left := newGoroutines(base)
		if len(left) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d goroutines started by the test still run:\n\n%s", len(left), strings.Join(left, "\n\n"))
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// newGoroutines returns the stacks of the leak candidates that run now and
// are not in base.
func newGoroutines(base goroutineSet) []string {
	var left []string
	for id, stack := range runningGoroutines() {
		if _, ok := base[id]; !ok && leakCandidate(stack) {
			left = append(left, stack)
		}
	}
	sort.Strings(left)
	return left
}

// TestGoroutinesSettleSeesLeak: a goroutine started after the snapshot is
// seen even when an older one ends at the same time, and is no longer seen
// once it has ended.
func TestGoroutinesSettleSeesLeak(t *testing.T) {
	oldStarted, oldDone, oldExited := make(chan struct{}), make(chan struct{}), make(chan struct{})
	go func() { leakTestBlock(oldStarted, oldDone); close(oldExited) }()
	<-oldStarted
	base := runningGoroutines()
	newStarted, newDone, newExited := make(chan struct{}), make(chan struct{}), make(chan struct{})
	go func() { leakTestBlock(newStarted, newDone); close(newExited) }()
	<-newStarted
	close(oldDone)
	<-oldExited
	left := newGoroutines(base)
	if len(left) != 1 || !strings.Contains(left[0], "leakTestBlock") {
		t.Errorf("new goroutines after one started and an older one ended: %q, want the new one", left)
	}
	close(newDone)
	<-newExited
	goroutinesSettle(t, base, &http.Transport{})
}

// leakTestBlock closes started and blocks until done is closed; its name
// marks the stack.
func leakTestBlock(started chan<- struct{}, done <-chan struct{}) {
	close(started)
	<-done
}
