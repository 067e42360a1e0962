package modelspec

import (
	"errors"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestResolveForms(t *testing.T) {
	tests := []struct {
		in   string
		form Form
		base string
		sub  string // the profile or provisioned ID matched
	}{
		{"anthropic.claude-3-5-sonnet-20241022-v2:0", FormBase, "anthropic.claude-3-5-sonnet-20241022-v2:0", ""},
		{"us.anthropic.claude-3-5-sonnet-20241022-v2:0", FormProfile, "anthropic.claude-3-5-sonnet-20241022-v2:0", "us.anthropic.claude-3-5-sonnet-20241022-v2:0"},
		{"apac.anthropic.claude-sonnet-4-20250514-v1:0", FormProfile, "anthropic.claude-sonnet-4-20250514-v1:0", "apac.anthropic.claude-sonnet-4-20250514-v1:0"},
		{"global.amazon.nova-2-lite-v1:0", FormProfile, "amazon.nova-2-lite-v1:0", "global.amazon.nova-2-lite-v1:0"},
		{"eu.amazon.nova-micro-v1:0", FormProfile, "amazon.nova-micro-v1:0", "eu.amazon.nova-micro-v1:0"},
		{"amazon.titan-text-express-v1:0:8k", FormProvisioned, "amazon.titan-text-express-v1", "amazon.titan-text-express-v1:0:8k"},
		{"amazon.titan-text-premier-v1:0:32K", FormProvisioned, "amazon.titan-text-premier-v1:0", "amazon.titan-text-premier-v1:0:32k"},
		{"anthropic.claude-v2:0:100k", FormProvisioned, "anthropic.claude-v2", "anthropic.claude-v2:0:100k"},
		{"anthropic.claude-v2:1:200k", FormProvisioned, "anthropic.claude-v2:1", "anthropic.claude-v2:1:200k"},
		{"amazon.titan-image-generator-v1:0", FormProvisioned, "amazon.titan-image-generator-v1", "amazon.titan-image-generator-v1:0"},
		{"amazon.nova-premier-v1:0:mm", FormProvisioned, "amazon.nova-premier-v1:0", "amazon.nova-premier-v1:0:mm"},
		{"cohere.embed-english-v3:0:512", FormProvisioned, "cohere.embed-english-v3", "cohere.embed-english-v3:0:512"},
		{"arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-pro-v1:0", FormBase, "amazon.nova-pro-v1:0", ""},
		{"arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-pro-v1:0:300k", FormProvisioned, "amazon.nova-pro-v1:0", "amazon.nova-pro-v1:0:300k"},
		{"arn:aws:bedrock:us-west-2:123456789012:inference-profile/us.meta.llama3-3-70b-instruct-v1:0", FormProfile, "meta.llama3-3-70b-instruct-v1:0", "us.meta.llama3-3-70b-instruct-v1:0"},
		{"arn:aws:bedrock:us-east-1:123456789012:custom-model/amazon.nova-micro-v1:0:128k/abcdef012345", FormCustom, "amazon.nova-micro-v1:0", ""},
	}
	for _, tt := range tests {
		r, err := Resolve(tt.in)
		if err != nil {
			t.Errorf("Resolve(%s): %v", tt.in, err)
			continue
		}
		var sub string
		switch {
		case r.Profile != nil:
			sub = r.Profile.ID
		case r.Provisioned != nil:
			sub = r.Provisioned.ID
		}
		got := []string{string(r.Form), r.Model.ID, sub}
		want := []string{string(tt.form), tt.base, tt.sub}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Resolve(%s) [form base sub] (-want +got):\n%s", tt.in, diff)
		}
		m, err := Lookup(tt.in)
		if err != nil || m.ID != tt.base {
			t.Errorf("Lookup(%s) = %v, %v; want %s", tt.in, m, err, tt.base)
		}
	}
}

