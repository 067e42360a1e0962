package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/bedrockwire/bedrockwire/client/bedrocktest"
)

// allServicesEnv points all three services at srv, as a user would with
// AWS_ENDPOINT_URL.
func allServicesEnv(t *testing.T, srvURL string) *cliTestEnv {
	te := newTestEnv(t, nil)
	te.vars["AWS_ENDPOINT_URL"] = srvURL
	te.vars["AWS_BEARER_TOKEN_BEDROCK"] = "bedrock-api-key-test"
	te.vars["AWS_REGION"] = "us-east-1"
	return te
}

func TestAsyncStartGetListWait(t *testing.T) {
	srv := newEmulator(t)
	te := newTestEnv(t, srv)
	ctx := context.Background()

	r := te.run(t, ctx, "async", "start", "-m", "amazon.nova-reel-v1:1", "--output", "s3://my-bucket/videos/",
		"--token", "tok-1", "--tag", "project=demo", "--kms-key", "arn:aws:kms:us-east-1:123456789012:alias/v",
		"A drone shot", "over a <misty> forest")
	r.wantOK(t, "")
	arn := strings.TrimSpace(r.stdout)
	if !regexp.MustCompile(`^arn:aws:bedrock:us-east-1:\d{12}:async-invoke/[0-9a-f]{12}$`).MatchString(arn) {
		t.Fatalf("start printed %q, want an invocation ARN", r.stdout)
	}
	req, _ := srv.LastRequest()
	var body map[string]any
	if err := json.Unmarshal(req.Body, &body); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"clientRequestToken": "tok-1",
		"modelId":            "amazon.nova-reel-v1:1",
		"modelInput": map[string]any{"taskType": "TEXT_VIDEO", "textToVideoParams": map[string]any{"text": "A drone shot over a <misty> forest"},
			"videoGenerationConfig": map[string]any{"durationSeconds": 6.0, "fps": 24.0, "dimension": "1280x720"}},
		"outputDataConfig": map[string]any{"s3OutputDataConfig": map[string]any{"s3Uri": "s3://my-bucket/videos/", "kmsKeyId": "arn:aws:kms:us-east-1:123456789012:alias/v"}},
		"tags":             []any{map[string]any{"key": "project", "value": "demo"}},
	}
	if diff := cmp.Diff(want, body); diff != "" {
		t.Errorf("StartAsyncInvoke body (-want +got):\n%s", diff)
	}

	// The same token starts nothing new.
	r = te.run(t, ctx, "async", "start", "-m", "amazon.nova-reel-v1:1", "--output", "s3://my-bucket/videos/", "--token", "tok-1", "--json", "again")
	r.wantOK(t, "")
	var started map[string]string
	if err := json.Unmarshal([]byte(r.stdout), &started); err != nil || started["invocationArn"] != arn || started["clientRequestToken"] != "tok-1" {
		t.Errorf("second start: %s (%v)", r.stdout, err)
	}

	// The emulator reports InProgress until the job was read once.
	r = te.run(t, ctx, "async", "get", arn)
	r.wantOK(t, "")
	golden(t, "async_get.golden", r.stdout)

	r = te.run(t, ctx, "async", "list", "--status", "Completed")
	r.wantOK(t, "")
	golden(t, "async_list.golden", r.stdout)

	r = te.run(t, ctx, "async", "list", "--json", "--after", "2026-01-01", "--max", "5")
	r.wantOK(t, "")
	var list []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &list); err != nil || len(list) != 1 || list[0]["status"] != "Completed" {
		t.Errorf("list --json: %s (%v)", r.stdout, err)
	}
	if q := lastQuery(t, srv); q != "maxResults=5&sortBy=SubmissionTime&sortOrder=Descending&submitTimeAfter=2026-01-01T00%3A00%3A00Z" {
		t.Errorf("list query %q", q)
	}

	// wait on a terminal: progress on stderr, the final state on stdout.
	te.ttyErr = true
	r = te.run(t, ctx, "async", "wait", "--interval", "1ms", "--max-interval", "2ms", arn)
	if r.code != exitOK {
		t.Fatalf("wait: exit %d, %s", r.code, r.stderr)
	}
	if !strings.HasPrefix(r.stderr, "\r\033[Kasync: Completed · amazon.nova-reel-v1:1 · poll 1 · 0s") || !strings.HasSuffix(r.stderr, "\n") {
		t.Errorf("progress on stderr: %q", r.stderr)
	}
	if !strings.Contains(r.stdout, "STATUS      Completed") {
		t.Errorf("wait output:\n%s", r.stdout)
	}
}

// TestAsyncStartWaitProgress: start --wait polls from InProgress to
// Completed; without a terminal, stderr stays empty.
func TestAsyncStartWaitProgress(t *testing.T) {
	srv := newEmulator(t)
	te := newTestEnv(t, srv)
	in := filepath.Join(t.TempDir(), "reel.json")
	os.WriteFile(in, []byte(`{"taskType":"TEXT_VIDEO","textToVideoParams":{"text":"waves"},"videoGenerationConfig":{"durationSeconds":6,"fps":24,"dimension":"1280x720"}}`), 0o644)
	r := te.run(t, context.Background(), "async", "start", "-m", "amazon.nova-reel-v1:0", "--output", "s3://b/o", "--input", in, "--wait", "--interval", "1ms", "--json")
	r.wantOK(t, "")
	var a map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &a); err != nil || a["status"] != "Completed" {
		t.Errorf("start --wait --json: %s (%v)", r.stdout, err)
	}
	var ops []string
	for _, q := range srv.Requests() {
		ops = append(ops, q.Operation)
	}
	if diff := cmp.Diff([]string{"StartAsyncInvoke", "GetAsyncInvoke", "GetAsyncInvoke"}, ops); diff != "" {
		t.Errorf("operations (-want +got):\n%s", diff)
	}
}

