package sigv4

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// DefaultRefreshWindow is how long before expiry a CachingProvider fetches
// new credentials.
const DefaultRefreshWindow = 5 * time.Minute

// CachingProvider wraps a CredentialsProvider, keeps the credentials it
// returns, and fetches new ones when they come within the refresh window of
// their expiry. Only one refresh runs at a time; while it runs, callers keep
// getting the current credentials as long as they have not expired. When a
// refresh fails and the cached credentials are still valid, they keep being
// served (and the next call tries again). It is safe for concurrent use.
type CachingProvider struct {
	provider CredentialsProvider
	window   time.Duration
	now      func() time.Time

	mu       sync.Mutex
	creds    Credentials
	have     bool
	inflight *refreshCall
}

type refreshCall struct {
	done  chan struct{}
	creds Credentials
	err   error
}

// CachingOption configures a CachingProvider.
type CachingOption func(*CachingProvider)

// WithRefreshWindow sets how long before expiry credentials are refreshed
// (default 5 minutes).
func WithRefreshWindow(d time.Duration) CachingOption {
	return func(c *CachingProvider) { c.window = d }
}

// WithClock sets the clock used to judge expiry (default time.Now).
func WithClock(now func() time.Time) CachingOption {
	return func(c *CachingProvider) { c.now = now }
}

// NewCachingProvider returns a CachingProvider around p. When p is already a
// *CachingProvider it is returned as is.
func NewCachingProvider(p CredentialsProvider, opts ...CachingOption) *CachingProvider {
	if c, ok := p.(*CachingProvider); ok && len(opts) == 0 {
		return c
	}
	c := &CachingProvider{provider: p, window: DefaultRefreshWindow, now: time.Now}
	for _, o := range opts {
		o(c)
	}
	return c
}

// Retrieve returns cached credentials, refreshing them when needed.
func (c *CachingProvider) Retrieve(ctx context.Context) (Credentials, error) {
	if c == nil || c.provider == nil {
		return Credentials{}, errors.New("sigv4: caching provider without a provider")
	}
	now := c.now()
	c.mu.Lock()
	if c.have && !c.needsRefresh(now) {
		creds := c.creds
		c.mu.Unlock()
		return creds, nil
	}
	call := c.inflight
	if call == nil {
		call = &refreshCall{done: make(chan struct{})}
		c.inflight = call
		go c.refresh(context.WithoutCancel(ctx), call)
	}
	// A refresh is under way: valid credentials are served meanwhile.
	if c.have && !c.creds.Expired(now) {
		creds := c.creds
		c.mu.Unlock()
		return creds, nil
	}
	c.mu.Unlock()
	select {
	case <-call.done:
	case <-ctx.Done():
		return Credentials{}, fmt.Errorf("sigv4: waiting for credentials: %w", ctx.Err())
	}
	if call.err != nil {
		// The previous credentials may still be valid (refresh failed).
		c.mu.Lock()
		defer c.mu.Unlock()
		if c.have && !c.creds.Expired(c.now()) {
			return c.creds, nil
		}
		return Credentials{}, call.err
	}
	return call.creds, nil
}

func (c *CachingProvider) needsRefresh(now time.Time) bool {
	return c.creds.CanExpire() && !now.Before(c.creds.Expires.Add(-c.window))
}

func (c *CachingProvider) refresh(ctx context.Context, call *refreshCall) {
	creds, err := c.provider.Retrieve(ctx)
	if err == nil && !creds.HasKeys() {
		err = errors.New("sigv4: credentials provider returned no keys")
	}
	c.mu.Lock()
	if err == nil {
		c.creds, c.have = creds, true
	}
	c.inflight = nil
	call.creds, call.err = creds, err
	c.mu.Unlock()
	close(call.done)
}

// Invalidate drops the cached credentials so that the next Retrieve fetches
// new ones, for example after the service answered ExpiredTokenException.
func (c *CachingProvider) Invalidate() {
	c.mu.Lock()
	c.creds, c.have = Credentials{}, false
	c.mu.Unlock()
}

// String names the wrapped provider and never shows credentials.
func (c *CachingProvider) String() string {
	if c == nil {
		return "CachingProvider(nil)"
	}
	return fmt.Sprintf("CachingProvider{provider: %T, refresh window: %v}", c.provider, c.window)
}
