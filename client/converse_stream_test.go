package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"

	"github.com/bedrockwire/bedrockwire/eventstream"
	"github.com/google/go-cmp/cmp"
)

// cvStreamEvents reads testdata/converse_stream/events.json: the events of
// a stream as (type, payload) pairs, payloads compacted as Bedrock sends
// them.
func cvStreamEvents(t testing.TB) []*eventstream.Message {
	t.Helper()
	var evs []struct {
		Type    string          `json:"type"`
		Payload json.RawMessage `json:"payload"`
	}
	if err := json.Unmarshal(readTestdata(t, "converse_stream/events.json"), &evs); err != nil {
		t.Fatal(err)
	}
	msgs := make([]*eventstream.Message, len(evs))
	for i, e := range evs {
		var buf bytes.Buffer
		if err := json.Compact(&buf, e.Payload); err != nil {
			t.Fatal(err)
		}
		msgs[i] = eventstream.NewEvent(e.Type, "application/json", buf.Bytes())
	}
	return msgs
}

// cvWantEvents is testdata/converse_stream/events.json as typed events.
func cvWantEvents(t testing.TB) []ConverseStreamEvent {
	return []ConverseStreamEvent{
		MessageStartEvent{Role: RoleAssistant},
		ContentBlockDeltaEvent{0, ReasoningTextDelta{"Let me "}},
		ContentBlockDeltaEvent{0, ReasoningTextDelta{"check."}},
		ContentBlockDeltaEvent{0, ReasoningSignatureDelta{"sig-abc"}},
		ContentBlockStopEvent{0},
		ContentBlockDeltaEvent{1, TextDelta{"Paris is "}},
		ContentBlockDeltaEvent{1, TextDelta{"sunny\n\"today\" é 😀"}},
		ContentBlockStopEvent{1},
		ContentBlockDeltaEvent{2, TextDelta{"It is the capital."}},
		ContentBlockDeltaEvent{2, CitationDelta{Title: "Web", Source: "https://example.com",
			SourceContent: []CitationSourceContent{{Text: "capital of France"}},
			Location:      WebLocation{URL: "https://example.com/p", Domain: "example.com"}}},
		ContentBlockStopEvent{2},
		ContentBlockStartEvent{3, ToolUseStart{ToolUseID: "tooluse_1", Name: "get_weather"}},
		ContentBlockDeltaEvent{3, ToolUseDelta{`{"city": `}},
		ContentBlockDeltaEvent{3, ToolUseDelta{`"Paris", "days": [1, 2]}`}},
		ContentBlockStopEvent{3},
		ContentBlockDeltaEvent{4, RedactedReasoningDelta{[]byte("sec")}},
		ContentBlockDeltaEvent{4, RedactedReasoningDelta{[]byte("ret")}},
		ContentBlockStopEvent{4},
		ContentBlockStartEvent{5, ToolResultStart{ToolUseID: "srv_1", Type: "web_search_result", Status: ToolResultSuccess}},
		ContentBlockDeltaEvent{5, ToolResultDelta{[]ToolResultContent{TextBlock{"result "}, TextBlock{"text"}}}},
		ContentBlockDeltaEvent{5, ToolResultDelta{[]ToolResultContent{JSONBlock{cvRaw(`{"temp":21.5}`)}}}},
		ContentBlockStopEvent{5},
		ContentBlockStartEvent{6, ImageStart{Format: ImageFormatPNG}},
		ContentBlockDeltaEvent{6, ImageDelta{Source: BytesSource(cvB64(t, "iVBORw0KGgo="))}},
		ContentBlockStopEvent{6},
		ContentBlockDeltaEvent{7, UnknownBlock{Name: "audio", Raw: cvRaw(`{"chunk":"AAAA"}`)}},
		ContentBlockStopEvent{7},
		UnknownEvent{Type: "futureEvent", Payload: cvRaw(`{"anything":[1,2],"p":"abc"}`)},
		MessageStopEvent{StopReason: StopReasonToolUse, AdditionalModelResponseFields: cvRaw(`{"stop_sequence":null}`)},
		MetadataEvent{
			Usage: Usage{InputTokens: 120, OutputTokens: 45, TotalTokens: 165, CacheReadInputTokens: 100, CacheWriteInputTokens: 20,
				CacheDetails: []CacheDetail{{TTL: "5m", InputTokens: 20}}},
			Metrics:           Metrics{LatencyMs: 842},
			Trace:             &Trace{PromptRouter: &PromptRouterTrace{InvokedModelID: "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0"}},
			PerformanceConfig: &PerformanceConfig{Latency: "optimized"},
			ServiceTier:       &ServiceTier{Type: "priority"},
		},
	}
}

