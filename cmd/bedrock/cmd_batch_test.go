package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestBatchPrepareFromPrompts(t *testing.T) {
	te := newTestEnv(t, nil)
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		model string
		extra []string
	}{
		{"anthropic", "anthropic.claude-3-5-haiku-20241022-v1:0", []string{"-s", "Answer in one line."}},
		{"nova", "us.amazon.nova-lite-v1:0", []string{"--max-tokens", "200"}},
		{"titan", "amazon.titan-text-express-v1", nil},
		{"llama", "meta.llama3-8b-instruct-v1:0", []string{"-s", "Be brief."}},
		{"mistral", "mistral.mistral-7b-instruct-v0:2", nil},
		{"converse", "anthropic.claude-3-5-haiku-20241022-v1:0", []string{"--converse", "-s", "Be brief."}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			te.stdin = "What is <Go>?\n\n  Name three rivers & a lake.  \n"
			args := append([]string{"batch", "prepare", "-m", tc.model}, tc.extra...)
			r := te.run(t, ctx, args...)
			r.wantOK(t, "bedrock batch: wrote 2 records to stdout\nbedrock batch: warning: jobs need a minimum number of records (a service quota, 100 by default)\n")
			golden(t, "batch_prepare_"+tc.name+".golden", r.stdout)
		})
	}
}

func TestBatchPrepareJSONAndFile(t *testing.T) {
	te := newTestEnv(t, nil)
	dir := t.TempDir()
	in := filepath.Join(dir, "inputs.jsonl")
	os.WriteFile(in, []byte(`{"inputText":"a"}
{"recordId":"mine-1","modelInput":{"inputText":"b"}}

{"modelInput":{"inputText":"c"}}
{"recordId":"x","modelInput":{"inputText":"d"},"other":1}
`), 0o644)
	out := filepath.Join(dir, "records.jsonl")
	r := te.run(t, context.Background(), "batch", "prepare", "--json", "-o", out, in)
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "wrote 4 records to "+out) || !strings.Contains(r.stderr, "aws s3 cp "+out) {
		t.Errorf("stderr %q", r.stderr)
	}
	got, _ := os.ReadFile(out)
	want := `{"recordId":"REC00000001","modelInput":{"inputText":"a"}}
{"recordId":"mine-1","modelInput":{"inputText":"b"}}
{"recordId":"REC00000002","modelInput":{"inputText":"c"}}
{"recordId":"REC00000003","modelInput":{"recordId":"x","modelInput":{"inputText":"d"},"other":1}}
`
	if diff := cmp.Diff(want, string(got)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}

	// A bad line names its place, and no half-written file stays behind.
	os.WriteFile(in, []byte("{\"a\":1}\n[1,2]\n"), 0o644)
	r = te.run(t, context.Background(), "batch", "prepare", "--json", "-o", out, in)
	if r.code != exitFailure || !strings.Contains(r.stderr, in+":2: not a JSON object") {
		t.Errorf("bad line: %d %q", r.code, r.stderr)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("output file left behind: %v", err)
	}
	os.WriteFile(in, []byte("{\"recordId\":\"a\",\"modelInput\":{}}\n{\"recordId\":\"a\",\"modelInput\":{}}\n"), 0o644)
	r = te.run(t, context.Background(), "batch", "prepare", "--json", in)
	if r.code != exitFailure || !strings.Contains(r.stderr, ":2: batch record \"a\": record ID already used") {
		t.Errorf("duplicate ID: %d %q", r.code, r.stderr)
	}
}

func TestBatchUsageErrors(t *testing.T) {
	te := newTestEnv(t, nil)
	ctx := context.Background()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"batch"}, "usage: bedrock batch"},
		{[]string{"batch", "frob"}, `unknown subcommand "frob"`},
		{[]string{"batch", "prepare"}, "prepare needs -m MODEL"},
		{[]string{"batch", "prepare", "-m", "stability.sd3-5-large-v1:0"}, "--json"},
		{[]string{"batch", "prepare", "-m", "cohere.command-r-v1:0"}, "cannot write"},
		{[]string{"batch", "prepare", "--json", "-s", "x"}, "do not apply"},
		{[]string{"batch", "prepare", "-m", "amazon.titan-text-express-v1", "--max-tokens", "0"}, "--max-tokens"},
		{[]string{"batch", "prepare", "a", "b"}, "one INPUT"},
		{[]string{"batch", "submit", "-m", "m", "--name", "n", "--role", "r", "--input", "s3://b/i"}, "submit needs --output"},
		{[]string{"batch", "submit", "-m", "m", "--name", "n", "--role", "r", "--input", "records.jsonl", "--output", "s3://b/o"}, "upload the file to S3 first"},
		{[]string{"batch", "submit", "-m", "m", "--name", "n", "--role", "r", "--input", "s3://b/i", "--output", "s3://b/o", "--timeout-hours", "2"}, "--timeout-hours 2"},
		{[]string{"batch", "submit", "-m", "m", "--name", "n", "--role", "r", "--input", "s3://b/i", "--output", "s3://b/o", "--subnet", "s"}, "both --subnet and --security-group"},
		{[]string{"batch", "status", "a", "b"}, "at most one JOB"},
		{[]string{"batch", "status", "a", "--status", "Failed"}, "without JOB"},
		{[]string{"batch", "wait"}, "wait takes one JOB"},
		{[]string{"batch", "stop"}, "stop takes one JOB"},
	} {
		r := te.run(t, ctx, tc.args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, r.code, r.stderr, tc.want)
		}
	}
	r := te.run(t, ctx, "batch", "--help")
	if r.code != exitOK || !strings.Contains(r.stdout, "This tool does not upload") {
		t.Errorf("--help: %d", r.code)
	}
	te.stdin = "\n\n"
	r = te.run(t, ctx, "batch", "prepare", "-m", "amazon.titan-text-express-v1")
	if r.code != exitFailure || !strings.Contains(r.stderr, "stdin holds no records") {
		t.Errorf("empty input: %d %q", r.code, r.stderr)
	}
}

