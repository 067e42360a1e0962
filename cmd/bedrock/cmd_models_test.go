package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/bedrockwire/bedrockwire/client"
	"github.com/bedrockwire/bedrockwire/client/bedrocktest"
	"github.com/bedrockwire/bedrockwire/modelspec"
)

var updateModels = flag.Bool("update-models", false, "rewrite testdata/models/*.golden from the current output of bedrock models")

// runModelsCmd runs "bedrock models args..." in-process.
func runModelsCmd(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{
		stdin:  strings.NewReader(""),
		stdout: &out,
		stderr: &errb,
		getenv: func(string) string { return "" },
	}
	code = run(context.Background(), e, append([]string{"models"}, args...))
	return code, out.String(), errb.String()
}

// modelsGolden compares got with testdata/models/<name>, or rewrites it
// under -update-models.
func modelsGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "models", name)
	if *updateModels {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/bedrock -run TestModels -update-models to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s (-want +got):\n%s", path, diff)
	}
}

func TestModelsTableGolden(t *testing.T) {
	tests := []struct {
		golden string
		args   []string
	}{
		{"table.golden", nil},
		{"anthropic-eu-west-1.golden", []string{"--provider", "anthropic", "--region", "eu-west-1"}},
		{"embedding.golden", []string{"--modality", "embedding"}},
		{"resolved.golden", []string{"us.anthropic.claude-3-5-sonnet-20241022-v2:0", "amazon.titan-text-express-v1:0:8k",
			"arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-2-sonic-v1:0"}},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			code, stdout, stderr := runModelsCmd(t, tt.args...)
			if code != exitOK || stderr != "" {
				t.Fatalf("exit %d, stderr %q", code, stderr)
			}
			modelsGolden(t, tt.golden, stdout)
		})
	}
}

func TestModelsAPIFilter(t *testing.T) {
	code, stdout, stderr := runModelsCmd(t, "--api", "bidi")
	want := "" +
		"ID                        PROVIDER  NAME          INPUT   OUTPUT       APIS  PROFILES  STATUS\n" +
		"amazon.nova-2-sonic-v1:0  Amazon    Nova 2 Sonic  speech  text,speech  bidi  -         active\n" +
		"amazon.nova-sonic-v1:0    Amazon    Nova Sonic    speech  text,speech  bidi  -         legacy\n"
	if code != exitOK || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	if diff := cmp.Diff(want, stdout); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	// The full API name, in any case, selects the same rows.
	_, stdout2, _ := runModelsCmd(t, "--api", "invokemodelwithbidirectionalstream")
	if stdout2 != stdout {
		t.Errorf("--api invokemodelwithbidirectionalstream printed\n%s", stdout2)
	}
}

func TestModelsJSONCatalog(t *testing.T) {
	code, stdout, stderr := runModelsCmd(t, "--json")
	if code != exitOK || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	modelsGolden(t, "catalog.json.golden", stdout)

	// The contract: every entry has these keys, with these JSON types.
	var entries []map[string]any
	if err := json.Unmarshal([]byte(stdout), &entries); err != nil {
		t.Fatal(err)
	}
	if len(entries) != len(modelspec.All()) {
		t.Fatalf("%d entries, catalog has %d", len(entries), len(modelspec.All()))
	}
	for _, e := range entries {
		for key, kind := range map[string]string{
			"id": "string", "provider": "string", "name": "string",
			"input_modalities": "array", "output_modalities": "array", "apis": "array",
			"inference_profiles": "array", "provisioned_ids": "array", "lifecycle": "object",
		} {
			var ok bool
			switch kind {
			case "string":
				_, ok = e[key].(string)
			case "array":
				_, ok = e[key].([]any)
			case "object":
				_, ok = e[key].(map[string]any)
			}
			if !ok {
				t.Errorf("%v: %q is %T, want a JSON %s", e["id"], key, e[key], kind)
			}
		}
	}
}

