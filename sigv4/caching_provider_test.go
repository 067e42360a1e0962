package sigv4

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeClock is a settable clock.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *fakeClock) Set(t time.Time) { c.mu.Lock(); c.now = t; c.mu.Unlock() }

// scriptedProvider returns credentials expiring at the configured time, or
// the configured error, and counts calls. When gate is set each call waits
// for it.
type scriptedProvider struct {
	mu      sync.Mutex
	calls   atomic.Int32
	expires time.Time
	err     error
	gate    chan struct{}
}

func (p *scriptedProvider) Retrieve(ctx context.Context) (Credentials, error) {
	n := p.calls.Add(1)
	if p.gate != nil {
		<-p.gate
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.err != nil {
		return Credentials{}, p.err
	}
	return Credentials{AccessKeyID: fmt.Sprintf("AKID%d", n), SecretAccessKey: "secret", Expires: p.expires}, nil
}

func (p *scriptedProvider) set(exp time.Time, err error) {
	p.mu.Lock()
	p.expires, p.err = exp, err
	p.mu.Unlock()
}

func TestCachingProviderRefresh(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	clock := &fakeClock{now: t0}
	p := &scriptedProvider{expires: t0.Add(time.Hour)}
	c := NewCachingProvider(p, WithClock(clock.Now), WithRefreshWindow(5*time.Minute))
	ctx := context.Background()

	get := func() Credentials {
		t.Helper()
		creds, err := c.Retrieve(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return creds
	}
	if got := get().AccessKeyID; got != "AKID1" {
		t.Fatalf("first Retrieve = %s", got)
	}
	clock.Set(t0.Add(54 * time.Minute))
	if got := get().AccessKeyID; got != "AKID1" || p.calls.Load() != 1 {
		t.Fatalf("before the window: %s after %d calls, want cached AKID1 after 1", got, p.calls.Load())
	}

	// Inside the window a refresh starts; the still-valid credentials may
	// be served while it runs, and the new ones afterwards.
	clock.Set(t0.Add(56 * time.Minute))
	p.set(t0.Add(2*time.Hour), nil)
	first := get().AccessKeyID
	if first != "AKID1" && first != "AKID2" {
		t.Fatalf("in the window: %s", first)
	}
	waitFor(t, func() bool { return c.inflightDone() })
	if got := get().AccessKeyID; got != "AKID2" {
		t.Fatalf("after the refresh: %s, want AKID2", got)
	}

	// A failing refresh keeps serving still-valid credentials...
	clock.Set(t0.Add(2*time.Hour - time.Minute))
	p.set(time.Time{}, errors.New("sts down"))
	for i := 0; i < 3; i++ {
		if got := get().AccessKeyID; got != "AKID2" {
			t.Fatalf("refresh failing, creds valid: %s, want AKID2", got)
		}
		waitFor(t, func() bool { return c.inflightDone() })
	}
	// ...and reports the error once they have expired.
	clock.Set(t0.Add(2 * time.Hour))
	if _, err := c.Retrieve(ctx); err == nil || !strings.Contains(err.Error(), "sts down") {
		t.Fatalf("expired and refresh failing: err = %v, want sts down", err)
	}
	// Recovery.
	p.set(t0.Add(3*time.Hour), nil)
	if got := get(); got.Expires != t0.Add(3*time.Hour) {
		t.Fatalf("after recovery: %v", got)
	}
	// Invalidate forces a fetch.
	n := p.calls.Load()
	c.Invalidate()
	get()
	if p.calls.Load() != n+1 {
		t.Errorf("Invalidate did not force a refresh")
	}
}

// TestCachingProviderSingleFlight: concurrent callers without valid
// credentials share one refresh.
func TestCachingProviderSingleFlight(t *testing.T) {
	p := &scriptedProvider{gate: make(chan struct{})}
	c := NewCachingProvider(p)
	var wg sync.WaitGroup
	results := make(chan string, 16)
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			creds, err := c.Retrieve(context.Background())
			if err != nil {
				results <- err.Error()
				return
			}
			results <- creds.AccessKeyID
		}()
	}
	waitFor(t, func() bool { return p.calls.Load() == 1 })
	close(p.gate)
	wg.Wait()
	close(results)
	for r := range results {
		if r != "AKID1" {
			t.Errorf("caller got %s, want AKID1", r)
		}
	}
	if n := p.calls.Load(); n != 1 {
		t.Errorf("%d refreshes, want 1", n)
	}
}

// TestCachingProviderContext: a caller whose context ends stops waiting.
func TestCachingProviderContext(t *testing.T) {
	p := &scriptedProvider{gate: make(chan struct{})}
	defer close(p.gate)
	c := NewCachingProvider(p)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.Retrieve(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestCachingProviderMisc(t *testing.T) {
	c := NewCachingProvider(StaticCredentials{AccessKeyID: "AKID", SecretAccessKey: "SECRET"})
	if NewCachingProvider(c) != c {
		t.Error("wrapping a CachingProvider again must return it")
	}
	s := fmt.Sprintf("%v %s %+v", c, c, c)
	if strings.Contains(s, "SECRET") {
		t.Errorf("String leaks: %s", s)
	}
	if got := c.String(); got != "CachingProvider{provider: sigv4.StaticCredentials, refresh window: 5m0s}" {
		t.Errorf("String() = %q", got)
	}
	empty := NewCachingProvider(CredentialsProviderFunc(func(context.Context) (Credentials, error) { return Credentials{}, nil }))
	if _, err := empty.Retrieve(context.Background()); err == nil {
		t.Error("provider returning no keys: no error")
	}
	var nilc *CachingProvider
	if _, err := nilc.Retrieve(context.Background()); err == nil {
		t.Error("nil CachingProvider: no error")
	}
}

// inflightDone reports whether no refresh is running (tests only).
func (c *CachingProvider) inflightDone() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.inflight == nil
}

// waitFor polls cond; it fails the test after a generous bound. It is a
// synchronisation aid, not a timing assertion.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for i := 0; i < 5000; i++ {
		if cond() {
			return
		}
		time.Sleep(time.Millisecond)
	}
	t.Fatal("condition not reached")
}
