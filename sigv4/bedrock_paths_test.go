package sigv4

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// escapeLabel escapes a Smithy httpLabel as the client does: every byte but
// the RFC 3986 unreserved ones.
func escapeLabel(s string) string { return string(appendEscaped(nil, s, false)) }

// TestBedrockPaths holds what model IDs and ARNs become on the wire (the
// request line net/http writes) and in the canonical request.
func TestBedrockPaths(t *testing.T) {
	cases := []struct {
		id, op    string
		wire      string // request line path
		canonical string // canonical URI, double-encoded
	}{
		{"amazon.nova-pro-v1:0", "converse",
			"/model/amazon.nova-pro-v1%3A0/converse",
			"/model/amazon.nova-pro-v1%253A0/converse"},
		{"anthropic.claude-3-5-sonnet-20240620-v1:0", "invoke",
			"/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/invoke",
			"/model/anthropic.claude-3-5-sonnet-20240620-v1%253A0/invoke"},
		{"amazon.titan-embed-text-v2:0", "invoke",
			"/model/amazon.titan-embed-text-v2%3A0/invoke",
			"/model/amazon.titan-embed-text-v2%253A0/invoke"},
		{"cohere.embed-english-v3", "invoke",
			"/model/cohere.embed-english-v3/invoke",
			"/model/cohere.embed-english-v3/invoke"},
		{"us.anthropic.claude-3-5-haiku-20241022-v1:0", "converse-stream",
			"/model/us.anthropic.claude-3-5-haiku-20241022-v1%3A0/converse-stream",
			"/model/us.anthropic.claude-3-5-haiku-20241022-v1%253A0/converse-stream"},
		{"eu.amazon.nova-lite-v1:0", "converse",
			"/model/eu.amazon.nova-lite-v1%3A0/converse",
			"/model/eu.amazon.nova-lite-v1%253A0/converse"},
		{"apac.amazon.nova-micro-v1:0", "converse",
			"/model/apac.amazon.nova-micro-v1%3A0/converse",
			"/model/apac.amazon.nova-micro-v1%253A0/converse"},
		{"global.anthropic.claude-sonnet-4-20250514-v1:0", "converse",
			"/model/global.anthropic.claude-sonnet-4-20250514-v1%3A0/converse",
			"/model/global.anthropic.claude-sonnet-4-20250514-v1%253A0/converse"},
		{"amazon.nova-sonic-v1:0", "invoke-with-bidirectional-stream",
			"/model/amazon.nova-sonic-v1%3A0/invoke-with-bidirectional-stream",
			"/model/amazon.nova-sonic-v1%253A0/invoke-with-bidirectional-stream"},
		{"arn:aws:bedrock:us-east-1:123456789012:provisioned-model/abc123xyz", "invoke",
			"/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Aprovisioned-model%2Fabc123xyz/invoke",
			"/model/arn%253Aaws%253Abedrock%253Aus-east-1%253A123456789012%253Aprovisioned-model%252Fabc123xyz/invoke"},
		{"arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-5-haiku-20241022-v1:0", "converse",
			"/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-profile%2Fus.anthropic.claude-3-5-haiku-20241022-v1%3A0/converse",
			"/model/arn%253Aaws%253Abedrock%253Aus-east-1%253A123456789012%253Ainference-profile%252Fus.anthropic.claude-3-5-haiku-20241022-v1%253A0/converse"},
		{"arn:aws:bedrock:eu-west-1:123456789012:application-inference-profile/a1b2c3d4e5f6", "converse",
			"/model/arn%3Aaws%3Abedrock%3Aeu-west-1%3A123456789012%3Aapplication-inference-profile%2Fa1b2c3d4e5f6/converse",
			"/model/arn%253Aaws%253Abedrock%253Aeu-west-1%253A123456789012%253Aapplication-inference-profile%252Fa1b2c3d4e5f6/converse"},
		{"arn:aws:bedrock:us-west-2::foundation-model/amazon.nova-pro-v1:0", "converse",
			"/model/arn%3Aaws%3Abedrock%3Aus-west-2%3A%3Afoundation-model%2Famazon.nova-pro-v1%3A0/converse",
			"/model/arn%253Aaws%253Abedrock%253Aus-west-2%253A%253Afoundation-model%252Famazon.nova-pro-v1%253A0/converse"},
	}
	creds := Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "secret", SessionToken: "token"}
	at := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	for _, c := range cases {
		t.Run(c.id, func(t *testing.T) {
			wire := "/model/" + escapeLabel(c.id) + "/" + c.op
			if diff := cmp.Diff(c.wire, wire); diff != "" {
				t.Fatalf("escaped path (-want +got):\n%s", diff)
			}
			req, err := http.NewRequest(http.MethodPost, "https://bedrock-runtime.us-east-1.amazonaws.com"+wire, strings.NewReader("{}"))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(c.wire, req.URL.RequestURI()); diff != "" {
				t.Errorf("request line (-want +got):\n%s", diff)
			}
			var s Signer
			st, err := s.Steps(req, creds, "us-east-1", "bedrock", at, "")
			if err != nil {
				t.Fatal(err)
			}
			got, _, _ := strings.Cut(strings.SplitN(st.CanonicalRequest, "\n", 3)[1], "\n")
			if diff := cmp.Diff(c.canonical, got); diff != "" {
				t.Errorf("canonical URI (-want +got):\n%s", diff)
			}
			// S3-style single encoding signs the wire path itself.
			single := &Signer{SingleEncode: true}
			st1, err := single.Steps(req, creds, "us-east-1", "bedrock", at, "")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(c.wire, strings.SplitN(st1.CanonicalRequest, "\n", 3)[1]); diff != "" {
				t.Errorf("single-encoded canonical URI (-want +got):\n%s", diff)
			}

			// The server recomputes the same signature from the request
			// line it receives.
			if err := s.SignHTTP(req, creds, "us-east-1", "bedrock", at, ""); err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewRequest(http.MethodPost, "https://bedrock-runtime.us-east-1.amazonaws.com"+c.wire, strings.NewReader("{}"))
			srv.Header = req.Header.Clone()
			v := &Verifier{Region: "us-east-1", Service: "bedrock", Now: func() time.Time { return at },
				Credentials: func(string) (Credentials, bool) { return creds, true }}
			if _, err := v.VerifyHTTP(srv, ""); err != nil {
				t.Errorf("server-side verification: %v", err)
			}
		})
	}
}

