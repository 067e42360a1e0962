package leakcheck

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestSinceSeesLeak: a goroutine started after the snapshot is seen even
// when an older one ends at the same time, and is no longer seen once it
// has ended.
func TestSinceSeesLeak(t *testing.T) {
	oldStarted, oldDone, oldExited := make(chan struct{}), make(chan struct{}), make(chan struct{})
	go func() { leakTestBlock(oldStarted, oldDone); close(oldExited) }()
	<-oldStarted
	base := Take()
	newStarted, newDone, newExited := make(chan struct{}), make(chan struct{}), make(chan struct{})
	go func() { leakTestBlock(newStarted, newDone); close(newExited) }()
	<-newStarted
	close(oldDone)
	<-oldExited
	left := Since(base)
	if len(left) != 1 || !strings.Contains(left[0], "leakTestBlock") {
		t.Errorf("new goroutines after one started and an older one ended: %q, want the new one", left)
	}
	close(newDone)
	<-newExited
	closed := 0
	Settle(t, base, func() { closed++ })
	if closed == 0 {
		t.Error("Settle did not close idle connections")
	}
}

// TestSettleReportsLeak: when a goroutine outlives the wait, the test
// fails with its stack.
func TestSettleReportsLeak(t *testing.T) {
	base := Take()
	started, done := make(chan struct{}), make(chan struct{})
	go leakTestBlock(started, done)
	<-started
	defer close(done)
	r := &fatalRecorder{TB: t}
	func() {
		defer func() {
			if v := recover(); v != nil && v != errFatal {
				panic(v)
			}
		}()
		settle(r, base, nil, 20*time.Millisecond)
	}()
	if !strings.HasPrefix(r.msg, "1 goroutines started by the test still run:") || !strings.Contains(r.msg, "leakTestBlock") {
		t.Errorf("settle reported %q", r.msg)
	}
}

var errFatal = fmt.Errorf("Fatalf called")

// fatalRecorder keeps the message of Fatalf instead of ending the test.
type fatalRecorder struct {
	testing.TB
	msg string
}

func (r *fatalRecorder) Helper() {}
func (r *fatalRecorder) Fatalf(format string, args ...any) {
	r.msg = fmt.Sprintf(format, args...)
	panic(errFatal)
}

// leakTestBlock closes started and blocks until done is closed; its name
// marks the stack.
func leakTestBlock(started chan<- struct{}, done <-chan struct{}) {
	close(started)
	<-done
}
