package modelspec

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want ID
		bare string
	}{
		{
			in:   "anthropic.claude-3-5-sonnet-20241022-v2:0",
			want: ID{Kind: KindFoundationModel, Provider: "anthropic", Name: "claude-3-5-sonnet-20241022-v2", Version: "0"},
			bare: "anthropic.claude-3-5-sonnet-20241022-v2:0",
		},
		{
			in:   "us.anthropic.claude-3-5-sonnet-20241022-v2:0",
			want: ID{Kind: KindInferenceProfile, Geo: "us", Provider: "anthropic", Name: "claude-3-5-sonnet-20241022-v2", Version: "0"},
			bare: "us.anthropic.claude-3-5-sonnet-20241022-v2:0",
		},
		{
			in:   "global.amazon.nova-2-lite-v1:0",
			want: ID{Kind: KindInferenceProfile, Geo: "global", Provider: "amazon", Name: "nova-2-lite-v1", Version: "0"},
			bare: "global.amazon.nova-2-lite-v1:0",
		},
		{
			in:   "apac.anthropic.claude-sonnet-4-20250514-v1:0",
			want: ID{Kind: KindInferenceProfile, Geo: "apac", Provider: "anthropic", Name: "claude-sonnet-4-20250514-v1", Version: "0"},
			bare: "apac.anthropic.claude-sonnet-4-20250514-v1:0",
		},
		{
			in:   "us-gov.anthropic.claude-3-haiku-20240307-v1:0",
			want: ID{Kind: KindInferenceProfile, Geo: "us-gov", Provider: "anthropic", Name: "claude-3-haiku-20240307-v1", Version: "0"},
			bare: "us-gov.anthropic.claude-3-haiku-20240307-v1:0",
		},
		{
			in:   "amazon.titan-text-express-v1",
			want: ID{Kind: KindFoundationModel, Provider: "amazon", Name: "titan-text-express-v1"},
			bare: "amazon.titan-text-express-v1",
		},
		{
			in:   "amazon.titan-embed-text-v1:2:8k",
			want: ID{Kind: KindFoundationModel, Provider: "amazon", Name: "titan-embed-text-v1", Version: "2", Context: "8k"},
			bare: "amazon.titan-embed-text-v1:2:8k",
		},
		{
			// The AWS model-ID table spells this one with a capital K.
			in:   "amazon.titan-text-premier-v1:0:32K",
			want: ID{Kind: KindFoundationModel, Provider: "amazon", Name: "titan-text-premier-v1", Version: "0", Context: "32k"},
			bare: "amazon.titan-text-premier-v1:0:32k",
		},
		{
			in:   "amazon.nova-premier-v1:0:mm",
			want: ID{Kind: KindFoundationModel, Provider: "amazon", Name: "nova-premier-v1", Version: "0", Context: "mm"},
			bare: "amazon.nova-premier-v1:0:mm",
		},
		{
			in:   "openai.gpt-oss-120b-1:0",
			want: ID{Kind: KindFoundationModel, Provider: "openai", Name: "gpt-oss-120b-1", Version: "0"},
			bare: "openai.gpt-oss-120b-1:0",
		},
		{
			in:   "my-provisioned-model_2",
			want: ID{Kind: KindName, Name: "my-provisioned-model_2"},
		},
		{
			in: "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-image-generator-v2:0",
			want: ID{Kind: KindFoundationModel, Partition: "aws", Region: "us-east-1",
				Provider: "amazon", Name: "titan-image-generator-v2", Version: "0"},
			bare: "amazon.titan-image-generator-v2:0",
		},
		{
			in: "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-premier-v1:0:8k",
			want: ID{Kind: KindFoundationModel, Partition: "aws", Region: "us-east-1",
				Provider: "amazon", Name: "nova-premier-v1", Version: "0", Context: "8k"},
			bare: "amazon.nova-premier-v1:0:8k",
		},
		{
			in: "arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.amazon.nova-lite-v1:0",
			want: ID{Kind: KindInferenceProfile, Partition: "aws", Region: "eu-west-1", Account: "123456789012",
				Geo: "eu", Provider: "amazon", Name: "nova-lite-v1", Version: "0"},
			bare: "eu.amazon.nova-lite-v1:0",
		},
		{
			in: "arn:aws-us-gov:bedrock:us-gov-west-1:123456789012:inference-profile/us-gov.anthropic.claude-3-haiku-20240307-v1:0",
			want: ID{Kind: KindInferenceProfile, Partition: "aws-us-gov", Region: "us-gov-west-1", Account: "123456789012",
				Geo: "us-gov", Provider: "anthropic", Name: "claude-3-haiku-20240307-v1", Version: "0"},
			bare: "us-gov.anthropic.claude-3-haiku-20240307-v1:0",
		},
		{
			in: "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3d4e5f6",
			want: ID{Kind: KindApplicationInferenceProfile, Partition: "aws", Region: "us-east-1", Account: "123456789012",
				Resource: "a1b2c3d4e5f6"},
		},
		{
			in: "arn:aws:bedrock:us-west-2:123456789012:provisioned-model/abcdef012345",
			want: ID{Kind: KindProvisionedModel, Partition: "aws", Region: "us-west-2", Account: "123456789012",
				Resource: "abcdef012345"},
		},
		{
			in: "arn:aws:bedrock:us-east-1:123456789012:custom-model/amazon.titan-text-express-v1:0:8k/abcdef012345",
			want: ID{Kind: KindCustomModel, Partition: "aws", Region: "us-east-1", Account: "123456789012",
				Provider: "amazon", Name: "titan-text-express-v1", Version: "0", Context: "8k", Resource: "abcdef012345"},
			bare: "amazon.titan-text-express-v1:0:8k",
		},
		{
			in: "arn:aws:bedrock:us-east-1:123456789012:custom-model/abcdef012345",
			want: ID{Kind: KindCustomModel, Partition: "aws", Region: "us-east-1", Account: "123456789012",
				Resource: "abcdef012345"},
		},
		{
			in: "arn:aws:bedrock:us-east-1:123456789012:custom-model-deployment/abcdef012345",
			want: ID{Kind: KindCustomModelDeployment, Partition: "aws", Region: "us-east-1", Account: "123456789012",
				Resource: "abcdef012345"},
		},
		{
			in: "arn:aws:bedrock:us-east-1:123456789012:imported-model/abcdef012345",
			want: ID{Kind: KindImportedModel, Partition: "aws", Region: "us-east-1", Account: "123456789012",
				Resource: "abcdef012345"},
		},
		{
			in: "arn:aws:bedrock:us-east-1:123456789012:default-prompt-router/anthropic.claude:1",
			want: ID{Kind: KindPromptRouter, Partition: "aws", Region: "us-east-1", Account: "123456789012",
				Resource: "anthropic.claude:1"},
		},
		{
			in: "arn:aws:bedrock:us-east-1:123456789012:prompt/PROMPT1234:3",
			want: ID{Kind: KindPrompt, Partition: "aws", Region: "us-east-1", Account: "123456789012",
				Resource: "PROMPT1234:3"},
		},
		{
			in: "arn:aws:sagemaker:us-east-1:123456789012:endpoint/my-endpoint",
			want: ID{Kind: KindMarketplaceEndpoint, Partition: "aws", Region: "us-east-1", Account: "123456789012",
				Resource: "my-endpoint"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := Parse(tt.in)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			tt.want.Raw = tt.in
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Parse(%q) (-want +got):\n%s", tt.in, diff)
			}
			if got.Bare() != tt.bare {
				t.Errorf("Bare() = %q, want %q", got.Bare(), tt.bare)
			}
			if got.IsARN() != strings.HasPrefix(tt.in, "arn:") {
				t.Errorf("IsARN() = %v", got.IsARN())
			}
		})
	}
}

