package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/bedrockwire/bedrockwire/client"
	"github.com/bedrockwire/bedrockwire/client/bedrocktest"
)

// lastBody returns the JSON body of the emulator's last request, indented.
func lastBody(t *testing.T, srv *bedrocktest.Server) string {
	t.Helper()
	r, ok := srv.LastRequest()
	if !ok {
		t.Fatal("the emulator received no request")
	}
	var b bytes.Buffer
	if err := json.Indent(&b, r.Body, "", "  "); err != nil {
		t.Fatalf("request body is not JSON: %v\n%s", err, r.Body)
	}
	return b.String() + "\n"
}

func TestConverseStreamsText(t *testing.T) {
	srv := newEmulator(t)
	r := runCLI(t, srv, "converse", "-m", "amazon.nova-lite-v1:0", "hello", "there")
	r.wantOK(t, "tokens: 2 in, 4 out; latency 0 ms\n")
	if diff := cmp.Diff("You said: hello there\n", r.stdout); diff != "" {
		t.Errorf("stdout (-want +got):\n%s", diff)
	}
	req, _ := srv.LastRequest()
	if req.Operation != bedrocktest.OpConverseStream || req.Auth != "bearer" {
		t.Errorf("operation %q auth %q, want ConverseStream with bearer", req.Operation, req.Auth)
	}
}

func TestConversePromptFromStdin(t *testing.T) {
	srv := newEmulator(t)
	te := newTestEnv(t, srv)
	te.stdin = "line one\nline two\n\n"
	r := te.run(t, context.Background(), "converse", "-q", "-m", "amazon.nova-lite-v1:0")
	r.wantOK(t, "")
	golden(t, "converse-stdin.request.json", lastBody(t, srv))
}

func TestConversePromptWithStdinArgument(t *testing.T) {
	tests := []struct {
		args  []string
		stdin string
		want  string
	}{
		{nil, "all\nof it\n", "all\nof it"},
		{[]string{"a", "b"}, "ignored", "a b"},
		{[]string{"Summarise:", "-", "in one line."}, "commit 1\ncommit 2\n", "Summarise: \n\ncommit 1\ncommit 2\n\n in one line."},
		{[]string{"Review:", "-"}, "diff\n", "Review: \n\ndiff"},
	}
	for _, tt := range tests {
		got, err := cliPrompt(&env{stdin: strings.NewReader(tt.stdin)}, tt.args)
		if err != nil || got != tt.want {
			t.Errorf("cliPrompt(%q, stdin %q) = %q, %v; want %q", tt.args, tt.stdin, got, err, tt.want)
		}
	}
	if _, err := cliPrompt(&env{stdin: strings.NewReader("x")}, []string{"-", "-"}); !errors.Is(err, errUsage) {
		t.Errorf("two - arguments: %v, want a usage error", err)
	}
}

func TestConverseNoPrompt(t *testing.T) {
	srv := newEmulator(t)
	r := runCLI(t, srv, "converse", "-m", "amazon.nova-lite-v1:0")
	want := "bedrock converse: no prompt: give it as an argument or on stdin\nRun 'bedrock converse --help' for details.\n"
	if r.code != exitUsage || r.stderr != want {
		t.Errorf("exit %d, stderr %q; want %d, %q", r.code, r.stderr, exitUsage, want)
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests sent, want none", n)
	}
}

// TestConverseRequestFlags checks the request every request flag builds,
// byte for byte.
func TestConverseRequestFlags(t *testing.T) {
	srv := newEmulator(t)
	r := runCLI(t, srv, "converse", "-m", "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
		"-s", "Be brief.", "--cache", "--max-tokens", "4096", "--temperature", "1", "--top-p", "0.5",
		"--stop", "END", "--stop", "STOP", "--reasoning-budget", "2048", "--guardrail", "gr-abc123:DRAFT",
		"Is", "1001", "prime?")
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	golden(t, "converse-flags.request.json", lastBody(t, srv))
}

