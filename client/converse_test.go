package client

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// cvJSONEqual compares json.RawMessage values by meaning, not spacing.
var cvJSONEqual = cmp.Comparer(func(a, b json.RawMessage) bool {
	if len(a) == 0 || len(b) == 0 {
		return len(a) == len(b)
	}
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return bytes.Equal(a, b)
	}
	return cmp.Equal(x, y)
})

func cvB64(t testing.TB, s string) []byte {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func cvRaw(s string) json.RawMessage { return json.RawMessage(s) }

// cvDump renders a request for the golden files of this family, every
// header included: the client sends no Accept header on these operations,
// as the AWS SDKs do not, and the goldens hold it to that.
func cvDump(r recordedRequest) []byte { return []byte(r.dump()) }

// cvFullInput is a Converse request that uses every request-side union
// member at least once.
func cvFullInput() *ConverseInput {
	return &ConverseInput{
		ModelID: "us.anthropic.claude-3-5-haiku-20241022-v1:0",
		Messages: []Message{
			{Role: RoleUser, Content: []ContentBlock{
				TextBlock{Text: "Describe these.\n\"Quoted\" <tag> & é"},
				ImageBlock{Format: ImageFormatPNG, Source: BytesSource("\x89PNG\r\n\x1a\n")},
				ImageBlock{Format: ImageFormatJPEG, Source: S3Location{URI: "s3://bucket/cat.jpg", BucketOwner: "123456789012"}},
				DocumentBlock{Format: DocumentFormatPDF, Name: "report", Source: BytesSource("data:application/pdf;base64,JVBERi0xLjQ="),
					Context: "quarterly", Citations: &CitationsConfig{Enabled: true}},
				DocumentBlock{Format: DocumentFormatTXT, Name: "report", Source: TextSource("same name twice is allowed")},
				DocumentBlock{Name: "chunks", Source: ContentSource{{Text: "one"}, {Text: "two"}}},
				VideoBlock{Format: VideoFormatMP4, Source: S3Location{URI: "s3://bucket/clip.mp4"}},
				VideoBlock{Format: "webm", Source: BytesSource{0x1a, 0x45, 0xdf, 0xa3}},
				AudioBlock{Format: AudioFormatWAV, Source: BytesSource("RIFF")},
				GuardContentBlock{Content: GuardrailText{Text: "check me", Qualifiers: []string{QualifierGuardContent}}},
				GuardContentBlock{Content: GuardrailImage{Format: ImageFormatJPEG, Bytes: []byte{0xff, 0xd8}}},
				SearchResultBlock{Source: "https://go.dev", Title: "Go", Content: []SearchResultContent{{Text: "The Go language"}},
					Citations: &CitationsConfig{Enabled: true}},
				CachePointBlock{TTL: CacheTTL5m},
			}},
			{Role: RoleAssistant, Content: []ContentBlock{
				ReasoningBlock{Text: "I should call the tool.", Signature: "sig-1"},
				ReasoningBlock{Redacted: []byte("secret")},
				TextBlock{Text: "Calling."},
				CitationsBlock{
					Content: []CitationGeneratedContent{{Text: "Paris is the capital."}},
					Citations: []Citation{{Title: "Doc", Source: "report", SourceContent: []CitationSourceContent{{Text: "Paris"}},
						Location: DocumentCharLocation{DocumentIndex: 0, Start: 3, End: 8}}},
				},
				ToolUseBlock{ToolUseID: "tooluse_1", Name: "get_weather", Input: cvRaw(`{"city":"Paris"}`)},
				ToolUseBlock{ToolUseID: "tooluse_2", Name: "now"},
				ToolAdditionBlock{Tool: ToolReference{Type: "mcp", Name: "fetch", ServerName: "web"}},
				ToolRemovalBlock{Tool: ToolReference{Name: "fetch"}},
				UnknownBlock{Name: "hologram", Raw: cvRaw(`{"frames":[1,2,3]}`)},
			}},
			{Role: RoleUser, Content: []ContentBlock{
				ToolResultBlock{ToolUseID: "tooluse_1", Status: ToolResultSuccess, Content: []ToolResultContent{
					TextBlock{Text: "sunny"},
					JSONBlock{JSON: cvRaw(`{"temp":21.5}`)},
					ImageBlock{Format: ImageFormatGIF, Source: BytesSource("GIF89a")},
					DocumentBlock{Format: DocumentFormatCSV, Name: "table", Source: TextSource("a,b")},
					VideoBlock{Format: "mov", Source: S3Location{URI: "s3://bucket/v.mov"}},
					SearchResultBlock{Source: "s", Title: "t", Content: []SearchResultContent{{Text: "c"}}},
				}},
				ToolResultBlock{ToolUseID: "tooluse_2", Status: ToolResultError, Content: []ToolResultContent{TextBlock{Text: "no clock"}}},
			}},
		},
		System: []SystemBlock{
			TextBlock{Text: "You are terse."},
			GuardContentBlock{Content: GuardrailText{Text: "system guard"}},
			CachePointBlock{Type: "default", TTL: CacheTTL1h},
		},
		InferenceConfig: &InferenceConfig{MaxTokens: 512, Temperature: Ptr[float32](0), TopP: Ptr[float32](0.9),
			StopSequences: []string{"\n\nHuman:"}},
		ToolConfig: &ToolConfig{
			Tools: []Tool{
				ToolSpec{Name: "get_weather", Description: "Weather for a city",
					InputSchema: cvRaw(`{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}`), Strict: true},
				ToolSpec{Name: "now"},
				SystemTool{Name: "nova_grounding"},
				CachePointBlock{},
			},
			ToolChoice: SpecificToolChoice{Name: "get_weather"},
		},
		GuardrailConfig:                   &GuardrailConfig{GuardrailIdentifier: "gr1", GuardrailVersion: "DRAFT", Trace: "enabled"},
		AdditionalModelRequestFields:      cvRaw(`{"top_k":200,"thinking":{"type":"enabled","budget_tokens":1024}}`),
		AdditionalModelResponseFieldPaths: []string{"/stop_sequence"},
		PromptVariables:                   map[string]PromptVariable{"genre": {Text: "jazz"}, "city": {Text: "Paris"}},
		RequestMetadata:                   map[string]string{"team": "search", "env": "prod"},
		PerformanceConfig:                 &PerformanceConfig{Latency: "optimized"},
		ServiceTier:                       &ServiceTier{Type: "flex"},
		OutputConfig: &OutputConfig{TextFormat: &OutputFormat{Type: "json_schema", Structure: OutputFormatStructure{
			JSONSchema: &JSONSchemaDefinition{Schema: `{"type":"object"}`, Name: "answer"}}}, Effort: "high"},
	}
}

func TestConverseRequestGolden(t *testing.T) {
	resp := readTestdata(t, "converse/response_all.json")
	rec, srv := newRecorder(t, respond(200, string(resp), "Content-Type", "application/json", "X-Amzn-Requestid", "req-1"))
	c := newTestClient(t, srv.URL, srv.Client())
	if _, err := c.Converse(context.Background(), cvFullInput()); err != nil {
		t.Fatalf("Converse: %v", err)
	}
	reqs := rec.recorded()
	if len(reqs) != 1 {
		t.Fatalf("%d requests, want 1", len(reqs))
	}
	checkGolden(t, "converse/request_all.txt", cvDump(reqs[0]))
}

func TestConverseToolChoices(t *testing.T) {
	for _, tc := range []struct {
		choice ToolChoice
		want   string
	}{
		{AutoToolChoice{}, `{"auto":{}}`},
		{AnyToolChoice{}, `{"any":{}}`},
		{SpecificToolChoice{Name: "f"}, `{"tool":{"name":"f"}}`},
		{UnknownBlock{Name: "none", Raw: cvRaw(`{}`)}, `{"none":{}}`},
	} {
		b, err := json.Marshal(ToolConfig{Tools: []Tool{ToolSpec{Name: "f"}}, ToolChoice: tc.choice})
		if err != nil {
			t.Fatal(err)
		}
		want := `{"tools":[{"toolSpec":{"name":"f","inputSchema":{"json":{}}}}],"toolChoice":` + tc.want + `}`
		if diff := cmp.Diff(want, string(b)); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
		var back ToolConfig
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tc.choice, back.ToolChoice, cvJSONEqual); diff != "" {
			t.Errorf("round trip (-want +got):\n%s", diff)
		}
	}
}