func TestModelsJSONResolvesInOrder(t *testing.T) {
	ids := []string{
		"global.amazon.nova-2-lite-v1:0",
		"amazon.titan-embed-text-v1:2:8k",
		"arn:aws:bedrock:us-west-2:123456789012:inference-profile/us.meta.llama3-3-70b-instruct-v1:0",
		"amazon.nova-2-lite-v1:0", // the same model twice: printed twice
		"anthropic.claude-v2:1",
	}
	code, stdout, stderr := runModelsCmd(t, append([]string{"--json"}, ids...)...)
	if code != exitOK || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	var got []modelspec.Model
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatal(err)
	}
	var want []modelspec.Model
	for _, id := range ids {
		m, err := modelspec.Lookup(id)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, *m)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestModelsUnresolvedIDs(t *testing.T) {
	// Flags may follow IDs; unresolved IDs are named on stderr and the
	// resolved ones still printed, in order.
	code, stdout, stderr := runModelsCmd(t, "amazon.nova-pro-v1:0", "us.anthropclaude-3-7-sonnet-20250219-v1:0",
		"amazon.nova-micro-v1:0", "arn:aws:bedrock:us-east-1:123456789012:provisioned-model/abcdef012345", "--json", "not an id")
	if code != exitFailure {
		t.Errorf("exit %d, want %d", code, exitFailure)
	}
	wantErr := `bedrock models: unknown model "us.anthropclaude-3-7-sonnet-20250219-v1:0"; did you mean "us.anthropic.claude-3-7-sonnet-20250219-v1:0"?
bedrock models: unknown model "arn:aws:bedrock:us-east-1:123456789012:provisioned-model/abcdef012345": provisioned-model ARNs are resolved only by the service
bedrock models: invalid model ID "not an id": character ' ' at offset 3 is not allowed
`
	if diff := cmp.Diff(wantErr, stderr); diff != "" {
		t.Errorf("stderr (-want +got):\n%s", diff)
	}
	var got []struct{ ID string }
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("stdout is not a JSON array: %v\n%s", err, stdout)
	}
	if diff := cmp.Diff([]struct{ ID string }{{"amazon.nova-pro-v1:0"}, {"amazon.nova-micro-v1:0"}}, got); diff != "" {
		t.Errorf("printed entries (-want +got):\n%s", diff)
	}

	// Nothing resolves: an empty array, still exit 1.
	code, stdout, _ = runModelsCmd(t, "--json", "nobody.model-v1")
	if code != exitFailure || stdout != "[]\n" {
		t.Errorf("exit %d, stdout %q; want 1 and []", code, stdout)
	}
	// The table prints nothing for an unresolved ID.
	code, stdout, stderr = runModelsCmd(t, "nobody.model-v1")
	if code != exitFailure || stdout != "" || stderr != "bedrock models: unknown model \"nobody.model-v1\"\n" {
		t.Errorf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}

func TestModelsUsageErrors(t *testing.T) {
	tests := []struct {
		args   []string
		code   int
		stderr string
	}{
		{[]string{"--diff"}, exitUsage, "bedrock models: --diff compares the service's list with the catalog: give --remote too\n"},
		{[]string{"--api", "chat"}, exitUsage, `bedrock models: --api "chat" is not one of InvokeModel, InvokeModelWithResponseStream, Converse, ConverseStream, InvokeModelWithBidirectionalStream, StartAsyncInvoke, CountTokens, Rerank (or invoke, converse, bidi, async, count-tokens, rerank)` + "\n"},
		{[]string{"--modality", "smell"}, exitUsage, `bedrock models: --modality: unknown modality "smell" (known: TEXT, IMAGE, VIDEO, AUDIO, SPEECH, EMBEDDING)` + "\n"},
		{[]string{"--region", "Mars"}, exitUsage, `bedrock models: --region "Mars" is not a Region name such as us-east-1` + "\n"},
		{[]string{"--provider", "amazon", "amazon.nova-pro-v1:0"}, exitUsage, "bedrock models: give model IDs or filters, not both\n"},
		{[]string{"--provider", "nobody"}, exitFailure, "bedrock models: no model passes the filters\n"},
		{[]string{"--colour"}, exitUsage, "flag provided but not defined: -colour\nusage: bedrock models [--provider P] [--api API] [--modality M] [--region R] [--json] [ID...]\nRun 'bedrock models --help' for details.\n"},
	}
	for _, tt := range tests {
		code, stdout, stderr := runModelsCmd(t, tt.args...)
		if code != tt.code || stdout != "" || stderr != tt.stderr {
			t.Errorf("models %v: exit %d, stdout %q, stderr:\n%s\nwant exit %d, stderr:\n%s", tt.args, code, stdout, stderr, tt.code, tt.stderr)
		}
	}
}