func TestConverseReasoningFields(t *testing.T) {
	tests := []struct {
		model string
		flags []string
		want  string // additionalModelRequestFields, or the usage error
	}{
		{"anthropic.claude-haiku-4-5-20251001-v1:0", []string{"--reasoning-budget", "1024"}, `{"thinking":{"type":"enabled","budget_tokens":1024}}`},
		{"global.anthropic.claude-sonnet-4-5-20250929-v1:0", []string{"--reasoning-effort", "medium"}, `{"thinking":{"type":"enabled","budget_tokens":4096}}`},
		{"us.amazon.nova-2-lite-v1:0", []string{"--reasoning-effort", "high"}, `{"reasoningConfig":{"type":"enabled","maxReasoningEffort":"high"}}`},
		{"openai.gpt-oss-120b-1:0", []string{"--reasoning-effort", "low"}, `{"reasoning_effort":"low"}`},
		{"openai.gpt-oss-20b-1:0", []string{"--reasoning-budget", "2000"}, "openai.gpt-oss-20b-1:0 takes --reasoning-effort low|medium|high, not a token budget"},
		{"anthropic.claude-haiku-4-5-20251001-v1:0", []string{"--reasoning-budget", "100"}, "--reasoning-budget 100: Anthropic models want at least 1024 tokens"},
		{"anthropic.claude-haiku-4-5-20251001-v1:0", []string{"--reasoning-budget", "2048", "--max-tokens", "1000"}, "--max-tokens 1000 must be more than the reasoning budget 2048"},
		{"amazon.nova-2-lite-v1:0", []string{"--reasoning-effort", "extreme"}, `--reasoning-effort "extreme": want low, medium or high`},
		{"meta.llama3-8b-instruct-v1:0", []string{"--reasoning-effort", "low"}, "meta.llama3-8b-instruct-v1:0: no known reasoning setting; --reasoning-budget and --reasoning-effort work with Anthropic Claude, Amazon Nova 2 and OpenAI gpt-oss models"},
		{"amazon.nova-2-lite-v1:0", []string{"--reasoning-effort", "low", "--reasoning-budget", "2000"}, "give --reasoning-budget or --reasoning-effort, not both"},
	}
	for _, tt := range tests {
		t.Run(tt.model+strings.Join(tt.flags, ""), func(t *testing.T) {
			fs := cliFlagSet(&env{stderr: &bytes.Buffer{}}, "t")
			cf := addConverseFlags(fs, true)
			if err := fs.Parse(append([]string{"-m", tt.model}, tt.flags...)); err != nil {
				t.Fatal(err)
			}
			err := cf.validate()
			got := ""
			if err != nil {
				got = strings.TrimPrefix(err.Error(), "usage: ")
			} else {
				f, _ := cf.reasoningFields()
				got = string(f)
			}
			if got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

// TestConverseJSONPipe is a program reading --json: every line must parse
// as one JSON object whose only key is the event type, and the text deltas
// must add up to the reply.
func TestConverseJSONPipe(t *testing.T) {
	srv := newEmulator(t)
	srv.Script("", bedrocktest.Reply{Content: []bedrocktest.Block{bedrocktest.Thinking("Let me count."), bedrocktest.Text("Three: Io, Europa, Ganymede.")}})
	r := runCLI(t, srv, "converse", "--json", "-m", "amazon.nova-lite-v1:0", "Name three moons")
	r.wantOK(t, "tokens: 3 in, 7 out; latency 0 ms\n")
	var text strings.Builder
	var types []string
	for i, line := range strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n") {
		var ev map[string]json.RawMessage
		if err := json.Unmarshal([]byte(line), &ev); err != nil {
			t.Fatalf("line %d is not JSON: %v\n%s", i+1, err, line)
		}
		if len(ev) != 1 {
			t.Fatalf("line %d has %d keys, want 1: %s", i+1, len(ev), line)
		}
		for k, v := range ev {
			types = append(types, k)
			if k == "contentBlockDelta" {
				var d struct {
					Delta struct {
						Text *string `json:"text"`
					} `json:"delta"`
				}
				if err := json.Unmarshal(v, &d); err != nil {
					t.Fatal(err)
				}
				if d.Delta.Text != nil {
					text.WriteString(*d.Delta.Text)
				}
			}
		}
	}
	if got := text.String(); got != "Three: Io, Europa, Ganymede." {
		t.Errorf("text deltas add up to %q", got)
	}
	golden(t, "converse-json.stdout", r.stdout)
	if types[0] != "messageStart" || types[len(types)-1] != "metadata" {
		t.Errorf("event types %v: want messageStart first and metadata last", types)
	}
}

func TestConverseNoStream(t *testing.T) {
	srv := newEmulator(t)
	srv.Script("", bedrocktest.Reply{Content: []bedrocktest.Block{bedrocktest.Thinking("Short answer."), bedrocktest.Text("Yes.")}, StopReason: "max_tokens"})
	r := runCLI(t, srv, "converse", "--no-stream", "-m", "amazon.nova-lite-v1:0", "ok?")
	r.wantOK(t, "Short answer.\ntokens: 1 in, 3 out; latency 0 ms; stop: max_tokens\n")
	if r.stdout != "Yes.\n" {
		t.Errorf("stdout %q, want %q", r.stdout, "Yes.\n")
	}
	if req, _ := srv.LastRequest(); req.Operation != bedrocktest.OpConverse {
		t.Errorf("operation %s, want Converse", req.Operation)
	}

	r = runCLI(t, srv, "converse", "--no-stream", "--json", "-m", "amazon.nova-lite-v1:0", "ok?")
	r.wantOK(t, "tokens: 1 in, 3 out; latency 0 ms\n")
	golden(t, "converse-nostream.json", r.stdout)
}

func TestConverseStreamingReasoningToStderr(t *testing.T) {
	srv := newEmulator(t)
	srv.Script("", bedrocktest.Reply{Content: []bedrocktest.Block{bedrocktest.Thinking("Hmm, 1001 = 7 x 11 x 13."), bedrocktest.Text("No.")}})
	r := runCLI(t, srv, "converse", "-m", "anthropic.claude-haiku-4-5-20251001-v1:0", "--reasoning-effort", "low", "Is 1001 prime?")
	r.wantOK(t, "Hmm, 1001 = 7 x 11 x 13.\ntokens: 3 in, 9 out; latency 0 ms\n")
	if r.stdout != "No.\n" {
		t.Errorf("stdout %q", r.stdout)
	}
}

func TestConverseFiles(t *testing.T) {
	srv := newEmulator(t)
	dir := t.TempDir()
	png := bedrocktest.Image("x", 0, 0, 2, 2)
	files := map[string][]byte{
		"chart.jpg":       png, // the bytes win: sent as png
		"notes_v2.txt":    []byte("first notes"),
		"notes v2.md":     []byte("# second notes"),
		"main.go":         []byte("package main\n"), // sniffed as text
		"report.pdf":      []byte("%PDF-1.4 tiny"),
		"clip.mp4":        []byte("\x00\x00\x00\x18ftypmp42"),
		"noext":           []byte("%PDF-1.7 sniffed"),
		"dup/notes_v2.md": []byte("third"),
	}
	var args []string
	for _, name := range []string{"chart.jpg", "notes_v2.txt", "notes v2.md", "main.go", "report.pdf", "clip.mp4", "noext", "dup/notes_v2.md"} {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, files[name], 0o644); err != nil {
			t.Fatal(err)
		}
		args = append(args, "--file", p)
	}
	r := runCLI(t, srv, append(append([]string{"converse", "-q", "-m", "amazon.nova-pro-v1:0", "--cache"}, args...), "Summarise")...)
	r.wantOK(t, "")
	golden(t, "converse-files.request.json", lastBody(t, srv))
}

func TestConverseFileErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		path, want string
	}{
		{write("fake.png", []byte("just text")), "fake.png: named .png but its bytes are not a png image (they look like text/plain)"},
		{write("blob.bin", []byte{0, 1, 2, 3, 0xff}), "blob.bin: cannot tell what kind of file this is (application/octet-stream); Bedrock takes images"},
		{write("empty.txt", nil), "empty.txt: file is empty"},
		{filepath.Join(dir, "missing.txt"), "missing.txt: no such file or directory"},
	}
	for _, tt := range tests {
		r := runCLI(t, nil, "converse", "-m", "amazon.nova-pro-v1:0", "--file", tt.path, "what is this?")
		if r.code != exitFailure || !strings.Contains(r.stderr, tt.want) {
			t.Errorf("--file %s: exit %d, stderr %q; want 1 and %q", filepath.Base(tt.path), r.code, r.stderr, tt.want)
		}
	}
}

