package client

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/bedrockwire/bedrockwire/sigv4"
	"github.com/google/go-cmp/cmp"
)

// newSigV4TestClient is newTestClient signing with testCreds instead of
// sending an API key.
func newSigV4TestClient(t testing.TB, url string, hc *http.Client, mods ...func(*Options)) *testClient {
	t.Helper()
	return newTestClient(t, url, hc, append([]func(*Options){func(o *Options) {
		o.BearerToken = ""
		o.Credentials = sigv4.StaticCredentials(testCreds)
	}}, mods...)...)
}

// signatureRE matches what varies with the signer's choice of headers.
var signatureRE = regexp.MustCompile(`SignedHeaders=[^,]*, Signature=[0-9a-f]{64}`)

// dumpSigned is dump with the signed-header list and the signature masked:
// the credential scope (date, Region, signing name) stays. The signature
// itself is the signer's business, tested there.
func dumpSigned(r recordedRequest) string {
	return signatureRE.ReplaceAllString(r.dump(), "SignedHeaders=…, Signature=…")
}

func TestRerankGolden(t *testing.T) {
	jsonDoc, err := RerankJSON(map[string]any{"title": "Rust <intro>", "year": 2015})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		region string
		in     RerankInput
	}{
		{"full", "us-west-2", RerankInput{
			ModelID:                      "amazon.rerank-v1:0",
			Query:                        "What is Go's garbage collector like?",
			Sources:                      []RerankDocument{RerankText("Go has a concurrent mark-and-sweep collector."), jsonDoc, {Text: "Python uses reference counting."}},
			NumberOfResults:              2,
			AdditionalModelRequestFields: map[string]json.RawMessage{"max_tokens_per_doc": json.RawMessage(`512`)},
			NextToken:                    "page-2",
		}},
		{"arn", "eu-central-1", RerankInput{
			ModelID: "arn:aws:bedrock:eu-central-1::foundation-model/cohere.rerank-v3-5:0",
			Query:   "q",
			Sources: []RerankDocument{{JSON: json.RawMessage(`{"a":1}`)}},
		}},
		{"china", "cn-north-1", RerankInput{
			ModelID: "cohere.rerank-v3-5:0",
			Query:   "q",
			Sources: []RerankDocument{RerankText("x")},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec, srv := newRecorder(t, jsonOK(string(readTestdata(t, "rerank/response.json"))))
			c := newSigV4TestClient(t, srv.URL, srv.Client(), func(o *Options) { o.Region = tc.region })
			got, err := c.Rerank(context.Background(), &tc.in)
			if err != nil {
				t.Fatal(err)
			}
			checkGolden(t, "rerank/"+tc.name+".request.txt", []byte(dumpSigned(rec.recorded()[0])))
			want := &RerankOutput{
				Results: []RerankResult{
					{Index: 0, RelevanceScore: 0.8378, Document: &RerankDocument{Type: RerankDocumentText, Text: "Go has a concurrent mark-and-sweep collector."}},
					{Index: 1, RelevanceScore: 0.0021, Document: &RerankDocument{Type: RerankDocumentJSON, JSON: json.RawMessage(`{"title":"Rust <intro>","year":2015}`)}},
					{Index: 2, RelevanceScore: 1e-05},
				},
				NextToken: "page-3",
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestRerankModelARN(t *testing.T) {
	for _, tc := range []struct{ region, id, want string }{
		{"us-east-1", "amazon.rerank-v1:0", "arn:aws:bedrock:us-east-1::foundation-model/amazon.rerank-v1:0"},
		{"cn-north-1", "cohere.rerank-v3-5:0", "arn:aws-cn:bedrock:cn-north-1::foundation-model/cohere.rerank-v3-5:0"},
		{"us-gov-west-1", "cohere.rerank-v3-5:0", "arn:aws-us-gov:bedrock:us-gov-west-1::foundation-model/cohere.rerank-v3-5:0"},
		{"eu-west-1", "arn:aws:bedrock:us-west-2::foundation-model/amazon.rerank-v1:0", "arn:aws:bedrock:us-west-2::foundation-model/amazon.rerank-v1:0"},
	} {
		c, err := New(Options{Region: tc.region, Credentials: sigv4.StaticCredentials(testCreds)})
		if err != nil {
			t.Fatal(err)
		}
		if got, err := c.RerankModelARN(tc.id); err != nil || got != tc.want {
			t.Errorf("%s %s: %q (%v), want %q", tc.region, tc.id, got, err, tc.want)
		}
	}
	c, err := New(Options{Endpoint: "http://127.0.0.1:9", BearerToken: "k"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.RerankModelARN("amazon.rerank-v1:0"); err == nil || !strings.Contains(err.Error(), "needs a Region") {
		t.Errorf("no Region: %v", err)
	}
}

func TestRerankRefusals(t *testing.T) {
	rec, srv := newRecorder(t, jsonOK(`{"results":[]}`))
	c := newSigV4TestClient(t, srv.URL, srv.Client())
	ok := func() RerankInput {
		return RerankInput{ModelID: "amazon.rerank-v1:0", Query: "q", Sources: []RerankDocument{RerankText("a")}}
	}
	for _, tc := range []struct {
		name string
		mod  func(*RerankInput)
		want string
	}{
		{"no model", func(in *RerankInput) { in.ModelID = "" }, "model ID is empty"},
		{"no query", func(in *RerankInput) { in.Query = "" }, "query is empty"},
		{"no sources", func(in *RerankInput) { in.Sources = nil }, "no sources"},
		{"too many", func(in *RerankInput) { in.Sources = make([]RerankDocument, 1001) }, "at most 1000"},
		{"results", func(in *RerankInput) { in.NumberOfResults = 1001 }, "NumberOfResults is 1001"},
		{"both", func(in *RerankInput) { in.Sources[0] = RerankDocument{Text: "a", JSON: json.RawMessage(`1`)} }, "source 0: document has both"},
		{"bad json", func(in *RerankInput) { in.Sources[0] = RerankDocument{Type: "JSON", JSON: json.RawMessage(`{`)} }, "not valid JSON"},
		{"type text with json", func(in *RerankInput) { in.Sources[0] = RerankDocument{Type: "TEXT", JSON: json.RawMessage(`1`)} }, "TEXT document has JSON"},
		{"type json with text", func(in *RerankInput) { in.Sources[0] = RerankDocument{Type: "JSON", Text: "a"} }, "JSON document has Text"},
		{"bad type", func(in *RerankInput) { in.Sources[0] = RerankDocument{Type: "PDF"} }, `type "PDF"`},
		{"extra fields", func(in *RerankInput) {
			in.AdditionalModelRequestFields = map[string]json.RawMessage{"k": json.RawMessage(`nope`)}
		}, `AdditionalModelRequestFields["k"]`},
	} {
		in := ok()
		tc.mod(&in)
		_, err := c.Rerank(context.Background(), &in)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "bedrock Rerank") {
			t.Errorf("%s: error %v, want it to contain %q", tc.name, err, tc.want)
		}
	}
	if _, err := c.Rerank(context.Background(), nil); err == nil {
		t.Error("nil input: no error")
	}
	// An API key cannot call Bedrock Agent Runtime: refused before sending.
	bc := newTestClient(t, srv.URL, srv.Client())
	in := ok()
	if _, err := bc.Rerank(context.Background(), &in); err == nil || !strings.Contains(err.Error(), "bearer token") {
		t.Errorf("bearer client: %v", err)
	}
	if n := len(rec.recorded()); n != 0 {
		t.Errorf("%d requests sent for refused inputs", n)
	}
	if _, err := RerankJSON(json.RawMessage(`{`)); err == nil {
		t.Error("RerankJSON of invalid JSON: no error")
	}
}