// TestWirePath checks that the signer reads the path net/http will send.
func TestWirePath(t *testing.T) {
	for _, c := range []struct {
		url, rawPath, opaque string
		want                 string
	}{
		{url: "https://h/model/a:b/converse", want: "/model/a:b/converse"},
		{url: "https://h/model/a%3Ab/converse", want: "/model/a%3Ab/converse"},
		{url: "https://h/a%2Fb", want: "/a%2Fb"},
		{url: "https://h/a b", want: "/a%20b"},
		{url: "https://h", want: ""},
		{url: "https://h/x", rawPath: "/wrong", want: "/x"}, // RawPath not an encoding of Path: ignored
		{url: "https://h/x", opaque: "/raw path", want: "/raw path"},
		{url: "https://h/x", opaque: "//h/p%3Aq", want: "/p%3Aq"},
		{url: "https://h/x", opaque: "//h", want: "/"},
		{url: "https://h/ሴ", want: "/%E1%88%B4"},
	} {
		req, err := http.NewRequest(http.MethodGet, c.url, nil)
		if err != nil {
			t.Fatal(err)
		}
		if c.rawPath != "" {
			req.URL.RawPath = c.rawPath
		}
		if c.opaque != "" {
			req.URL.Opaque = c.opaque
		}
		if got := wirePath(req.URL); got != c.want {
			t.Errorf("%s raw=%q opaque=%q: wirePath = %q, want %q", c.url, c.rawPath, c.opaque, got, c.want)
		}
		if c.opaque == "" && c.want != "" {
			if got := req.URL.EscapedPath(); got != c.want {
				t.Errorf("%s: EscapedPath = %q, wirePath = %q: they must agree", c.url, got, c.want)
			}
		}
	}
}