func TestDocumentName(t *testing.T) {
	names := map[string]bool{}
	tests := []struct{ path, want string }{
		{"/tmp/Quarterly Report (Q3).pdf", "Quarterly Report (Q3)"},
		{"notes_v2.final.txt", "notes-v2-final"},
		{"notes_v2.final.md", "notes-v2-final (2)"},
		{"notes_v2.final.csv", "notes-v2-final (3)"},
		{"  résumé   2024 .docx", "r sum 2024"},
		{"[draft]  a&b.html", "[draft] a b"},
		{"....txt", "---"},
		{"日本語.txt", "document"},
		{"日本.txt", "document (2)"},
		{".hidden", "document (3)"},
		{strings.Repeat("a", 300) + ".txt", strings.Repeat("a", 194)},
	}
	for _, tt := range tests {
		if got := cliDocumentName(tt.path, names); got != tt.want {
			t.Errorf("cliDocumentName(%q) = %q, want %q", tt.path, got, tt.want)
		}
	}
}

// FuzzDocumentName holds every derived name to Bedrock's rules.
func FuzzDocumentName(f *testing.F) {
	for _, s := range []string{"report.pdf", "a  b", "日本語.txt", "x_y.z", "(1) [2]", ""} {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		names := map[string]bool{}
		n1 := cliDocumentName(a, names)
		n2 := cliDocumentName(b, names)
		for _, n := range []string{n1, n2} {
			if n == "" || len(n) > 200 || strings.Contains(n, "  ") || strings.TrimSpace(n) != n {
				t.Fatalf("bad name %q", n)
			}
			for _, r := range n {
				ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-()[] ", r)
				if !ok {
					t.Fatalf("name %q has %q", n, r)
				}
			}
		}
		if n1 == n2 {
			t.Fatalf("duplicate name %q for %q and %q", n1, a, b)
		}
	})
}

