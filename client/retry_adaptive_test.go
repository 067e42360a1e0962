package client

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// limiterState is what the tests look at of a rateLimiter.
type limiterState struct {
	Enabled      bool
	MeasuredRate float64
	FillRate     float64
	MaxCapacity  float64
	Capacity     float64
	LastMaxRate  float64
	TimeWindow   float64
}

func stateOf(l *rateLimiter) limiterState {
	l.mu.Lock()
	defer l.mu.Unlock()
	return limiterState{l.enabled, l.measuredRate, l.fillRate, l.maxCapacity, l.capacity, l.lastMaxRate, l.timeWindow}
}

var approx = cmpopts.EquateApprox(0, 1e-9)

// at is testTime (a whole second) plus s seconds.
func at(s float64) time.Time {
	return testTime.Add(time.Duration(math.Round(s * float64(time.Second))))
}

// throttledAfterTenAttempts returns a limiter that saw ten attempts, one
// every 0.1 s from testTime+0.1 s, the tenth throttled.
func throttledAfterTenAttempts(t *testing.T) *rateLimiter {
	t.Helper()
	l := newRateLimiter(testTime)
	for k := 1; k <= 10; k++ {
		l.update(at(float64(k)/10), k == 10)
	}
	return l
}

// TestRateLimiterMeasureAndThrottle follows the controller through ten
// attempts, the last one throttled, against values worked out by hand.
func TestRateLimiterMeasureAndThrottle(t *testing.T) {
	l := newRateLimiter(testTime)
	var got []limiterState
	for k := 1; k <= 10; k++ {
		l.update(at(float64(k)/10), k == 10)
		if k == 4 || k == 5 || k == 10 {
			got = append(got, stateOf(l))
		}
	}
	want := []limiterState{
		// 0.1–0.4 s: still in the first half-second bucket, nothing measured;
		// the rate min(0.4·t³, 2·0) = 0 keeps the bucket at its minimums,
		// which it fills at 0.5/s from the first update: 0.3 s × 0.5.
		{MeasuredRate: 0, FillRate: 0.5, MaxCapacity: 1, Capacity: 0.15},
		// 0.5 s: a new bucket; 5 attempts in 0.5 s = 10/s, smoothed 0.8×10.
		{MeasuredRate: 8, FillRate: 0.5, MaxCapacity: 1, Capacity: 0.2},
		// 1.0 s: 5 more, 0.8×10 + 0.2×8 = 9.6/s; throttled: W_max = 9.6,
		// rate 0.7×9.6 = 6.72, K = ∛(9.6×0.3/0.4) = ∛7.2; the 0.9 s since the
		// first update at 0.5/s gave 0.45 tokens.
		{Enabled: true, MeasuredRate: 9.6, FillRate: 6.72, MaxCapacity: 6.72, Capacity: 0.45, LastMaxRate: 9.6, TimeWindow: math.Cbrt(7.2)},
	}
	if diff := cmp.Diff(want, got, approx); diff != "" {
		t.Errorf("limiter states (-want +got):\n%s", diff)
	}
	if k := math.Cbrt(7.2); math.Abs(k-1.9309787692) > 1e-9 {
		t.Errorf("K = %v, want 1.9309787692", k)
	}
}

// TestRateLimiterCubicCurve: after the throttle at 1.0 s with W_max 9.6, the
// curve starts at 0.7×W_max, regains W_max after K = ∛7.2 s and grows as
// 0.4·(t−K)³ beyond.
func TestRateLimiterCubicCurve(t *testing.T) {
	l := throttledAfterTenAttempts(t)
	k := math.Cbrt(7.2)
	tests := []struct {
		after float64 // seconds after the throttle
		want  float64
	}{
		{0, 6.72},        // 0.4·(−K)³ + 9.6 = 9.6 − 0.4×7.2
		{k - 1, 9.2},     // 0.4·(−1)³ + 9.6
		{k, 9.6},         // back at W_max
		{k + 1, 10.0},    // 0.4·1³ + 9.6
		{k + 2, 12.8},    // 0.4·2³ + 9.6
		{k + 5, 59.6},    // 0.4·5³ + 9.6
		{1, 9.277240286}, // 0.4·(1−K)³ + 9.6 = 9.6 − 0.4×0.9309788³
	}
	for _, tt := range tests {
		if got := l.cubic(at(1 + tt.after)); math.Abs(got-tt.want) > 1e-6 {
			t.Errorf("rate %.3f s after the throttle = %.9f, want %.9f", tt.after, got, tt.want)
		}
	}

	// A success at 2.0 s: one attempt over two half-second buckets is 1/s,
	// smoothed 0.8×1 + 0.2×9.6 = 2.72/s; the curve's 9.2772 is capped at
	// twice that, 5.44, and the 6.72 tokens the bucket had earned at 6.72/s
	// (capped at its capacity) are cut to the new capacity.
	l.update(at(2), false)
	want := limiterState{Enabled: true, MeasuredRate: 2.72, FillRate: 5.44, MaxCapacity: 5.44, Capacity: 5.44, LastMaxRate: 9.6, TimeWindow: k}
	if diff := cmp.Diff(want, stateOf(l), approx); diff != "" {
		t.Errorf("after a success (-want +got):\n%s", diff)
	}
}

