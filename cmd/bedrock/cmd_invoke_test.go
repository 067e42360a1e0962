package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/bedrockwire/bedrockwire/client/bedrocktest"
)

const (
	novaBody   = `{"schemaVersion":"messages-v1","messages":[{"role":"user","content":[{"text":"hello there"}]}],"inferenceConfig":{"maxTokens":100}}`
	claudeBody = `{"anthropic_version":"bedrock-2023-05-31","max_tokens":100,"messages":[{"role":"user","content":"hello there"}]}`
)

func TestInvokeBodyFromFile(t *testing.T) {
	srv := newEmulator(t)
	path := filepath.Join(t.TempDir(), "body.json")
	if err := os.WriteFile(path, []byte(novaBody), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, srv, "invoke", "-m", "amazon.nova-lite-v1:0", "--body", path)
	r.wantOK(t, "tokens: 2 in, 4 out; latency 0 ms\n")
	golden(t, "invoke-nova.stdout", r.stdout)
	req, _ := srv.LastRequest()
	if string(req.Body) != novaBody || req.Operation != bedrocktest.OpInvokeModel {
		t.Errorf("%s sent %s, want the file's bytes unchanged", req.Operation, req.Body)
	}
}

func TestInvokeIndentsForTerminal(t *testing.T) {
	srv := newEmulator(t)
	srv.Script("", bedrocktest.Reply{Body: []byte(`{"a":[1,2],"b":"x"}`)})
	te := newTestEnv(t, srv)
	te.ttyOut = true
	te.stdin = novaBody
	r := te.run(t, context.Background(), "invoke", "-q", "-m", "amazon.nova-lite-v1:0")
	r.wantOK(t, "")
	if want := "{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": \"x\"\n}\n"; r.stdout != want {
		t.Errorf("stdout %q, want %q", r.stdout, want)
	}
}

func TestInvokeBodyFromStdin(t *testing.T) {
	srv := newEmulator(t)
	te := newTestEnv(t, srv)
	te.stdin = `{"inputText":"hello"}`
	r := te.run(t, context.Background(), "invoke", "-q", "-m", "amazon.titan-embed-text-v2:0", "--body", "-", "--content-type", "application/json", "--accept", "application/json")
	r.wantOK(t, "")
	var resp struct {
		Embedding []float64 `json:"embedding"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &resp); err != nil || len(resp.Embedding) != 1024 {
		t.Errorf("stdout is not a 1024-long Titan embedding (%v): %.100s", err, r.stdout)
	}
	if req, _ := srv.LastRequest(); req.Header.Get("Accept") != "application/json" {
		t.Errorf("Accept %q", req.Header.Get("Accept"))
	}
}

func TestInvokeStreamText(t *testing.T) {
	for _, tt := range []struct{ model, body, stderr string }{
		{"amazon.nova-lite-v1:0", novaBody, "tokens: 2 in, 4 out; stop: end_turn\n"},
		{"us.anthropic.claude-haiku-4-5-20251001-v1:0", claudeBody, "tokens: 2 in, 4 out; stop: end_turn\n"},
	} {
		t.Run(tt.model, func(t *testing.T) {
			srv := newEmulator(t)
			te := newTestEnv(t, srv)
			te.stdin = tt.body
			r := te.run(t, context.Background(), "invoke", "--stream", "-m", tt.model)
			r.wantOK(t, tt.stderr)
			if r.stdout != "You said: hello there\n" {
				t.Errorf("stdout %q", r.stdout)
			}
			if req, _ := srv.LastRequest(); req.Operation != bedrocktest.OpInvokeModelWithResponseStream {
				t.Errorf("operation %s", req.Operation)
			}
		})
	}
}

// TestInvokeStreamFormat: an ID the catalog cannot place (an application
// inference profile ARN) streams text when --format names its family.
func TestInvokeStreamFormat(t *testing.T) {
	srv := newEmulator(t)
	const arn = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123"
	srv.Script(arn, bedrocktest.Reply{Chunks: [][]byte{
		[]byte(`{"type":"message_start","message":{"usage":{"input_tokens":5,"output_tokens":1}}}`),
		[]byte(`{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi "}}`),
		[]byte(`{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"there"}}`),
		[]byte(`{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":2}}`),
	}})
	te := newTestEnv(t, srv)
	te.stdin = claudeBody
	r := te.run(t, context.Background(), "invoke", "--stream", "--format", "anthropic-messages", "-m", arn)
	r.wantOK(t, "tokens: 5 in, 2 out; stop: end_turn\n")
	if r.stdout != "Hi there\n" {
		t.Errorf("stdout %q", r.stdout)
	}
	if req, _ := srv.LastRequest(); req.ModelID != arn {
		t.Errorf("model %q", req.ModelID)
	}
}