func TestConverseServiceError(t *testing.T) {
	srv := newEmulator(t)
	srv.Script("", bedrocktest.Reply{Error: bedrocktest.ValidationError("The model returned the following errors: messages: text content blocks must be non-empty")})
	r := runCLI(t, srv, "converse", "-m", "amazon.nova-lite-v1:0", "hi")
	if r.code != exitFailure || r.stdout != "" {
		t.Errorf("exit %d stdout %q, want 1 and nothing", r.code, r.stdout)
	}
	golden(t, "converse-service-error.stderr", r.stderr)

	r = runCLI(t, srv, "converse", "-m", "nope.unknown-v1:0", "hi")
	golden(t, "converse-invalid-model.stderr", r.stderr)
}

func TestConverseErrorInStream(t *testing.T) {
	srv := newEmulator(t)
	srv.Inject(bedrocktest.Fault{AfterEvents: 2, Exception: bedrocktest.ModelStreamError(500, "upstream broke")})
	r := runCLI(t, srv, "converse", "-m", "amazon.nova-lite-v1:0", "hello there friend")
	if r.code != exitFailure {
		t.Fatalf("exit %d, want 1; stderr %s", r.code, r.stderr)
	}
	if r.stdout != "You\n" {
		t.Errorf("stdout %q: want the text before the exception, ended with a newline", r.stdout)
	}
	golden(t, "converse-stream-exception.stderr", r.stderr)
}

func TestConverseCutStream(t *testing.T) {
	srv := newEmulator(t)
	srv.Inject(bedrocktest.Fault{AfterEvents: 2, CutStream: true})
	r := runCLI(t, srv, "converse", "-m", "amazon.nova-lite-v1:0", "hello there friend")
	if r.code != exitFailure || !strings.HasPrefix(r.stderr, "bedrock converse: ") {
		t.Errorf("exit %d stderr %q: want 1 and an error", r.code, r.stderr)
	}
}

