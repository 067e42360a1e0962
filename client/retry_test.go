package client

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func invokeOnce(t *testing.T, c *testClient) (*InvokeModelOutput, error) {
	t.Helper()
	return c.InvokeModel(t.Context(), &InvokeModelInput{ModelID: "anthropic.claude-3-5-haiku-20241022-v1:0", Body: []byte(claudeBody)})
}

func TestBackoff(t *testing.T) {
	tests := []struct {
		attempt int
		rnd     float64
		want    time.Duration
	}{
		{1, 0, 0},
		{1, 0.5, 500 * time.Millisecond},
		{2, 0.5, time.Second},
		{3, 0.5, 2 * time.Second},
		{5, 0.999, 15984 * time.Millisecond},
		{6, 0.5, 10 * time.Second}, // 32 s capped at 20 s
		{6, 1, 20 * time.Second},
		{100, 0.25, 5 * time.Second},
	}
	for _, tt := range tests {
		if got := backoff(tt.attempt, DefaultMaxBackoff, tt.rnd); got != tt.want {
			t.Errorf("backoff(%d, 20s, %v) = %v, want %v", tt.attempt, tt.rnd, got, tt.want)
		}
	}
}

func TestRetryAfterHeader(t *testing.T) {
	now := testTime
	tests := []struct {
		v      string
		want   time.Duration
		wantOK bool
	}{
		{"", 0, false},
		{"3", 3 * time.Second, true},
		{" 0 ", 0, true},
		{"-1", 0, false},
		{"3600", time.Minute, true},
		{"soon", 0, false},
		{now.Add(10 * time.Second).Format(http.TimeFormat), 10 * time.Second, true},
		{now.Add(-10 * time.Second).Format(http.TimeFormat), 0, true},
		{now.Add(time.Hour).Format(http.TimeFormat), time.Minute, true},
	}
	for _, tt := range tests {
		h := http.Header{}
		if tt.v != "" {
			h.Set("Retry-After", tt.v)
		}
		got, ok := retryAfter(h, now)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("retryAfter(%q) = %v, %v; want %v, %v", tt.v, got, ok, tt.want, tt.wantOK)
		}
	}
}

func TestRetryQuota(t *testing.T) {
	q := newRetryQuota()
	n := 0
	for q.acquire(quotaRetryCost) {
		n++
	}
	if n != quotaInitial/quotaRetryCost {
		t.Errorf("quota allowed %d retries, want %d", n, quotaInitial/quotaRetryCost)
	}
	q.release(quotaRetryCost)
	if !q.acquire(quotaRetryCost) || q.acquire(1) {
		t.Error("release did not give back exactly the retry cost")
	}
	q.release(10_000)
	if got := q.available(); got != quotaInitial {
		t.Errorf("quota grew to %d, want the cap %d", got, quotaInitial)
	}
}

func TestRetryPolicyDefaults(t *testing.T) {
	p, err := RetryPolicy{}.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	want := RetryPolicy{Mode: RetryStandard, MaxAttempts: 3, MaxBackoff: 20 * time.Second}
	if diff := cmp.Diff(want, p); diff != "" {
		t.Errorf("defaults (-want +got):\n%s", diff)
	}
	for _, bad := range []RetryPolicy{{Mode: "legacy"}, {MaxAttempts: -1}, {MaxBackoff: -time.Second}} {
		if _, err := bad.withDefaults(); err == nil {
			t.Errorf("%+v: no error", bad)
		}
	}
}