// cvFullOutput is testdata/converse/response_all.json as typed values.
func cvFullOutput(t testing.TB) *ConverseOutput {
	return &ConverseOutput{
		Message: Message{Role: RoleAssistant, Content: []ContentBlock{
			TextBlock{Text: "Hello \"world\" é"},
			ImageBlock{Format: "png", Source: BytesSource(cvB64(t, "iVBORw0KGgo="))},
			ImageBlock{Format: "jpeg", Source: S3Location{URI: "s3://bucket/cat.jpg", BucketOwner: "123456789012"}, Error: &ErrorBlock{Message: "partial"}},
			DocumentBlock{Format: "pdf", Name: "report", Source: BytesSource("%PDF-1.4"), Context: "the Q3 report", Citations: &CitationsConfig{Enabled: true}},
			DocumentBlock{Format: "txt", Name: "notes", Source: TextSource("plain notes")},
			DocumentBlock{Name: "chunks", Source: ContentSource{{Text: "one"}, {Text: "two"}}},
			DocumentBlock{Format: "md", Name: "s3doc", Source: S3Location{URI: "s3://bucket/doc.md"}},
			VideoBlock{Format: "mp4", Source: S3Location{URI: "s3://bucket/clip.mp4"}},
			VideoBlock{Format: "webm", Source: BytesSource{0x1a, 0x45, 0xdf, 0xa3}},
			AudioBlock{Format: "wav", Source: BytesSource("RIFF"), Error: &ErrorBlock{Message: "clipped"}},
			ToolUseBlock{ToolUseID: "tooluse_1", Name: "get_weather", Input: cvRaw(`{"city":"Paris","days":[1,2]}`)},
			ToolUseBlock{ToolUseID: "srv_1", Name: "web_search", Input: cvRaw(`{"q":"go"}`), Type: "server_tool_use"},
			ToolResultBlock{ToolUseID: "srv_1", Status: "success", Type: "web_search_result", Content: []ToolResultContent{
				TextBlock{Text: "result text"},
				JSONBlock{JSON: cvRaw(`{"temp":21.5}`)},
				ImageBlock{Format: "gif", Source: BytesSource("GIF89a")},
				DocumentBlock{Format: "csv", Name: "table", Source: TextSource("a,b")},
				VideoBlock{Format: "mov", Source: S3Location{URI: "s3://bucket/v.mov"}},
				SearchResultBlock{Source: "https://go.dev", Title: "Go", Content: []SearchResultContent{{Text: "The Go language"}}, Citations: &CitationsConfig{}},
				UnknownBlock{Name: "futureResult", Raw: cvRaw(`{"x":1}`)},
			}},
			GuardContentBlock{Content: GuardrailText{Text: "guard me", Qualifiers: []string{"guard_content", "query"}}},
			GuardContentBlock{Content: GuardrailImage{Format: "jpeg", Bytes: cvB64(t, "/9j/4AAQ")}},
			CachePointBlock{Type: "default", TTL: "1h"},
			ReasoningBlock{Text: "Let me think.", Signature: "sig-abc"},
			ReasoningBlock{Redacted: []byte("secret")},
			UnknownBlock{Name: "reasoningContent", Raw: cvRaw(`{"reasoningSummary":{"text":"from the future"}}`)},
			CitationsBlock{
				Content: []CitationGeneratedContent{{Text: "Paris is the capital."}},
				Citations: []Citation{
					{Title: "Web", Source: "https://example.com", SourceContent: []CitationSourceContent{{Text: "Paris is"}},
						Location: WebLocation{URL: "https://example.com/p", Domain: "example.com"}},
					{Title: "Doc", Location: DocumentCharLocation{DocumentIndex: 0, Start: 3, End: 17}},
					{Location: DocumentPageLocation{DocumentIndex: 1, Start: 2, End: 3}},
					{Location: DocumentChunkLocation{DocumentIndex: 2, Start: 0, End: 1}},
					{Location: SearchResultLocation{}},
					{Location: UnknownBlock{Name: "audioTime", Raw: cvRaw(`{"start":1}`)}},
				},
			},
			SearchResultBlock{Source: "s", Title: "t", Content: []SearchResultContent{{Text: "c"}}},
			ToolAdditionBlock{Tool: ToolReference{Type: "mcp", Name: "fetch", ServerName: "web"}},
			ToolRemovalBlock{Tool: ToolReference{Name: "fetch"}},
			UnknownBlock{Name: "hologram", Raw: cvRaw(`{"frames":[1,2,3],"nested":{"a":null}}`)},
		}},
		StopReason: StopReasonToolUse,
		Usage: Usage{InputTokens: 120, OutputTokens: 45, TotalTokens: 165, CacheReadInputTokens: 100, CacheWriteInputTokens: 20,
			CacheDetails: []CacheDetail{{TTL: "5m", InputTokens: 15}, {TTL: "1h", InputTokens: 5}}},
		Metrics:                       Metrics{LatencyMs: 842},
		AdditionalModelResponseFields: cvRaw(`{"stop_sequence":null,"model":{"version":3}}`),
		Trace: &Trace{
			Guardrail: &GuardrailTraceAssessment{
				ModelOutput: []string{"raw output"},
				InputAssessment: map[string]GuardrailAssessment{"gr1": {TopicPolicy: &GuardrailTopicPolicyAssessment{
					Topics: []GuardrailTopic{{Name: "Finance", Type: "DENY", Action: "BLOCKED", Detected: Ptr(true)}}}}},
				OutputAssessments: map[string][]GuardrailAssessment{"gr1": {{ContentPolicy: &GuardrailContentPolicyAssessment{
					Filters: []GuardrailContentFilter{{Type: "HATE", Confidence: "LOW", FilterStrength: "HIGH", Action: "NONE", Detected: Ptr(false)}}}}}},
				ActionReason: "no action",
			},
			PromptRouter: &PromptRouterTrace{InvokedModelID: "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0"},
		},
		PerformanceConfig: &PerformanceConfig{Latency: "optimized"},
		ServiceTier:       &ServiceTier{Type: "priority"},
	}
}

