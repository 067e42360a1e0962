package modelspec

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var chatTurns = []PromptTurn{
	{Role: "system", Content: "You are a helpful assistant."},
	{Role: "user", Content: "What is the capital of France?"},
	{Role: "assistant", Content: "Paris."},
	{Role: "user", Content: "And of Italy?"},
}

func TestLlamaPrompts(t *testing.T) {
	tests := []struct {
		modelID string
		want    string
	}{
		{"meta.llama2-13b-chat-v1", "<s>[INST] <<SYS>>\nYou are a helpful assistant.\n<</SYS>>\n\nWhat is the capital of France? [/INST] Paris. </s><s>[INST] And of Italy? [/INST]"},
		{"us.meta.llama3-1-70b-instruct-v1:0", "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nYou are a helpful assistant.<|eot_id|>" +
			"<|start_header_id|>user<|end_header_id|>\n\nWhat is the capital of France?<|eot_id|>" +
			"<|start_header_id|>assistant<|end_header_id|>\n\nParis.<|eot_id|>" +
			"<|start_header_id|>user<|end_header_id|>\n\nAnd of Italy?<|eot_id|>" +
			"<|start_header_id|>assistant<|end_header_id|>\n\n"},
		{"us.meta.llama4-scout-17b-instruct-v1:0", "<|begin_of_text|><|header_start|>system<|header_end|>\n\nYou are a helpful assistant.<|eot|>" +
			"<|header_start|>user<|header_end|>\n\nWhat is the capital of France?<|eot|>" +
			"<|header_start|>assistant<|header_end|>\n\nParis.<|eot|>" +
			"<|header_start|>user<|header_end|>\n\nAnd of Italy?<|eot|>" +
			"<|header_start|>assistant<|header_end|>\n\n"},
	}
	for _, tt := range tests {
		got, err := LlamaPrompt(tt.modelID, chatTurns)
		if err != nil {
			t.Fatalf("LlamaPrompt(%q): %v", tt.modelID, err)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("LlamaPrompt(%q) (-want +got):\n%s", tt.modelID, diff)
		}
	}
	if got, _ := Llama2Prompt([]PromptTurn{{Role: "user", Content: "Hi"}}); got != "<s>[INST] Hi [/INST]" {
		t.Errorf("Llama2Prompt without system = %q", got)
	}
	if _, err := LlamaPrompt("mistral.mistral-7b-instruct-v0:2", chatTurns); err == nil {
		t.Error("LlamaPrompt for a Mistral model: want error")
	}
	if _, err := LlamaPrompt("meta.llama9-x", chatTurns); err == nil {
		t.Error("LlamaPrompt for an unknown generation: want error")
	}
}

func TestPromptTurnsInvalid(t *testing.T) {
	bad := [][]PromptTurn{
		nil,
		{{Role: "system", Content: "x"}},
		{{Role: "assistant", Content: "x"}},
		{{Role: "user", Content: "x"}, {Role: "assistant", Content: "y"}},
		{{Role: "user", Content: "x"}, {Role: "user", Content: "y"}},
		{{Role: "user", Content: "x"}, {Role: "system", Content: "y"}, {Role: "user", Content: "z"}},
	}
	for _, turns := range bad {
		for name, render := range map[string]func([]PromptTurn) (string, error){
			"Llama2": Llama2Prompt, "Llama3": Llama3Prompt, "Llama4": Llama4Prompt, "Mistral": MistralPrompt, "DeepSeek": DeepSeekPrompt} {
			if got, err := render(turns); err == nil {
				t.Errorf("%sPrompt(%v) = %q, want error", name, turns, got)
			}
		}
	}
}

func TestLlamaRequestGolden(t *testing.T) {
	prompt, err := Llama3Prompt(chatTurns)
	if err != nil {
		t.Fatal(err)
	}
	runGolden(t, []goldenCase{
		{"llama/request.json", LlamaRequest{Prompt: prompt, Temperature: Ptr(0.5), TopP: Ptr(0.9), MaxGenLen: 512}.Body},
		{"llama/request_vision.json", LlamaRequest{Prompt: "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\n<|image|>Describe this.<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n",
			Images: []string{png1x1}}.Body},
	})
	runInvalid(t, []invalidCase{
		{"empty", LlamaRequest{}.Body, "prompt"},
		{"temperature", LlamaRequest{Prompt: "x", Temperature: Ptr(-1.0)}.Body, "temperature"},
		{"max_gen_len", LlamaRequest{Prompt: "x", MaxGenLen: -1}.Body, "max_gen_len"},
	})
}

func TestParseLlama(t *testing.T) {
	r, err := ParseLlamaResponse(readTestdata(t, "llama/response.json"))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&LlamaResponse{Generation: "Rome.", PromptTokenCount: 61, GenerationTokenCount: 3, StopReason: "stop"}, r); diff != "" {
		t.Errorf("response (-want +got):\n%s", diff)
	}
	var got []LlamaResponse
	for _, l := range readLines(t, "llama/stream.jsonl") {
		c, err := ParseLlamaResponse(l)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, *c)
	}
	want := []LlamaResponse{
		{Generation: "The capital", PromptTokenCount: 61, GenerationTokenCount: 2},
		{Generation: " of Italy is Rome.", GenerationTokenCount: 8, StopReason: "stop",
			Metrics: &InvocationMetrics{InputTokenCount: 61, OutputTokenCount: 8, InvocationLatency: 390, FirstByteLatency: 150}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("stream (-want +got):\n%s", diff)
	}
	for _, in := range []string{``, `[]`, `{"generation":5}`, `{"stop_reason":[]}`} {
		if _, err := ParseLlamaResponse([]byte(in)); err == nil {
			t.Errorf("ParseLlamaResponse(%q): want error", in)
		}
	}
}

func FuzzParseLlama(f *testing.F) {
	addSeeds(f, "llama/stream.jsonl", "llama/response.json")
	f.Fuzz(func(t *testing.T, data []byte) {
		if r, err := ParseLlamaResponse(data); (r == nil) == (err == nil) {
			t.Fatalf("%v, %v", r, err)
		}
	})
}

func ExampleLlamaPrompt() {
	prompt, err := LlamaPrompt("meta.llama3-8b-instruct-v1:0", []PromptTurn{
		{Role: "system", Content: "Be brief."},
		{Role: "user", Content: "Hi"},
	})
	fmt.Printf("%q %v\n", prompt, err)
	// Output:
	// "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nBe brief.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n" <nil>
}