func TestConverseMissingCredentials(t *testing.T) {
	te := newTestEnv(t, nil)
	te.vars["AWS_REGION"] = "us-east-1"
	r := te.run(t, context.Background(), "converse", "-m", "amazon.nova-lite-v1:0", "hi")
	if r.code != exitFailure {
		t.Fatalf("exit %d, want 1", r.code)
	}
	for _, want := range []string{"no AWS credentials", "AWS_BEARER_TOKEN_BEDROCK", "AWS_ACCESS_KEY_ID", "--profile"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr does not name %s:\n%s", want, r.stderr)
		}
	}
}

func TestConverseBearerTokenAloneNeedsNoRegion(t *testing.T) {
	// With only an API key and no Region the CLI picks us-east-1; the
	// endpoint override keeps the call local.
	srv := newEmulator(t)
	te := newTestEnv(t, srv)
	r := te.run(t, context.Background(), "converse", "-q", "-m", "amazon.nova-lite-v1:0", "hi")
	r.wantOK(t, "")
}

func TestConverseSigV4FromEnvironment(t *testing.T) {
	srv := newEmulator(t)
	te := newTestEnv(t, srv)
	delete(te.vars, "AWS_BEARER_TOKEN_BEDROCK")
	te.vars["AWS_ACCESS_KEY_ID"] = bedrocktest.DefaultCredentials.AccessKeyID
	te.vars["AWS_SECRET_ACCESS_KEY"] = bedrocktest.DefaultCredentials.SecretAccessKey
	te.vars["AWS_REGION"] = "us-east-1"
	r := te.run(t, context.Background(), "converse", "-q", "-m", "amazon.nova-lite-v1:0", "hi")
	r.wantOK(t, "")
	req, _ := srv.LastRequest()
	if req.Auth != "sigv4" || req.AccessKeyID != bedrocktest.DefaultCredentials.AccessKeyID {
		t.Errorf("auth %q key %q, want sigv4 with the environment's key", req.Auth, req.AccessKeyID)
	}

	// --region changes the signing scope: the emulator, in us-east-1,
	// refuses it.
	r = te.run(t, context.Background(), "converse", "-q", "--region", "eu-west-1", "-m", "amazon.nova-lite-v1:0", "hi")
	if r.code != exitFailure || !strings.Contains(r.stderr, "InvalidSignatureException: Credential should be scoped to a valid region.") {
		t.Errorf("--region eu-west-1: exit %d stderr %q; want 1 naming the wrong Region", r.code, r.stderr)
	}
}