func TestConverseResponseDecoded(t *testing.T) {
	resp := readTestdata(t, "converse/response_all.json")
	_, srv := newRecorder(t, respond(200, string(resp), "Content-Type", "application/json"))
	c := newTestClient(t, srv.URL, srv.Client())
	got, err := c.Converse(context.Background(), &ConverseInput{ModelID: "m", Messages: []Message{{Role: RoleUser, Content: []ContentBlock{TextBlock{"hi"}}}}})
	if err != nil {
		t.Fatalf("Converse: %v", err)
	}
	if diff := cmp.Diff(cvFullOutput(t), got, cvJSONEqual); diff != "" {
		t.Errorf("decoded output (-want +got):\n%s", diff)
	}
	if got, want := got.Text(), "Hello \"world\" éParis is the capital."; got != want {
		t.Errorf("Text() = %q, want %q", got, want)
	}
	if n := len(got.ToolUses()); n != 2 {
		t.Errorf("ToolUses() has %d blocks, want 2", n)
	}
}

// TestConverseOutputRoundTrip re-marshals the decoded response: every
// member, the unknown ones included, comes back as it was sent.
func TestConverseOutputRoundTrip(t *testing.T) {
	resp := readTestdata(t, "converse/response_all.json")
	var out ConverseOutput
	if err := json.Unmarshal(resp, &out); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(cvRaw(string(resp)), cvRaw(string(b)), cvJSONEqual); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}

