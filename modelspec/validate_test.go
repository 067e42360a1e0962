package modelspec

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCheckAPI(t *testing.T) {
	tests := []struct {
		id      string
		api     API
		msg     string // "" for no error
		sentry  error
		support []API
	}{
		{id: "amazon.nova-2-sonic-v1:0", api: InvokeModelWithBidirectionalStream},
		{id: "us.anthropic.claude-3-5-sonnet-20241022-v2:0", api: ConverseStream},
		{id: "anthropic.claude-sonnet-4-5-20250929-v1:0", api: CountTokens},
		{id: "amazon.nova-reel-v1:0", api: StartAsyncInvoke},
		{id: "cohere.rerank-v3-5:0", api: Rerank},
		{
			id: "amazon.nova-2-sonic-v1:0", api: Converse,
			msg:     "modelspec: amazon.nova-2-sonic-v1:0 answers only InvokeModelWithBidirectionalStream, not Converse",
			sentry:  ErrUnsupportedAPI,
			support: []API{InvokeModelWithBidirectionalStream},
		},
		{
			id: "us.amazon.nova-pro-v1:0", api: InvokeModelWithBidirectionalStream,
			msg:     "modelspec: us.amazon.nova-pro-v1:0 (amazon.nova-pro-v1:0) answers only InvokeModel, InvokeModelWithResponseStream, Converse and ConverseStream, not InvokeModelWithBidirectionalStream",
			sentry:  ErrUnsupportedAPI,
			support: []API{InvokeModel, InvokeModelWithResponseStream, Converse, ConverseStream},
		},
		{
			id: "amazon.titan-embed-text-v2:0", api: Converse,
			msg:     "modelspec: amazon.titan-embed-text-v2:0 answers only InvokeModel, not Converse",
			sentry:  ErrUnsupportedAPI,
			support: []API{InvokeModel},
		},
		{
			id: "amazon.nova-reel-v1:0", api: InvokeModel,
			msg:     "modelspec: amazon.nova-reel-v1:0 answers only StartAsyncInvoke, not InvokeModel",
			sentry:  ErrUnsupportedAPI,
			support: []API{StartAsyncInvoke},
		},
		{
			id: "amazon.titan-text-express-v1:0:8k", api: InvokeModel,
			msg:     "modelspec: amazon.titan-text-express-v1:0:8k is a Provisioned Throughput model ID: buy throughput with it (CreateProvisionedModelThroughput) and call InvokeModel with the provisioned model ARN, or call amazon.titan-text-express-v1 on demand",
			sentry:  ErrUnsupportedAPI,
			support: []API{InvokeModel, InvokeModelWithResponseStream, Converse, ConverseStream},
		},
		{
			id: "amazon.nova-premier-v1:0:1000k", api: Converse,
			msg:     "modelspec: amazon.nova-premier-v1:0:1000k is a Provisioned Throughput model ID: buy throughput with it (CreateProvisionedModelThroughput) and call Converse with the provisioned model ARN, or call us.amazon.nova-premier-v1:0 on demand",
			sentry:  ErrUnsupportedAPI,
			support: []API{InvokeModel, InvokeModelWithResponseStream, Converse, ConverseStream},
		},
		{
			id: "amazon.nova-pro-v1:0", api: "Chat",
			msg: "modelspec: unknown API \"Chat\" (known: InvokeModel, InvokeModelWithResponseStream, Converse, ConverseStream, InvokeModelWithBidirectionalStream, StartAsyncInvoke, CountTokens, Rerank)",
		},
		{id: "nobody.model-v1", api: Converse, msg: `modelspec: unknown model "nobody.model-v1"`, sentry: ErrUnknownModel},
		{
			id: "ai21.j2-ultra-v1", api: InvokeModel,
			msg:    "modelspec: ai21.j2-ultra-v1 is past its end of life and its ID no longer works; see the active AI21 Labs models",
			sentry: ErrEndOfLife,
		},
		{id: "bad id", api: Converse, msg: `modelspec: invalid model ID "bad id": character ' ' at offset 3 is not allowed`, sentry: ErrInvalidID},
	}
	for _, tt := range tests {
		err := CheckAPI(tt.id, tt.api)
		if tt.msg == "" {
			if err != nil {
				t.Errorf("CheckAPI(%s, %s) = %v, want nil", tt.id, tt.api, err)
			}
			continue
		}
		if err == nil || err.Error() != tt.msg {
			t.Errorf("CheckAPI(%s, %s):\n got %v\nwant %s", tt.id, tt.api, err, tt.msg)
			continue
		}
		if tt.sentry != nil && !errors.Is(err, tt.sentry) {
			t.Errorf("CheckAPI(%s, %s) = %v, does not match %v", tt.id, tt.api, err, tt.sentry)
		}
		var ue *UnsupportedAPIError
		if errors.As(err, &ue) {
			if diff := cmp.Diff(tt.support, ue.Supported); diff != "" {
				t.Errorf("CheckAPI(%s, %s) Supported (-want +got):\n%s", tt.id, tt.api, diff)
			}
		} else if tt.support != nil {
			t.Errorf("CheckAPI(%s, %s) = %T, want *UnsupportedAPIError", tt.id, tt.api, err)
		}
	}
}

