package modelspec

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestOpenAIRequestGolden(t *testing.T) {
	tool := OpenAITool{Type: "function", Function: ChatFunction{Name: "get_weather",
		Parameters: json.RawMessage(`{"type":"object","properties":{"city":{"type":"string"}}}`)}}
	runGolden(t, []goldenCase{
		{"openai/request.json", OpenAIChatRequest{Messages: []OpenAIMessage{
			{Role: "developer", Content: "Answer briefly."}, {Role: "user", Content: "Why is the sky blue?"}},
			MaxCompletionTokens: 512, Temperature: Ptr(0.7), TopP: Ptr(1.0), ReasoningEffort: "low"}.Body},
		{"openai/request_tools.json", OpenAIChatRequest{Messages: []OpenAIMessage{{Role: "user", Content: "Weather in Paris?"}},
			Tools: []OpenAITool{tool}, ToolChoice: json.RawMessage(`"auto"`), Stream: true}.Body},
	})
	runInvalid(t, []invalidCase{
		{"no messages", OpenAIChatRequest{}.Body, "messages"},
		{"role", OpenAIChatRequest{Messages: []OpenAIMessage{{Role: "bot"}}}.Body, "messages[0].role"},
		{"temperature", OpenAIChatRequest{Messages: []OpenAIMessage{{Role: "user"}}, Temperature: Ptr(2.5)}.Body, "temperature"},
		{"effort", OpenAIChatRequest{Messages: []OpenAIMessage{{Role: "user"}}, ReasoningEffort: "extreme"}.Body, "reasoning_effort"},
		{"max", OpenAIChatRequest{Messages: []OpenAIMessage{{Role: "user"}}, MaxCompletionTokens: -1}.Body, "max_completion_tokens"},
		{"tool", OpenAIChatRequest{Messages: []OpenAIMessage{{Role: "user"}}, Tools: []OpenAITool{{Type: "function"}}}.Body, "tools[0]"},
	})
}

func TestParseOpenAI(t *testing.T) {
	r, err := ParseOpenAIChatResponse(readTestdata(t, "openai/response.json"))
	if err != nil {
		t.Fatal(err)
	}
	want := &OpenAIChatResponse{ID: "chatcmpl-1", Object: "chat.completion", Created: 1764000000, Model: "openai.gpt-oss-120b-1:0",
		Choices: []OpenAIChoice{{Index: 0, FinishReason: "stop", Message: &OpenAIMessage{Role: "assistant",
			Content: "<reasoning>Rayleigh scattering favours short wavelengths.</reasoning>Because blue light scatters most."}}},
		Usage: &OpenAIUsage{PromptTokens: 20, CompletionTokens: 18, TotalTokens: 38}}
	if diff := cmp.Diff(want, r); diff != "" {
		t.Errorf("response (-want +got):\n%s", diff)
	}
	reasoning, answer := SplitOpenAIReasoning(r.Choices[0].Message.Content)
	if reasoning != "Rayleigh scattering favours short wavelengths." || answer != "Because blue light scatters most." {
		t.Errorf("SplitOpenAIReasoning = %q, %q", reasoning, answer)
	}
	if r, a := SplitOpenAIReasoning("plain"); r != "" || a != "plain" {
		t.Errorf("SplitOpenAIReasoning(plain) = %q, %q", r, a)
	}
	if r, a := SplitOpenAIReasoning("<reasoning>unfinished"); r != "unfinished" || a != "" {
		t.Errorf("SplitOpenAIReasoning(unfinished) = %q, %q", r, a)
	}
	var text, finish string
	for _, l := range readLines(t, "openai/stream.jsonl") {
		c, err := ParseOpenAIChatResponse(l)
		if err != nil {
			t.Fatal(err)
		}
		for _, ch := range c.Choices {
			text += ch.Delta.Content
			if ch.FinishReason != "" {
				finish = ch.FinishReason
			}
		}
	}
	if text != "<reasoning>Short.</reasoning>Blue scatters most." || finish != "stop" {
		t.Errorf("stream text %q finish %q", text, finish)
	}
	for _, in := range []string{``, `{}`, `{"choices":{}}`, `{"choices":[{"index":"x"}]}`} {
		if _, err := ParseOpenAIChatResponse([]byte(in)); err == nil {
			t.Errorf("ParseOpenAIChatResponse(%q): want error", in)
		}
	}
}

func FuzzParseOpenAI(f *testing.F) {
	addSeeds(f, "openai/stream.jsonl", "openai/response.json")
	f.Fuzz(func(t *testing.T, data []byte) {
		if r, err := ParseOpenAIChatResponse(data); (r == nil) == (err == nil) {
			t.Fatalf("%v, %v", r, err)
		}
		SplitOpenAIReasoning(string(data))
	})
}