// TestConverseInputRoundTrip decodes the golden request body back into a
// ConverseInput and compares it with the input that produced it.
func TestConverseInputRoundTrip(t *testing.T) {
	in := cvFullInput()
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	var back ConverseInput
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	want := *in
	want.ModelID = ""
	// the data URL was sent as its payload
	want.Messages = append([]Message(nil), in.Messages...)
	want.Messages[0].Content = append([]ContentBlock(nil), in.Messages[0].Content...)
	d := want.Messages[0].Content[3].(DocumentBlock)
	d.Source = BytesSource("%PDF-1.4")
	want.Messages[0].Content[3] = d
	want.Messages[0].Content[12] = CachePointBlock{Type: "default", TTL: CacheTTL5m}
	// empty tool input and schema are sent as {}
	want.Messages[1].Content = append([]ContentBlock(nil), in.Messages[1].Content...)
	tu := want.Messages[1].Content[5].(ToolUseBlock)
	tu.Input = cvRaw(`{}`)
	want.Messages[1].Content[5] = tu
	tc := *in.ToolConfig
	tc.Tools = append([]Tool(nil), tc.Tools...)
	tc.Tools[1] = ToolSpec{Name: "now", InputSchema: cvRaw(`{}`)}
	tc.Tools[3] = CachePointBlock{Type: "default"}
	want.ToolConfig = &tc
	want.System = append([]SystemBlock(nil), in.System...)
	if diff := cmp.Diff(&want, &back, cvJSONEqual); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}