func TestInvokeStreamRaw(t *testing.T) {
	srv := newEmulator(t)
	srv.Script("amazon.nova-lite-v1:0", bedrocktest.Reply{Chunks: [][]byte{
		[]byte(`{"messageStart": {"role": "assistant"}}`),
		[]byte("not json\nat all"),
		[]byte(`{"contentBlockDelta":{"delta":{"text":"Hi"},"contentBlockIndex":0}}`),
	}})
	te := newTestEnv(t, srv)
	te.stdin = novaBody
	r := te.run(t, context.Background(), "invoke", "--stream", "--raw", "-m", "amazon.nova-lite-v1:0")
	r.wantOK(t, "")
	want := `{"messageStart":{"role":"assistant"}}` + "\n" + `{"bytes":"bm90IGpzb24KYXQgYWxs"}` + "\n" + `{"contentBlockDelta":{"delta":{"text":"Hi"},"contentBlockIndex":0}}` + "\n"
	if diff := cmp.Diff(want, r.stdout); diff != "" {
		t.Errorf("stdout (-want +got):\n%s", diff)
	}
	for i, line := range strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n") {
		if !json.Valid([]byte(line)) {
			t.Errorf("line %d is not JSON: %s", i+1, line)
		}
	}
}

func TestInvokeServiceError(t *testing.T) {
	srv := newEmulator(t)
	te := newTestEnv(t, srv)
	te.stdin = novaBody
	srv.Script("", bedrocktest.Reply{Error: bedrocktest.ValidationError("Malformed input request: #: extraneous key [foo] is not permitted, please reformat your input and try again.")})
	r := te.run(t, context.Background(), "invoke", "-m", "amazon.nova-lite-v1:0", "--stream")
	if r.code != exitFailure {
		t.Fatalf("exit %d, want 1", r.code)
	}
	golden(t, "invoke-stream-malformed.stderr", r.stderr)

	srv.Inject(bedrocktest.Fault{Error: bedrocktest.ModelTimeoutError()})
	r = te.run(t, context.Background(), "invoke", "-m", "amazon.titan-embed-text-v2:0")
	if r.code != exitFailure || !strings.HasPrefix(r.stderr, "bedrock invoke: ModelTimeoutException") {
		t.Errorf("exit %d stderr %q", r.code, r.stderr)
	}
}

func TestInvokeUsageErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"invoke"}, "bedrock invoke: a model is required: -m MODEL\n"},
		{[]string{"invoke", "-m", "amazon.nova-lite-v1:0", "--raw"}, "bedrock invoke: --raw goes with --stream; without it the body is printed as it is anyway\n"},
		{[]string{"invoke", "-m", "amazon.nova-lite-v1:0", "body.json"}, "bedrock invoke: unexpected argument \"body.json\": the body comes from --body FILE or stdin\n"},
		{[]string{"invoke", "-m", "amazon.titan-embed-text-v2:0", "--stream"}, "bedrock invoke: amazon.titan-embed-text-v2:0 answers only InvokeModel, not InvokeModelWithResponseStream\n"},
		{[]string{"invoke", "-m", "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc", "--stream"}, "bedrock invoke: arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc: no known text stream format for this model; name one with --format, or use --raw to print the chunks\n"},
		{[]string{"invoke", "-m", "x", "--format", "klingon", "--stream"}, "bedrock invoke: --format \"klingon\": want --stream and one of amazon-nova, amazon-titan-text, anthropic-messages, cohere-chat, cohere-command, deepseek-r1, meta-llama, mistral-chat, mistral-prompt, openai-chat\n"},
		{[]string{"invoke", "-m", "amazon.nova-lite-v1:0", "--guardrail", "nocolon"}, "bedrock invoke: --guardrail \"nocolon\": want ID:VERSION, e.g. gr-abc123:1 or gr-abc123:DRAFT\n"},
		{[]string{"invoke", "-m", "amazon.nova-lite-v1:0"}, "bedrock invoke: the request body is empty\n"},
	}
	for _, tt := range tests {
		r := runCLI(t, nil, tt.args...)
		want := tt.want + "Run 'bedrock invoke --help' for details.\n"
		if r.code != exitUsage || r.stderr != want {
			t.Errorf("%q: exit %d stderr %q\nwant 2 and %q", tt.args, r.code, r.stderr, want)
		}
	}
}
