package client

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bedrockwire/bedrockwire/sigv4"
	"github.com/google/go-cmp/cmp"
)

const claudeBody = `{"anthropic_version":"bedrock-2023-05-31","max_tokens":256,"messages":[{"role":"user","content":"Hello"}]}`

// testCredentials are static keys in the style of the SigV4 documentation.
var testCredentials = sigv4.StaticCredentials{
	AccessKeyID:     "AKIDEXAMPLE",
	SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
	SessionToken:    "IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN",
}

func useSigV4(o *Options) {
	o.BearerToken = ""
	o.Credentials = testCredentials
}

// TestInvokeModelGoldenRequests sends representative InvokeModel inputs and
// compares what the server received — method, raw path, headers, exact body —
// with testdata/invoke/*.request.txt.
func TestInvokeModelGoldenRequests(t *testing.T) {
	tests := []struct {
		name string
		mods []func(*Options)
		in   InvokeModelInput
	}{
		{name: "minimal", in: InvokeModelInput{
			ModelID: "anthropic.claude-3-5-haiku-20241022-v1:0",
			Body:    []byte(claudeBody),
		}},
		{name: "all_headers", in: InvokeModelInput{
			ModelID:                  "us.anthropic.claude-3-5-haiku-20241022-v1:0",
			Body:                     []byte(claudeBody),
			ContentType:              "application/json",
			Accept:                   "application/json",
			Trace:                    TraceEnabledFull,
			GuardrailIdentifier:      "gr-abc123",
			GuardrailVersion:         "DRAFT",
			PerformanceConfigLatency: "optimized",
			ServiceTier:              "priority",
			RequestMetadata:          map[string]string{"team": "search", "env": "prod"},
		}},
		{name: "reader_arn", in: InvokeModelInput{
			ModelID:    "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.amazon.nova-lite-v1:0",
			BodyReader: strings.NewReader(`{"messages":[{"role":"user","content":[{"text":"Hi"}]}]}`),
		}},
		{name: "empty_body_octet", in: InvokeModelInput{
			ModelID:     "amazon.titan-embed-text-v2:0",
			ContentType: "application/octet-stream",
		}},
		{name: "sigv4", mods: []func(*Options){useSigV4}, in: InvokeModelInput{
			ModelID: "anthropic.claude-3-5-haiku-20241022-v1:0",
			Body:    []byte(claudeBody),
			Trace:   TraceEnabled,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// A fixed host keeps the SigV4 signature stable.
			mt := &memTransport{record: true}
			c := newTestClient(t, "https://bedrock-runtime.us-east-1.amazonaws.com", &http.Client{Transport: mt}, tt.mods...)
			c.endpoint, _ = resolveEndpoint("us-east-1", "", false, false)
			if _, err := c.InvokeModel(t.Context(), &tt.in); err != nil {
				t.Fatal(err)
			}
			reqs := mt.requests
			if len(reqs) != 1 {
				t.Fatalf("server saw %d requests, want 1", len(reqs))
			}
			checkGolden(t, "invoke/"+tt.name+".request.txt", []byte(reqs[0].dump()))
		})
	}
}

// TestSigV4SignatureVerifies checks the signature the client sends with the
// sigv4 package's own steps recomputed on what the server received: the
// double-encoded canonical path must match what was sent single-encoded.
func TestSigV4SignatureVerifies(t *testing.T) {
	rec, srv := newRecorder(t, respond(200, `{}`))
	c := newTestClient(t, srv.URL, srv.Client(), useSigV4)
	id := "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.x.y-v1:0"
	if _, err := c.InvokeModel(t.Context(), &InvokeModelInput{ModelID: id, Body: []byte(claudeBody)}); err != nil {
		t.Fatal(err)
	}
	got := rec.recorded()[0]
	// Rebuild the request as the server saw it and sign it again.
	req, err := http.NewRequest(got.Method, srv.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.URL.RawPath = got.RequestURI
	req.URL.Path = "/model/" + id + "/invoke"
	req.ContentLength = int64(len(got.Body)) // signed as content-length
	for k, vs := range got.Header {
		switch k {
		case "Authorization", "X-Amz-Date", "X-Amz-Security-Token", "Accept-Encoding", "Content-Length":
			// added by the signer, or by the transport after signing
		default:
			req.Header[k] = vs
		}
	}
	var sg sigv4.Signer
	steps, err := sg.Steps(req, sigv4.Credentials(testCredentials), "us-east-1", "bedrock", testTime, sigv4.HashHex(got.Body))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(steps.CanonicalRequest, "arn%253Aaws%253Abedrock") || !strings.Contains(steps.CanonicalRequest, "inference-profile%252Fus.x.y-v1%253A0") {
		t.Errorf("canonical request does not double-encode the label:\n%s", steps.CanonicalRequest)
	}
	if gotAuth := got.Header.Get("Authorization"); gotAuth != steps.Authorization {
		t.Errorf("Authorization\n got %s\nwant %s", gotAuth, steps.Authorization)
	}
	if !strings.Contains(steps.Authorization, "/us-east-1/bedrock/aws4_request") {
		t.Errorf("scope is not .../us-east-1/bedrock/...: %s", steps.Authorization)
	}
}

// serveRaw answers with a recorded raw HTTP response from testdata.
func serveRaw(t testing.TB, name string) http.HandlerFunc {
	raw := readTestdata(t, name)
	return func(w http.ResponseWriter, r *http.Request) {
		resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(raw)), r)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			return
		}
		defer resp.Body.Close()
		for k, vs := range resp.Header {
			w.Header()[k] = vs
		}
		w.WriteHeader(resp.StatusCode)
		io.Copy(w, resp.Body)
	}
}