// TestRateLimiterSeveralThrottles: throttles in the same half-second bucket
// keep the measured rate, so each multiplies the fill rate by 0.7 and makes
// the previous fill rate the new W_max.
func TestRateLimiterSeveralThrottles(t *testing.T) {
	l := throttledAfterTenAttempts(t)
	var got []limiterState
	for _, s := range []float64{1.1, 1.2, 1.3} {
		l.update(at(s), true)
		got = append(got, stateOf(l))
	}
	want := []limiterState{
		// capacity: 0.45 + 0.1 s × 6.72 = 1.122
		{Enabled: true, MeasuredRate: 9.6, FillRate: 4.704, MaxCapacity: 4.704, Capacity: 1.122, LastMaxRate: 6.72, TimeWindow: math.Cbrt(6.72 * 0.75)},
		// 1.122 + 0.1 × 4.704 = 1.5924
		{Enabled: true, MeasuredRate: 9.6, FillRate: 3.2928, MaxCapacity: 3.2928, Capacity: 1.5924, LastMaxRate: 4.704, TimeWindow: math.Cbrt(4.704 * 0.75)},
		// 1.5924 + 0.1 × 3.2928 = 1.92168
		{Enabled: true, MeasuredRate: 9.6, FillRate: 2.30496, MaxCapacity: 2.30496, Capacity: 1.92168, LastMaxRate: 3.2928, TimeWindow: math.Cbrt(3.2928 * 0.75)},
	}
	if diff := cmp.Diff(want, got, approx); diff != "" {
		t.Errorf("limiter states (-want +got):\n%s", diff)
	}
	// 9.6 × 0.7⁴
	if got, want := stateOf(l).FillRate, 9.6*0.7*0.7*0.7*0.7; math.Abs(got-want) > 1e-9 {
		t.Errorf("fill rate after four throttles = %v, want %v", got, want)
	}
	// One token is there; the next needs (1 − 0.92168) / 2.30496 s.
	if w := l.tryAcquire(at(1.3)); w != 0 {
		t.Errorf("first acquire waits %v, want 0", w)
	}
	if w, want := l.tryAcquire(at(1.3)), 33978898*time.Nanosecond; w != want {
		t.Errorf("second acquire waits %v, want %v", w, want)
	}
}

// TestRateLimiterTokenBucket: the waits of an enabled bucket under an
// injected clock.
func TestRateLimiterTokenBucket(t *testing.T) {
	l := newRateLimiter(testTime)
	l.enabled = true
	l.setRate(at(0), 4) // 4 tokens/s, capacity 4, empty
	type step struct {
		at   float64
		want time.Duration
	}
	steps := []step{
		{0, 250 * time.Millisecond},    // empty: one token takes 1/4 s
		{0.25, 0},                      // it has come
		{0.25, 250 * time.Millisecond}, // and is gone
		{0.3, 200 * time.Millisecond},  // 0.2 tokens: 0.8 more take 0.2 s
		{2.5, 0},                       // full (capped at 4)…
		{2.5, 0},
		{2.5, 0},
		{2.5, 0},
		{2.5, 250 * time.Millisecond}, // …and empty after four
	}
	check := func(steps []step) {
		t.Helper()
		for i, s := range steps {
			if got := l.tryAcquire(at(s.at)); got != s.want {
				t.Errorf("step %d at %v s: wait %v, want %v", i, s.at, got, s.want)
			}
		}
	}
	check(steps)
	// A rate below the minimums: 0.5 tokens/s, capacity 1.
	l.setRate(at(2.5), 0.2)
	check([]step{
		{2.5, 2 * time.Second},
		{3.5, time.Second}, // half a token
		{4.5, 0},
		{100, 0}, // capacity 1 however long the pause
		{100, 2 * time.Second},
	})
	if got := stateOf(l); got.FillRate != 0.5 || got.MaxCapacity != 1 {
		t.Errorf("fill rate %v, capacity %v; want the minimums 0.5 and 1", got.FillRate, got.MaxCapacity)
	}
}