func TestConverseProfileFlag(t *testing.T) {
	srv := newEmulator(t)
	te := newTestEnv(t, srv)
	delete(te.vars, "AWS_BEARER_TOKEN_BEDROCK")
	creds := filepath.Join(te.vars["HOME"], "credentials")
	c := bedrocktest.DefaultCredentials
	if err := os.WriteFile(creds, []byte("[dev]\naws_access_key_id = "+c.AccessKeyID+"\naws_secret_access_key = "+c.SecretAccessKey+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	te.vars["AWS_SHARED_CREDENTIALS_FILE"] = creds
	r := te.run(t, context.Background(), "converse", "-q", "--profile", "dev", "--region", "us-east-1", "-m", "amazon.nova-lite-v1:0", "hi")
	r.wantOK(t, "")
	if req, _ := srv.LastRequest(); req.AccessKeyID != c.AccessKeyID {
		t.Errorf("signed with %q, want the profile's key", req.AccessKeyID)
	}
	r = te.run(t, context.Background(), "converse", "-q", "--profile", "nope", "--region", "us-east-1", "-m", "amazon.nova-lite-v1:0", "hi")
	if r.code != exitFailure || !strings.Contains(r.stderr, "nope") {
		t.Errorf("--profile nope: exit %d stderr %q; want 1 naming the profile", r.code, r.stderr)
	}
}

func TestConverseEndpointFlag(t *testing.T) {
	srv := newEmulator(t)
	te := newTestEnv(t, srv)
	te.vars["AWS_ENDPOINT_URL_BEDROCK_RUNTIME"] = "http://127.0.0.1:1" // nothing listens there
	r := te.run(t, context.Background(), "converse", "-q", "--endpoint-url", srv.URL, "-m", "amazon.nova-lite-v1:0", "hi")
	r.wantOK(t, "")
}

func TestConverseDebugMasksSecrets(t *testing.T) {
	srv := newEmulator(t)
	r := runCLI(t, srv, "converse", "-q", "--debug", "-m", "amazon.nova-lite-v1:0", "hi")
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if strings.Contains(r.stderr, bedrocktest.DefaultAPIKey) {
		t.Fatalf("--debug printed the API key:\n%s", r.stderr)
	}
	for _, want := range []string{`msg="bedrock client" region=us-east-1 endpoint=` + srv.URL + ` client="client.Client{Region: \"us-east-1\", Endpoint: \"` + srv.URL + `\", Auth: bearer [redacted]`, `msg="bedrock request"`, "op=ConverseStream", `header.Authorization="Bearer ****`, `msg="bedrock response"`, "status=200"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("--debug output lacks %s:\n%s", want, r.stderr)
		}
	}

	// SigV4: the signature is masked, the scope is kept.
	te := newTestEnv(t, srv)
	delete(te.vars, "AWS_BEARER_TOKEN_BEDROCK")
	c := bedrocktest.DefaultSessionCredentials
	te.vars["AWS_ACCESS_KEY_ID"], te.vars["AWS_SECRET_ACCESS_KEY"], te.vars["AWS_SESSION_TOKEN"] = c.AccessKeyID, c.SecretAccessKey, c.SessionToken
	te.vars["AWS_REGION"] = "us-east-1"
	r = te.run(t, context.Background(), "converse", "-q", "--debug", "-m", "amazon.nova-lite-v1:0", "hi")
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	for _, secret := range []string{c.SecretAccessKey, c.SessionToken} {
		if strings.Contains(r.stderr, secret) {
			t.Fatalf("--debug printed a secret:\n%s", r.stderr)
		}
	}
	if !strings.Contains(r.stderr, "Signature=****") {
		t.Errorf("--debug output lacks the masked signature:\n%s", r.stderr)
	}
}

func TestCLIMaskAttr(t *testing.T) {
	var b bytes.Buffer
	l := cliDebugLogger(&b)
	l.Debug("x", "authorization", "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/bedrock/aws4_request, SignedHeaders=host, Signature=abcdef",
		"x-amz-security-token", "SESSIONTOKEN", "Authorization", "Bearer SECRETKEY", "api_secret", "s3cr3t", "status", "ok", "masked", "**** (3 bytes)")
	want := `level=DEBUG msg=x authorization="AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/bedrock/aws4_request, SignedHeaders=host, Signature=****" x-amz-security-token=**** Authorization="Bearer ****" api_secret=**** status=ok masked="**** (3 bytes)"` + "\n"
	if diff := cmp.Diff(want, b.String()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// cancelOnResponse cancels a context once the --debug log shows the
// response headers: a user pressing Ctrl-C while the reply streams in.
type cancelOnResponse struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	cancel context.CancelFunc
}

func (w *cancelOnResponse) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if bytes.Contains(p, []byte(`msg="bedrock response"`)) {
		w.cancel()
	}
	return w.buf.Write(p)
}

func TestConverseInterrupt(t *testing.T) {
	// The emulator sends the response headers, then waits an hour between
	// events: only the cancellation can end the command.
	srv := bedrocktest.NewServer(&bedrocktest.Options{NoPadding: true, StreamPacing: time.Hour})
	defer srv.Close()
	te := newTestEnv(t, srv)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	errw := &cancelOnResponse{cancel: cancel}
	var out bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: errw, getenv: func(k string) string { return te.vars[k] }}
	code := run(ctx, e, []string{"converse", "--debug", "-m", "amazon.nova-lite-v1:0", "hello there"})
	if code != exitInterrupt {
		t.Fatalf("exit %d, want 130; stderr %s", code, errw.buf.String())
	}
	if got := errw.buf.String(); !strings.HasSuffix(got, "bedrock converse: interrupted\n") {
		t.Errorf("stderr %q", got)
	}

	// Cancelled before anything was sent.
	ctx2, cancel2 := context.WithCancel(context.Background())
	cancel2()
	r := te.run(t, ctx2, "converse", "-m", "amazon.nova-lite-v1:0", "hi")
	if r.code != exitInterrupt {
		t.Errorf("cancelled context: exit %d, want 130; stderr %s", r.code, r.stderr)
	}
}

