package modelspec

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/ from the current output")

// checkGolden compares got, a compact JSON body, byte for byte with the
// golden file testdata/<name> (stored indented for reading; compacted before
// comparing, so key order and every value must match exactly).
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		var pretty bytes.Buffer
		if err := json.Indent(&pretty, got, "", "  "); err != nil {
			t.Fatalf("output is not JSON: %v\n%s", err, got)
		}
		pretty.WriteByte('\n')
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, pretty.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading golden file: %v (run with -update to create it)", err)
	}
	var want bytes.Buffer
	if err := json.Compact(&want, raw); err != nil {
		t.Fatalf("golden %s is not JSON: %v", path, err)
	}
	if diff := cmp.Diff(want.String(), string(got)); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", name, diff)
	}
}

// readTestdata returns testdata/<name>.
func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// readLines returns the non-empty lines of testdata/<name> (a JSON Lines
// file of recorded stream chunks or events).
func readLines(t testing.TB, name string) [][]byte {
	t.Helper()
	var out [][]byte
	for _, l := range bytes.Split(readTestdata(t, name), []byte("\n")) {
		if len(bytes.TrimSpace(l)) > 0 {
			out = append(out, l)
		}
	}
	return out
}

// addSeeds adds every line of the given JSON Lines files and every whole
// file to a fuzz corpus.
func addSeeds(f *testing.F, names ...string) {
	for _, n := range names {
		f.Add(readTestdata(f, n))
		for _, l := range readLines(f, n) {
			f.Add(l)
		}
	}
}

func TestProviderOf(t *testing.T) {
	tests := []struct{ id, provider, base string }{
		{"anthropic.claude-3-5-sonnet-20241022-v2:0", "anthropic", "claude-3-5-sonnet-20241022-v2:0"},
		{"us.anthropic.claude-3-5-sonnet-20241022-v2:0", "anthropic", "claude-3-5-sonnet-20241022-v2:0"},
		{"global.anthropic.claude-sonnet-4-5-20250929-v1:0", "anthropic", "claude-sonnet-4-5-20250929-v1:0"},
		{"apac.amazon.nova-lite-v1:0", "amazon", "nova-lite-v1:0"},
		{"arn:aws:bedrock:us-east-1::foundation-model/meta.llama3-8b-instruct-v1:0", "meta", "llama3-8b-instruct-v1:0"},
		{"arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.deepseek.r1-v1:0", "deepseek", "r1-v1:0"},
		{"arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123", "", ""},
		{"arn:aws:bedrock:us-east-1:123456789012:provisioned-model/abc123", "", ""},
		{"amazon.titan-text-express-v1:0:8k", "amazon", "titan-text-express-v1:0:8k"},
		{"nonsense", "", ""},
		{"", "", ""},
		{"x.y.amazon.nova-lite-v1:0", "", ""},
	}
	for _, tt := range tests {
		if got := providerOf(tt.id); got != tt.provider {
			t.Errorf("providerOf(%q) = %q, want %q", tt.id, got, tt.provider)
		}
		if got := baseNameOf(tt.id); got != tt.base {
			t.Errorf("baseNameOf(%q) = %q, want %q", tt.id, got, tt.base)
		}
	}
}

func TestParseObjectRejects(t *testing.T) {
	for _, in := range []string{"", "  ", "[]", "null", "42", `"s"`, "{", `{"a":1} {"b":2}`, `{"a":1}x`} {
		var v map[string]any
		if err := parseObject("test", []byte(in), &v); err == nil {
			t.Errorf("parseObject(%q) = nil error, want one", in)
		}
	}
}

// writeTestdata writes testdata/<name>, creating directories (used by -update).
func writeTestdata(t *testing.T, name string, data []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestParseRequest(t *testing.T) {
	var r AnthropicRequest
	if err := ParseRequest(readTestdata(t, "anthropic/request_basic.json"), &r); err != nil {
		t.Fatal(err)
	}
	b, err := r.Body()
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "anthropic/request_basic.json", b)

	tests := []struct{ in, wantErr string }{
		{`{"inputText":"x","bogus":1}`, "extraneous key [bogus] is not permitted"},
		{``, "not a JSON object"},
		{`[1]`, "not a JSON object"},
		{`{"inputText":5}`, "cannot unmarshal"},
		{`{"inputText":"x"} {}`, "trailing data"},
	}
	for _, tt := range tests {
		var v TitanTextRequest
		err := ParseRequest([]byte(tt.in), &v)
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("ParseRequest(%q) = %v, want error containing %q", tt.in, err, tt.wantErr)
		}
	}
}

