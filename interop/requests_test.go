package interop

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/document"
	brtypes "github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
	"github.com/bedrockwire/bedrockwire/client"
	"github.com/bedrockwire/bedrockwire/sigv4"
)

// captured is what a recording server saw of one request.
type captured struct {
	Method        string
	RawPath       string
	RawQuery      string
	SignedHeaders []string
	Header        http.Header
	Body          []byte
}

// recorder answers every request with an empty success and keeps it.
type recorder struct {
	mu   sync.Mutex
	reqs []captured
}

func (rec *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	auth, _ := sigv4.ParseAuthorization(r.Header.Get("Authorization"))
	rec.mu.Lock()
	rec.reqs = append(rec.reqs, captured{
		Method: r.Method, RawPath: r.URL.EscapedPath(), RawQuery: r.URL.RawQuery,
		SignedHeaders: auth.SignedHeaders, Header: r.Header.Clone(), Body: body,
	})
	rec.mu.Unlock()
	switch {
	case strings.HasSuffix(r.URL.Path, "-stream"):
		w.Header().Set("Content-Type", "application/vnd.amazon.eventstream")
		w.WriteHeader(200)
	case strings.HasSuffix(r.URL.Path, "/invoke"):
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"ok":true}`)
	case strings.HasSuffix(r.URL.Path, "/count-tokens"):
		io.WriteString(w, `{"inputTokens":3}`)
	case r.URL.Path == "/async-invoke":
		io.WriteString(w, `{"invocationArn":"arn:aws:bedrock:us-east-1:123456789012:async-invoke/abc123"}`)
	case strings.HasSuffix(r.URL.Path, "/apply"):
		io.WriteString(w, `{"action":"NONE","outputs":[],"assessments":[],"usage":{"contentPolicyUnits":0,"contextualGroundingPolicyUnits":0,"sensitiveInformationPolicyFreeUnits":0,"sensitiveInformationPolicyUnits":0,"topicPolicyUnits":0,"wordPolicyUnits":0}}`)
	default:
		io.WriteString(w, `{"output":{"message":{"role":"assistant","content":[{"text":"hi"}]}},"stopReason":"end_turn","usage":{"inputTokens":1,"outputTokens":1,"totalTokens":2},"metrics":{"latencyMs":1}}`)
	}
}

func (rec *recorder) take(t *testing.T) captured {
	t.Helper()
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if len(rec.reqs) != 1 {
		t.Fatalf("want 1 request recorded, got %d", len(rec.reqs))
	}
	c := rec.reqs[0]
	rec.reqs = nil
	return c
}

// sdkOnlySigned are headers the SDK adds for its own bookkeeping.
var sdkOnly = map[string]bool{"amz-sdk-invocation-id": true, "amz-sdk-request": true, "user-agent": true, "x-amz-user-agent": true}

func filtered(hs []string) []string {
	var out []string
	for _, h := range hs {
		if !sdkOnly[h] {
			out = append(out, h)
		}
	}
	sort.Strings(out)
	return out
}

// compareRequests holds the two captured requests to the same bytes, modulo
// SDK bookkeeping headers, signature time and header order.
func compareRequests(t *testing.T, ours, sdk captured) {
	t.Helper()
	if ours.Method != sdk.Method || ours.RawPath != sdk.RawPath || ours.RawQuery != sdk.RawQuery {
		t.Errorf("request line: ours %s %s?%s, sdk %s %s?%s", ours.Method, ours.RawPath, ours.RawQuery, sdk.Method, sdk.RawPath, sdk.RawQuery)
	}
	if o, s := filtered(ours.SignedHeaders), filtered(sdk.SignedHeaders); !reflect.DeepEqual(o, s) {
		t.Errorf("signed headers: ours %v, sdk %v", o, s)
	}
	for _, h := range filtered(sdk.SignedHeaders) {
		if h == "x-amz-date" || h == "host" {
			continue
		}
		if o, s := ours.Header.Values(h), sdk.Header.Values(h); !reflect.DeepEqual(o, s) {
			t.Errorf("header %s: ours %q, sdk %q", h, o, s)
		}
	}
	if len(ours.Body) == 0 && len(sdk.Body) == 0 {
		return
	}
	if json.Valid(ours.Body) && json.Valid(sdk.Body) {
		var o, s any
		json.Unmarshal(ours.Body, &o)
		json.Unmarshal(sdk.Body, &s)
		if !reflect.DeepEqual(o, s) {
			t.Errorf("body JSON differs:\nours %s\nsdk  %s", ours.Body, sdk.Body)
		}
		return
	}
	if !bytes.Equal(ours.Body, sdk.Body) {
		t.Errorf("body differs:\nours %q\nsdk  %q", ours.Body, sdk.Body)
	}
}

func newPair(t *testing.T) (*recorder, *client.Client, *bedrockruntime.Client) {
	t.Helper()
	rec := &recorder{}
	srv := httptest.NewServer(rec)
	t.Cleanup(srv.Close)
	ours, err := client.New(client.Options{
		Region:      "us-east-1",
		Endpoint:    srv.URL,
		Credentials: sigv4.StaticCredentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "SECRET", SessionToken: "TOKEN"},
		HTTPClient:  srv.Client(),
		Retry:       client.RetryPolicy{MaxAttempts: 1},
	})
	if err != nil {
		t.Fatal(err)
	}
	sdk := bedrockruntime.New(bedrockruntime.Options{
		Region:           "us-east-1",
		BaseEndpoint:     aws.String(srv.URL),
		Credentials:      credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "SECRET", "TOKEN"),
		HTTPClient:       srv.Client(),
		RetryMaxAttempts: 1,
	})
	return rec, ours, sdk
}

const parityModel = "us.anthropic.claude-3-7-sonnet-20250219-v1:0"

func TestConverseRequestParity(t *testing.T) {
	rec, ours, sdk := newPair(t)
	ctx := context.Background()
	schema := map[string]any{"type": "object", "properties": map[string]any{"city": map[string]any{"type": "string"}}, "required": []any{"city"}}
	schemaJSON, _ := json.Marshal(schema)

	ourIn := &client.ConverseInput{
		ModelID: parityModel,
		System:  []client.SystemBlock{client.TextBlock{Text: "Be brief."}},
		Messages: []client.Message{
			{Role: client.RoleUser, Content: []client.ContentBlock{client.TextBlock{Text: "Weather in Paris?"}}},
			{Role: client.RoleAssistant, Content: []client.ContentBlock{client.ToolUseBlock{ToolUseID: "t1", Name: "weather", Input: json.RawMessage(`{"city":"Paris"}`)}}},
			{Role: client.RoleUser, Content: []client.ContentBlock{client.ToolResultBlock{ToolUseID: "t1", Content: []client.ToolResultContent{client.TextBlock{Text: "sunny"}}}}},
		},
		InferenceConfig: &client.InferenceConfig{MaxTokens: 256, Temperature: client.Ptr[float32](0.5), StopSequences: []string{"END"}},
		ToolConfig: &client.ToolConfig{
			Tools:      []client.Tool{client.ToolSpec{Name: "weather", Description: "Get weather", InputSchema: schemaJSON}},
			ToolChoice: client.AutoToolChoice{},
		},
		RequestMetadata: map[string]string{"team": "a"},
	}
	if _, err := ours.Converse(ctx, ourIn); err != nil {
		t.Fatalf("our Converse: %v", err)
	}
	oursReq := rec.take(t)

	sdkIn := &bedrockruntime.ConverseInput{
		ModelId: aws.String(parityModel),
		System:  []brtypes.SystemContentBlock{&brtypes.SystemContentBlockMemberText{Value: "Be brief."}},
		Messages: []brtypes.Message{
			{Role: brtypes.ConversationRoleUser, Content: []brtypes.ContentBlock{&brtypes.ContentBlockMemberText{Value: "Weather in Paris?"}}},
			{Role: brtypes.ConversationRoleAssistant, Content: []brtypes.ContentBlock{&brtypes.ContentBlockMemberToolUse{Value: brtypes.ToolUseBlock{ToolUseId: aws.String("t1"), Name: aws.String("weather"), Input: document.NewLazyDocument(map[string]any{"city": "Paris"})}}}},
			{Role: brtypes.ConversationRoleUser, Content: []brtypes.ContentBlock{&brtypes.ContentBlockMemberToolResult{Value: brtypes.ToolResultBlock{ToolUseId: aws.String("t1"), Content: []brtypes.ToolResultContentBlock{&brtypes.ToolResultContentBlockMemberText{Value: "sunny"}}}}}},
		},
		InferenceConfig: &brtypes.InferenceConfiguration{MaxTokens: aws.Int32(256), Temperature: aws.Float32(0.5), StopSequences: []string{"END"}},
		ToolConfig: &brtypes.ToolConfiguration{
			Tools:      []brtypes.Tool{&brtypes.ToolMemberToolSpec{Value: brtypes.ToolSpecification{Name: aws.String("weather"), Description: aws.String("Get weather"), InputSchema: &brtypes.ToolInputSchemaMemberJson{Value: document.NewLazyDocument(schema)}}}},
			ToolChoice: &brtypes.ToolChoiceMemberAuto{},
		},
		RequestMetadata: map[string]string{"team": "a"},
	}
	if _, err := sdk.Converse(ctx, sdkIn); err != nil {
		t.Fatalf("sdk Converse: %v", err)
	}
	compareRequests(t, oursReq, rec.take(t))

	// The stream variant goes to converse-stream with the same body.
	if s, err := ours.ConverseStream(ctx, ourIn); err != nil {
		t.Fatalf("our ConverseStream: %v", err)
	} else {
		for range s.All() {
		}
		s.Close()
	}
	oursReq = rec.take(t)
	sin := &bedrockruntime.ConverseStreamInput{ModelId: sdkIn.ModelId, System: sdkIn.System, Messages: sdkIn.Messages, InferenceConfig: sdkIn.InferenceConfig, ToolConfig: sdkIn.ToolConfig, RequestMetadata: sdkIn.RequestMetadata}
	if out, err := sdk.ConverseStream(ctx, sin); err != nil {
		t.Fatalf("sdk ConverseStream: %v", err)
	} else {
		for range out.GetStream().Events() {
		}
		out.GetStream().Close()
	}
	compareRequests(t, oursReq, rec.take(t))
}

func TestInvokeRequestParity(t *testing.T) {
	rec, ours, sdk := newPair(t)
	ctx := context.Background()
	body := []byte(`{"anthropic_version":"bedrock-2023-05-31","max_tokens":64,"messages":[{"role":"user","content":"hi"}]}`)
	for _, id := range []string{"anthropic.claude-3-5-sonnet-20241022-v2:0", "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123"} {
		in := &client.InvokeModelInput{ModelID: id, Body: body, Accept: "application/json", Trace: client.TraceEnabled, GuardrailIdentifier: "gr-1", GuardrailVersion: "2", PerformanceConfigLatency: "optimized"}
		if _, err := ours.InvokeModel(ctx, in); err != nil {
			t.Fatalf("our InvokeModel: %v", err)
		}
		o := rec.take(t)
		if _, err := sdk.InvokeModel(ctx, &bedrockruntime.InvokeModelInput{
			ModelId: aws.String(id), Body: body, ContentType: aws.String("application/json"), Accept: aws.String("application/json"),
			Trace: brtypes.TraceEnabled, GuardrailIdentifier: aws.String("gr-1"), GuardrailVersion: aws.String("2"), PerformanceConfigLatency: brtypes.PerformanceConfigLatencyOptimized,
		}); err != nil {
			t.Fatalf("sdk InvokeModel: %v", err)
		}
		compareRequests(t, o, rec.take(t))

		s, err := ours.InvokeModelWithResponseStream(ctx, in)
		if err != nil {
			t.Fatalf("our InvokeModelWithResponseStream: %v", err)
		}
		for range s.All() {
		}
		s.Close()
		o = rec.take(t)
		out, err := sdk.InvokeModelWithResponseStream(ctx, &bedrockruntime.InvokeModelWithResponseStreamInput{
			ModelId: aws.String(id), Body: body, ContentType: aws.String("application/json"), Accept: aws.String("application/json"),
			Trace: brtypes.TraceEnabled, GuardrailIdentifier: aws.String("gr-1"), GuardrailVersion: aws.String("2"), PerformanceConfigLatency: brtypes.PerformanceConfigLatencyOptimized,
		})
		if err != nil {
			t.Fatalf("sdk InvokeModelWithResponseStream: %v", err)
		}
		for range out.GetStream().Events() {
		}
		out.GetStream().Close()
		compareRequests(t, o, rec.take(t))
	}
}

func TestCountTokensAndGuardrailParity(t *testing.T) {
	rec, ours, sdk := newPair(t)
	ctx := context.Background()
	msgs := []client.Message{{Role: client.RoleUser, Content: []client.ContentBlock{client.TextBlock{Text: "count me"}}}}
	if _, err := ours.CountTokens(ctx, "anthropic.claude-3-5-haiku-20241022-v1:0", client.ConverseTokens{Messages: msgs}); err != nil {
		t.Fatalf("our CountTokens: %v", err)
	}
	o := rec.take(t)
	if _, err := sdk.CountTokens(ctx, &bedrockruntime.CountTokensInput{
		ModelId: aws.String("anthropic.claude-3-5-haiku-20241022-v1:0"),
		Input: &brtypes.CountTokensInputMemberConverse{Value: brtypes.ConverseTokensRequest{Messages: []brtypes.Message{
			{Role: brtypes.ConversationRoleUser, Content: []brtypes.ContentBlock{&brtypes.ContentBlockMemberText{Value: "count me"}}},
		}}},
	}); err != nil {
		t.Fatalf("sdk CountTokens: %v", err)
	}
	compareRequests(t, o, rec.take(t))

	if _, err := ours.ApplyGuardrail(ctx, "gr-abc", "DRAFT", &client.ApplyGuardrailInput{Source: client.GuardrailSourceInput, Content: []client.GuardrailContent{client.GuardrailText{Text: "hello"}}}); err != nil {
		t.Fatalf("our ApplyGuardrail: %v", err)
	}
	o = rec.take(t)
	if _, err := sdk.ApplyGuardrail(ctx, &bedrockruntime.ApplyGuardrailInput{
		GuardrailIdentifier: aws.String("gr-abc"), GuardrailVersion: aws.String("DRAFT"), Source: brtypes.GuardrailContentSourceInput,
		Content: []brtypes.GuardrailContentBlock{&brtypes.GuardrailContentBlockMemberText{Value: brtypes.GuardrailTextBlock{Text: aws.String("hello")}}},
	}); err != nil {
		t.Fatalf("sdk ApplyGuardrail: %v", err)
	}
	compareRequests(t, o, rec.take(t))
}

func TestStartAsyncInvokeParity(t *testing.T) {
	rec, ours, sdk := newPair(t)
	ctx := context.Background()
	input := map[string]any{"taskType": "TEXT_VIDEO", "textToVideoParams": map[string]any{"text": "a kite"}, "videoGenerationConfig": map[string]any{"durationSeconds": 6, "fps": 24, "dimension": "1280x720"}}
	if _, err := ours.StartAsyncInvoke(ctx, &client.StartAsyncInvokeInput{
		ModelID: "amazon.nova-reel-v1:1", ModelInput: input, OutputDataConfig: client.S3Output("s3://bucket/out/"),
		ClientRequestToken: "00000000-0000-4000-8000-000000000001", Tags: []client.Tag{{Key: "team", Value: "a"}},
	}); err != nil {
		t.Fatalf("our StartAsyncInvoke: %v", err)
	}
	o := rec.take(t)
	if _, err := sdk.StartAsyncInvoke(ctx, &bedrockruntime.StartAsyncInvokeInput{
		ModelId: aws.String("amazon.nova-reel-v1:1"), ModelInput: document.NewLazyDocument(input),
		OutputDataConfig:   &brtypes.AsyncInvokeOutputDataConfigMemberS3OutputDataConfig{Value: brtypes.AsyncInvokeS3OutputDataConfig{S3Uri: aws.String("s3://bucket/out/")}},
		ClientRequestToken: aws.String("00000000-0000-4000-8000-000000000001"), Tags: []brtypes.Tag{{Key: aws.String("team"), Value: aws.String("a")}},
	}); err != nil {
		t.Fatalf("sdk StartAsyncInvoke: %v", err)
	}
	compareRequests(t, o, rec.take(t))
}