// TestRateLimiterDisabled: until a throttling response, the limiter hands
// out tokens without limit, whatever the successes did to its rate.
func TestRateLimiterDisabled(t *testing.T) {
	l := newRateLimiter(testTime)
	for i := range 1000 {
		now := at(float64(i) / 1000)
		if w := l.tryAcquire(now); w != 0 {
			t.Fatalf("attempt %d waited %v while disabled", i, w)
		}
		l.update(now, false)
	}
	if stateOf(l).Enabled {
		t.Error("enabled without a throttling response")
	}
}

func TestFloorDiv(t *testing.T) {
	tests := []struct{ a, b, want int64 }{{7, 2, 3}, {6, 2, 3}, {0, 5, 0}, {-1, 2, -1}, {-4, 2, -2}, {-5, 2, -3}}
	for _, tt := range tests {
		if got := floorDiv(tt.a, tt.b); got != tt.want {
			t.Errorf("floorDiv(%d, %d) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func useAdaptive(o *Options) { o.Retry.Mode = RetryAdaptive }

// newAdaptiveTestClient is a test client in adaptive mode whose limiter
// starts at the test clock.
func newAdaptiveTestClient(t *testing.T, url string, httpClient *http.Client, mods ...func(*Options)) *testClient {
	t.Helper()
	c := newTestClient(t, url, httpClient, append([]func(*Options){useAdaptive}, mods...)...)
	c.limiter = newRateLimiter(c.now())
	return c
}

var throttled = respond(429, `{"message":"Too many requests"}`, "X-Amzn-Errortype", "ThrottlingException")

// TestAdaptiveRetryEndToEnd: a server throttles a burst (two 429
// ThrottlingException), then recovers. The first call retries after the
// standard backoff and, from the first throttle on, every attempt waits for
// a token; the waits shrink as the fill rate climbs back. The sleeps all go
// through the injected clock.
func TestAdaptiveRetryEndToEnd(t *testing.T) {
	rec, srv := newRecorder(t, throttled, throttled, respond(200, `{"ok":true}`))
	c := newAdaptiveTestClient(t, srv.URL, srv.Client())
	for i := range 6 {
		if _, err := invokeOnce(t, c); err != nil {
			t.Fatalf("call %d: %v", i+1, err)
		}
	}
	if n := len(rec.recorded()); n != 8 {
		t.Errorf("server saw %d requests, want 8", n)
	}
	want := []time.Duration{
		// call 1, at 0 s: throttled; the limiter is enabled at its minimum
		// rate, 0.5 tokens/s, empty.
		500 * time.Millisecond,  // standard backoff, retry 1
		1500 * time.Millisecond, // 0.25 tokens at 0.5 s; 0.75 more take 1.5 s
		// attempt 2 at 2 s: throttled; measured 0.8/s, W_max = min(0.8, 0.5).
		1000 * time.Millisecond, // standard backoff, retry 2
		1000 * time.Millisecond, // 0.5 tokens at 3 s; 0.5 more take 1 s
		// attempt 3 at 4 s succeeds: measured 0.56/s; rate min(cubic 1.34, 1.12).
		892857143 * time.Nanosecond, // call 2: 1/1.12 s
		// measured 1.712/s; rate min(cubic 4.60, 3.424)
		292056075 * time.Nanosecond, // call 3
		257413509 * time.Nanosecond, // call 4: 1/3.8848 s
		257413509 * time.Nanosecond, // call 5
		139334761 * time.Nanosecond, // call 6: 1/7.17696 s
	}
	if diff := cmp.Diff(want, c.recordedWaits()); diff != "" {
		t.Errorf("waits (-want +got):\n%s", diff)
	}
	if got := c.quota.available(); got != quotaInitial {
		t.Errorf("quota = %d, want %d", got, quotaInitial)
	}

	// The same server script in standard mode waits only for the backoff.
	_, srv2 := newRecorder(t, throttled, throttled, respond(200, `{"ok":true}`))
	std := newTestClient(t, srv2.URL, srv2.Client())
	for range 6 {
		if _, err := invokeOnce(t, std); err != nil {
			t.Fatal(err)
		}
	}
	if diff := cmp.Diff([]time.Duration{500 * time.Millisecond, time.Second}, std.recordedWaits()); diff != "" {
		t.Errorf("standard mode waits (-want +got):\n%s", diff)
	}
	if std.limiter != nil {
		t.Error("standard mode has a rate limiter")
	}
}

// TestAdaptiveWhatThrottles: throttling codes and a 429 without a code enable
// the limiter; ModelNotReadyException (also 429), 5xx and client errors do
// not.
func TestAdaptiveWhatThrottles(t *testing.T) {
	tests := []struct {
		status  int
		errType string
		want    bool
	}{
		{429, "ThrottlingException", true},
		{400, "TooManyRequestsException", true},
		{400, "ProvisionedThroughputExceededException", true},
		{503, "SlowDown", true},
		{400, "RequestLimitExceeded", true},
		{429, "", true},
		{429, "ModelNotReadyException", false},
		{503, "ServiceUnavailableException", false},
		{500, "", false},
		{400, "ValidationException", false},
		{400, "ServiceQuotaExceededException", false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d %s", tt.status, tt.errType), func(t *testing.T) {
			_, srv := newRecorder(t, respond(tt.status, `{"message":"x"}`, "X-Amzn-Errortype", tt.errType))
			c := newAdaptiveTestClient(t, srv.URL, srv.Client(), func(o *Options) { o.Retry.MaxAttempts = 1 })
			invokeOnce(t, c)
			if got := stateOf(c.limiter).Enabled; got != tt.want {
				t.Errorf("limiter enabled = %v, want %v", got, tt.want)
			}
		})
	}
}

// enabledLimiter returns a limiter that makes the next attempt wait 2 s.
func enabledLimiter(now time.Time) *rateLimiter {
	l := newRateLimiter(now)
	l.enabled = true
	l.setRate(now, 0) // 0.5 tokens/s, empty
	return l
}

// TestAdaptiveWaitPastDeadline: a limiter wait that would outlive the
// context deadline is not started; the error says why and is a deadline
// error.
func TestAdaptiveWaitPastDeadline(t *testing.T) {
	rec, srv := newRecorder(t, respond(200, `{}`))
	c := newAdaptiveTestClient(t, srv.URL, srv.Client())
	c.limiter = enabledLimiter(c.now())
	ctx, cancel := context.WithTimeout(t.Context(), time.Second)
	defer cancel()
	_, err := c.InvokeModel(ctx, &InvokeModelInput{ModelID: "m", Body: []byte("{}")})
	if !errors.Is(err, context.DeadlineExceeded) || !strings.HasPrefix(err.Error(), "bedrock InvokeModel: ") ||
		!strings.Contains(err.Error(), "rate limiter") {
		t.Fatalf("error %v, want a deadline error naming the operation and the rate limiter", err)
	}
	if n := len(rec.recorded()); n != 0 {
		t.Errorf("server saw %d requests, want 0", n)
	}
	if waits := c.recordedWaits(); len(waits) != 0 {
		t.Errorf("waited %v", waits)
	}
}

// TestAdaptiveWaitCancelled: a cancelled wait ends the call with the
// context's error, or, on a retry, with the previous attempt's error.
func TestAdaptiveWaitCancelled(t *testing.T) {
	t.Run("first attempt", func(t *testing.T) {
		rec, srv := newRecorder(t, respond(200, `{}`))
		c := newAdaptiveTestClient(t, srv.URL, srv.Client())
		c.limiter = enabledLimiter(c.now())
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		_, err := c.InvokeModel(ctx, &InvokeModelInput{ModelID: "m", Body: []byte("{}")})
		if !errors.Is(err, context.Canceled) || !strings.HasPrefix(err.Error(), "bedrock InvokeModel: waiting for the client-side rate limiter") {
			t.Fatalf("error %v, want context.Canceled while waiting for the rate limiter", err)
		}
		if n := len(rec.recorded()); n != 0 {
			t.Errorf("server saw %d requests, want 0", n)
		}
	})
	t.Run("retry", func(t *testing.T) {
		rec, srv := newRecorder(t, throttled, respond(200, `{}`))
		c := newAdaptiveTestClient(t, srv.URL, srv.Client())
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		sleep := c.sleep
		c.sleep = func(ctx context.Context, d time.Duration) error {
			if d == 1500*time.Millisecond { // the limiter's wait before retry 1
				cancel()
			}
			return sleep(ctx, d)
		}
		_, err := c.InvokeModel(ctx, &InvokeModelInput{ModelID: "m", Body: []byte("{}")})
		if !IsThrottling(err) {
			t.Fatalf("error %v, want the throttling error of attempt 1", err)
		}
		if n := len(rec.recorded()); n != 1 {
			t.Errorf("server saw %d requests, want 1", n)
		}
	})
}

// TestAdaptiveConcurrent: many goroutines share one limiter (run with -race).
func TestAdaptiveConcurrent(t *testing.T) {
	var mu sync.Mutex
	n := 0
	_, srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		n++
		throttle := n%3 == 0
		mu.Unlock()
		if throttle {
			throttled(w, r)
			return
		}
		w.Write([]byte(`{}`))
	})
	c := newAdaptiveTestClient(t, srv.URL, srv.Client(), func(o *Options) { o.Retry.MaxAttempts = 5 })
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.InvokeModel(t.Context(), &InvokeModelInput{ModelID: "m", Body: []byte("{}")})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil && !IsThrottling(err) {
			t.Errorf("error %v", err)
		}
	}
	if !stateOf(c.limiter).Enabled {
		t.Error("limiter not enabled after throttling responses")
	}
}