// TestRetryThrottlingThenSuccess: a 429 is retried after the backoff with the
// same body, re-signed at the new time.
func TestRetryThrottlingThenSuccess(t *testing.T) {
	rec, srv := newRecorder(t,
		respond(429, `{"message":"Too many requests"}`, "X-Amzn-Errortype", "ThrottlingException", "Retry-After", "2"),
		respond(200, `{"ok":true}`, "Content-Type", "application/json"))
	c := newTestClient(t, srv.URL, srv.Client(), useSigV4)
	out, err := invokeOnce(t, c)
	if err != nil {
		t.Fatal(err)
	}
	if string(out.Body) != `{"ok":true}` {
		t.Errorf("body %q", out.Body)
	}
	reqs := rec.recorded()
	if len(reqs) != 2 {
		t.Fatalf("server saw %d requests, want 2", len(reqs))
	}
	if string(reqs[0].Body) != claudeBody || string(reqs[1].Body) != claudeBody {
		t.Errorf("bodies not replayed byte-identical: %q, %q", reqs[0].Body, reqs[1].Body)
	}
	got := []string{
		reqs[0].Header.Get("Amz-Sdk-Request"), reqs[0].Header.Get("X-Amz-Date"),
		reqs[1].Header.Get("Amz-Sdk-Request"), reqs[1].Header.Get("X-Amz-Date"),
	}
	want := []string{"attempt=1; max=3", "20260731T120000Z", "attempt=2; max=3", "20260731T120002Z"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("attempt headers (-want +got):\n%s", diff)
	}
	if reqs[0].Header.Get("Authorization") == reqs[1].Header.Get("Authorization") {
		t.Error("retry was not re-signed")
	}
	if diff := cmp.Diff([]time.Duration{2 * time.Second}, c.recordedWaits()); diff != "" {
		t.Errorf("waits (-want +got):\n%s", diff)
	}
	if got := c.quota.available(); got != quotaInitial {
		t.Errorf("quota after a successful retry = %d, want %d", got, quotaInitial)
	}
}

// TestRetry503ThreeTimes: three 503s exhaust the default policy; the error is
// the last *Error and the waits follow the jittered exponential backoff.
func TestRetry503ThreeTimes(t *testing.T) {
	rec, srv := newRecorder(t, respond(503, `{"message":"unavailable"}`, "X-Amzn-Errortype", "ServiceUnavailableException"))
	c := newTestClient(t, srv.URL, srv.Client())
	_, err := invokeOnce(t, c)
	if !IsServiceUnavailable(err) {
		t.Fatalf("error %v, want ServiceUnavailableException", err)
	}
	var e *Error
	errors.As(err, &e)
	if !e.Retryable || e.StatusCode != 503 {
		t.Errorf("error %+v: want Retryable and status 503", e)
	}
	if n := len(rec.recorded()); n != 3 {
		t.Errorf("server saw %d requests, want 3", n)
	}
	if diff := cmp.Diff([]time.Duration{500 * time.Millisecond, time.Second}, c.recordedWaits()); diff != "" {
		t.Errorf("waits (-want +got):\n%s", diff)
	}
	if got := c.quota.available(); got != quotaInitial-2*quotaRetryCost {
		t.Errorf("quota = %d, want %d", got, quotaInitial-2*quotaRetryCost)
	}
}

func TestRetryWhatIsRetried(t *testing.T) {
	tests := []struct {
		name     string
		status   int
		errType  string
		requests int
	}{
		{"model not ready", 429, "ModelNotReadyException", 3},
		{"internal server", 500, "InternalServerException", 3},
		{"bad gateway without code", 502, "", 3},
		{"gateway timeout", 504, "", 3},
		{"not implemented", 501, "", 1},
		{"validation", 400, "ValidationException", 1},
		{"access denied", 403, "AccessDeniedException", 1},
		{"not found", 404, "ResourceNotFoundException", 1},
		{"quota", 400, "ServiceQuotaExceededException", 1},
		{"model error", 424, "ModelErrorException", 1},
		{"model timeout", 408, "ModelTimeoutException", 1},
		{"too many requests without code", 429, "", 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec, srv := newRecorder(t, respond(tt.status, `{"message":"x"}`, "X-Amzn-Errortype", tt.errType))
			c := newTestClient(t, srv.URL, srv.Client())
			if _, err := invokeOnce(t, c); err == nil {
				t.Fatal("no error")
			}
			if n := len(rec.recorded()); n != tt.requests {
				t.Errorf("server saw %d requests, want %d", n, tt.requests)
			}
		})
	}
}