func TestModelsHelp(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"-h"}} {
		code, stdout, stderr := runModelsCmd(t, args...)
		if code != exitOK || stderr != "" || stdout != modelsHelp {
			t.Errorf("models %v: exit %d, stderr %q, stdout starts %q", args, code, stderr, stdout[:min(len(stdout), 40)])
		}
	}
	// Through "bedrock help models" too.
	var out bytes.Buffer
	e := &env{stdout: &out, stderr: &out, getenv: func(string) string { return "" }}
	if code := run(context.Background(), e, []string{"help", "models"}); code != exitOK || out.String() != modelsHelp {
		t.Errorf("bedrock help models: exit %d", code)
	}
	// Every example in the help runs.
	for _, line := range strings.Split(modelsHelp[strings.Index(modelsHelp, "EXAMPLES"):], "\n") {
		line = strings.TrimSpace(line)
		if !strings.HasPrefix(line, "bedrock models") {
			continue
		}
		args := strings.Fields(strings.TrimPrefix(line, "bedrock models"))
		if slices.Contains(args, "--remote") {
			// against the emulator; a --diff may find differences (exit 1)
			srv := newEmulator(t)
			r := modelsRemoteEnv(t, srv.URL).run(t, context.Background(), append([]string{"models"}, args...)...)
			if r.code != exitOK && !(r.code == exitFailure && slices.Contains(args, "--diff") && r.stderr == "") {
				t.Errorf("help example %q: exit %d, %s", line, r.code, r.stderr)
			}
			continue
		}
		if code, _, stderr := runModelsCmd(t, args...); code != exitOK {
			t.Errorf("help example %q: exit %d, %s", line, code, stderr)
		}
	}
}

// modelsRemoteEnv points the control plane at url.
func modelsRemoteEnv(t *testing.T, url string) *cliTestEnv {
	te := newTestEnv(t, nil)
	te.vars["AWS_ENDPOINT_URL_BEDROCK"] = url
	te.vars["AWS_BEARER_TOKEN_BEDROCK"] = bedrocktest.DefaultAPIKey
	return te
}

