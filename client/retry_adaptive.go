package client

import (
	"context"
	"fmt"
	"math"
	"sync"
	"time"
)

// Constants of the adaptive retry mode's client-side rate limiter, with the
// values every AWS SDK uses.
const (
	// adaptiveBeta multiplies the send rate after a throttling response.
	adaptiveBeta = 0.7
	// adaptiveScale is the CUBIC scale constant: how fast the rate grows
	// back after a throttling response.
	adaptiveScale = 0.4
	// adaptiveSmoothing is the weight of the newest measurement in the
	// smoothed send rate.
	adaptiveSmoothing = 0.8
	// adaptiveBucketsPerSecond: the send rate is measured over half-second
	// time buckets.
	adaptiveBucketsPerSecond = 2
	// adaptiveMinFillRate and adaptiveMinCapacity bound the token bucket from
	// below, in tokens per second and tokens.
	adaptiveMinFillRate = 0.5
	adaptiveMinCapacity = 1.0
	// adaptiveMaxRateFactor: the fill rate never exceeds this multiple of the
	// measured send rate.
	adaptiveMaxRateFactor = 2.0
	// adaptiveTokenSlack absorbs floating-point rounding: a bucket this close
	// to one token holds one.
	adaptiveTokenSlack = 1e-9
)

// rateLimiter is the adaptive retry mode's client-side rate limiter, shared
// by all requests of a Client: a token bucket, one token per attempt, whose
// fill rate a CUBIC-style controller sets from the responses. It does
// nothing until the first throttling response enables it; a throttling
// response lowers the rate to adaptiveBeta times the rate the client was
// sending at, and later responses raise it again along a cubic curve that
// regains that rate after timeWindow seconds and then grows past it, never
// beyond twice the measured send rate.
type rateLimiter struct {
	_       noCompare
	mu      sync.Mutex
	enabled bool // a throttling response was seen; attempts now take tokens

	// The token bucket.
	fillRate    float64   // tokens per second, at least adaptiveMinFillRate
	maxCapacity float64   // at least adaptiveMinCapacity
	capacity    float64   // tokens available
	lastRefill  time.Time // zero before the first refill

	// The measured send rate: attempts per second, smoothed over half-second
	// buckets.
	measuredRate float64
	requestCount int   // attempts since the bucket lastBucket
	lastBucket   int64 // half-second bucket of the last measurement, in half seconds since the Unix epoch

	// The CUBIC controller.
	lastMaxRate  float64   // the rate at the last throttling response
	lastThrottle time.Time // when it came
	timeWindow   float64   // seconds after lastThrottle at which the curve regains lastMaxRate
}

// newRateLimiter returns a disabled limiter whose clock starts at now.
func newRateLimiter(now time.Time) *rateLimiter {
	return &rateLimiter{
		fillRate:     adaptiveMinFillRate,
		maxCapacity:  adaptiveMinCapacity,
		lastBucket:   floorDiv(now.UnixNano(), int64(time.Second)) * adaptiveBucketsPerSecond,
		lastThrottle: now,
	}
}

// tryAcquire takes one token and returns 0, or returns how long to wait
// before there is one. It takes nothing while the limiter is disabled.
func (l *rateLimiter) tryAcquire(now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.enabled {
		return 0
	}
	l.refill(now)
	if l.capacity+adaptiveTokenSlack >= 1 {
		l.capacity = max(l.capacity-1, 0)
		return 0
	}
	wait := time.Duration(math.Ceil((1 - l.capacity) / l.fillRate * float64(time.Second)))
	return max(wait, 1)
}

// update feeds the outcome of an attempt made at now to the controller:
// throttled when the service said the client sends too fast.
func (l *rateLimiter) update(now time.Time, throttled bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.measure(now)
	var rate float64
	if throttled {
		rate = l.measuredRate
		if l.enabled {
			rate = min(rate, l.fillRate)
		}
		l.lastMaxRate = rate
		l.timeWindow = math.Cbrt(rate * (1 - adaptiveBeta) / adaptiveScale)
		l.lastThrottle = now
		rate *= adaptiveBeta
		l.enabled = true
	} else {
		rate = l.cubic(now)
	}
	l.setRate(now, min(rate, adaptiveMaxRateFactor*l.measuredRate))
}