func TestDataURLStripped(t *testing.T) {
	for _, tc := range []struct {
		in   []byte
		want string
	}{
		{[]byte("data:image/png;base64,iVBORw0KGgo="), `"iVBORw0KGgo="`},
		{[]byte("data:image/png;base64,iVBORw0KGgo"), `"iVBORw0KGgo="`},     // unpadded
		{[]byte("data:text/plain,hello"), `"ZGF0YTp0ZXh0L3BsYWluLGhlbGxv"`}, // not base64: sent as bytes
		{[]byte("plain"), `"cGxhaW4="`},
		{[]byte{}, `""`},
	} {
		got, err := json.Marshal(BytesSource(tc.in))
		if err != nil {
			t.Errorf("%q: %v", tc.in, err)
			continue
		}
		if string(got) != tc.want {
			t.Errorf("%q: got %s, want %s", tc.in, got, tc.want)
		}
	}
	if _, err := json.Marshal(BytesSource("data:image/png;base64,!!!")); err == nil {
		t.Error("data URL with a bad payload: no error")
	}
}

func TestConverseInputErrors(t *testing.T) {
	_, srv := newRecorder(t, respond(500, `{"message":"must not be called"}`))
	c := newTestClient(t, srv.URL, srv.Client())
	ctx := context.Background()
	for name, tc := range map[string]struct {
		in   *ConverseInput
		want string
	}{
		"nil":            {nil, "nil input"},
		"no model":       {&ConverseInput{}, "ModelID is empty"},
		"streamMode":     {&ConverseInput{ModelID: "m", GuardrailConfig: &GuardrailConfig{StreamProcessingMode: "async"}}, "ConverseStream only"},
		"bad fields":     {&ConverseInput{ModelID: "m", AdditionalModelRequestFields: cvRaw(`{"a":`)}, "not valid JSON"},
		"bad tool":       {&ConverseInput{ModelID: "m", Messages: []Message{{Role: RoleAssistant, Content: []ContentBlock{ToolUseBlock{Name: "x", Input: cvRaw("{")}}}}}, "toolUse input is not valid JSON"},
		"bad unknown":    {&ConverseInput{ModelID: "m", Messages: []Message{{Role: RoleUser, Content: []ContentBlock{UnknownBlock{Name: "x", Raw: cvRaw("nope")}}}}}, "Raw is not valid JSON"},
		"nil block":      {&ConverseInput{ModelID: "m", Messages: []Message{{Role: RoleUser, Content: []ContentBlock{nil}}}}, "nil union member"},
		"both reasoning": {&ConverseInput{ModelID: "m", Messages: []Message{{Role: RoleAssistant, Content: []ContentBlock{ReasoningBlock{Text: "a", Redacted: []byte("b")}}}}}, "both Redacted and Text"},
	} {
		_, err := c.Converse(ctx, tc.in)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want it to contain %q", name, err, tc.want)
		}
	}
}

func TestConverseServiceError(t *testing.T) {
	_, srv := newRecorder(t, respond(400, `{"message":"messages: at least one"}`,
		"X-Amzn-Errortype", "ValidationException:http://internal.amazon.com/coral/", "X-Amzn-Requestid", "req-9"))
	c := newTestClient(t, srv.URL, srv.Client())
	_, err := c.Converse(context.Background(), &ConverseInput{ModelID: "m"})
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v is not a *Error", err)
	}
	want := &Error{Op: "Converse", StatusCode: 400, Code: CodeValidation, Message: "messages: at least one", RequestID: "req-9"}
	if diff := cmp.Diff(want, e); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestUnionDecodeErrors(t *testing.T) {
	for _, tc := range []struct {
		body, want string
	}{
		{`{"role":"user","content":[{"text":"a","image":{"format":"png"}}]}`, "2 members set"},
		{`{"role":"user","content":[{}]}`, "no member set"},
		{`{"role":"user","content":[{"__type":"x"}]}`, "no member set"},
		{`{"role":"user","content":[null]}`, "union is null"},
		{`{"role":"user","content":[{"text":5}]}`, "cannot unmarshal"},
		{`{"role":"user","content":[{"image":{"format":"png","source":{"bytes":"***"}}}]}`, "illegal base64"},
		{`{"role":"user","content":[{"toolUse":{"input":}}]}`, "invalid character"},
		{`{"role":"user","content":{}}`, "cannot unmarshal"},
	} {
		var m Message
		err := json.Unmarshal([]byte(tc.body), &m)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want it to contain %q", tc.body, err, tc.want)
		}
	}
	// null members and __type are ignored
	var m Message
	if err := json.Unmarshal([]byte(`{"role":"user","content":[{"__type":"t","image":null,"text":"ok"}]}`), &m); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(Message{Role: RoleUser, Content: []ContentBlock{TextBlock{"ok"}}}, m); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	var o ConverseOutput
	if err := json.Unmarshal([]byte(`{"stopReason":"end_turn"}`), &o); err == nil {
		t.Error("response without output: no error")
	}
	if err := json.Unmarshal([]byte(`{"output":{"audioOut":{"x":1}},"stopReason":"end_turn"}`), &o); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&UnknownBlock{Name: "audioOut", Raw: cvRaw(`{"x":1}`)}, o.UnknownOutput); diff != "" {
		t.Errorf("unknown output (-want +got):\n%s", diff)
	}
}

