package client

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// jsonOK answers 200 with a JSON body and a request ID.
func jsonOK(body string) func(w http.ResponseWriter, r *http.Request) {
	return respond(200, body, "Content-Type", "application/json", "X-Amzn-Requestid", "req-ok")
}

// reelInput is a stand-in for modelspec.NovaReelRequest: a BodyEncoder.
type reelInput struct{ prompt string }

func (r reelInput) Body() ([]byte, error) {
	if r.prompt == "" {
		return nil, errors.New("textToVideoParams.text: empty")
	}
	return encodeBody(map[string]any{
		"taskType":              "TEXT_VIDEO",
		"textToVideoParams":     map[string]string{"text": r.prompt},
		"videoGenerationConfig": map[string]any{"durationSeconds": 6, "fps": 24, "dimension": "1280x720", "seed": 7},
	})
}

const testInvocationARN = "arn:aws:bedrock:us-east-1:123456789012:async-invoke/abcdef123456"

func TestStartAsyncInvokeGolden(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   StartAsyncInvokeInput
	}{
		{"start_full", StartAsyncInvokeInput{
			ModelID:    "amazon.nova-reel-v1:1",
			ModelInput: reelInput{"A drone shot over a <misty> forest & lake"},
			OutputDataConfig: AsyncInvokeOutputDataConfig{S3OutputDataConfig: &AsyncInvokeS3OutputDataConfig{
				S3URI: "s3://my-bucket/videos/", KMSKeyID: "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab", BucketOwner: "123456789012"}},
			ClientRequestToken: "my-token-1",
			Tags:               []Tag{{"project", "demo"}, {"team", "video"}},
		}},
		{"start_raw", StartAsyncInvokeInput{
			ModelID:            "amazon.nova-2-multimodal-embeddings-v1:0",
			ModelInput:         json.RawMessage(`{"taskType": "SEGMENTED_EMBEDDING", "schemaVersion": "nova-multimodal-embed-v1"}`),
			OutputDataConfig:   S3Output("s3://my-bucket/embeddings"),
			ClientRequestToken: "tok",
		}},
		{"start_map", StartAsyncInvokeInput{
			ModelID:            "amazon.nova-reel-v1:0",
			ModelInput:         map[string]any{"taskType": "TEXT_VIDEO"},
			OutputDataConfig:   S3Output("s3://b/o"),
			ClientRequestToken: "tok",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec, srv := newRecorder(t, jsonOK(`{"invocationArn":"`+testInvocationARN+`"}`))
			c := newTestClient(t, srv.URL, srv.Client())
			got, err := c.StartAsyncInvoke(context.Background(), &tc.in)
			if err != nil {
				t.Fatal(err)
			}
			want := &StartAsyncInvokeOutput{InvocationARN: testInvocationARN, ClientRequestToken: tc.in.ClientRequestToken}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("output (-want +got):\n%s", diff)
			}
			checkGolden(t, "async/"+tc.name+".request.txt", []byte(rec.recorded()[0].dump()))
		})
	}
}

var uuidV4 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

// TestStartAsyncInvokeTokenReusedOnRetry: without a token one is generated
// (a UUID v4), and a retried call sends the same one again.
func TestStartAsyncInvokeTokenReusedOnRetry(t *testing.T) {
	rec, srv := newRecorder(t,
		respond(503, `{"message":"try later"}`, "X-Amzn-Errortype", "ServiceUnavailableException"),
		respond(429, `{"message":"slow down"}`, "X-Amzn-Errortype", "ThrottlingException"),
		jsonOK(`{"invocationArn":"`+testInvocationARN+`"}`))
	c := newTestClient(t, srv.URL, srv.Client())
	out, err := c.StartAsyncInvoke(context.Background(), &StartAsyncInvokeInput{
		ModelID: "amazon.nova-reel-v1:0", ModelInput: reelInput{"waves"}, OutputDataConfig: S3Output("s3://b/out")})
	if err != nil {
		t.Fatal(err)
	}
	if !uuidV4.MatchString(out.ClientRequestToken) {
		t.Errorf("generated token %q is not a version 4 UUID", out.ClientRequestToken)
	}
	reqs := rec.recorded()
	if len(reqs) != 3 {
		t.Fatalf("%d requests, want 3 (two retries)", len(reqs))
	}
	for i, r := range reqs {
		var body struct {
			ClientRequestToken string `json:"clientRequestToken"`
		}
		if err := json.Unmarshal(r.Body, &body); err != nil {
			t.Fatal(err)
		}
		if body.ClientRequestToken != out.ClientRequestToken {
			t.Errorf("attempt %d sent token %q, want %q", i+1, body.ClientRequestToken, out.ClientRequestToken)
		}
		if string(r.Body) != string(reqs[0].Body) {
			t.Errorf("attempt %d body differs from the first:\n%s\n%s", i+1, r.Body, reqs[0].Body)
		}
	}
	// A second call without a token gets another one.
	out2, err := c.StartAsyncInvoke(context.Background(), &StartAsyncInvokeInput{
		ModelID: "amazon.nova-reel-v1:0", ModelInput: reelInput{"waves"}, OutputDataConfig: S3Output("s3://b/out")})
	if err != nil {
		t.Fatal(err)
	}
	if out2.ClientRequestToken == out.ClientRequestToken {
		t.Errorf("two calls share the generated token %q", out.ClientRequestToken)
	}
}