// cubic is the rate the controller allows at now after a success: the
// cubic curve through lastMaxRate*adaptiveBeta at the last throttling
// response and lastMaxRate timeWindow seconds later.
func (l *rateLimiter) cubic(now time.Time) float64 {
	t := now.Sub(l.lastThrottle).Seconds() - l.timeWindow
	return adaptiveScale*t*t*t + l.lastMaxRate
}

// measure counts an attempt and, when a new half-second bucket has begun,
// folds the attempts since the last one into the smoothed send rate.
func (l *rateLimiter) measure(now time.Time) {
	bucket := floorDiv(now.UnixNano(), int64(time.Second)/adaptiveBucketsPerSecond)
	l.requestCount++
	if bucket > l.lastBucket {
		current := float64(l.requestCount) * adaptiveBucketsPerSecond / float64(bucket-l.lastBucket)
		l.measuredRate = current*adaptiveSmoothing + l.measuredRate*(1-adaptiveSmoothing)
		l.requestCount = 0
		l.lastBucket = bucket
	}
}

// setRate makes rate the bucket's fill rate and capacity, within their
// minimums, after crediting the tokens earned at the old rate.
func (l *rateLimiter) setRate(now time.Time, rate float64) {
	l.refill(now)
	l.fillRate = max(rate, adaptiveMinFillRate)
	l.maxCapacity = max(rate, adaptiveMinCapacity)
	l.capacity = min(l.capacity, l.maxCapacity)
}

// refill credits the tokens earned since the last refill.
func (l *rateLimiter) refill(now time.Time) {
	if l.lastRefill.IsZero() {
		l.lastRefill = now
		return
	}
	if elapsed := now.Sub(l.lastRefill); elapsed > 0 {
		l.capacity = min(l.maxCapacity, l.capacity+elapsed.Seconds()*l.fillRate)
		l.lastRefill = now
	}
}

// floorDiv is a / b rounded towards minus infinity, for b > 0.
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b < 0 {
		q--
	}
	return q
}

// errRateLimitDeadline says that the rate limiter's wait would outlive the
// context's deadline.
var errRateLimitDeadline = fmt.Errorf("the client-side rate limiter (adaptive retry mode) would wait past the context deadline: %w", context.DeadlineExceeded)

// waitSendToken waits until the adaptive mode's rate limiter lets the attempt
// go. A wait that would outlive the context's deadline is not started. When
// the wait fails, the error to return is prev, the error of the previous
// attempt, if there was one.
func (c *Client) waitSendToken(ctx context.Context, r *request, attempt int, prev error) error {
	for {
		wait := c.limiter.tryAcquire(c.now())
		if wait == 0 {
			return nil
		}
		err := errRateLimitDeadline
		if deadline, ok := ctx.Deadline(); !ok || time.Until(deadline) >= wait {
			if c.logger != nil {
				c.debug(ctx, "bedrock rate limit", "op", r.op, "attempt", attempt, "wait", wait)
			}
			if err = c.sleep(ctx, wait); err == nil {
				continue
			}
		}
		if prev != nil {
			return opError(r.op, prev)
		}
		if err == errRateLimitDeadline {
			return fmt.Errorf("bedrock %s: %w", r.op, err)
		}
		return fmt.Errorf("bedrock %s: waiting for the client-side rate limiter: %w", r.op, err)
	}
}

// recordAttempt tells the adaptive mode's rate limiter how an attempt ended.
// An attempt cut short by the caller's context says nothing about the
// service and is not counted.
func (c *Client) recordAttempt(ctx context.Context, err error) {
	if err != nil && ctx.Err() != nil {
		return
	}
	c.limiter.update(c.now(), err != nil && IsThrottling(err))
}