// BenchmarkConverseOverheadAdaptive is BenchmarkConverseOverhead in adaptive
// mode: each call also takes a token and updates the controller (the limiter
// stays disabled: nothing throttles).
func BenchmarkConverseOverheadAdaptive(b *testing.B) {
	reply := []byte(`{"output":{"message":{"role":"assistant","content":[{"text":"Paris is the capital of France."}]}},` +
		`"stopReason":"end_turn","usage":{"inputTokens":12,"outputTokens":8,"totalTokens":20},"metrics":{"latencyMs":300}}`)
	c := newTestClient(b, "http://127.0.0.1:1", &http.Client{Transport: cvRoundTrip{reply}}, useAdaptive)
	in := &ConverseInput{
		ModelID:         "us.anthropic.claude-3-5-haiku-20241022-v1:0",
		System:          []SystemBlock{TextBlock{"You are terse."}},
		Messages:        []Message{{Role: RoleUser, Content: []ContentBlock{TextBlock{"What is the capital of France?"}}}},
		InferenceConfig: &InferenceConfig{MaxTokens: 256, Temperature: Ptr[float32](0.2)},
	}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Converse(ctx, in); err != nil {
			b.Fatal(err)
		}
	}
}

// TestAdaptiveWaitLogged: a rate-limiter wait is a debug record.
func TestAdaptiveWaitLogged(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug,
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		}}))
	_, srv := newRecorder(t, respond(200, `{}`))
	c := newAdaptiveTestClient(t, srv.URL, srv.Client(), func(o *Options) { o.Logger = logger })
	c.limiter = enabledLimiter(c.now())
	if _, err := invokeOnce(t, c); err != nil {
		t.Fatal(err)
	}
	want := `level=DEBUG msg="bedrock rate limit" op=InvokeModel attempt=1 wait=2s` + "\n"
	if got, _, _ := strings.Cut(buf.String(), "level=DEBUG msg=\"bedrock request\""); got != want {
		t.Errorf("first record %q, want %q", got, want)
	}
	if diff := cmp.Diff([]time.Duration{2 * time.Second}, c.recordedWaits()); diff != "" {
		t.Errorf("waits (-want +got):\n%s", diff)
	}
}