func TestLookupErrors(t *testing.T) {
	tests := []struct {
		in      string
		invalid bool
		msg     string
	}{
		{"", true, `modelspec: invalid model ID "": empty`},
		{"amazon.nova-pro-v1:0 ", true, `modelspec: invalid model ID "amazon.nova-pro-v1:0 ": character ' ' at offset 20 is not allowed`},
		{"us.anthropclaude-3-7-sonnet-20250219-v1:0", false,
			`modelspec: unknown model "us.anthropclaude-3-7-sonnet-20250219-v1:0"; did you mean "us.anthropic.claude-3-7-sonnet-20250219-v1:0"?`},
		{"amazon.nova-pro-v2:0", false, `modelspec: unknown model "amazon.nova-pro-v2:0"; did you mean "amazon.nova-pro-v1:0"?`},
		{"eu.anthropic.claude-3-opus-20240229-v1:0", false,
			`modelspec: unknown model "eu.anthropic.claude-3-opus-20240229-v1:0": anthropic.claude-3-opus-20240229-v1:0 has no eu. inference profile; did you mean "us.anthropic.claude-3-opus-20240229-v1:0"?`},
		{"us.amazon.nova-2-sonic-v1:0", false,
			`modelspec: unknown model "us.amazon.nova-2-sonic-v1:0": amazon.nova-2-sonic-v1:0 has no inference profiles`},
		{"amazon.nova-pro-v1:0:301k", false,
			`modelspec: unknown model "amazon.nova-pro-v1:0:301k": amazon.nova-pro-v1:0 has no Provisioned Throughput ID with context "301k"; did you mean "amazon.nova-pro-v1:0:24k" or "amazon.nova-pro-v1:0:300k"?`},
		{"arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.amazon.titan-text-express-v1", false,
			`modelspec: unknown model "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.amazon.titan-text-express-v1": amazon.titan-text-express-v1 has no inference profiles`},
		{"arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3d4e5f6", false,
			`modelspec: unknown model "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3d4e5f6": application-inference-profile ARNs are resolved only by the service`},
		{"arn:aws:bedrock:us-west-2:123456789012:provisioned-model/abcdef012345", false,
			`modelspec: unknown model "arn:aws:bedrock:us-west-2:123456789012:provisioned-model/abcdef012345": provisioned-model ARNs are resolved only by the service`},
		{"arn:aws:bedrock:us-east-1:123456789012:custom-model/abcdef012345", false,
			`modelspec: unknown model "arn:aws:bedrock:us-east-1:123456789012:custom-model/abcdef012345": a custom model ARN without its base model; only the service knows its base model`},
		{"my-provisioned-model", false,
			`modelspec: unknown model "my-provisioned-model": a bare name (of a provisioned or custom model?) that only the service can resolve`},
		{"unknown.model-v9:0", false, `modelspec: unknown model "unknown.model-v9:0"`},
	}
	for _, tt := range tests {
		m, err := Lookup(tt.in)
		if err == nil {
			t.Errorf("Lookup(%q) = %s, want an error", tt.in, m.ID)
			continue
		}
		if errors.Is(err, ErrInvalidID) != tt.invalid || errors.Is(err, ErrUnknownModel) == tt.invalid {
			t.Errorf("Lookup(%q): %v; ErrInvalidID %v, ErrUnknownModel %v", tt.in, err, errors.Is(err, ErrInvalidID), errors.Is(err, ErrUnknownModel))
		}
		if err.Error() != tt.msg {
			t.Errorf("Lookup(%q) error:\n got %s\nwant %s", tt.in, err, tt.msg)
		}
	}
}

