package client

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// RetryMode names a retry strategy as AWS_RETRY_MODE does.
type RetryMode string

// Retry modes, as the AWS SDKs define them.
//
// RetryStandard retries with jittered exponential backoff and a retry quota.
//
// RetryAdaptive is RetryStandard plus a client-side rate limiter shared by
// all calls of the Client: once the service has answered with a throttling
// error, every attempt, the first ones included, waits for a token from a
// bucket whose fill rate follows the responses (cut to 0.7 times the sending
// rate on each throttling error, then grown back along a cubic curve). It
// suits a client that talks to one throttled resource (a model in a region)
// and can accept added latency; calls to other resources through the same
// Client are slowed as well.
const (
	RetryStandard RetryMode = "standard"
	RetryAdaptive RetryMode = "adaptive"
)

// Defaults of the AWS standard retry mode.
const (
	DefaultMaxAttempts = 3
	DefaultMaxBackoff  = 20 * time.Second
	// maxRetryAfter caps how long a Retry-After header can make the client wait.
	maxRetryAfter = time.Minute

	quotaInitial     = 500
	quotaRetryCost   = 5
	quotaTimeoutCost = 10
	quotaSuccess     = 1
)

// RetryPolicy says how failed calls are retried. The zero value is the AWS
// standard retry mode: 3 attempts in all, exponential backoff with full
// jitter from 1 s capped at 20 s, and a retry quota shared by the client.
//
// Retried are throttling errors, HTTP 5xx (except 501), ModelNotReadyException
// and connection failures before a response arrived. A Retry-After header
// (up to a minute) replaces the computed backoff. A retry never outlives the
// context deadline, and a stream is never retried once it has begun.
//
// Mode RetryAdaptive adds client-side rate limiting (see RetryAdaptive); a
// rate-limiter wait that would outlive the context deadline is not started
// either.
type RetryPolicy struct {
	Mode RetryMode // "" means RetryStandard; RetryAdaptive adds client-side rate limiting
	// MaxAttempts is the number of attempts including the first; 0 means
	// DefaultMaxAttempts and 1 disables retries.
	MaxAttempts int
	// MaxBackoff caps one backoff delay; 0 means DefaultMaxBackoff.
	MaxBackoff time.Duration
	// DisableQuota turns the retry quota off, so every failure may be retried
	// up to MaxAttempts however much the service fails.
	DisableQuota bool
}

func (p RetryPolicy) withDefaults() (RetryPolicy, error) {
	switch p.Mode {
	case "":
		p.Mode = RetryStandard
	case RetryStandard, RetryAdaptive:
	default:
		return p, fmt.Errorf("unknown retry mode %q: want %q or %q", p.Mode, RetryStandard, RetryAdaptive)
	}
	if p.MaxAttempts < 0 {
		return p, fmt.Errorf("retry: MaxAttempts %d is negative", p.MaxAttempts)
	}
	if p.MaxAttempts == 0 {
		p.MaxAttempts = DefaultMaxAttempts
	}
	if p.MaxBackoff < 0 {
		return p, fmt.Errorf("retry: MaxBackoff %v is negative", p.MaxBackoff)
	}
	if p.MaxBackoff == 0 {
		p.MaxBackoff = DefaultMaxBackoff
	}
	return p, nil
}

// String describes the policy.
func (p RetryPolicy) String() string {
	mode := p.Mode
	if mode == "" {
		mode = RetryStandard
	}
	s := fmt.Sprintf("{Mode: %s, MaxAttempts: %d", mode, p.MaxAttempts)
	if p.MaxBackoff != 0 {
		s += ", MaxBackoff: " + p.MaxBackoff.String()
	}
	if p.DisableQuota {
		s += ", DisableQuota: true"
	}
	return s + "}"
}

// backoff returns the delay before retry number attempt (1 for the first
// retry): a uniformly random duration in [0, min(2^(attempt-1) s, max)).
func backoff(attempt int, max time.Duration, rnd float64) time.Duration {
	ceiling := max
	if attempt < 40 {
		if d := time.Second << (attempt - 1); d < max {
			ceiling = d
		}
	}
	return time.Duration(rnd * float64(ceiling))
}

// retryAfter parses a Retry-After header: delay-seconds or an HTTP date.
func retryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n < 0 {
			return 0, false
		}
		if n > int64(maxRetryAfter/time.Second) {
			return maxRetryAfter, true
		}
		return time.Duration(n) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		d := t.Sub(now)
		if d < 0 {
			d = 0
		}
		if d > maxRetryAfter {
			d = maxRetryAfter
		}
		return d, true
	}
	return 0, false
}

// retryQuota is the standard mode's token bucket: each retry spends tokens,
// each success returns some, and when it runs dry failures are no longer
// retried, so a failing service is not hammered.
type retryQuota struct {
	_      noCompare
	mu     sync.Mutex
	tokens int
}

func newRetryQuota() *retryQuota { return &retryQuota{tokens: quotaInitial} }

// acquire takes cost tokens and reports whether there were enough.
func (q *retryQuota) acquire(cost int) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.tokens < cost {
		return false
	}
	q.tokens -= cost
	return true
}

// release returns tokens after a success: what the last retry cost, or one
// token when the call succeeded at once.
func (q *retryQuota) release(n int) {
	q.mu.Lock()
	q.tokens += n
	if q.tokens > quotaInitial {
		q.tokens = quotaInitial
	}
	q.mu.Unlock()
}

func (q *retryQuota) available() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.tokens
}