func TestParseRejects(t *testing.T) {
	tests := []struct{ in, reason string }{
		{"", "empty"},
		{strings.Repeat("a", 2049), "longer than 2048 bytes"},
		{"amazon.nova pro", `character ' ' at offset 11 is not allowed`},
		{"amazon.nova-pro-v1:0:8k:x", "3 colons; a model ID has at most two (name:version:context)"},
		{"amazon.nova-pro-v1:x", `version "x" is not a number`},
		{"amazon.nova-pro-v1:", "empty version after ':'"},
		{"amazon.", "empty model name"},
		{".nova", "empty provider"},
		{"us..nova", "empty provider"},
		{"xx.amazon.nova-pro-v1:0", `unknown inference profile prefix "xx." (known: us, us-gov, eu, apac, jp, au, ca, global)`},
		{"us.amazon.nova.pro", "too many '.' separators; a profile ID looks like geo.provider.model-name-v1:0"},
		{"name:0", "no provider: a model ID looks like provider.model-name-v1:0"},
		{"amazon/nova", "'/' is only allowed in ARNs"},
		{"amazon.-nova_x", `model name "-nova_x" contains '_'`},
		{"arn:aws:bedrock:us-east-1", "an ARN has six colon-separated fields (arn:partition:service:region:account:resource)"},
		{"arn:gcp:bedrock:us-east-1::foundation-model/amazon.nova-pro-v1:0", `partition "gcp" is not aws or aws-…`},
		{"arn:aws:s3:us-east-1::foundation-model/amazon.nova-pro-v1:0", `service "s3" is not bedrock`},
		{"arn:aws:bedrock:us-east-1:123456789012:foundation-model/amazon.nova-pro-v1:0", "a foundation-model ARN has an empty account field"},
		{"arn:aws:bedrock:us-east-1::foundation-model/us.amazon.nova-pro-v1:0", `inference profile prefix "us." not allowed here`},
		{"arn:aws:bedrock:us-east-1:123456789012:inference-profile/amazon.nova-pro-v1:0", `inference profile "amazon.nova-pro-v1:0" has no geography prefix (us., eu., global., …)`},
		{"arn:aws:bedrock:us-east-1:12345:provisioned-model/abc", `account "12345" is not 12 digits`},
		{"arn:aws:bedrock:us-east-1:123456789012:provisioned-model/", `resource "provisioned-model/" has no type/ID`},
		{"arn:aws:bedrock:us-east-1:123456789012:provisioned-model/a/b", `resource ID "a/b" contains '/'`},
		{"arn:aws:bedrock:us-east-1:123456789012:knowledge-base/abc", `resource type "knowledge-base" does not name a model`},
		{"arn:aws:bedrock::123456789012:provisioned-model/abc", "empty region"},
		{"arn:aws:bedrock:us-east-1:123456789012:prompt/P:x", `prompt version "x" is not a number`},
		{"arn:aws:sagemaker:us-east-1:123456789012:model/x", `sagemaker resource type "model" is not endpoint`},
	}
	for _, tt := range tests {
		_, err := Parse(tt.in)
		if err == nil {
			t.Errorf("Parse(%q): no error, want %q", truncateID(tt.in), tt.reason)
			continue
		}
		if !errors.Is(err, ErrInvalidID) {
			t.Errorf("Parse(%q): %v does not match ErrInvalidID", tt.in, err)
		}
		var ie *IDError
		if !errors.As(err, &ie) || ie.Reason != tt.reason {
			t.Errorf("Parse(%q) reason:\n got %q\nwant %q", truncateID(tt.in), ie.Reason, tt.reason)
		}
	}
}