func TestToolUseHelpers(t *testing.T) {
	in, err := ToJSON(map[string]any{"city": "Paris"})
	if err != nil {
		t.Fatal(err)
	}
	b := ToolUseBlock{Name: "w", Input: in}
	var got struct{ City string }
	if err := b.DecodeInput(&got); err != nil || got.City != "Paris" {
		t.Errorf("DecodeInput: %+v, %v", got, err)
	}
	if err := (ToolUseBlock{Name: "w", Input: cvRaw(`[`)}).DecodeInput(&got); err == nil || !strings.Contains(err.Error(), `tool "w" input`) {
		t.Errorf("DecodeInput of bad JSON: %v", err)
	}
	if _, err := ToJSON(json.RawMessage(`{`)); err == nil {
		t.Error("ToJSON of invalid RawMessage: no error")
	}
	if _, err := ToJSON(func() {}); err == nil {
		t.Error("ToJSON of a func: no error")
	}
	if r, err := ToJSON([]byte(`{"a":1}`)); err != nil || string(r) != `{"a":1}` {
		t.Errorf("ToJSON([]byte) = %s, %v", r, err)
	}
	var j JSONBlock
	if err := json.Unmarshal([]byte(`{"n":2}`), &j); err != nil {
		t.Fatal(err)
	}
	var n struct{ N int }
	if err := j.Decode(&n); err != nil || n.N != 2 {
		t.Errorf("JSONBlock.Decode: %+v, %v", n, err)
	}
}

// cvRoundTrip is an http.RoundTripper answering from memory, so a
// benchmark measures the client alone.
type cvRoundTrip struct{ body []byte }

func (rt cvRoundTrip) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		r.Body.Close()
	}
	return &http.Response{StatusCode: 200, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header:  http.Header{"Content-Type": {"application/json"}, "X-Amzn-Requestid": {"r"}},
		Body:    noopCloser{bytes.NewReader(rt.body)},
		Request: r}, nil
}

type noopCloser struct{ *bytes.Reader }

func (noopCloser) Close() error { return nil }

// BenchmarkConverseOverhead measures one Converse call without a network:
// building and signing nothing (bearer auth), marshalling a small
// conversation, and decoding a typical reply.
func BenchmarkConverseOverhead(b *testing.B) {
	reply := []byte(`{"output":{"message":{"role":"assistant","content":[{"text":"Paris is the capital of France."}]}},` +
		`"stopReason":"end_turn","usage":{"inputTokens":12,"outputTokens":8,"totalTokens":20},"metrics":{"latencyMs":300}}`)
	c := newTestClient(b, "http://127.0.0.1:1", &http.Client{Transport: cvRoundTrip{reply}})
	in := &ConverseInput{
		ModelID:         "us.anthropic.claude-3-5-haiku-20241022-v1:0",
		System:          []SystemBlock{TextBlock{"You are terse."}},
		Messages:        []Message{{Role: RoleUser, Content: []ContentBlock{TextBlock{"What is the capital of France?"}}}},
		InferenceConfig: &InferenceConfig{MaxTokens: 256, Temperature: Ptr[float32](0.2)},
	}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Converse(ctx, in); err != nil {
			b.Fatal(err)
		}
	}
}
