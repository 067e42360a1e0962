package client

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bedrockwire/bedrockwire/sigv4"
)

func TestNewErrors(t *testing.T) {
	creds := sigv4.StaticCredentials{AccessKeyID: "AKID", SecretAccessKey: "secret"}
	tests := []struct {
		name string
		o    Options
		want string
	}{
		{"nothing", Options{}, "missing region"},
		{"no credentials", Options{Region: "us-east-1"}, "no credentials: set Options.BearerToken"},
		{"sigv4 custom endpoint without region", Options{Endpoint: "https://example.com", Credentials: creds}, "SigV4 signing needs Options.Region"},
		{"plain http", Options{Region: "us-east-1", Endpoint: "http://example.com", BearerToken: "t"}, "refusing plain http"},
		{"fips and endpoint", Options{Region: "us-east-1", Endpoint: "https://example.com", UseFIPS: true, BearerToken: "t"}, "FIPS and custom endpoint"},
		{"token with newline", Options{Region: "us-east-1", BearerToken: "abc\ndef"}, "line break"},
		{"user agent with newline", Options{Region: "us-east-1", BearerToken: "t", UserAgent: "a\r\nb"}, "line break"},
		{"bad retry mode", Options{Region: "us-east-1", BearerToken: "t", Retry: RetryPolicy{Mode: "legacy"}}, `unknown retry mode "legacy"`},
	}
	for _, tt := range tests {
		_, err := New(tt.o)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want one containing %q", tt.name, err, tt.want)
		}
		if err != nil && strings.Contains(err.Error(), "secret") {
			t.Errorf("%s: error reveals the secret: %v", tt.name, err)
		}
	}
}

func TestNewBearerWithCustomEndpointNeedsNoRegion(t *testing.T) {
	c, err := New(Options{Endpoint: "http://127.0.0.1:9", BearerToken: "  tok  "})
	if err != nil {
		t.Fatal(err)
	}
	if c.bearer != "tok" {
		t.Errorf("bearer %q, want the trimmed token", c.bearer)
	}
	if c.Endpoint() != "http://127.0.0.1:9" || c.Region() != "" {
		t.Errorf("Endpoint %q, Region %q", c.Endpoint(), c.Region())
	}
}

// TestNothingPrintsSecrets formats Options and Client with every verb and
// looks for the secrets.
func TestNothingPrintsSecrets(t *testing.T) {
	const token = "ABSKbearerSECRETtoken"
	const secret = "wJalrXUtnFEMI/SECRET"
	const session = "SESSIONtokenSECRET"
	opts := []Options{
		{Region: "us-east-1", BearerToken: token, UserAgent: "app/1", HTTPClient: http.DefaultClient},
		{Region: "us-east-1", Credentials: sigv4.StaticCredentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: secret, SessionToken: session}},
	}
	for _, o := range opts {
		c, err := New(o)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range []any{o, &o, c} {
			for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
				s := fmt.Sprintf(verb, v)
				if strings.Contains(s, "SECRET") {
					t.Errorf("%s of %T reveals a secret: %s", verb, v, s)
				}
			}
		}
	}
	o := opts[0]
	if got, want := o.String(), `client.Options{Region: "us-east-1", BearerToken: [redacted], HTTPClient: set, Retry: {Mode: standard, MaxAttempts: 0}, UserAgent: "app/1"}`; got != want {
		t.Errorf("String()\n got %s\nwant %s", got, want)
	}
	c, _ := New(opts[1])
	if got, want := c.String(), `client.Client{Region: "us-east-1", Endpoint: "https://bedrock-runtime.us-east-1.amazonaws.com", Auth: sigv4, Retry: {Mode: standard, MaxAttempts: 3, MaxBackoff: 20s}}`; got != want {
		t.Errorf("String()\n got %s\nwant %s", got, want)
	}
}

// TestUserAgent checks the User-Agent the client sends.
func TestUserAgent(t *testing.T) {
	rec, srv := newRecorder(t, respond(200, `{}`))
	c := newTestClient(t, srv.URL, srv.Client(), func(o *Options) { o.UserAgent = "myapp/1.2" })
	invokeOnce(t, c)
	ua := rec.recorded()[0].Header.Get("User-Agent")
	if !strings.HasPrefix(ua, "bedrockwire/") || !strings.HasSuffix(ua, " myapp/1.2") || !strings.Contains(ua, " go/") {
		t.Errorf("User-Agent %q", ua)
	}
}

// TestSleepContext checks the real sleep: it waits, and stops at cancel.
func TestSleepContext(t *testing.T) {
	if err := sleepContext(t.Context(), time.Millisecond); err != nil {
		t.Errorf("sleep: %v", err)
	}
	ctx, cancel := contextWithCancel(t)
	cancel()
	if err := sleepContext(ctx, time.Hour); err == nil {
		t.Error("sleep after cancel returned nil")
	}
	if err := sleepContext(ctx, 0); err == nil {
		t.Error("zero sleep after cancel returned nil")
	}
}

// benchClient answers every call from memory with a small JSON body.
func benchClient(b *testing.B, mods ...func(*Options)) *testClient {
	resp := []byte(`{"id":"msg_1","content":[{"type":"text","text":"Hi"}],"usage":{"input_tokens":5,"output_tokens":1}}`)
	mt := &memTransport{respond: func(req *http.Request) *http.Response {
		return &http.Response{
			StatusCode: 200,
			Header: http.Header{
				"Content-Type":                      {"application/json"},
				"X-Amzn-Requestid":                  {"b1"},
				"X-Amzn-Bedrock-Input-Token-Count":  {"5"},
				"X-Amzn-Bedrock-Output-Token-Count": {"1"},
			},
			Body:          io.NopCloser(bytes.NewReader(resp)),
			ContentLength: int64(len(resp)),
			Request:       req,
		}
	}}
	return newTestClient(b, "https://bedrock-runtime.us-east-1.amazonaws.com", &http.Client{Transport: mt}, mods...)
}

// BenchmarkInvokeModelOverhead is the per-call cost of InvokeModel without
// the network: request building, auth, the transport loop and response
// handling, against a RoundTripper that answers from memory.
func BenchmarkInvokeModelOverhead(b *testing.B) {
	for _, auth := range []string{"bearer", "sigv4"} {
		b.Run(auth, func(b *testing.B) {
			var mods []func(*Options)
			if auth == "sigv4" {
				mods = append(mods, useSigV4)
			}
			c := benchClient(b, mods...)
			in := &InvokeModelInput{ModelID: "us.anthropic.claude-3-5-haiku-20241022-v1:0", Body: []byte(claudeBody)}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.InvokeModel(b.Context(), in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