func TestModelsRemoteEmulator(t *testing.T) {
	srv := newEmulator(t)
	te := modelsRemoteEnv(t, srv.URL)
	ctx := context.Background()
	r := te.run(t, ctx, "models", "--remote", "--region", "us-east-1", "--provider", "Amazon", "--modality", "image")
	r.wantOK(t, "")
	golden(t, "models_remote_amazon_image.golden", r.stdout)
	if q := lastQuery(t, srv); q != "byOutputModality=IMAGE&byProvider=Amazon" {
		t.Errorf("query %q", q)
	}

	r = te.run(t, ctx, "models", "--remote", "--json", "amazon.nova-pro-v1:0", "anthropic.claude-3-5-haiku-20241022-v1:0")
	r.wantOK(t, "")
	var got []client.FoundationModel
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil || len(got) != 2 || got[0].ModelID != "amazon.nova-pro-v1:0" || got[1].ProviderName != "Anthropic" {
		t.Errorf("--remote --json IDs: %s (%v)", r.stdout, err)
	}

	// The emulator serves the catalog: nothing differs.
	r = te.run(t, ctx, "models", "--remote", "--diff", "--region", "us-east-1")
	if r.code != exitOK {
		t.Errorf("diff against the emulator: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if !strings.HasSuffix(r.stdout, "no differences from the built-in catalog\n") {
		t.Errorf("diff output:\n%s", r.stdout)
	}

	r = te.run(t, ctx, "models", "--remote", "no.such-model-v1:0")
	if r.code != exitFailure || !strings.Contains(r.stderr, "bedrock models: ") {
		t.Errorf("unknown ID: %d %q", r.code, r.stderr)
	}
}

// TestModelsRemoteDiffSeed: against the list the boto3 notebook recorded
// (us-east-1, May 2025) the catalog shows what changed since.
func TestModelsRemoteDiffSeed(t *testing.T) {
	seed, err := os.ReadFile(filepath.Join("..", "..", "client", "testdata", "controlplane", "list_foundation_models.response.json"))
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	// Two pages of profiles: one the catalog knows, one it does not.
	profiles := map[string]string{
		"": `{"inferenceProfileSummaries":[{"inferenceProfileName":"US Claude 3.5 Haiku","inferenceProfileArn":"arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-5-haiku-20241022-v1:0",` +
			`"models":[{"modelArn":"arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-5-haiku-20241022-v1:0"},{"modelArn":"arn:aws:bedrock:us-west-2::foundation-model/anthropic.claude-3-5-haiku-20241022-v1:0"}],` +
			`"inferenceProfileId":"us.anthropic.claude-3-5-haiku-20241022-v1:0","status":"ACTIVE","type":"SYSTEM_DEFINED"}],"nextToken":"p2"}`,
		"p2": `{"inferenceProfileSummaries":[{"inferenceProfileName":"US Future","inferenceProfileArn":"arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.example.future-model-v9:0",` +
			`"models":[{"modelArn":"arn:aws:bedrock:us-east-2::foundation-model/example.future-model-v9:0"}],"inferenceProfileId":"us.example.future-model-v9:0","status":"ACTIVE","type":"SYSTEM_DEFINED"}]}`,
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		paths = append(paths, r.Method+" "+r.Host+" "+r.URL.RequestURI())
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/inference-profiles" {
			w.Write([]byte(profiles[r.URL.Query().Get("nextToken")]))
			return
		}
		w.Write(seed)
	}))
	t.Cleanup(srv.Close)
	te := modelsRemoteEnv(t, srv.URL)
	te.vars["AWS_REGION"] = "us-east-1"
	r := te.run(t, context.Background(), "models", "--remote", "--diff")
	if r.code != exitFailure {
		t.Errorf("exit %d, want 1 (differences)\n%s", r.code, r.stderr)
	}
	golden(t, "models_remote_diff_seed.golden", r.stdout)
	r = te.run(t, context.Background(), "models", "--remote", "--diff", "--json")
	var d struct {
		Region      string            `json:"region"`
		Service     int               `json:"service_models"`
		OnlyService []json.RawMessage `json:"only_in_service"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &d); err != nil || d.Region != "us-east-1" || d.Service != 92 {
		t.Errorf("--json: %+v (%v)", d, err)
	}
	r = te.run(t, context.Background(), "models", "--remote")
	if r.code != exitOK || !strings.Contains(r.stdout, "amazon.titan-tg1-large") {
		t.Errorf("--remote table: %d", r.code)
	}
	r = te.run(t, context.Background(), "models", "--remote", "--profiles")
	r.wantOK(t, "")
	golden(t, "models_remote_profiles.golden", r.stdout)
	if paths[0] != "GET "+strings.TrimPrefix(srv.URL, "http://")+" /foundation-models" {
		t.Errorf("request %q", paths[0])
	}
}

func TestModelsRemoteUsage(t *testing.T) {
	te := newTestEnv(t, nil)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"models", "--remote", "--api", "bidi"}, "--api filters the catalog"},
		{[]string{"models", "--remote", "--diff", "--provider", "Amazon"}, "give no IDs, --provider or --modality"},
		{[]string{"models", "--remote", "--modality", "VIDEO"}, "TEXT, IMAGE or EMBEDDING"},
		{[]string{"models", "--debug"}, "apply to --remote only"},
		{[]string{"models", "--profiles"}, "give --remote"},
		{[]string{"models", "--remote", "--profiles", "--diff"}, "give --remote and no IDs"},
	} {
		r := te.run(t, context.Background(), tc.args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("%v: %d %q, want 2 and %q", tc.args, r.code, r.stderr, tc.want)
		}
	}
}
