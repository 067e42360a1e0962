package modelspec

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestAnthropicRequestsGolden(t *testing.T) {
	schema := json.RawMessage(`{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}`)
	runGolden(t, []goldenCase{
		{"anthropic/request_basic.json", AnthropicRequest{MaxTokens: 512,
			System:      []AnthropicContent{AnthropicText("You are terse.")},
			Messages:    []AnthropicMessage{{Role: "user", Content: []AnthropicContent{AnthropicText("Hello, Claude")}}},
			Temperature: Ptr(0.2), TopP: Ptr(0.95), TopK: 40, StopSequences: []string{"\n\nHuman:"}}.Body},
		{"anthropic/request_tools_thinking.json", AnthropicRequest{MaxTokens: 8000,
			AnthropicBeta: []string{"interleaved-thinking-2025-05-14"},
			System:        []AnthropicContent{{Type: "text", Text: "Long shared instructions…", CacheControl: &AnthropicCacheControl{Type: "ephemeral", TTL: "1h"}}},
			Messages: []AnthropicMessage{
				{Role: "user", Content: []AnthropicContent{
					{Type: "image", Source: &AnthropicSource{Type: "base64", MediaType: "image/png", Data: png1x1}},
					AnthropicText("Weather where this photo was taken?")}},
				{Role: "assistant", Content: []AnthropicContent{
					{Type: "thinking", Thinking: "Looks like Paris.", Signature: "sig-1"},
					{Type: "tool_use", ID: "toolu_01", Name: "get_weather", Input: json.RawMessage(`{"city":"Paris"}`)}}},
				{Role: "user", Content: []AnthropicContent{{Type: "tool_result", ToolUseID: "toolu_01", Content: json.RawMessage(`"18°C, cloudy"`)}}},
			},
			Tools:      []AnthropicTool{{Name: "get_weather", Description: "Weather for a city", InputSchema: schema}},
			ToolChoice: &AnthropicToolChoice{Type: "auto"},
			Thinking:   &AnthropicThinking{Type: "enabled", BudgetTokens: 2048}}.Body},
	})
}

func TestAnthropicRequestsInvalid(t *testing.T) {
	msgs := []AnthropicMessage{{Role: "user", Content: []AnthropicContent{AnthropicText("hi")}}}
	runInvalid(t, []invalidCase{
		{"max_tokens", AnthropicRequest{Messages: msgs}.Body, "max_tokens"},
		{"no messages", AnthropicRequest{MaxTokens: 10}.Body, "messages"},
		{"system role", AnthropicRequest{MaxTokens: 10, Messages: []AnthropicMessage{{Role: "system", Content: []AnthropicContent{AnthropicText("x")}}}}.Body, "messages[0].role"},
		{"empty content", AnthropicRequest{MaxTokens: 10, Messages: []AnthropicMessage{{Role: "user"}}}.Body, "messages[0].content"},
		{"block type", AnthropicRequest{MaxTokens: 10, Messages: []AnthropicMessage{{Role: "user", Content: []AnthropicContent{{Text: "x"}}}}}.Body, "type"},
		{"temperature", AnthropicRequest{MaxTokens: 10, Messages: msgs, Temperature: Ptr(1.2)}.Body, "temperature"},
		{"budget small", AnthropicRequest{MaxTokens: 4000, Messages: msgs, Thinking: &AnthropicThinking{Type: "enabled", BudgetTokens: 1023}}.Body, "budget_tokens"},
		{"budget over max", AnthropicRequest{MaxTokens: 2000, Messages: msgs, Thinking: &AnthropicThinking{Type: "enabled", BudgetTokens: 2000}}.Body, "budget_tokens"},
		{"thinking top_k", AnthropicRequest{MaxTokens: 4000, Messages: msgs, TopK: 5, Thinking: &AnthropicThinking{Type: "enabled", BudgetTokens: 1024}}.Body, "thinking"},
		{"tool schema", AnthropicRequest{MaxTokens: 10, Messages: msgs, Tools: []AnthropicTool{{Name: "t"}}}.Body, "tools[0]"},
		{"tool choice", AnthropicRequest{MaxTokens: 10, Messages: msgs, ToolChoice: &AnthropicToolChoice{Type: "required"}}.Body, "tool_choice.type"},
		{"tool choice name", AnthropicRequest{MaxTokens: 10, Messages: msgs, ToolChoice: &AnthropicToolChoice{Type: "tool"}}.Body, "tool_choice.name"},
	})
}