func TestRetryMaxAttempts(t *testing.T) {
	for _, attempts := range []int{1, 5} {
		rec, srv := newRecorder(t, respond(503, `{}`))
		c := newTestClient(t, srv.URL, srv.Client(), func(o *Options) { o.Retry.MaxAttempts = attempts })
		invokeOnce(t, c)
		if n := len(rec.recorded()); n != attempts {
			t.Errorf("MaxAttempts %d: server saw %d requests", attempts, n)
		}
	}
}

// TestRetryQuotaExhausted: with the quota spent, failures are not retried.
func TestRetryQuotaExhausted(t *testing.T) {
	rec, srv := newRecorder(t, respond(503, `{}`))
	c := newTestClient(t, srv.URL, srv.Client())
	c.quota.tokens = quotaRetryCost - 1
	invokeOnce(t, c)
	if n := len(rec.recorded()); n != 1 {
		t.Errorf("server saw %d requests, want 1", n)
	}
	// Turning the quota off retries anyway.
	rec2, srv2 := newRecorder(t, respond(503, `{}`))
	c2 := newTestClient(t, srv2.URL, srv2.Client(), func(o *Options) { o.Retry.DisableQuota = true })
	c2.quota.tokens = 0
	invokeOnce(t, c2)
	if n := len(rec2.recorded()); n != 3 {
		t.Errorf("DisableQuota: server saw %d requests, want 3", n)
	}
}

// TestRetryConnectionResetBeforeHeaders: a connection reset before any
// response is retried, at the higher quota cost.
func TestRetryConnectionResetBeforeHeaders(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err != nil {
				t.Error(err)
				return
			}
			if tc, ok := conn.(*net.TCPConn); ok {
				tc.SetLinger(0) // RST, not FIN
			}
			conn.Close()
			return
		}
		w.Write([]byte(`{"ok":1}`))
	}))
	defer srv.Close()
	c := newTestClient(t, srv.URL, srv.Client())
	out, err := invokeOnce(t, c)
	if err != nil {
		t.Fatal(err)
	}
	if string(out.Body) != `{"ok":1}` || n.Load() != 2 {
		t.Errorf("body %q after %d requests, want {\"ok\":1} after 2", out.Body, n.Load())
	}
	if got := c.quota.available(); got != quotaInitial {
		t.Errorf("quota after success = %d, want %d", got, quotaInitial)
	}
}

// TestRetryConnectionRefusedExhausted: connection errors are retried up to
// the limit and then returned with the operation named.
func TestRetryConnectionRefusedExhausted(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close() // nothing listens there any more
	c := newTestClient(t, url, nil)
	_, err := invokeOnce(t, c)
	if err == nil || !strings.HasPrefix(err.Error(), "bedrock InvokeModel: ") {
		t.Fatalf("error %v, want one naming the operation", err)
	}
	if got := len(c.recordedWaits()); got != 2 {
		t.Errorf("%d waits, want 2", got)
	}
	if got := c.quota.available(); got != quotaInitial-2*quotaTimeoutCost {
		t.Errorf("quota = %d, want %d", got, quotaInitial-2*quotaTimeoutCost)
	}
}

// TestNoRetryOnCertificateError: a TLS certificate the client does not trust
// is not a transient failure.
func TestNoRetryOnCertificateError(t *testing.T) {
	srv := httptest.NewTLSServer(http.NotFoundHandler())
	srv.Config.ErrorLog = discardLogger()
	defer srv.Close()
	c := newTestClient(t, srv.URL, &http.Client{}) // does not trust the test certificate
	_, err := invokeOnce(t, c)
	if err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("error %v, want a certificate error", err)
	}
	if waits := c.recordedWaits(); len(waits) != 0 {
		t.Errorf("retried a certificate error: waits %v", waits)
	}
}

// TestRetryRespectsDeadline: a wait that would outlive the context deadline
// is not started; the service error is returned at once.
func TestRetryRespectsDeadline(t *testing.T) {
	rec, srv := newRecorder(t, respond(429, `{}`, "X-Amzn-Errortype", "ThrottlingException", "Retry-After", "30"))
	c := newTestClient(t, srv.URL, srv.Client())
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	_, err := c.InvokeModel(ctx, &InvokeModelInput{ModelID: "m", Body: []byte("{}")})
	if !IsThrottling(err) {
		t.Fatalf("error %v, want the throttling error", err)
	}
	if n := len(rec.recorded()); n != 1 {
		t.Errorf("server saw %d requests, want 1", n)
	}
	if waits := c.recordedWaits(); len(waits) != 0 {
		t.Errorf("waited %v past the deadline", waits)
	}
}