func TestNewUUID(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		u := newUUID()
		if !uuidV4.MatchString(u) {
			t.Fatalf("%q is not a version 4 UUID", u)
		}
		if seen[u] {
			t.Fatalf("%q twice", u)
		}
		seen[u] = true
	}
}

func TestStartAsyncInvokeRefusals(t *testing.T) {
	rec, srv := newRecorder(t, jsonOK(`{"invocationArn":"x"}`))
	c := newTestClient(t, srv.URL, srv.Client())
	ok := StartAsyncInvokeInput{ModelID: "m", ModelInput: json.RawMessage(`{}`), OutputDataConfig: S3Output("s3://b/o")}
	for _, tc := range []struct {
		name string
		mod  func(*StartAsyncInvokeInput)
		want string
	}{
		{"no model", func(in *StartAsyncInvokeInput) { in.ModelID = "" }, "model ID is empty"},
		{"no output", func(in *StartAsyncInvokeInput) { in.OutputDataConfig = AsyncInvokeOutputDataConfig{} }, "needs an S3 URI"},
		{"not s3", func(in *StartAsyncInvokeInput) { in.OutputDataConfig = S3Output("https://b/o") }, `"https://b/o" is not an s3:// URI`},
		{"nil input", func(in *StartAsyncInvokeInput) { in.ModelInput = nil }, "model input: nil"},
		{"bad raw", func(in *StartAsyncInvokeInput) { in.ModelInput = json.RawMessage(`{"a":`) }, "model input: not valid JSON"},
		{"bad bytes", func(in *StartAsyncInvokeInput) { in.ModelInput = []byte(`nope`) }, "model input: not valid JSON"},
		{"empty", func(in *StartAsyncInvokeInput) { in.ModelInput = []byte(" ") }, "model input: empty"},
		{"null", func(in *StartAsyncInvokeInput) { in.ModelInput = json.RawMessage(`null`) }, "model input: empty"},
		{"encoder error", func(in *StartAsyncInvokeInput) { in.ModelInput = reelInput{} }, "textToVideoParams.text: empty"},
		{"unmarshalable", func(in *StartAsyncInvokeInput) { in.ModelInput = map[string]any{"f": func() {}} }, "unsupported type"},
		{"token space", func(in *StartAsyncInvokeInput) { in.ClientRequestToken = "a b" }, "printable ASCII"},
		{"token long", func(in *StartAsyncInvokeInput) { in.ClientRequestToken = strings.Repeat("a", 257) }, "at most 256"},
	} {
		in := ok
		tc.mod(&in)
		_, err := c.StartAsyncInvoke(context.Background(), &in)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want it to contain %q", tc.name, err, tc.want)
		}
	}
	if _, err := c.StartAsyncInvoke(context.Background(), nil); err == nil {
		t.Error("nil input: no error")
	}
	if n := len(rec.recorded()); n != 0 {
		t.Errorf("%d requests sent for refused inputs", n)
	}
	// A response without the ARN is an error, not an empty success.
	_, err := c.StartAsyncInvoke(context.Background(), &StartAsyncInvokeInput{ModelID: "m", ModelInput: json.RawMessage(`{}`), OutputDataConfig: S3Output("s3://b/o")})
	if err != nil {
		t.Fatal(err)
	}
	_, srv2 := newRecorder(t, jsonOK(`{}`))
	c2 := newTestClient(t, srv2.URL, srv2.Client())
	if _, err := c2.StartAsyncInvoke(context.Background(), &ok); err == nil || !strings.Contains(err.Error(), "no invocationArn") {
		t.Errorf("empty response: error %v", err)
	}
}