func TestSelect(t *testing.T) {
	ids := func(ms []Model) []string {
		out := make([]string, len(ms))
		for i, m := range ms {
			out[i] = m.ID
		}
		return out
	}
	tests := []struct {
		name string
		f    Filter
		want []string
	}{
		{"bidirectional", Filter{API: InvokeModelWithBidirectionalStream}, []string{"amazon.nova-2-sonic-v1:0", "amazon.nova-sonic-v1:0"}},
		{"async", Filter{API: StartAsyncInvoke}, []string{"amazon.nova-2-multimodal-embeddings-v1:0", "amazon.nova-reel-v1:0", "amazon.nova-reel-v1:1"}},
		{"rerank", Filter{API: Rerank}, []string{"amazon.rerank-v1:0", "cohere.rerank-v3-5:0"}},
		{"video out", Filter{Output: Video}, []string{"amazon.nova-reel-v1:0", "amazon.nova-reel-v1:1"}},
		{"audio either side", Filter{Modality: Audio}, []string{"amazon.nova-2-multimodal-embeddings-v1:0"}},
		{"provider by segment", Filter{Provider: "OPENAI"}, []string{"openai.gpt-oss-120b-1:0", "openai.gpt-oss-20b-1:0"}},
		{"provider by name", Filter{Provider: "stability ai"}, []string{"stability.stable-diffusion-xl-v1", "stability.stable-diffusion-xl-v0"}},
		{"images from eu-west-1", Filter{Output: Image, Region: "eu-west-1"}, []string{"amazon.nova-canvas-v1:0"}},
		{"Mistral with images in", Filter{Provider: "mistral", Input: Image}, []string{"mistral.pixtral-large-2502-v1:0"}},
		{"legacy Amazon", Filter{Provider: "amazon", Status: "legacy"}, []string{
			"amazon.nova-premier-v1:0", "amazon.nova-sonic-v1:0", "amazon.nova-canvas-v1:0", "amazon.nova-reel-v1:0", "amazon.titan-image-generator-v2:0"}},
		{"nothing", Filter{Provider: "nobody"}, []string{}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, ids(Select(tt.f))); diff != "" {
			t.Errorf("%s: Select(%+v) (-want +got):\n%s", tt.name, tt.f, diff)
		}
	}
	if got, want := ids(ByProvider("deepseek")), []string{"deepseek.r1-v1:0"}; !slices.Equal(got, want) {
		t.Errorf("ByProvider = %v, want %v", got, want)
	}
	if got := WithAPI(CountTokens); len(got) == 0 || !got[0].Supports(CountTokens) {
		t.Errorf("WithAPI(CountTokens) = %v", ids(got))
	}
	if got := WithModality(Speech); len(got) != 2 {
		t.Errorf("WithModality(Speech) = %v", ids(got))
	}
	for _, m := range InRegion("ap-south-1") {
		if !m.UsableFrom("ap-south-1") {
			t.Errorf("InRegion(ap-south-1) returned %s", m.ID)
		}
	}
	if len(InRegion("ap-south-1")) == 0 {
		t.Error("nothing usable from ap-south-1; global.amazon.nova-2-lite-v1:0 serves it")
	}
}

func TestProvidersAndKnownIDs(t *testing.T) {
	want := []string{"AI21 Labs", "Amazon", "Anthropic", "Cohere", "DeepSeek", "Meta", "Mistral AI", "OpenAI", "Stability AI"}
	if diff := cmp.Diff(want, Providers()); diff != "" {
		t.Errorf("Providers (-want +got):\n%s", diff)
	}
	ids := KnownIDs()
	if !slices.IsSorted(ids) {
		t.Error("KnownIDs not sorted")
	}
	for _, id := range ids {
		if _, err := Lookup(id); err != nil {
			t.Errorf("KnownIDs lists %s, which does not resolve: %v", id, err)
		}
	}
}

func TestEditDistance(t *testing.T) {
	tests := []struct {
		a, b  string
		limit int
		want  int
	}{
		{"", "", 3, 0},
		{"abc", "abc", 3, 0},
		{"abc", "abd", 3, 1},
		{"anthropclaude", "anthropic.claude", 5, 3},
		{"kitten", "sitting", 5, 3},
		{"a", "abcdefgh", 3, 4},    // length difference alone exceeds the limit
		{"abcdef", "uvwxyz", 2, 3}, // gives up once a row exceeds the limit
	}
	for _, tt := range tests {
		if got := editDistance(tt.a, tt.b, tt.limit); got != tt.want {
			t.Errorf("editDistance(%q, %q, %d) = %d, want %d", tt.a, tt.b, tt.limit, got, tt.want)
		}
	}
}

