package client

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestResolveEndpoint(t *testing.T) {
	tests := []struct {
		region, endpoint string
		fips, dualStack  bool
		want             string
		wantErr          string
	}{
		{region: "us-east-1", want: "https://bedrock-runtime.us-east-1.amazonaws.com"},
		{region: "eu-central-1", want: "https://bedrock-runtime.eu-central-1.amazonaws.com"},
		{region: "us-east-1", fips: true, want: "https://bedrock-runtime-fips.us-east-1.amazonaws.com"},
		{region: "us-east-1", dualStack: true, want: "https://bedrock-runtime.us-east-1.api.aws"},
		{region: "us-east-1", fips: true, dualStack: true, want: "https://bedrock-runtime-fips.us-east-1.api.aws"},
		{region: "cn-north-1", want: "https://bedrock-runtime.cn-north-1.amazonaws.com.cn"},
		{region: "cn-northwest-1", fips: true, want: "https://bedrock-runtime-fips.cn-northwest-1.amazonaws.com.cn"},
		{region: "cn-north-1", dualStack: true, want: "https://bedrock-runtime.cn-north-1.api.amazonwebservices.com.cn"},
		{region: "us-gov-west-1", want: "https://bedrock-runtime.us-gov-west-1.amazonaws.com"},
		{region: "us-gov-west-1", fips: true, want: "https://bedrock-runtime-fips.us-gov-west-1.amazonaws.com"},
		{region: "us-gov-east-1", fips: true, dualStack: true, want: "https://bedrock-runtime-fips.us-gov-east-1.api.aws"},
		{region: "us-iso-east-1", want: "https://bedrock-runtime.us-iso-east-1.c2s.ic.gov"},
		{region: "us-isob-east-1", fips: true, want: "https://bedrock-runtime-fips.us-isob-east-1.sc2s.sgov.gov"},
		{region: "us-iso-east-1", dualStack: true, want: "https://bedrock-runtime.us-iso-east-1.api.aws.ic.gov"},
		{region: "eusc-de-east-1", want: "https://bedrock-runtime.eusc-de-east-1.amazonaws.eu"},
		{region: "eusc-de-east-1", dualStack: true, want: "https://bedrock-runtime.eusc-de-east-1.api.amazonwebservices.eu"},
		{region: "eu-isoe-west-1", fips: true, want: "https://bedrock-runtime-fips.eu-isoe-west-1.cloud.adc-e.uk"},
		// An unknown region is in the aws partition.
		{region: "xx-moon-1", want: "https://bedrock-runtime.xx-moon-1.amazonaws.com"},
		{region: "", wantErr: "missing region"},
		{region: "us-east-1/evil", wantErr: "not a valid host label"},
		{region: "us-east-1.evil.com", wantErr: "not a valid host label"},
		// A custom endpoint is used verbatim, region or not.
		{region: "us-east-1", endpoint: "https://vpce-1.bedrock-runtime.us-east-1.vpce.amazonaws.com", want: "https://vpce-1.bedrock-runtime.us-east-1.vpce.amazonaws.com"},
		{endpoint: "https://proxy.example.com:8443/bedrock/", want: "https://proxy.example.com:8443/bedrock"},
		{endpoint: "http://127.0.0.1:8080", want: "http://127.0.0.1:8080"},
		{endpoint: "http://localhost:8080", want: "http://localhost:8080"},
		{endpoint: "http://[::1]:8080", want: "http://[::1]:8080"},
		{endpoint: "http://127.8.9.10", want: "http://127.8.9.10"},
		{endpoint: "http://example.com", wantErr: "refusing plain http"},
		{endpoint: "http://10.0.0.1:80", wantErr: "refusing plain http"},
		{endpoint: "http://localhost.example.com", wantErr: "refusing plain http"},
		{endpoint: "ftp://example.com", wantErr: "want an absolute URL"},
		{endpoint: "example.com", wantErr: "want an absolute URL"},
		{endpoint: "https://user:pass@example.com", wantErr: "user information"},
		{endpoint: "https://example.com/?a=b", wantErr: "query and fragment"},
		{endpoint: "https://example.com", fips: true, wantErr: "FIPS and custom endpoint"},
		{endpoint: "https://example.com", dualStack: true, wantErr: "dual-stack and custom endpoint"},
	}
	for _, tt := range tests {
		u, err := resolveEndpoint(tt.region, tt.endpoint, tt.fips, tt.dualStack)
		name := tt.region + " " + tt.endpoint
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%s fips=%v dualstack=%v: error %v, want one containing %q", name, tt.fips, tt.dualStack, err, tt.wantErr)
			}
			if err != nil && strings.Contains(err.Error(), "pass") {
				t.Errorf("%s: error reveals the password: %v", name, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s fips=%v dualstack=%v: %v", name, tt.fips, tt.dualStack, err)
			continue
		}
		if got := u.String(); got != tt.want {
			t.Errorf("%s fips=%v dualstack=%v = %s, want %s", name, tt.fips, tt.dualStack, got, tt.want)
		}
	}
}