func TestConverseStreamEventsDecoded(t *testing.T) {
	body := encodeMessages(t, cvStreamEvents(t)...)
	rec, srv := newRecorder(t, streamResponder(body))
	c := newTestClient(t, srv.URL, srv.Client())
	in := &ConverseInput{
		ModelID:         "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-5-haiku-20241022-v1:0",
		Messages:        []Message{{Role: RoleUser, Content: []ContentBlock{TextBlock{"Weather in Paris?"}}}},
		GuardrailConfig: &GuardrailConfig{GuardrailIdentifier: "gr1", GuardrailVersion: "1", StreamProcessingMode: "async"},
	}
	s, err := c.ConverseStream(context.Background(), in)
	if err != nil {
		t.Fatalf("ConverseStream: %v", err)
	}
	defer s.Close()
	var got []ConverseStreamEvent
	for ev, err := range s.All() {
		if err != nil {
			t.Fatalf("stream: %v", err)
		}
		got = append(got, ev)
	}
	if diff := cmp.Diff(cvWantEvents(t), got, cvJSONEqual); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	checkGolden(t, "converse_stream/request.txt", cvDump(rec.recorded()[0]))
}

// TestAccumulateEqualsConverse folds the stream of a conversation and
// compares the result with the Converse response for the same conversation.
func TestAccumulateEqualsConverse(t *testing.T) {
	body := encodeMessages(t, cvStreamEvents(t)...)
	_, srv := newRecorder(t, streamResponder(body))
	c := newTestClient(t, srv.URL, srv.Client())
	s, err := c.ConverseStream(context.Background(), &ConverseInput{ModelID: "m"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := CollectConverseStream(s)
	if err != nil {
		t.Fatalf("CollectConverseStream: %v", err)
	}
	var want ConverseOutput
	if err := json.Unmarshal(readTestdata(t, "converse_stream/converse_equivalent.json"), &want); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&want, got, cvJSONEqual); diff != "" {
		t.Errorf("accumulated output (-converse +accumulated):\n%s", diff)
	}
	// tool input is compact JSON that decodes
	tu := got.ToolUses()[0]
	if string(tu.Input) != `{"city":"Paris","days":[1,2]}` {
		t.Errorf("tool input %s", tu.Input)
	}
	// the accumulator kept what it could not fold
	var a ConverseAccumulator
	for _, ev := range cvWantEvents(t) {
		if err := a.Add(ev); err != nil {
			t.Fatal(err)
		}
	}
	wantUnfolded := []ConverseStreamEvent{
		ContentBlockDeltaEvent{7, UnknownBlock{Name: "audio", Raw: cvRaw(`{"chunk":"AAAA"}`)}},
		UnknownEvent{Type: "futureEvent", Payload: cvRaw(`{"anything":[1,2],"p":"abc"}`)},
	}
	if diff := cmp.Diff(wantUnfolded, a.Unfolded(), cvJSONEqual); diff != "" {
		t.Errorf("Unfolded (-want +got):\n%s", diff)
	}
}

func TestAccumulatorErrors(t *testing.T) {
	start := MessageStartEvent{Role: RoleAssistant}
	stop := MessageStopEvent{StopReason: StopReasonEndTurn}
	for name, tc := range map[string]struct {
		evs  []ConverseStreamEvent
		want string // from Add, or else from Output
	}{
		"no stop":         {[]ConverseStreamEvent{start, ContentBlockDeltaEvent{0, TextDelta{"a"}}}, "no messageStop"},
		"two starts":      {[]ConverseStreamEvent{start, start}, "second messageStart"},
		"two stops":       {[]ConverseStreamEvent{start, stop, stop}, "second messageStop"},
		"kind clash":      {[]ConverseStreamEvent{start, ContentBlockDeltaEvent{0, TextDelta{"a"}}, ContentBlockDeltaEvent{0, ToolUseDelta{"{"}}}, "toolUse delta in a text block"},
		"after stop":      {[]ConverseStreamEvent{start, ContentBlockDeltaEvent{0, TextDelta{"a"}}, ContentBlockStopEvent{0}, ContentBlockDeltaEvent{0, TextDelta{"b"}}}, "after contentBlockStop"},
		"stopped twice":   {[]ConverseStreamEvent{start, ContentBlockStopEvent{0}, ContentBlockStopEvent{0}}, "stopped twice"},
		"bad index":       {[]ConverseStreamEvent{start, ContentBlockDeltaEvent{-1, TextDelta{"a"}}}, "out of range"},
		"huge index":      {[]ConverseStreamEvent{start, ContentBlockStopEvent{1 << 30}}, "out of range"},
		"nil delta":       {[]ConverseStreamEvent{start, ContentBlockDeltaEvent{0, nil}}, "without delta"},
		"nil event":       {[]ConverseStreamEvent{nil}, "nil event"},
		"bad tool input":  {[]ConverseStreamEvent{start, ContentBlockStartEvent{0, ToolUseStart{ToolUseID: "t1", Name: "f"}}, ContentBlockDeltaEvent{0, ToolUseDelta{`{"a":`}}, stop}, `tool "f" (t1) input is not valid JSON`},
		"mixed reasoning": {[]ConverseStreamEvent{start, ContentBlockDeltaEvent{0, ReasoningTextDelta{"a"}}, ContentBlockDeltaEvent{0, RedactedReasoningDelta{[]byte("x")}}, stop}, "both redacted content and text"},
		"start clash":     {[]ConverseStreamEvent{start, ContentBlockDeltaEvent{0, TextDelta{"a"}}, ContentBlockStartEvent{0, ImageStart{Format: "png"}}}, "image delta in a text block"},
	} {
		var a ConverseAccumulator
		var err error
		for _, ev := range tc.evs {
			if err = a.Add(ev); err != nil {
				break
			}
		}
		if err == nil {
			_, err = a.Output()
		}
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want it to contain %q", name, err, tc.want)
		}
	}
	// an empty tool input is {}
	var a ConverseAccumulator
	for _, ev := range []ConverseStreamEvent{start, ContentBlockStartEvent{0, ToolUseStart{ToolUseID: "t", Name: "now"}}, ContentBlockStopEvent{0}, stop} {
		if err := a.Add(ev); err != nil {
			t.Fatal(err)
		}
	}
	out, err := a.Output()
	if err != nil {
		t.Fatal(err)
	}
	want := []ContentBlock{ToolUseBlock{ToolUseID: "t", Name: "now", Input: cvRaw(`{}`)}}
	if diff := cmp.Diff(want, out.Message.Content); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestConverseStreamExceptionAfterEvents(t *testing.T) {
	msgs := cvStreamEvents(t)[:3]
	msgs = append(msgs, eventstream.NewException("modelStreamErrorException", "application/json",
		[]byte(`{"message":"model failed","originalStatusCode":500,"originalMessage":"boom"}`)))
	_, srv := newRecorder(t, streamResponder(encodeMessages(t, msgs...)))
	c := newTestClient(t, srv.URL, srv.Client())
	s, err := c.ConverseStream(context.Background(), &ConverseInput{ModelID: "m"})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for s.Next() {
		n++
	}
	if n != 3 {
		t.Errorf("%d events before the exception, want 3", n)
	}
	var e *Error
	if !errors.As(s.Err(), &e) || e.Code != CodeModelStreamError || !e.InStream || e.OriginalStatusCode != 500 {
		t.Errorf("Err() = %#v, want an in-stream ModelStreamErrorException", s.Err())
	}
	// CollectConverseStream reports it too
	_, srv2 := newRecorder(t, streamResponder(encodeMessages(t, msgs...)))
	c2 := newTestClient(t, srv2.URL, srv2.Client())
	s2, err := c2.ConverseStream(context.Background(), &ConverseInput{ModelID: "m"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := CollectConverseStream(s2); !errors.As(err, &e) {
		t.Errorf("CollectConverseStream error %v, want *Error", err)
	}
}

func TestConverseStreamBadEvent(t *testing.T) {
	for _, tc := range []struct{ typ, payload, want string }{
		{"contentBlockDelta", `{"contentBlockIndex":0}`, "without delta"},
		{"contentBlockDelta", `{"contentBlockIndex":0,"delta":{"text":"a","toolUse":{"input":""}}}`, "2 members set"},
		{"contentBlockStart", `{"contentBlockIndex":0}`, "without start"},
		{"messageStop", `{"stopReason":5}`, "cannot unmarshal"},
		{"metadata", `[`, "unexpected end"},
		{"contentBlockDelta", `{"contentBlockIndex":"x","delta":{"text":"a"}}`, "cannot unmarshal"},
	} {
		_, _, err := decodeConverseEvent(tc.typ, []byte(tc.payload))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s %s: error %v, want it to contain %q", tc.typ, tc.payload, err, tc.want)
		}
	}
	// through the client, a bad event ends the stream with an error
	msgs := []*eventstream.Message{
		eventstream.NewEvent("messageStart", "application/json", []byte(`{"role":"assistant"}`)),
		eventstream.NewEvent("contentBlockDelta", "application/json", []byte(`{"contentBlockIndex":0,"delta":{}}`)),
		eventstream.NewEvent("contentBlockStop", "application/json", []byte(`{"contentBlockIndex":0}`)),
	}
	_, srv := newRecorder(t, streamResponder(encodeMessages(t, msgs...)))
	c := newTestClient(t, srv.URL, srv.Client())
	s, err := c.ConverseStream(context.Background(), &ConverseInput{ModelID: "m"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	n := 0
	for s.Next() {
		n++
	}
	if n != 1 || s.Err() == nil || !strings.Contains(s.Err().Error(), "no member set") {
		t.Errorf("after %d events Err() = %v, want a decode error after 1 event", n, s.Err())
	}
}

func TestTextDeltaFastPath(t *testing.T) {
	for _, tc := range []struct {
		payload string
		ok      bool
		index   int
		text    string
	}{
		{`{"contentBlockIndex":0,"delta":{"text":"Hello"},"p":"abcdefghij"}`, true, 0, "Hello"},
		{` { "p" : "a\"b\\c\u0041" , "delta" : { "text" : "" } , "contentBlockIndex" : 12 } `, true, 12, ""},
		{`{"contentBlockIndex":3,"delta":{"text":"a\nb\t\"c\" \\ \/ \b\f\r \u00e9 \ud83d\ude00 é"}}`, true, 3, "a\nb\t\"c\" \\ / \b\f\r é 😀 é"},
		{`{"contentBlockIndex":0,"delta":{"text":"x"}}`, true, 0, "x"},
		{`{"contentBlockIndex":0,"delta":{"toolUse":{"input":"{"}}}`, false, 0, ""},
		{`{"contentBlockIndex":0,"delta":{"text":"x"},"extra":1}`, false, 0, ""},
		{`{"contentBlockIndex":0,"contentBlockIndex":1,"delta":{"text":"x"}}`, false, 0, ""},
		{`{"contentBlockIndex":01,"delta":{"text":"x"}}`, false, 0, ""},
		{`{"contentBlockIndex":1.0,"delta":{"text":"x"}}`, false, 0, ""},
		{`{"contentBlockIndex":-1,"delta":{"text":"x"}}`, false, 0, ""},
		{`{"contentBlockIndex":1234567890,"delta":{"text":"x"}}`, false, 0, ""},
		{`{"delta":{"text":"x"}}`, false, 0, ""},
		{`{"contentBlockIndex":0}`, false, 0, ""},
		{`{"contentBlockIndex":0,"delta":{"text":"\ud83d"}}`, false, 0, ""},
		{`{"contentBlockIndex":0,"delta":{"text":"` + "\xff" + `"}}`, false, 0, ""},
		{`{"contentBlockIndex":0,"delta":{"text":"a` + "\n" + `"}}`, false, 0, ""},
		{`{"contentBlockIndex":0,"delta":{"text":"x"}} x`, false, 0, ""},
		{`{"contentBlockIndex":0,"delta":{"text":"x"}`, false, 0, ""},
		{`{"contentBlockIndex":0,"delta":{"text":"x","p":"y"}}`, false, 0, ""},
		{`{"contentBlockIndex":0,"delta":{"text":"x"},"p":"\q"}`, false, 0, ""},
		{`{"contentBl\u006fckIndex":0,"delta":{"text":"x"}}`, false, 0, ""},
		{``, false, 0, ""},
	} {
		got, ok := parseTextDeltaFast([]byte(tc.payload))
		if ok != tc.ok {
			t.Errorf("%s: ok = %v, want %v", tc.payload, ok, tc.ok)
			continue
		}
		if ok {
			want := ContentBlockDeltaEvent{tc.index, TextDelta{tc.text}}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.payload, diff)
			}
		}
		cvCheckFastMatchesSlow(t, []byte(tc.payload))
	}
}

// cvCheckFastMatchesSlow holds the fast path to encoding/json: whatever it
// accepts, encoding/json decodes the same way.
func cvCheckFastMatchesSlow(t *testing.T, payload []byte) {
	t.Helper()
	fast, ok := parseTextDeltaFast(payload)
	if !ok {
		return
	}
	var slow ContentBlockDeltaEvent
	if err := json.Unmarshal(payload, &slow); err != nil {
		t.Fatalf("fast path accepted %q, encoding/json says %v", payload, err)
	}
	if diff := cmp.Diff(slow, fast); diff != "" {
		t.Fatalf("fast path on %q (-encoding/json +fast):\n%s", payload, diff)
	}
}

func FuzzConverseTextDeltaFast(f *testing.F) {
	f.Add([]byte(`{"contentBlockIndex":0,"delta":{"text":"Hello"},"p":"abcdefghij"}`))
	f.Add([]byte(`{"contentBlockIndex":3,"delta":{"text":"a\nb\u00e9\ud83d\ude00"}}`))
	f.Add([]byte(`{"p":"x\"y","delta":{"text":""},"contentBlockIndex":7}`))
	f.Add([]byte(`{"contentBlockIndex":0,"delta":{"toolUse":{"input":"{"}}}`))
	f.Fuzz(func(t *testing.T, payload []byte) {
		cvCheckFastMatchesSlow(t, payload)
	})
}

func FuzzConverseStreamEvent(f *testing.F) {
	var evs []struct {
		Type    string          `json:"type"`
		Payload json.RawMessage `json:"payload"`
	}
	if err := json.Unmarshal(readTestdata(f, "converse_stream/events.json"), &evs); err != nil {
		f.Fatal(err)
	}
	for _, e := range evs {
		f.Add(e.Type, []byte(e.Payload))
	}
	f.Fuzz(func(t *testing.T, typ string, payload []byte) {
		ev, skip, err := decodeConverseEvent(typ, payload)
		if err != nil {
			return
		}
		if skip || ev == nil {
			t.Fatalf("decodeConverseEvent(%q) = %v, skip %v, nil error", typ, ev, skip)
		}
		// what decodes folds without panicking, and re-encodes
		var a ConverseAccumulator
		_ = a.Add(ev)
		_, _ = a.Output()
		if _, ok := ev.(UnknownEvent); !ok {
			if _, err := json.Marshal(ev); err != nil && !strings.Contains(err.Error(), "data URL") {
				t.Fatalf("decoded %s event %#v does not re-encode: %v", typ, ev, err)
			}
		}
	})
}

func FuzzConverseOutputDecode(f *testing.F) {
	f.Add(readTestdata(f, "converse/response_all.json"))
	f.Add(readTestdata(f, "converse_stream/converse_equivalent.json"))
	f.Add([]byte(`{"output":{"message":{"role":"assistant","content":[{"text":"hi"}]}},"stopReason":"end_turn"}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var out ConverseOutput
		if err := json.Unmarshal(body, &out); err != nil {
			return
		}
		b, err := json.Marshal(out)
		if err != nil {
			return // e.g. bytes that happen to be a malformed data URL
		}
		var again ConverseOutput
		if err := json.Unmarshal(b, &again); err != nil {
			t.Fatalf("re-encoded output does not decode: %v\n%s", err, b)
		}
		b2, err := json.Marshal(again)
		if err != nil {
			t.Fatalf("decoded re-encoding does not encode: %v", err)
		}
		if diff := cmp.Diff(string(b), string(b2)); diff != "" {
			t.Fatalf("second encoding differs (-first +second):\n%s", diff)
		}
	})
}

// cvStreamBody is a ConverseStream of n text deltas, padded as Bedrock pads.
func cvStreamBody(t testing.TB, n int) []byte {
	msgs := []*eventstream.Message{eventstream.NewEvent("messageStart", "application/json", []byte(`{"p":"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTU","role":"assistant"}`))}
	pads := []string{"abcdefghijklmnopqrstu", "abcd", "abcdefghijklmnopqrstuvwxyzABCDEFGHIJ", "ab"}
	for i := range n {
		p := fmt.Sprintf(`{"contentBlockIndex":0,"delta":{"text":"token %d "},"p":"%s"}`, i, pads[i%len(pads)])
		msgs = append(msgs, eventstream.NewEvent("contentBlockDelta", "application/json", []byte(p)))
	}
	msgs = append(msgs,
		eventstream.NewEvent("contentBlockStop", "application/json", []byte(`{"contentBlockIndex":0,"p":"abcdefghijkl"}`)),
		eventstream.NewEvent("messageStop", "application/json", []byte(`{"p":"abcdefghijklmnopqrstuvwxyzABCD","stopReason":"end_turn"}`)),
		eventstream.NewEvent("metadata", "application/json", []byte(`{"metrics":{"latencyMs":1200},"p":"abcdefghijklmno","usage":{"inputTokens":10,"outputTokens":20000,"totalTokens":20010}}`)),
	)
	return encodeMessages(t, msgs...)
}

// TestConverseStreamManyEvents streams 100,000 events from a loopback
// server, three times (once under -race), and requires every event of
// every run.
func TestConverseStreamManyEvents(t *testing.T) {
	const n = 100_000
	body := cvStreamBody(t, n)
	_, srv := newRecorder(t, streamResponder(body))
	c := newTestClient(t, srv.URL, srv.Client())
	runs := 3
	if cvRaceEnabled {
		runs = 1 // the race detector makes each run ~20 times slower
	}
	for run := range runs {
		s, err := c.ConverseStream(context.Background(), &ConverseInput{ModelID: "m"})
		if err != nil {
			t.Fatalf("run %d: %v", run, err)
		}
		deltas := 0
		var a ConverseAccumulator
		for s.Next() {
			ev := s.Event()
			if _, ok := ev.(ContentBlockDeltaEvent); ok {
				deltas++
			}
			if run == 0 {
				if err := a.Add(ev); err != nil {
					t.Fatal(err)
				}
			}
		}
		if err := s.Err(); err != nil {
			t.Fatalf("run %d: after %d deltas: %v", run, deltas, err)
		}
		s.Close()
		if deltas != n {
			t.Fatalf("run %d: %d deltas, want %d", run, deltas, n)
		}
		if run > 0 {
			continue
		}
		out, err := a.Output()
		if err != nil {
			t.Fatal(err)
		}
		if text := out.Text(); !strings.HasPrefix(text, "token 0 token 1 ") || !strings.HasSuffix(text, fmt.Sprintf("token %d ", n-1)) {
			t.Fatalf("run %d: text %q…", run, text[:40])
		}
	}
}

// TestConverseStreamCancelNoLeak cancels a stream mid-way and checks that
// Next returns promptly and no goroutine is left behind.
func TestConverseStreamCancelNoLeak(t *testing.T) {
	first := encodeMessages(t, cvStreamEvents(t)[:2]...)
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", eventStreamContentType)
		w.WriteHeader(200)
		w.Write(first)
		w.(http.Flusher).Flush()
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	before := runningGoroutines()
	c := newTestClient(t, srv.URL, srv.Client())
	ctx, cancel := context.WithCancel(context.Background())
	s, err := c.ConverseStream(ctx, &ConverseInput{ModelID: "m"})
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if !s.Next() {
			t.Fatalf("Next: %v", s.Err())
		}
	}
	done := make(chan bool)
	go func() { done <- s.Next() }()
	cancel()
	if <-done {
		t.Fatal("Next returned an event after cancel")
	}
	if !errors.Is(s.Err(), context.Canceled) {
		t.Errorf("Err() = %v, want context.Canceled", s.Err())
	}
	s.Close()
	// goroutines of the cancelled request wind down asynchronously
	goroutinesSettle(t, before, srv.Client().Transport.(*http.Transport))
}

// BenchmarkConverseStream consumes 10,000 text deltas per operation from a
// loopback httptest server; it reports events/s and allocations per event.
func BenchmarkConverseStream(b *testing.B) {
	const n = 10_000
	body := cvStreamBody(b, n)
	srv := httptest.NewServer(streamResponder(body))
	defer srv.Close()
	c := newTestClient(b, srv.URL, srv.Client())
	in := &ConverseInput{ModelID: "us.anthropic.claude-3-5-haiku-20241022-v1:0",
		Messages: []Message{{Role: RoleUser, Content: []ContentBlock{TextBlock{"Count."}}}}}
	ctx := context.Background()
	var ms0, ms1 runtime.MemStats
	events := 0
	runtime.ReadMemStats(&ms0)
	b.ResetTimer()
	for b.Loop() {
		s, err := c.ConverseStream(ctx, in)
		if err != nil {
			b.Fatal(err)
		}
		for s.Next() {
			if d, ok := s.Event().(ContentBlockDeltaEvent); ok {
				if _, ok := d.Delta.(TextDelta); ok {
					events++
				}
			}
		}
		if err := s.Err(); err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
	b.StopTimer()
	runtime.ReadMemStats(&ms1)
	if events != b.N*n {
		b.Fatalf("%d text deltas, want %d", events, b.N*n)
	}
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(ms1.Mallocs-ms0.Mallocs)/float64(events), "allocs/event")
}

// TestConverseOutputEvents streams a reply cut into events of several
// chunk sizes, through their wire JSON, and folds it back.
func TestConverseOutputEvents(t *testing.T) {
	var want ConverseOutput
	if err := json.Unmarshal(readTestdata(t, "converse_stream/converse_equivalent.json"), &want); err != nil {
		t.Fatal(err)
	}
	for _, chunk := range []int{0, 1, 2, 3, 7, 1000} {
		evs, err := ConverseOutputEvents(&want, chunk)
		if err != nil {
			t.Fatal(err)
		}
		var a ConverseAccumulator
		for _, ev := range evs {
			payload, err := json.Marshal(ev)
			if err != nil {
				t.Fatalf("chunk %d: encoding %#v: %v", chunk, ev, err)
			}
			back, _, err := decodeConverseEvent(ev.EventType(), payload)
			if err != nil {
				t.Fatalf("chunk %d: decoding %s: %v", chunk, payload, err)
			}
			if err := a.Add(back); err != nil {
				t.Fatalf("chunk %d: %v", chunk, err)
			}
		}
		got, err := a.Output()
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(&want, got, cvJSONEqual); diff != "" {
			t.Errorf("chunk %d (-want +got):\n%s", chunk, diff)
		}
	}
	if _, err := ConverseOutputEvents(&ConverseOutput{Message: Message{Content: []ContentBlock{DocumentBlock{Name: "d"}}}}, 0); err == nil ||
		!strings.Contains(err.Error(), "document block cannot be streamed") {
		t.Errorf("document block: error %v", err)
	}
	if _, err := ConverseOutputEvents(nil, 0); err == nil {
		t.Error("nil output: no error")
	}
}

func TestSplitChunks(t *testing.T) {
	for _, tc := range []struct {
		s    string
		n    int
		want []string
	}{
		{"", 3, []string{""}},
		{"abc", 0, []string{"abc"}},
		{"abcdef", 4, []string{"abcd", "ef"}},
		{"aé😀b", 2, []string{"a", "é", "😀", "b"}},
		{"😀😀", 5, []string{"😀", "😀"}},
	} {
		if diff := cmp.Diff(tc.want, splitChunks(tc.s, tc.n)); diff != "" {
			t.Errorf("splitChunks(%q, %d) (-want +got):\n%s", tc.s, tc.n, diff)
		}
	}
}