func BenchmarkLookup(b *testing.B) {
	for _, id := range []string{
		"anthropic.claude-3-5-sonnet-20241022-v2:0",
		"arn:aws:bedrock:us-west-2:123456789012:inference-profile/us.meta.llama3-3-70b-instruct-v1:0",
	} {
		b.Run(id[:10], func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Lookup(id); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse("us.anthropic.claude-3-5-sonnet-20241022-v2:0"); err != nil {
			b.Fatal(err)
		}
	}
}

// TestResolveAliasesAndFragments uses a small catalog of its own to reach
// what the embedded one does not have (aliases).
func TestResolveAliasesAndFragments(t *testing.T) {
	c, err := parseCatalog([]byte(`{"models":[
		{"id":"acme.rocket-v2:0","provider":"Acme","name":"Rocket","aliases":["acme.rocket-v2"],
		 "inference_profiles":[{"id":"us.acme.rocket-v2:0","geo":"us","source_regions":["us-east-1"]}],
		 "provisioned_ids":[{"id":"acme.rocket-v2:0:8k","context":"8k"}]},
		{"id":"acme.rocket-lite-v1:0","provider":"Acme","name":"Rocket Lite"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	for in, want := range map[string]Form{
		"acme.rocket-v2:0": FormBase, "acme.rocket-v2": FormAlias, "us.acme.rocket-v2:0": FormProfile, "acme.rocket-v2:0:8K": FormProvisioned,
	} {
		r, err := c.resolve(in, true)
		if err != nil || r.Form != want || r.Model.ID != "acme.rocket-v2:0" {
			t.Errorf("resolve(%s) = %+v, %v; want %s of acme.rocket-v2:0", in, r, err, want)
		}
	}
	_, err = c.resolve("rocket", true)
	want := `modelspec: unknown model "rocket": a bare name (of a provisioned or custom model?) that only the service can resolve; did you mean "acme.rocket-v2:0" or "acme.rocket-lite-v1:0"?`
	if err == nil || err.Error() != want {
		t.Errorf("resolve(rocket) = %v, want %s", err, want)
	}
	// The embedded catalog suggests base IDs for a fragment too.
	_, err = Lookup("nova-micro")
	want = `modelspec: unknown model "nova-micro": a bare name (of a provisioned or custom model?) that only the service can resolve; did you mean "amazon.nova-micro-v1:0"?`
	if err == nil || err.Error() != want {
		t.Errorf("Lookup(nova-micro) = %v, want %s", err, want)
	}
}

func TestIDFor(t *testing.T) {
	tests := []struct{ model, region, want string }{
		{"amazon.nova-pro-v1:0", "us-east-1", "amazon.nova-pro-v1:0"},
		{"amazon.nova-pro-v1:0", "eu-west-1", "eu.amazon.nova-pro-v1:0"},
		{"amazon.nova-2-lite-v1:0", "us-west-2", "us.amazon.nova-2-lite-v1:0"},
		{"amazon.nova-2-lite-v1:0", "ap-south-1", "global.amazon.nova-2-lite-v1:0"},
		{"anthropic.claude-3-5-sonnet-20241022-v2:0", "us-west-2", "anthropic.claude-3-5-sonnet-20241022-v2:0"},
		{"anthropic.claude-3-5-sonnet-20241022-v2:0", "us-east-1", "us.anthropic.claude-3-5-sonnet-20241022-v2:0"},
		{"amazon.nova-canvas-v1:0", "us-west-2", ""},
	}
	for _, tt := range tests {
		m, err := Lookup(tt.model)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := m.IDFor(tt.region)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("%s.IDFor(%s) = %q, %v; want %q", tt.model, tt.region, got, ok, tt.want)
		}
	}
}