func TestGetAsyncInvokeGolden(t *testing.T) {
	rec, srv := newRecorder(t, jsonOK(string(readTestdata(t, "async/get_failed.response.json"))))
	c := newTestClient(t, srv.URL, srv.Client())
	got, err := c.GetAsyncInvoke(context.Background(), testInvocationARN)
	if err != nil {
		t.Fatal(err)
	}
	want := &AsyncInvoke{
		InvocationARN:      testInvocationARN,
		ModelARN:           "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-reel-v1:1",
		ClientRequestToken: "my-token-1",
		Status:             AsyncInvokeFailed,
		FailureMessage:     "The provided prompt was blocked by our content filters.",
		SubmitTime:         time.Date(2026, 7, 31, 11, 58, 3, 123_000_000, time.UTC),
		LastModifiedTime:   time.Date(2026, 7, 31, 12, 0, 1, 0, time.UTC),
		EndTime:            time.Date(2026, 7, 31, 14, 0, 1, 500_000_000, time.FixedZone("", 2*3600)),
		OutputDataConfig: AsyncInvokeOutputDataConfig{S3OutputDataConfig: &AsyncInvokeS3OutputDataConfig{
			S3URI: "s3://my-bucket/videos/abcdef123456", BucketOwner: "123456789012"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if !got.Done() || got.OutputURI() != "s3://my-bucket/videos/abcdef123456" {
		t.Errorf("Done %v, OutputURI %q", got.Done(), got.OutputURI())
	}
	checkGolden(t, "async/get.request.txt", []byte(rec.recorded()[0].dump()))
	// The value marshals back to the service's shape, times in UTC.
	b, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "async/get_failed.marshalled.json", append(b, '\n'))
	var back AsyncInvoke
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !back.EndTime.Equal(got.EndTime) || !back.SubmitTime.Equal(got.SubmitTime) || back.Status != got.Status {
		t.Errorf("round trip: %+v, want %+v", back, got)
	}
	if _, err := c.GetAsyncInvoke(context.Background(), ""); err == nil {
		t.Error("empty ARN: no error")
	}
}

func TestListAsyncInvokesGolden(t *testing.T) {
	rec, srv := newRecorder(t, jsonOK(string(readTestdata(t, "async/list.response.json"))))
	c := newTestClient(t, srv.URL, srv.Client())
	got, err := c.ListAsyncInvokes(context.Background(), &ListAsyncInvokesInput{
		SubmitTimeAfter:  time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC),
		SubmitTimeBefore: time.Date(2026, 7, 31, 23, 59, 59, 250_000_000, time.FixedZone("", -7*3600)),
		StatusEquals:     AsyncInvokeCompleted,
		SortBy:           SortBySubmissionTime,
		SortOrder:        SortAscending,
		MaxResults:       2,
		NextToken:        "tok/en+1==",
	})
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "async/list.request.txt", []byte(rec.recorded()[0].dump()))
	if len(got.AsyncInvokeSummaries) != 2 || got.NextToken != "page-3" {
		t.Fatalf("got %d summaries, next %q", len(got.AsyncInvokeSummaries), got.NextToken)
	}
	first := got.AsyncInvokeSummaries[0]
	if first.Status != AsyncInvokeCompleted || !first.EndTime.Equal(time.Date(2026, 7, 2, 10, 5, 0, 0, time.UTC)) || first.OutputURI() != "s3://b/one" {
		t.Errorf("first summary %+v", first)
	}
	// No filters: no query at all.
	rec2, srv2 := newRecorder(t, jsonOK(`{"asyncInvokeSummaries":[]}`))
	c2 := newTestClient(t, srv2.URL, srv2.Client())
	if _, err := c2.ListAsyncInvokes(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if uri := rec2.recorded()[0].RequestURI; uri != "/async-invoke" {
		t.Errorf("request URI %q, want /async-invoke", uri)
	}
	for _, n := range []int{-1, 1001} {
		if _, err := c2.ListAsyncInvokes(context.Background(), &ListAsyncInvokesInput{MaxResults: n}); err == nil || !strings.Contains(err.Error(), "1 to 1000") {
			t.Errorf("MaxResults %d: error %v", n, err)
		}
	}
}

// TestAsyncInvokeBadTimes: a malformed time in a response is an error that
// says what was wrong, not a zero time.
func TestAsyncInvokeBadTimes(t *testing.T) {
	for _, body := range []string{
		`{"invocationArn":"a","submitTime":"yesterday"}`,
		`{"invocationArn":"a","submitTime":"2026-07-31 12:00:00"}`,
		`{"invocationArn":"a","endTime":true}`,
		`{"invocationArn":"a","endTime":1e400}`,
	} {
		_, srv := newRecorder(t, jsonOK(body))
		c := newTestClient(t, srv.URL, srv.Client())
		_, err := c.GetAsyncInvoke(context.Background(), "a")
		if err == nil || !strings.Contains(err.Error(), "timestamp") || !strings.Contains(err.Error(), "decoding response") {
			t.Errorf("%s: error %v, want a timestamp decoding error", body, err)
		}
	}
}