func TestCheckRegion(t *testing.T) {
	tests := []struct {
		id, region string
		msg        string // "" for no error
		alts       []string
	}{
		// In-Region, from the model cards.
		{id: "amazon.nova-2-sonic-v1:0", region: "eu-north-1"},
		{id: "amazon.nova-pro-v1:0", region: "us-east-1"},
		{id: "amazon.titan-embed-text-v2:0", region: "sa-east-1"},
		// Profiles served from the Region.
		{id: "us.anthropic.claude-3-5-sonnet-20241022-v2:0", region: "us-east-1"},
		{id: "eu.amazon.nova-lite-v1:0", region: "il-central-1"},
		{id: "global.amazon.nova-2-lite-v1:0", region: "ap-southeast-7"},
		{id: "arn:aws:bedrock:eu-west-3:123456789012:inference-profile/eu.amazon.nova-2-lite-v1:0", region: "eu-west-3"},
		// Not ruled out: the Region list of a non-card model is partial.
		{id: "mistral.mistral-large-2402-v1:0", region: "eu-west-3"},
		// Provisioned and custom models are bought per Region.
		{id: "amazon.nova-micro-v1:0:128k", region: "ap-south-1"},
		{
			id: "anthropic.claude-3-5-sonnet-20241022-v2:0", region: "us-east-1",
			msg:  "modelspec: anthropic.claude-3-5-sonnet-20241022-v2:0 needs an inference profile such as us.anthropic.claude-3-5-sonnet-20241022-v2:0 in us-east-1",
			alts: []string{"us.anthropic.claude-3-5-sonnet-20241022-v2:0"},
		},
		{id: "anthropic.claude-3-5-sonnet-20241022-v2:0", region: "us-west-2"},
		{
			id: "amazon.nova-pro-v1:0", region: "eu-west-1",
			msg:  "modelspec: amazon.nova-pro-v1:0 needs an inference profile such as eu.amazon.nova-pro-v1:0 in eu-west-1",
			alts: []string{"eu.amazon.nova-pro-v1:0"},
		},
		{
			id: "amazon.nova-2-lite-v1:0", region: "us-west-2",
			msg:  "modelspec: amazon.nova-2-lite-v1:0 needs an inference profile such as us.amazon.nova-2-lite-v1:0 in us-west-2",
			alts: []string{"us.amazon.nova-2-lite-v1:0", "global.amazon.nova-2-lite-v1:0"},
		},
		{
			id: "anthropic.claude-3-7-sonnet-20250219-v1:0", region: "sa-east-1",
			msg: "modelspec: anthropic.claude-3-7-sonnet-20250219-v1:0 needs an inference profile, and none serves sa-east-1 (us.anthropic.claude-3-7-sonnet-20250219-v1:0 from us-east-1, us-east-2, us-west-2; " +
				"eu.anthropic.claude-3-7-sonnet-20250219-v1:0 from eu-central-1, eu-north-1, eu-south-1, eu-south-2, eu-west-1, eu-west-3; " +
				"apac.anthropic.claude-3-7-sonnet-20250219-v1:0 from ap-northeast-1, ap-northeast-2, ap-northeast-3, ap-south-1, ap-south-2, ap-southeast-1 and 2 more)",
			alts: []string{},
		},
		{
			id: "amazon.nova-canvas-v1:0", region: "us-west-2",
			msg:  "modelspec: amazon.nova-canvas-v1:0 is not available in us-west-2; it is in-Region in ap-northeast-1, eu-west-1, us-east-1",
			alts: []string{},
		},
		{
			id: "us.anthropic.claude-3-5-sonnet-20241022-v2:0", region: "eu-west-1",
			msg:  "modelspec: us.anthropic.claude-3-5-sonnet-20241022-v2:0 is not served from eu-west-1 (it is from us-east-1, us-east-2, us-west-2); send the request to us-east-1",
			alts: nil,
		},
		{
			id: "us.amazon.nova-lite-v1:0", region: "eu-west-1",
			msg:  "modelspec: us.amazon.nova-lite-v1:0 is not served from eu-west-1 (it is from us-east-1, us-east-2, us-west-1, us-west-2); use eu.amazon.nova-lite-v1:0",
			alts: []string{"eu.amazon.nova-lite-v1:0"},
		},
		{
			id: "eu.amazon.nova-micro-v1:0", region: "us-east-1",
			msg:  "modelspec: eu.amazon.nova-micro-v1:0 is not served from us-east-1 (it is from eu-central-1, eu-north-1, eu-south-1, eu-south-2, eu-west-1, eu-west-3 and 1 more); use amazon.nova-micro-v1:0 or us.amazon.nova-micro-v1:0",
			alts: []string{"amazon.nova-micro-v1:0", "us.amazon.nova-micro-v1:0"},
		},
		{
			id: "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-pro-v1:0", region: "us-west-2",
			msg: "modelspec: arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-pro-v1:0 names Region us-east-1, but the request goes to us-west-2",
		},
		{id: "amazon.nova-pro-v1:0", region: "", msg: "modelspec: invalid region: empty region"},
		{id: "amazon.nova-pro-v1:0", region: "us east", msg: `modelspec: invalid region: region "us east" contains ' '`},
		{id: "nobody.model-v1", region: "us-east-1", msg: `modelspec: unknown model "nobody.model-v1"`},
	}
	for _, tt := range tests {
		err := CheckRegion(tt.id, tt.region)
		if tt.msg == "" {
			if err != nil {
				t.Errorf("CheckRegion(%s, %s) = %v, want nil", tt.id, tt.region, err)
			}
			continue
		}
		if err == nil || err.Error() != tt.msg {
			t.Errorf("CheckRegion(%s, %s):\n got %v\nwant %s", tt.id, tt.region, err, tt.msg)
			continue
		}
		var re *RegionError
		if errors.As(err, &re) {
			if !errors.Is(err, ErrUnavailableInRegion) {
				t.Errorf("CheckRegion(%s, %s) does not match ErrUnavailableInRegion", tt.id, tt.region)
			}
			if diff := cmp.Diff(tt.alts, re.Alternatives); diff != "" {
				t.Errorf("CheckRegion(%s, %s) Alternatives (-want +got):\n%s", tt.id, tt.region, diff)
			}
		}
	}
}

func TestParseAPIAndModality(t *testing.T) {
	if a, err := ParseAPI("converseSTREAM"); err != nil || a != ConverseStream {
		t.Errorf("ParseAPI = %q, %v", a, err)
	}
	if _, err := ParseAPI("Chat"); err == nil {
		t.Error("ParseAPI(Chat): no error")
	}
	if m, err := ParseModality("speech"); err != nil || m != Speech {
		t.Errorf("ParseModality = %q, %v", m, err)
	}
	_, err := ParseModality("smell")
	if want := `modelspec: unknown modality "smell" (known: TEXT, IMAGE, VIDEO, AUDIO, SPEECH, EMBEDDING)`; err == nil || err.Error() != want {
		t.Errorf("ParseModality(smell) = %v, want %s", err, want)
	}
}

func BenchmarkCheckRegion(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if err := CheckRegion("us.anthropic.claude-3-5-sonnet-20241022-v2:0", "us-east-1"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCheckAPI(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if err := CheckAPI("anthropic.claude-3-5-sonnet-20241022-v2:0", ConverseStream); err != nil {
			b.Fatal(err)
		}
	}
}