// TestSlowServerDeadline: a server that never answers is cut off by the
// context deadline, and the error says so.
func TestSlowServerDeadline(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer srv.Close()
	defer close(release)
	c := newTestClient(t, srv.URL, srv.Client())
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	_, err := c.InvokeModel(ctx, &InvokeModelInput{ModelID: "m", Body: []byte("{}")})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error %v, want context.DeadlineExceeded", err)
	}
	if waits := c.recordedWaits(); len(waits) != 0 {
		t.Errorf("retried after the deadline: waits %v", waits)
	}
}

// TestClockSkewCorrection: a signature-expired error with a server Date far
// from the local clock corrects the signing time and retries once.
func TestClockSkewCorrection(t *testing.T) {
	serverNow := testTime.Add(time.Hour)
	skewed := respond(403, `{"message":"Signature expired: 20260731T120000Z is now earlier than 20260731T125500Z (20260731T130000Z - 5 min.)"}`,
		"X-Amzn-Errortype", "InvalidSignatureException", "Date", serverNow.Format(http.TimeFormat))
	rec, srv := newRecorder(t, skewed, respond(200, `{}`))
	c := newTestClient(t, srv.URL, srv.Client(), useSigV4)
	if _, err := invokeOnce(t, c); err != nil {
		t.Fatal(err)
	}
	reqs := rec.recorded()
	if len(reqs) != 2 {
		t.Fatalf("server saw %d requests, want 2", len(reqs))
	}
	got := []string{reqs[0].Header.Get("X-Amz-Date"), reqs[1].Header.Get("X-Amz-Date"), reqs[1].Header.Get("Amz-Sdk-Request")}
	want := []string{"20260731T120000Z", "20260731T130000Z", "attempt=1; max=3"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	// The correction sticks for later calls.
	invokeOnce(t, c)
	if d := rec.recorded()[2].Header.Get("X-Amz-Date"); d != "20260731T130000Z" {
		t.Errorf("next call signed at %s, want 20260731T130000Z", d)
	}
}

func TestClockSkewRetriedOnlyOnce(t *testing.T) {
	rec, srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		// the server's clock runs away: it is always an hour past the signing time
		signed, err := time.Parse("20060102T150405Z", r.Header.Get("X-Amz-Date"))
		if err != nil {
			t.Error(err)
		}
		w.Header().Set("X-Amzn-Errortype", "InvalidSignatureException")
		w.Header().Set("Date", signed.Add(time.Hour).Format(http.TimeFormat))
		w.WriteHeader(403)
		w.Write([]byte(`{"message":"Signature expired"}`))
	})
	c := newTestClient(t, srv.URL, srv.Client(), useSigV4)
	_, err := invokeOnce(t, c)
	var e *Error
	if !errors.As(err, &e) || e.Code != "InvalidSignatureException" {
		t.Fatalf("error %v, want InvalidSignatureException", err)
	}
	if n := len(rec.recorded()); n != 2 {
		t.Errorf("server saw %d requests, want 2 (one skew retry)", n)
	}
}

// TestNoSkewRetryWhenClockAgrees: a signature error with a Date close to the
// local clock is a real signature error, returned at once.
func TestNoSkewRetryWhenClockAgrees(t *testing.T) {
	rec, srv := newRecorder(t, respond(403, `{"message":"The request signature we calculated does not match"}`,
		"X-Amzn-Errortype", "InvalidSignatureException", "Date", testTime.Add(10*time.Second).Format(http.TimeFormat)))
	c := newTestClient(t, srv.URL, srv.Client(), useSigV4)
	invokeOnce(t, c)
	if n := len(rec.recorded()); n != 1 {
		t.Errorf("server saw %d requests, want 1", n)
	}
}