// fakeBatch is the control plane's batch API as far as the CLI uses it.
type fakeBatch struct {
	mu       sync.Mutex
	requests []string // method, URI and body
	statuses []string // what GetModelInvocationJob reports, in turn
}

const fakeJobARN = "arn:aws:bedrock:us-east-1:123456789012:model-invocation-job/abcdefghij12"

func (f *fakeBatch) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	f.requests = append(f.requests, strings.TrimSpace(r.Method+" "+r.RequestURI+" "+string(body)))
	status := "InProgress"
	if r.Method == "GET" && strings.HasPrefix(r.URL.Path, "/model-invocation-job/") && len(f.statuses) > 0 {
		status = f.statuses[0]
		if len(f.statuses) > 1 {
			f.statuses = f.statuses[1:]
		}
	}
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	job := func(status string) string {
		return fmt.Sprintf(`{"jobArn":"%s","jobName":"nightly","modelId":"anthropic.claude-3-5-haiku-20241022-v1:0","roleArn":"arn:aws:iam::123456789012:role/B","status":"%s","message":"m-%s","submitTime":"2026-07-31T10:00:00Z","endTime":"2026-07-31T12:30:00Z","inputDataConfig":{"s3InputDataConfig":{"s3Uri":"s3://b/records.jsonl"}},"outputDataConfig":{"s3OutputDataConfig":{"s3Uri":"s3://b/out/"}},"totalRecordCount":200,"processedRecordCount":150,"errorRecordCount":2}`, fakeJobARN, status, status)
	}
	switch {
	case r.Method == "POST" && r.URL.Path == "/model-invocation-job":
		fmt.Fprintf(w, `{"jobArn":"%s"}`, fakeJobARN)
	case r.Method == "POST" && strings.HasSuffix(r.URL.Path, "/stop"):
		w.Write([]byte(`{}`))
	case r.Method == "GET" && r.URL.Path == "/model-invocation-jobs":
		w.Write([]byte(`{"invocationJobSummaries":[` + job("InProgress") + `]}`))
	case r.Method == "GET":
		w.Write([]byte(job(status)))
	default:
		w.Header().Set("X-Amzn-Errortype", "ValidationException")
		w.WriteHeader(400)
		w.Write([]byte(`{"message":"unexpected request"}`))
	}
}

func newFakeBatch(t *testing.T, statuses ...string) (*fakeBatch, *cliTestEnv) {
	f := &fakeBatch{statuses: statuses}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	te := newTestEnv(t, nil)
	te.vars["AWS_ENDPOINT_URL_BEDROCK"] = srv.URL
	te.vars["AWS_ENDPOINT_URL_BEDROCK_RUNTIME"] = "http://127.0.0.1:1" // not used: batch is the control plane's
	te.vars["AWS_BEARER_TOKEN_BEDROCK"] = "bedrock-api-key-test"
	te.vars["AWS_REGION"] = "us-east-1"
	return f, te
}