// TestModelPath is the table of model IDs and ARNs and the request path each
// becomes: every byte outside A-Z a-z 0-9 - . _ ~ is escaped, ":" and "/"
// included, so an ARN stays one path segment.
func TestModelPath(t *testing.T) {
	tests := []struct{ id, suffix, want string }{
		{"amazon.titan-text-express-v1", "invoke", "/model/amazon.titan-text-express-v1/invoke"},
		{"anthropic.claude-3-5-haiku-20241022-v1:0", "invoke", "/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/invoke"},
		{"us.anthropic.claude-3-5-haiku-20241022-v1:0", "converse", "/model/us.anthropic.claude-3-5-haiku-20241022-v1%3A0/converse"},
		{"global.anthropic.claude-sonnet-4-5-20250929-v1:0", "converse-stream", "/model/global.anthropic.claude-sonnet-4-5-20250929-v1%3A0/converse-stream"},
		{"amazon.nova-sonic-v1:0", "invoke-with-bidirectional-stream", "/model/amazon.nova-sonic-v1%3A0/invoke-with-bidirectional-stream"},
		{"meta.llama3-70b-instruct-v1:0", "invoke-with-response-stream", "/model/meta.llama3-70b-instruct-v1%3A0/invoke-with-response-stream"},
		{"arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.x.y-v1:0", "invoke",
			"/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-profile%2Fus.x.y-v1%3A0/invoke"},
		{"arn:aws:bedrock:us-west-2:123456789012:provisioned-model/abc123def456", "converse",
			"/model/arn%3Aaws%3Abedrock%3Aus-west-2%3A123456789012%3Aprovisioned-model%2Fabc123def456/converse"},
		{"arn:aws:bedrock:us-east-1:123456789012:imported-model/a1b2c3", "invoke",
			"/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Aimported-model%2Fa1b2c3/invoke"},
		{"arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-pro-v1:0", "converse",
			"/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A%3Afoundation-model%2Famazon.nova-pro-v1%3A0/converse"},
		{"arn:aws:sagemaker:us-east-1:123456789012:endpoint/my-endpoint", "converse",
			"/model/arn%3Aaws%3Asagemaker%3Aus-east-1%3A123456789012%3Aendpoint%2Fmy-endpoint/converse"},
		{"a b?c#d%e+f", "invoke", "/model/a%20b%3Fc%23d%25e%2Bf/invoke"},
		{"../../etc", "invoke", "/model/..%2F..%2Fetc/invoke"},
		{"ü", "invoke", "/model/%C3%BC/invoke"},
	}
	for _, tt := range tests {
		if got := modelPath(tt.id, tt.suffix); got != tt.want {
			t.Errorf("modelPath(%q, %q) = %q, want %q", tt.id, tt.suffix, got, tt.want)
		}
	}
}

// TestRequestPathOnTheWire checks that what goes on the request line is the
// escaped path exactly, custom base paths included.
func TestRequestPathOnTheWire(t *testing.T) {
	rec, srv := newRecorder(t, respond(200, "{}"))
	ids := []string{
		"us.anthropic.claude-3-5-haiku-20241022-v1:0",
		"arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.x.y-v1:0",
		"../x",
	}
	for _, base := range []string{srv.URL, srv.URL + "/prefix%2Fed/"} {
		c := newTestClient(t, base, srv.Client())
		for _, id := range ids {
			if _, err := c.InvokeModel(t.Context(), &InvokeModelInput{ModelID: id, Body: []byte("{}")}); err != nil {
				t.Fatal(err)
			}
		}
	}
	var got []string
	for _, r := range rec.recorded() {
		got = append(got, r.RequestURI)
	}
	want := []string{
		"/model/us.anthropic.claude-3-5-haiku-20241022-v1%3A0/invoke",
		"/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-profile%2Fus.x.y-v1%3A0/invoke",
		"/model/..%2Fx/invoke",
		"/prefix%2Fed/model/us.anthropic.claude-3-5-haiku-20241022-v1%3A0/invoke",
		"/prefix%2Fed/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-profile%2Fus.x.y-v1%3A0/invoke",
		"/prefix%2Fed/model/..%2Fx/invoke",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("request URIs (-want +got):\n%s", diff)
	}
}

func TestIsLoopback(t *testing.T) {
	for host, want := range map[string]bool{
		"localhost": true, "LOCALHOST": true, "api.localhost": true, "127.0.0.1": true, "127.1.2.3": true,
		"::1": true, "0:0:0:0:0:0:0:1": true, "10.0.0.1": false, "example.com": false, "localhost.com": false,
		"": false, "::": false, "0.0.0.0": false,
	} {
		if got := isLoopback(host); got != want {
			t.Errorf("isLoopback(%q) = %v, want %v", host, got, want)
		}
	}
}