// invokeOutputReport is the golden form of an InvokeModelOutput: the body as
// text, the headers picked out, the whole header left aside.
type invokeOutputReport struct {
	Body                     string
	ContentType              string
	InputTokens              int
	OutputTokens             int
	InvocationLatency        string
	PerformanceConfigLatency string
	ServiceTier              string
	RequestID                string
}

func TestInvokeModelGoldenResponses(t *testing.T) {
	for _, name := range []string{"response_full", "response_minimal"} {
		t.Run(name, func(t *testing.T) {
			_, srv := newRecorder(t, serveRaw(t, "invoke/"+name+".http"))
			c := newTestClient(t, srv.URL, srv.Client())
			out, err := c.InvokeModel(t.Context(), &InvokeModelInput{ModelID: "m", Body: []byte("{}")})
			if err != nil {
				t.Fatal(err)
			}
			rep := invokeOutputReport{
				Body: string(out.Body), ContentType: out.ContentType,
				InputTokens: out.InputTokens, OutputTokens: out.OutputTokens,
				InvocationLatency:        out.InvocationLatency.String(),
				PerformanceConfigLatency: out.PerformanceConfigLatency, ServiceTier: out.ServiceTier,
				RequestID: out.RequestID,
			}
			b, _ := json.MarshalIndent(rep, "", "  ")
			checkGolden(t, "invoke/"+name+".want.json", append(b, '\n'))
			if out.Header.Get("Date") == "" && name == "response_full" {
				t.Error("Header does not carry the whole response header")
			}
		})
	}
}

func TestInvokeModelInputErrors(t *testing.T) {
	_, srv := newRecorder(t, respond(200, `{}`))
	c := newTestClient(t, srv.URL, srv.Client())
	big := bytes.NewReader(make([]byte, MaxInvokeBody+1))
	tests := []struct {
		name string
		in   *InvokeModelInput
		want string
	}{
		{"nil", nil, "nil input"},
		{"no model", &InvokeModelInput{Body: []byte("{}")}, "ModelID is required"},
		{"reader too big", &InvokeModelInput{ModelID: "m", BodyReader: big}, "exceeds 25000000 bytes"},
		{"body too big", &InvokeModelInput{ModelID: "m", Body: make([]byte, MaxInvokeBody+1)}, "exceeds the service limit"},
		{"header injection", &InvokeModelInput{ModelID: "m", Trace: "ENABLED\r\nX-Evil: 1"}, "control character"},
		{"reader error", &InvokeModelInput{ModelID: "m", BodyReader: io.MultiReader(strings.NewReader("{"), errReader{})}, "reading BodyReader: boom"},
	}
	for _, tt := range tests {
		_, err := c.InvokeModel(t.Context(), tt.in)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want one containing %q", tt.name, err, tt.want)
		}
	}
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errBoom }

var errBoom = &stringError{"boom"}

type stringError struct{ s string }

func (e *stringError) Error() string { return e.s }

// TestInvokeModelResponseTooLarge checks the bound on a response body.
func TestReadBounded(t *testing.T) {
	b, err := readBounded(strings.NewReader("12345"), 5)
	if err != nil || string(b) != "12345" {
		t.Errorf("readBounded(5 bytes, 5) = %q, %v", b, err)
	}
	if _, err := readBounded(strings.NewReader("123456"), 5); err == nil {
		t.Error("readBounded(6 bytes, 5) did not fail")
	}
}

func TestHeaderInt(t *testing.T) {
	h := http.Header{}
	h.Set("A", "42")
	h.Set("B", "-3")
	h.Set("C", "x")
	got := []int{headerInt(h, "A"), headerInt(h, "B"), headerInt(h, "C"), headerInt(h, "D")}
	if diff := cmp.Diff([]int{42, -1, -1, -1}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if d := headerMillis(h, "A"); d != 42*time.Millisecond {
		t.Errorf("headerMillis = %v", d)
	}
}

// TestInvokeModelBodyLengths: the body is read whole whatever the transport
// says of its length: known, unknown, or a RoundTripper that leaves 0.
func TestInvokeModelBodyLengths(t *testing.T) {
	body := strings.Repeat("abcdefgh", 10_000)
	for _, length := range []int64{int64(len(body)), -1, 0} {
		mt := &memTransport{respond: func(req *http.Request) *http.Response {
			return &http.Response{StatusCode: 200, Header: http.Header{}, ContentLength: length,
				Body: io.NopCloser(strings.NewReader(body)), Request: req}
		}}
		c := newTestClient(t, "https://bedrock-runtime.us-east-1.amazonaws.com", &http.Client{Transport: mt})
		out, err := c.InvokeModel(t.Context(), &InvokeModelInput{ModelID: "m", Body: []byte("{}")})
		if err != nil || string(out.Body) != body {
			t.Errorf("ContentLength %d: %d bytes, %v; want %d bytes", length, len(out.Body), err, len(body))
		}
	}
}