func TestParseAnthropic(t *testing.T) {
	r, err := ParseAnthropicResponse(readTestdata(t, "anthropic/response.json"))
	if err != nil {
		t.Fatal(err)
	}
	want := &AnthropicResponse{ID: "msg_bdrk_02", Type: "message", Role: "assistant", Model: "claude-3-5-haiku-20241022",
		Content: []AnthropicContent{AnthropicText("Paris is 18°C and cloudy."),
			{Type: "tool_use", ID: "toolu_02", Name: "save_note", Input: json.RawMessage(`{"note": "weather"}`)}},
		StopReason: "tool_use", Usage: AnthropicUsage{InputTokens: 57, OutputTokens: 33}}
	if diff := cmp.Diff(want, r); diff != "" {
		t.Errorf("response (-want +got):\n%s", diff)
	}
	if r.Text() != "Paris is 18°C and cloudy." {
		t.Errorf("Text() = %q", r.Text())
	}

	// Accumulate the recorded stream into thinking, text, tool input and usage.
	var thinking, text, sig, toolJSON, stop strings.Builder
	var usage AnthropicUsage
	var metrics *InvocationMetrics
	var types []string
	for _, l := range readLines(t, "anthropic/stream.jsonl") {
		e, err := ParseAnthropicStreamEvent(l)
		if err != nil {
			t.Fatalf("ParseAnthropicStreamEvent(%s): %v", l, err)
		}
		types = append(types, e.Type)
		switch e.Type {
		case "message_start":
			usage = e.Message.Usage
		case "content_block_delta":
			switch e.Delta.Type {
			case "thinking_delta":
				thinking.WriteString(e.Delta.Thinking)
			case "signature_delta":
				sig.WriteString(e.Delta.Signature)
			case "text_delta":
				text.WriteString(e.Delta.Text)
			case "input_json_delta":
				toolJSON.WriteString(e.Delta.PartialJSON)
			}
		case "message_delta":
			stop.WriteString(e.Delta.StopReason)
			usage.OutputTokens = e.Usage.OutputTokens
		case "message_stop":
			metrics = e.Metrics
		}
	}
	got := []string{thinking.String(), sig.String(), text.String(), toolJSON.String(), stop.String()}
	if diff := cmp.Diff([]string{"The user wants the weather; call the tool.", "EqQBCgIYAhIM1gbcDa9GJwZA2b3h", "Let me check the weather.", `{"city": "Paris"}`, "tool_use"}, got); diff != "" {
		t.Errorf("accumulated stream (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(AnthropicUsage{InputTokens: 412, OutputTokens: 61, CacheReadInputTokens: 380}, usage); diff != "" {
		t.Errorf("usage (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(&InvocationMetrics{InputTokenCount: 412, OutputTokenCount: 61, InvocationLatency: 1830, FirstByteLatency: 620, CacheReadInputTokenCount: 380}, metrics); diff != "" {
		t.Errorf("metrics (-want +got):\n%s", diff)
	}
	if len(types) != 16 || types[15] != "message_stop" {
		t.Errorf("event types = %v", types)
	}
}

func TestParseAnthropicRejects(t *testing.T) {
	for _, in := range []string{``, `[]`, `{}`, `{"type":"error"}`, `{"type":"message","content":"x"}`} {
		if _, err := ParseAnthropicResponse([]byte(in)); err == nil {
			t.Errorf("ParseAnthropicResponse(%q): want error", in)
		}
	}
	for _, in := range []string{``, `{}`, `{"type":""}`, `{"type":"message_start"}`, `{"type":"content_block_start","index":0}`,
		`{"type":"content_block_delta","index":0}`, `{"type":"message_delta"}`, `{"type":"error"}`, `{"type":"content_block_delta","index":"0","delta":{}}`} {
		if _, err := ParseAnthropicStreamEvent([]byte(in)); err == nil {
			t.Errorf("ParseAnthropicStreamEvent(%q): want error", in)
		}
	}
	e, err := ParseAnthropicStreamEvent([]byte(`{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}`))
	if err != nil || e.Error.Type != "overloaded_error" {
		t.Errorf("error event = %+v, %v", e, err)
	}
	if e, err := ParseAnthropicStreamEvent([]byte(`{"type":"future_event","x":1}`)); err != nil || e.Type != "future_event" {
		t.Errorf("unknown event type = %+v, %v; want it kept", e, err)
	}
}

func FuzzParseAnthropic(f *testing.F) {
	addSeeds(f, "anthropic/stream.jsonl", "anthropic/response.json")
	f.Fuzz(func(t *testing.T, data []byte) {
		if r, err := ParseAnthropicResponse(data); (r == nil) == (err == nil) {
			t.Fatalf("response: %v, %v", r, err)
		} else if r != nil {
			_ = r.Text()
		}
		if e, err := ParseAnthropicStreamEvent(data); (e == nil) == (err == nil) {
			t.Fatalf("event: %v, %v", e, err)
		}
	})
}

func ExampleAnthropicRequest_Body() {
	body, err := AnthropicRequest{
		MaxTokens: 256,
		Messages:  []AnthropicMessage{{Role: "user", Content: []AnthropicContent{AnthropicText("Hello")}}},
	}.Body()
	fmt.Println(string(body), err)
	// Output:
	// {"anthropic_version":"bedrock-2023-05-31","max_tokens":256,"messages":[{"role":"user","content":[{"type":"text","text":"Hello"}]}]} <nil>
}
