package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func asyncState(status, msg string) http.HandlerFunc {
	body := fmt.Sprintf(`{"invocationArn":"%s","modelArn":"m","status":"%s","submitTime":"2026-07-31T12:00:00Z","outputDataConfig":{"s3OutputDataConfig":{"s3Uri":"s3://b/o"}}`, testInvocationARN, status)
	if msg != "" {
		body += `,"failureMessage":"` + msg + `"`
	}
	return jsonOK(body + "}")
}

// TestWaitAsyncInvoke: polls at once, then after delays that double up to
// the cap, on the client's (fake) clock; progress sees every state.
func TestWaitAsyncInvoke(t *testing.T) {
	inProgress := asyncState(AsyncInvokeInProgress, "")
	rec, srv := newRecorder(t, inProgress, inProgress, inProgress, inProgress, inProgress, asyncState(AsyncInvokeCompleted, ""))
	c := newTestClient(t, srv.URL, srv.Client())
	var seen []string
	var at []time.Duration
	got, err := c.WaitAsyncInvoke(context.Background(), testInvocationARN, &WaitAsyncInvokeOptions{
		MinDelay: time.Second, MaxDelay: 5 * time.Second,
		Progress: func(a *AsyncInvoke) {
			seen = append(seen, a.Status)
			at = append(at, c.now().Sub(testTime))
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != AsyncInvokeCompleted {
		t.Errorf("final status %q", got.Status)
	}
	if diff := cmp.Diff([]time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 5 * time.Second, 5 * time.Second}, c.recordedWaits()); diff != "" {
		t.Errorf("waits (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"InProgress", "InProgress", "InProgress", "InProgress", "InProgress", "Completed"}, seen); diff != "" {
		t.Errorf("progress (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]time.Duration{0, 1 * time.Second, 3 * time.Second, 7 * time.Second, 12 * time.Second, 17 * time.Second}, at); diff != "" {
		t.Errorf("poll times (-want +got):\n%s", diff)
	}
	if n := len(rec.recorded()); n != 6 {
		t.Errorf("%d polls, want 6", n)
	}
}

func TestWaitAsyncInvokeDefaults(t *testing.T) {
	var responders []http.HandlerFunc
	for range 7 {
		responders = append(responders, asyncState(AsyncInvokeInProgress, ""))
	}
	_, srv := newRecorder(t, append(responders, asyncState(AsyncInvokeCompleted, ""))...)
	c := newTestClient(t, srv.URL, srv.Client())
	if _, err := c.WaitAsyncInvoke(context.Background(), testInvocationARN, nil); err != nil {
		t.Fatal(err)
	}
	s := time.Second
	if diff := cmp.Diff([]time.Duration{2 * s, 4 * s, 8 * s, 16 * s, 30 * s, 30 * s, 30 * s}, c.recordedWaits()); diff != "" {
		t.Errorf("waits (-want +got):\n%s", diff)
	}
}

func TestWaitAsyncInvokeFailed(t *testing.T) {
	_, srv := newRecorder(t, asyncState(AsyncInvokeInProgress, ""), asyncState(AsyncInvokeFailed, "Internal error while generating video"))
	c := newTestClient(t, srv.URL, srv.Client())
	got, err := c.WaitAsyncInvoke(context.Background(), testInvocationARN, nil)
	if !errors.Is(err, ErrNotCompleted) || !strings.Contains(err.Error(), "Internal error while generating video") || !strings.Contains(err.Error(), testInvocationARN) {
		t.Errorf("error %v, want ErrNotCompleted with the failure message", err)
	}
	if got == nil || got.Status != AsyncInvokeFailed {
		t.Errorf("state %+v, want the failed invocation", got)
	}
}

// TestWaitAsyncInvokeStops: a cancelled context ends the wait with the last
// state; a service error ends it with the error; bad delays are refused.
func TestWaitAsyncInvokeStops(t *testing.T) {
	_, srv := newRecorder(t, asyncState(AsyncInvokeInProgress, ""))
	c := newTestClient(t, srv.URL, srv.Client())
	ctx, cancel := context.WithCancel(context.Background())
	polls := 0
	got, err := c.WaitAsyncInvoke(ctx, testInvocationARN, &WaitAsyncInvokeOptions{Progress: func(*AsyncInvoke) {
		polls++
		if polls == 3 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) || got == nil || got.Status != AsyncInvokeInProgress || polls != 3 {
		t.Errorf("after cancel: %+v, %v, %d polls", got, err, polls)
	}

	_, srv2 := newRecorder(t, asyncState(AsyncInvokeInProgress, ""), respond(400, `{"message":"Invocation with ARN x does not exist."}`, "X-Amzn-Errortype", "ValidationException"))
	c2 := newTestClient(t, srv2.URL, srv2.Client())
	if _, err := c2.WaitAsyncInvoke(context.Background(), testInvocationARN, nil); !IsValidation(err) {
		t.Errorf("service error: %v", err)
	}
	if _, err := c2.WaitAsyncInvoke(context.Background(), testInvocationARN, &WaitAsyncInvokeOptions{MinDelay: time.Minute, MaxDelay: time.Second}); err == nil || !strings.Contains(err.Error(), "shorter than MinDelay") {
		t.Errorf("bad delays: %v", err)
	}
}

// TestWaitAsyncInvokeUnknownStatus: a status this client does not know is
// not final; the wait goes on.
func TestWaitAsyncInvokeUnknownStatus(t *testing.T) {
	_, srv := newRecorder(t, asyncState("Queued", ""), asyncState(AsyncInvokeCompleted, ""))
	c := newTestClient(t, srv.URL, srv.Client())
	got, err := c.WaitAsyncInvoke(context.Background(), testInvocationARN, nil)
	if err != nil || got.Status != AsyncInvokeCompleted {
		t.Errorf("%+v, %v", got, err)
	}
}

func jobState(status string) http.HandlerFunc {
	return jsonOK(fmt.Sprintf(`{"jobArn":"%s","modelId":"m","roleArn":"r","status":"%s","message":"why %s","submitTime":"2026-07-31T12:00:00Z","inputDataConfig":{},"outputDataConfig":{}}`, testJobARN, status, status))
}

func TestWaitModelInvocationJob(t *testing.T) {
	for _, tc := range []struct {
		final   string
		wantErr bool
	}{
		{JobCompleted, false},
		{JobPartiallyCompleted, false},
		{JobFailed, true},
		{JobStopped, true},
		{JobExpired, true},
	} {
		t.Run(tc.final, func(t *testing.T) {
			_, srv := newRecorder(t, jobState(JobSubmitted), jobState(JobValidating), jobState(JobScheduled), jobState(JobInProgress), jobState(JobStopping), jobState(tc.final))
			c := newTestClient(t, srv.URL, srv.Client())
			var seen []string
			got, err := c.WaitModelInvocationJob(context.Background(), "abcdefghij12", &WaitModelInvocationJobOptions{
				Progress: func(j *ModelInvocationJob) { seen = append(seen, j.Status) }})
			if (err != nil) != tc.wantErr || (err != nil && (!errors.Is(err, ErrNotCompleted) || !strings.Contains(err.Error(), "why "+tc.final))) {
				t.Errorf("error %v", err)
			}
			if got == nil || got.Status != tc.final {
				t.Fatalf("final %+v", got)
			}
			if diff := cmp.Diff([]string{"Submitted", "Validating", "Scheduled", "InProgress", "Stopping", tc.final}, seen); diff != "" {
				t.Errorf("progress (-want +got):\n%s", diff)
			}
			s := time.Second
			if diff := cmp.Diff([]time.Duration{10 * s, 20 * s, 40 * s, 80 * s, 120 * s}, c.recordedWaits()); diff != "" {
				t.Errorf("waits (-want +got):\n%s", diff)
			}
		})
	}
}