func TestAsyncUsageErrors(t *testing.T) {
	te := newTestEnv(t, nil)
	ctx := context.Background()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"async"}, "usage: bedrock async"},
		{[]string{"async", "frob"}, `unknown subcommand "frob"`},
		{[]string{"async", "start", "--output", "s3://b/o", "p"}, "start needs -m MODEL"},
		{[]string{"async", "start", "-m", "amazon.nova-reel-v1:0", "p"}, "needs --output"},
		{[]string{"async", "start", "-m", "amazon.nova-reel-v1:0", "--output", "/tmp/x", "p"}, "not an s3:// URI"},
		{[]string{"async", "start", "-m", "amazon.nova-reel-v1:0", "--output", "s3://b/o"}, "needs the model input"},
		{[]string{"async", "start", "-m", "amazon.titan-embed-text-v2:0", "--output", "s3://b/o", "hi"}, "give the model input with --input"},
		{[]string{"async", "start", "-m", "m", "--output", "s3://b/o", "--input", "x.json", "p"}, "not both"},
		{[]string{"async", "start", "-m", "amazon.nova-reel-v1:0", "--output", "s3://b/o", "--tag", "novalue", "p"}, "not KEY=VALUE"},
		{[]string{"async", "get"}, "get takes one invocation ARN"},
		{[]string{"async", "list", "--after", "yesterday"}, `--after "yesterday" is not a time`},
		{[]string{"async", "list", "--max", "-1"}, "--max must not be negative"},
		{[]string{"async", "wait", "a", "--interval", "5s", "--max-interval", "1s"}, "shorter than --interval"},
		{[]string{"async", "wait", "--bogus"}, "usage: bedrock async wait"},
	} {
		r := te.run(t, ctx, tc.args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, r.code, r.stderr, tc.want)
		}
	}
	r := te.run(t, ctx, "async", "--help")
	if r.code != exitOK || !strings.Contains(r.stdout, "bedrock async start -m MODEL") {
		t.Errorf("--help: %d %q", r.code, r.stdout)
	}
	r = te.run(t, ctx, "async", "list", "--help")
	if r.code != exitOK || !strings.Contains(r.stdout, "EXAMPLES") {
		t.Errorf("list --help: %d", r.code)
	}
}

// TestAsyncServiceErrors: a refused call prints the service's error and
// exits 1; a failed invocation makes wait exit 1 with its message.
func TestAsyncServiceErrors(t *testing.T) {
	srv := newEmulator(t)
	te := newTestEnv(t, srv)
	r := te.run(t, context.Background(), "async", "get", "arn:aws:bedrock:us-east-1:123456789012:async-invoke/nonexistent0")
	if r.code != exitFailure || !strings.Contains(r.stderr, "ValidationException") {
		t.Errorf("get of an unknown ARN: %d %q", r.code, r.stderr)
	}
	in := filepath.Join(t.TempDir(), "in.json")
	os.WriteFile(in, []byte(`{"inputText":"hi"}`), 0o644)
	r = te.run(t, context.Background(), "async", "start", "-m", "amazon.titan-text-express-v1", "--output", "s3://b/o", "--input", in)
	if r.code != exitFailure || !strings.Contains(r.stderr, "bedrock async: ValidationException") {
		t.Errorf("start with a model that has no async: %d %q", r.code, r.stderr)
	}
}

// lastQuery is the raw query of the emulator's last request.
func lastQuery(t *testing.T, srv *bedrocktest.Server) string {
	t.Helper()
	r, ok := srv.LastRequest()
	if !ok {
		t.Fatal("no request")
	}
	return r.RawQuery
}

// TestAsyncWaitFailed: wait exits 1 for a failed invocation and says why;
// the final state is still printed.
func TestAsyncWaitFailed(t *testing.T) {
	polls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		polls++
		status := "InProgress"
		if polls > 1 {
			status = "Failed"
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"invocationArn":"arn:aws:bedrock:us-east-1:123456789012:async-invoke/abcdef123456","modelArn":"arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-reel-v1:1","status":"%s","failureMessage":"blocked by content filters","submitTime":"2026-07-31T12:00:00Z","endTime":"2026-07-31T12:03:00Z","outputDataConfig":{"s3OutputDataConfig":{"s3Uri":"s3://b/o"}}}`, status)
	}))
	t.Cleanup(srv.Close)
	te := allServicesEnv(t, srv.URL)
	r := te.run(t, context.Background(), "async", "wait", "--interval", "1ms", "arn:aws:bedrock:us-east-1:123456789012:async-invoke/abcdef123456")
	if r.code != exitFailure || r.stderr != "bedrock async: invocation Failed: blocked by content filters\n" {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
	golden(t, "async_wait_failed.golden", r.stdout)
	if polls != 2 {
		t.Errorf("%d polls, want 2", polls)
	}
}