// FuzzParseRequest checks that every request type either rejects a body or
// round-trips it: parse → Body → parse → Body gives the same bytes.
func FuzzParseRequest(f *testing.F) {
	for _, dir := range []string{"anthropic", "nova", "titan", "nova_canvas", "llama", "mistral", "cohere", "deepseek", "openai", "stability"} {
		entries, _ := os.ReadDir(filepath.Join("testdata", dir))
		for _, e := range entries {
			if strings.HasSuffix(e.Name(), "request.json") || strings.Contains(e.Name(), "request_") {
				f.Add(readTestdata(f, filepath.Join(dir, e.Name())))
			}
		}
	}
	makers := []func() any{
		func() any { return new(TitanTextRequest) }, func() any { return new(TitanEmbedRequest) },
		func() any { return new(TitanMultimodalEmbedRequest) }, func() any { return new(NovaRequest) },
		func() any { return new(NovaReelRequest) }, func() any { return new(NovaEmbedRequest) },
		func() any { return new(AnthropicRequest) }, func() any { return new(LlamaRequest) },
		func() any { return new(MistralRequest) }, func() any { return new(MistralChatRequest) },
		func() any { return new(CohereGenerateRequest) }, func() any { return new(CohereChatRequest) },
		func() any { return new(CohereEmbedRequest) }, func() any { return new(RerankRequest) },
		func() any { return new(DeepSeekRequest) }, func() any { return new(OpenAIChatRequest) },
		func() any { return new(StabilityRequest) },
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, mk := range makers {
			v := mk()
			if ParseRequest(data, v) != nil {
				continue
			}
			b1, err := reflectBody(v)
			if err != nil {
				continue
			}
			w := mk()
			if err := ParseRequest(b1, w); err != nil {
				t.Fatalf("%T: re-parse of %s: %v", v, b1, err)
			}
			b2, err := reflectBody(w)
			if err != nil || !bytes.Equal(b1, b2) {
				t.Fatalf("%T: not stable: %s / %s (%v)", v, b1, b2, err)
			}
		}
		var img ImageRequest
		if ParseRequest(data, &img) == nil {
			if b1, err := img.CanvasBody(); err == nil {
				var again ImageRequest
				if err := ParseRequest(b1, &again); err != nil {
					t.Fatalf("image re-parse: %v", err)
				}
				if b2, err := again.CanvasBody(); err != nil || !bytes.Equal(b1, b2) {
					t.Fatalf("image not stable: %s / %s", b1, b2)
				}
			}
			_, _ = img.TitanImageBody()
		}
	})
}

// reflectBody calls the Body method of a pointer to a request value.
func reflectBody(v any) ([]byte, error) {
	switch r := v.(type) {
	case *TitanTextRequest:
		return r.Body()
	case *TitanEmbedRequest:
		return r.Body()
	case *TitanMultimodalEmbedRequest:
		return r.Body()
	case *NovaRequest:
		return r.Body()
	case *NovaReelRequest:
		return r.Body()
	case *NovaEmbedRequest:
		return r.Body()
	case *AnthropicRequest:
		return r.Body()
	case *LlamaRequest:
		return r.Body()
	case *MistralRequest:
		return r.Body()
	case *MistralChatRequest:
		return r.Body()
	case *CohereGenerateRequest:
		return r.Body()
	case *CohereChatRequest:
		return r.Body()
	case *CohereEmbedRequest:
		return r.Body()
	case *RerankRequest:
		return r.Body()
	case *DeepSeekRequest:
		return r.Body()
	case *OpenAIChatRequest:
		return r.Body()
	case *StabilityRequest:
		return r.Body()
	}
	return nil, errors.New("no Body method")
}
