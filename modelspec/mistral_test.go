package modelspec

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestMistralPrompt(t *testing.T) {
	got, err := MistralPrompt([]PromptTurn{
		{Role: "user", Content: "What is your favourite condiment?"},
		{Role: "assistant", Content: "Well, I'm quite partial to a good squeeze of fresh lemon juice."},
		{Role: "user", Content: "Do you have mayonnaise recipes?"},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := "<s>[INST] What is your favourite condiment? [/INST] Well, I'm quite partial to a good squeeze of fresh lemon juice.</s> [INST] Do you have mayonnaise recipes? [/INST]"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("MistralPrompt (-want +got):\n%s", diff)
	}
	got, _ = MistralPrompt([]PromptTurn{{Role: "system", Content: "Be brief."}, {Role: "user", Content: "Hi"}})
	if want := "<s>[INST] Be brief.\n\nHi [/INST]"; got != want {
		t.Errorf("MistralPrompt with system = %q, want %q", got, want)
	}
}

func TestMistralRequestsGolden(t *testing.T) {
	tool := MistralTool{Type: "function", Function: ChatFunction{Name: "get_weather", Description: "Weather for a city",
		Parameters: json.RawMessage(`{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}`)}}
	call := MistralToolCall{ID: "abc123def", Function: ChatFunctionCall{Name: "get_weather", Arguments: `{"city":"Paris"}`}}
	runGolden(t, []goldenCase{
		{"mistral/request.json", MistralRequest{Prompt: "<s>[INST] Tell me a joke. [/INST]", MaxTokens: 200, Stop: []string{"</s>"},
			Temperature: Ptr(0.5), TopP: Ptr(0.9), TopK: 50}.Body},
		{"mistral/chat_request.json", MistralChatRequest{Messages: []MistralChatMessage{
			{Role: "system", Content: "Be brief."},
			{Role: "user", Content: "Weather in Paris?"},
			{Role: "assistant", Content: "", ToolCalls: []MistralToolCall{call}},
			{Role: "tool", Content: `{"tempC":18}`, ToolCallID: "abc123def"},
		}, Tools: []MistralTool{tool}, ToolChoice: "auto", MaxTokens: 300, Temperature: Ptr(0.0)}.Body},
	})
	runInvalid(t, []invalidCase{
		{"empty prompt", MistralRequest{}.Body, "prompt"},
		{"top_p", MistralRequest{Prompt: "x", TopP: Ptr(1.5)}.Body, "top_p"},
		{"top_k", MistralRequest{Prompt: "x", TopK: -1}.Body, "top_k"},
		{"no messages", MistralChatRequest{}.Body, "messages"},
		{"bad role", MistralChatRequest{Messages: []MistralChatMessage{{Role: "bot", Content: "x"}}}.Body, "messages[0].role"},
		{"bad tool", MistralChatRequest{Messages: []MistralChatMessage{{Role: "user", Content: "x"}}, Tools: []MistralTool{{Type: "function"}}}.Body, "tools[0]"},
	})
}

func TestParseMistral(t *testing.T) {
	var text string
	var stop string
	for _, l := range readLines(t, "mistral/stream.jsonl") {
		r, err := ParseMistralResponse(l)
		if err != nil {
			t.Fatal(err)
		}
		text += r.Outputs[0].Text
		stop = r.Outputs[0].StopReason
	}
	if text != "Why did the scarecrow win an award? Because he was outstanding in his field." || stop != "stop" {
		t.Errorf("stream text %q stop %q", text, stop)
	}
	chat, err := ParseMistralChatResponse(readTestdata(t, "mistral/chat_response.json"))
	if err != nil {
		t.Fatal(err)
	}
	call := MistralToolCall{ID: "abc123def", Function: ChatFunctionCall{Name: "get_weather", Arguments: `{"city": "Paris"}`}}
	want := &MistralChatResponse{Choices: []MistralChatChoice{{Index: 0, StopReason: "tool_calls",
		Message: &MistralChatMessage{Role: "assistant", Content: "", ToolCalls: []MistralToolCall{call}}}}}
	if diff := cmp.Diff(want, chat); diff != "" {
		t.Errorf("chat response (-want +got):\n%s", diff)
	}
	text = ""
	for _, l := range readLines(t, "mistral/chat_stream.jsonl") {
		r, err := ParseMistralChatResponse(l)
		if err != nil {
			t.Fatal(err)
		}
		text += r.Choices[0].Message.Content
	}
	if text != "Bonjour !" {
		t.Errorf("chat stream text = %q", text)
	}
	for _, in := range []string{``, `{}`, `{"outputs":{}}`} {
		if _, err := ParseMistralResponse([]byte(in)); err == nil {
			t.Errorf("ParseMistralResponse(%q): want error", in)
		}
		if _, err := ParseMistralChatResponse([]byte(in)); err == nil {
			t.Errorf("ParseMistralChatResponse(%q): want error", in)
		}
	}
}

func FuzzParseMistral(f *testing.F) {
	addSeeds(f, "mistral/stream.jsonl", "mistral/chat_response.json", "mistral/chat_stream.jsonl")
	f.Fuzz(func(t *testing.T, data []byte) {
		if r, err := ParseMistralResponse(data); (r == nil) == (err == nil) {
			t.Fatalf("%v, %v", r, err)
		}
		if r, err := ParseMistralChatResponse(data); (r == nil) == (err == nil) {
			t.Fatalf("%v, %v", r, err)
		}
	})
}