func TestBatchSubmitStatusWaitStop(t *testing.T) {
	f, te := newFakeBatch(t, "Submitted", "Validating", "InProgress", "PartiallyCompleted")
	ctx := context.Background()
	r := te.run(t, ctx, "batch", "submit", "-m", "anthropic.claude-3-5-haiku-20241022-v1:0", "--name", "nightly",
		"--role", "arn:aws:iam::123456789012:role/B", "--input", "s3://b/records.jsonl", "--output", "s3://b/out/",
		"--timeout-hours", "48", "--converse", "--kms-key", "alias/k", "--subnet", "subnet-1", "--security-group", "sg-1",
		"--tag", "team=ml", "--token", "nightly-1")
	r.wantOK(t, "")
	if r.stdout != fakeJobARN+"\n" {
		t.Errorf("submit printed %q", r.stdout)
	}
	r = te.run(t, ctx, "batch", "status", "abcdefghij12")
	r.wantOK(t, "")
	golden(t, "batch_status_job.golden", r.stdout)
	r = te.run(t, ctx, "batch", "status", "--status", "InProgress", "--name-contains", "night", "--max", "3")
	r.wantOK(t, "")
	golden(t, "batch_status_list.golden", r.stdout)

	te.ttyErr = true
	r = te.run(t, ctx, "batch", "wait", "--interval", "1ms", "--max-interval", "1ms", fakeJobARN)
	if r.code != exitOK {
		t.Fatalf("wait: exit %d: %q", r.code, r.stderr)
	}
	for _, s := range []string{"batch: Validating · 150/200 (2 failed) records", "batch: PartiallyCompleted · 150/200 (2 failed) records"} {
		if !strings.Contains(r.stderr, s) {
			t.Errorf("progress %q lacks %q", r.stderr, s)
		}
	}
	te.ttyErr = false
	r = te.run(t, ctx, "batch", "stop", fakeJobARN)
	r.wantOK(t, "bedrock batch: stopping "+fakeJobARN+"\n")

	f.mu.Lock()
	reqs := f.requests
	f.mu.Unlock()
	golden(t, "batch_requests.golden", strings.Join(reqs, "\n")+"\n")
}

func TestBatchWaitFailed(t *testing.T) {
	_, te := newFakeBatch(t, "InProgress", "Failed")
	r := te.run(t, context.Background(), "batch", "wait", "--interval", "1ms", "--json", "abcdefghij12")
	if r.code != exitFailure || r.stderr != "bedrock batch: job Failed: m-Failed\n" || !strings.Contains(r.stdout, `"status": "Failed"`) {
		t.Errorf("exit %d, stderr %q, stdout %s", r.code, r.stderr, r.stdout)
	}
}

func TestBatchResults(t *testing.T) {
	te := newTestEnv(t, nil)
	dir := t.TempDir()
	manifest := filepath.Join(dir, "manifest.json.out")
	os.WriteFile(manifest, []byte(`{"totalRecordCount":7,"processedRecordCount":7,"successRecordCount":2,"errorRecordCount":2,"inputTokenCount":120,"outputTokenCount":48}`), 0o644)
	out := filepath.Join("..", "..", "client", "testdata", "batch", "job_output.jsonl")
	r := te.run(t, context.Background(), "batch", "results", out, "--manifest", manifest)
	if r.code != exitFailure {
		t.Errorf("exit %d, want 1 for the unreadable lines", r.code)
	}
	golden(t, "batch_results.golden", r.stdout+"-- stderr --\n"+r.stderr)
	r = te.run(t, context.Background(), "batch", "results", "--json", out)
	golden(t, "batch_results_json.golden", r.stdout)
	te.stdin = `{"recordId":"a","modelOutput":{"x":1}}` + "\n"
	r = te.run(t, context.Background(), "batch", "results", "-")
	r.wantOK(t, "bedrock batch: 1 records: 1 succeeded, 0 failed\n")
	r = te.run(t, context.Background(), "batch", "results")
	if r.code != exitUsage {
		t.Errorf("no file: exit %d", r.code)
	}
}

// TestBatchAgainstEmulator: prepare, submit and wait against the emulator's
// batch API, which serves the control plane on the same endpoint.
func TestBatchAgainstEmulator(t *testing.T) {
	srv := newEmulator(t)
	te := newTestEnv(t, srv)
	te.vars["AWS_ENDPOINT_URL_BEDROCK"] = srv.URL
	ctx := context.Background()
	te.stdin = "first prompt\nsecond prompt\n"
	r := te.run(t, ctx, "batch", "prepare", "-m", "amazon.nova-lite-v1:0")
	if r.code != exitOK || strings.Count(r.stdout, "\n") != 2 {
		t.Fatalf("prepare: %d %q %q", r.code, r.stdout, r.stderr)
	}
	r = te.run(t, ctx, "batch", "submit", "-m", "amazon.nova-lite-v1:0", "--name", "emu", "--role", "arn:aws:iam::123456789012:role/B",
		"--input", "s3://my-bucket/records.jsonl", "--output", "s3://my-bucket/out/", "--wait", "--interval", "1ms")
	r.wantOK(t, "")
	golden(t, "batch_submit_wait_emulator.golden", r.stdout)
	r = te.run(t, ctx, "batch", "status", "--json")
	r.wantOK(t, "")
	if !strings.Contains(r.stdout, `"jobName": "emu"`) || !strings.Contains(r.stdout, `"status": "Completed"`) {
		t.Errorf("status --json:\n%s", r.stdout)
	}
}
