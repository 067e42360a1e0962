package modelspec

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDeepSeekPrompt(t *testing.T) {
	got, err := DeepSeekPrompt(chatTurns)
	if err != nil {
		t.Fatal(err)
	}
	want := "<｜begin▁of▁sentence｜>You are a helpful assistant.<｜User｜>What is the capital of France?<｜Assistant｜>Paris.<｜end▁of▁sentence｜>" +
		"<｜User｜>And of Italy?<｜Assistant｜><think>\n"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("DeepSeekPrompt (-want +got):\n%s", diff)
	}
}

func TestDeepSeekRequestGolden(t *testing.T) {
	runGolden(t, []goldenCase{
		{"deepseek/request.json", DeepSeekRequest{Prompt: "<｜begin▁of▁sentence｜><｜User｜>Is 97 prime?<｜Assistant｜><think>\n",
			Temperature: Ptr(0.6), TopP: Ptr(0.95), MaxTokens: 2048, Stop: []string{"<｜end▁of▁sentence｜>"}}.Body},
	})
	runInvalid(t, []invalidCase{
		{"empty", DeepSeekRequest{}.Body, "prompt"},
		{"top_p", DeepSeekRequest{Prompt: "x", TopP: Ptr(2.0)}.Body, "top_p"},
		{"max_tokens", DeepSeekRequest{Prompt: "x", MaxTokens: -5}.Body, "max_tokens"},
		{"stop", DeepSeekRequest{Prompt: "x", Stop: make([]string, 11)}.Body, "stop"},
	})
}

func TestParseDeepSeek(t *testing.T) {
	r, err := ParseDeepSeekResponse(readTestdata(t, "deepseek/response.json"))
	if err != nil {
		t.Fatal(err)
	}
	reasoning, answer := SplitDeepSeekReasoning(r.Choices[0].Text)
	if diff := cmp.Diff([]string{"97 is not divisible by 2, 3, 5 or 7.", "Yes, 97 is prime.", "stop"},
		[]string{reasoning, answer, r.Choices[0].StopReason}); diff != "" {
		t.Errorf("response (-want +got):\n%s", diff)
	}
	if r, a := SplitDeepSeekReasoning("plain"); r != "" || a != "plain" {
		t.Errorf("SplitDeepSeekReasoning(plain) = %q, %q", r, a)
	}
	for _, in := range []string{``, `{}`, `{"choices":{}}`, `{"choices":[{"text":1}]}`} {
		if _, err := ParseDeepSeekResponse([]byte(in)); err == nil {
			t.Errorf("ParseDeepSeekResponse(%q): want error", in)
		}
	}
}

func FuzzParseDeepSeek(f *testing.F) {
	addSeeds(f, "deepseek/stream.jsonl", "deepseek/response.json")
	f.Fuzz(func(t *testing.T, data []byte) {
		if r, err := ParseDeepSeekResponse(data); (r == nil) == (err == nil) {
			t.Fatalf("%v, %v", r, err)
		}
		SplitDeepSeekReasoning(string(data))
	})
}