// FuzzParse checks that Parse never panics, that everything it accepts
// re-parses to the same value from its bare form, and that its parts obey
// the syntax it claims.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"anthropic.claude-3-5-sonnet-20241022-v2:0",
		"us.anthropic.claude-3-5-sonnet-20241022-v2:0",
		"global.amazon.nova-2-lite-v1:0",
		"amazon.titan-embed-text-v1:2:8k",
		"amazon.titan-text-premier-v1:0:32K",
		"arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-premier-v1:0:8k",
		"arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.amazon.nova-lite-v1:0",
		"arn:aws:bedrock:us-east-1:123456789012:custom-model/amazon.titan-text-express-v1:0:8k/abcdef012345",
		"arn:aws:bedrock:us-east-1:123456789012:default-prompt-router/anthropic.claude:1",
		"arn:aws:sagemaker:us-east-1:123456789012:endpoint/my-endpoint",
		"my-model", "", "a.b.c.d", "::::", "arn:::::/",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, err := Parse(s)
		if err != nil {
			if !errors.Is(err, ErrInvalidID) {
				t.Fatalf("Parse(%q) error %v does not match ErrInvalidID", s, err)
			}
			return
		}
		if id.Raw != s {
			t.Fatalf("Raw = %q, want %q", id.Raw, s)
		}
		if bare := id.Bare(); bare != "" {
			again, err := Parse(bare)
			if err != nil {
				t.Fatalf("Parse(%q) ok but Parse(Bare()=%q): %v", s, bare, err)
			}
			again.Raw = ""
			want := id
			want.Raw, want.Partition, want.Region, want.Account, want.Resource = "", "", "", "", ""
			if want.Kind != KindInferenceProfile {
				want.Kind = KindFoundationModel
			}
			if diff := cmp.Diff(want, again); diff != "" {
				t.Fatalf("Parse(%q) then Parse(%q) (-want +got):\n%s", s, bare, diff)
			}
		}
		if id.Geo != "" && !isGeo(id.Geo) {
			t.Fatalf("Geo %q is not a known prefix", id.Geo)
		}
		if strings.Contains(id.Provider+id.Name+id.Version+id.Context, ".") {
			t.Fatalf("a part contains '.': %+v", id)
		}
		// Lookup must not panic either.
		_, _ = Lookup(s)
	})
}
