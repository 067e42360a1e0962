package main

import (
	"context"
	"encoding/base64"
	"testing"

	"github.com/bedrockwire/bedrockwire/client/bedrocktest"
)

func TestTokens(t *testing.T) {
	srv := newEmulator(t)
	r := runCLI(t, srv, "tokens", "-m", "anthropic.claude-haiku-4-5-20251001-v1:0", "-s", "Be brief.", "one two three")
	r.wantOK(t, "")
	if r.stdout != "5\n" {
		t.Errorf("stdout %q, want 5", r.stdout)
	}
	golden(t, "tokens-converse.request.json", lastBody(t, srv))

	te := newTestEnv(t, srv)
	te.stdin = claudeBody
	r = te.run(t, context.Background(), "tokens", "--json", "-m", "anthropic.claude-haiku-4-5-20251001-v1:0", "--invoke-body", "-")
	r.wantOK(t, "")
	if r.stdout != `{"inputTokens":2}`+"\n" {
		t.Errorf("stdout %q", r.stdout)
	}
	req, _ := srv.LastRequest()
	want := `{"input":{"invokeModel":{"body":"` + base64.StdEncoding.EncodeToString([]byte(claudeBody)) + `"}}}`
	if string(req.Body) != want {
		t.Errorf("body %s\nwant %s", req.Body, want)
	}
}

func TestTokensErrors(t *testing.T) {
	srv := newEmulator(t)
	srv.Inject(bedrocktest.Fault{Operation: bedrocktest.OpCountTokens, Error: bedrocktest.ServiceUnavailableError()})
	te := newTestEnv(t, srv)
	te.vars["AWS_MAX_ATTEMPTS"] = "1"
	r := te.run(t, context.Background(), "tokens", "-m", "anthropic.claude-haiku-4-5-20251001-v1:0", "hello")
	if r.code != exitFailure {
		t.Fatalf("exit %d", r.code)
	}
	golden(t, "tokens-unavailable.stderr", r.stderr)

	r = runCLI(t, srv, "tokens", "-m", "anthropic.claude-haiku-4-5-20251001-v1:0", "--invoke-body", "-", "hello")
	want := "bedrock tokens: --invoke-body counts a whole request body: give no prompt, -s or --file with it\nRun 'bedrock tokens --help' for details.\n"
	if r.code != exitUsage || r.stderr != want {
		t.Errorf("exit %d stderr %q", r.code, r.stderr)
	}
}