// BenchmarkConverseCommand runs the whole command in-process against the
// emulator on loopback: flag parsing, client setup from the environment,
// one ConverseStream call and the printing of its reply.
func BenchmarkConverseCommand(b *testing.B) {
	srv := bedrocktest.NewServer(&bedrocktest.Options{NoPadding: true})
	defer srv.Close()
	vars := map[string]string{
		"HOME":                             b.TempDir(),
		"AWS_EC2_METADATA_DISABLED":        "true",
		"AWS_ENDPOINT_URL_BEDROCK_RUNTIME": srv.URL,
		"AWS_BEARER_TOKEN_BEDROCK":         bedrocktest.DefaultAPIKey,
	}
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(k string) string { return vars[k] }}
	args := []string{"converse", "-m", "amazon.nova-lite-v1:0", "Name three moons of Jupiter, please."}
	b.ReportAllocs()
	for b.Loop() {
		out.Reset()
		errb.Reset()
		if code := run(context.Background(), e, args); code != exitOK {
			b.Fatalf("exit %d: %s", code, errb.String())
		}
	}
}

// BenchmarkAppendEventJSON is the cost of one --json output line.
func BenchmarkAppendEventJSON(b *testing.B) {
	ev := client.ContentBlockDeltaEvent{ContentBlockIndex: 0, Delta: client.TextDelta{Text: " Ganymede,"}}
	var line []byte
	b.ReportAllocs()
	for b.Loop() {
		var err error
		if line, err = cliAppendEventJSON(line[:0], ev); err != nil {
			b.Fatal(err)
		}
	}
}

func TestConverseGuardrailIntervenes(t *testing.T) {
	srv := bedrocktest.NewServer(&bedrocktest.Options{Clock: func() time.Time { return cliEpoch }, NoPadding: true, GuardrailDenyList: []string{"forbidden"}})
	defer srv.Close()
	r := runCLI(t, srv, "converse", "--guardrail", "gr-abc123:1", "-m", "amazon.nova-lite-v1:0", "say the forbidden word")
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if !strings.HasSuffix(r.stderr, "; stop: guardrail_intervened\n") {
		t.Errorf("stderr %q: want the guardrail stop reason", r.stderr)
	}
	golden(t, "converse-guardrail.stdout", r.stdout)
}

func TestNewClientBearerOnly(t *testing.T) {
	// Only an API key: no Region, no endpoint. No request is made.
	te := newTestEnv(t, nil)
	te.vars["AWS_BEARER_TOKEN_BEDROCK"] = "ABSKexample"
	e := &env{getenv: func(k string) string { return te.vars[k] }, stderr: &bytes.Buffer{}}
	c, err := (&globalFlags{}).newClient(context.Background(), e)
	if err != nil {
		t.Fatal(err)
	}
	if c.Region() != "us-east-1" || c.Endpoint() != "https://bedrock-runtime.us-east-1.amazonaws.com" {
		t.Errorf("region %q endpoint %q", c.Region(), c.Endpoint())
	}
	c, err = (&globalFlags{region: "eu-central-1"}).newClient(context.Background(), e)
	if err != nil {
		t.Fatal(err)
	}
	if c.Endpoint() != "https://bedrock-runtime.eu-central-1.amazonaws.com" {
		t.Errorf("--region eu-central-1: endpoint %q", c.Endpoint())
	}
	if s := fmt.Sprint(c); strings.Contains(s, "ABSKexample") {
		t.Errorf("the client prints its key: %s", s)
	}
}
