package modelspec

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestTextFormatOf(t *testing.T) {
	tests := []struct {
		id   string
		want TextFormat
	}{
		{"amazon.titan-text-express-v1", TextFormatTitan},
		{"amazon.titan-text-premier-v1:0", TextFormatTitan},
		{"amazon.titan-tg1-large", TextFormatTitan},
		{"us.amazon.nova-pro-v1:0", TextFormatNova},
		{"global.amazon.nova-2-lite-v1:0", TextFormatNova},
		{"arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-micro-v1:0", TextFormatNova},
		{"anthropic.claude-3-haiku-20240307-v1:0", TextFormatAnthropic},
		{"eu.anthropic.claude-sonnet-4-20250514-v1:0", TextFormatAnthropic},
		{"meta.llama3-8b-instruct-v1:0", TextFormatLlama},
		{"us.meta.llama4-maverick-17b-instruct-v1:0", TextFormatLlama},
		{"mistral.mistral-7b-instruct-v0:2", TextFormatMistral},
		{"mistral.mixtral-8x7b-instruct-v0:1", TextFormatMistral},
		{"mistral.mistral-large-2402-v1:0", TextFormatMistral},
		{"mistral.mistral-small-2402-v1:0", TextFormatMistral},
		{"mistral.mistral-large-2407-v1:0", TextFormatMistralChat},
		{"us.mistral.pixtral-large-2502-v1:0", TextFormatMistralChat},
		{"cohere.command-text-v14", TextFormatCohereCommand},
		{"cohere.command-light-text-v14", TextFormatCohereCommand},
		{"cohere.command-r-plus-v1:0", TextFormatCohereChat},
		{"us.deepseek.r1-v1:0", TextFormatDeepSeek},
		{"openai.gpt-oss-120b-1:0", TextFormatOpenAIChat},
		{"deepseek.v3-v1:0", TextFormatOpenAIChat},
		{"qwen.qwen3-32b-v1:0", TextFormatOpenAIChat},
		{"mistral.mistral-large-3-675b-instruct", TextFormatMistralChat},
	}
	for _, tt := range tests {
		got, err := TextFormatOf(tt.id)
		if err != nil || got != tt.want {
			t.Errorf("TextFormatOf(%q) = %q, %v; want %q", tt.id, got, err, tt.want)
		}
	}
	for _, id := range []string{"amazon.nova-canvas-v1:0", "amazon.nova-sonic-v1:0", "amazon.nova-2-sonic-v1:0", "amazon.nova-reel-v1:1",
		"amazon.titan-embed-text-v2:0", "amazon.nova-2-multimodal-embeddings-v1:0", "cohere.embed-english-v3", "cohere.rerank-v3-5:0",
		"stability.sd3-5-large-v1:0", "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2", "", "gpt-4o"} {
		if f, err := TextFormatOf(id); !errors.Is(err, ErrNotTextModel) {
			t.Errorf("TextFormatOf(%q) = %q, %v; want ErrNotTextModel", id, f, err)
		}
	}
}

// TestTextStreamGolden runs every family's recorded stream through the
// decoder and holds the deltas in testdata/textdelta/<family>.json.
func TestTextStreamGolden(t *testing.T) {
	tests := []struct {
		golden, modelID, stream string
		text, reasoning, stop   string
	}{
		{"titan", "amazon.titan-text-express-v1", "titan/text_stream.jsonl",
			"Waves fold into foam,\nsalt wind carries gull voices,\nthe tide keeps its time.", "", "FINISH"},
		{"nova", "us.amazon.nova-2-lite-v1:0", "nova/stream.jsonl", "Blue light scatters more.", "[REDACTED]", "tool_use"},
		{"anthropic", "us.anthropic.claude-sonnet-4-5-20250929-v1:0", "anthropic/stream.jsonl",
			"Let me check the weather.", "The user wants the weather; call the tool.", "tool_use"},
		{"llama", "meta.llama3-70b-instruct-v1:0", "llama/stream.jsonl", "The capital of Italy is Rome.", "", "stop"},
		{"mistral", "mistral.mistral-7b-instruct-v0:2", "mistral/stream.jsonl",
			"Why did the scarecrow win an award? Because he was outstanding in his field.", "", "stop"},
		{"mistral_chat", "mistral.mistral-large-2407-v1:0", "mistral/chat_stream.jsonl", "Bonjour !", "", "stop"},
		{"cohere_command", "cohere.command-text-v14", "cohere/generate_stream.jsonl", " Fresh from our oven", "", "COMPLETE"},
		{"cohere_chat", "cohere.command-r-v1:0", "cohere/chat_stream.jsonl", "It is 18°C in Paris.", "", "COMPLETE"},
		{"deepseek", "us.deepseek.r1-v1:0", "deepseek/stream.jsonl", "Yes, 97 is prime.", "97 is not divisible by 2, 3, 5 or 7.\n", "stop"},
		{"openai", "openai.gpt-oss-20b-1:0", "openai/stream.jsonl", "Blue scatters most.", "Short.", "stop"},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			dec, err := NewTextStreamDecoder(tt.modelID)
			if err != nil {
				t.Fatal(err)
			}
			var deltas []Delta
			var text, reasoning, stop strings.Builder
			var usage *DeltaUsage
			add := func(d Delta) {
				deltas = append(deltas, d)
				text.WriteString(d.Text)
				reasoning.WriteString(d.Reasoning)
				stop.WriteString(d.StopReason)
				if d.Usage != nil {
					usage = d.Usage
				}
			}
			for _, l := range readLines(t, tt.stream) {
				d, err := dec.Decode(l)
				if err != nil {
					t.Fatalf("Decode(%s): %v", l, err)
				}
				add(d)
			}
			add(dec.Flush())
			got, err := json.Marshal(deltas)
			if err != nil {
				t.Fatal(err)
			}
			checkGolden(t, "textdelta/"+tt.golden+".json", got)
			if diff := cmp.Diff([]string{tt.text, tt.reasoning, tt.stop}, []string{text.String(), reasoning.String(), stop.String()}); diff != "" {
				t.Errorf("accumulated (-want +got):\n%s", diff)
			}
			if usage == nil || usage.OutputTokens == 0 {
				t.Errorf("no final usage: %+v", usage)
			}
		})
	}
}

func TestTextDeltaStateless(t *testing.T) {
	d, err := TextDelta("anthropic.claude-3-5-haiku-20241022-v1:0", []byte(`{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}`))
	if err != nil || d.Text != "Hi" {
		t.Errorf("TextDelta = %+v, %v", d, err)
	}
	// Stateless decoding leaves tag-marked reasoning in the text.
	d, err = TextDelta("openai.gpt-oss-20b-1:0", []byte(`{"choices":[{"index":0,"delta":{"content":"<reasoning>x</reasoning>y"}}]}`))
	if err != nil || d.Text != "<reasoning>x</reasoning>y" {
		t.Errorf("TextDelta = %+v, %v", d, err)
	}
	d, err = TextDelta("openai.gpt-oss-20b-1:0", []byte(`{"choices":[{"index":0,"delta":{"reasoning_content":"think"}}]}`))
	if err != nil || d.Reasoning != "think" {
		t.Errorf("TextDelta reasoning_content = %+v, %v", d, err)
	}
	if _, err := TextDelta("amazon.nova-canvas-v1:0", []byte(`{}`)); !errors.Is(err, ErrNotTextModel) {
		t.Errorf("TextDelta on an image model: %v", err)
	}
	if _, err := TextDelta("anthropic.claude-3-haiku-20240307-v1:0", []byte(`{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}`)); err == nil ||
		!strings.Contains(err.Error(), "overloaded_error") {
		t.Errorf("TextDelta on an error event: %v", err)
	}
	d, err = DecodeTextDelta(TextFormatMistralChat, []byte(`{"choices":[{"index":0,"delta":{"role":"assistant","content":"Hi"},"finish_reason":"stop"}]}`))
	if err != nil || d.Text != "Hi" || d.StopReason != "stop" {
		t.Errorf("Mistral chat with OpenAI-style chunk = %+v, %v", d, err)
	}
	if _, err := DecodeTextDelta("nonsense", []byte(`{}`)); err == nil {
		t.Error("DecodeTextDelta with an unknown format: want error")
	}
	for _, f := range []TextFormat{TextFormatTitan, TextFormatNova, TextFormatAnthropic, TextFormatLlama, TextFormatMistral, TextFormatMistralChat,
		TextFormatCohereCommand, TextFormatCohereChat, TextFormatDeepSeek, TextFormatOpenAIChat} {
		if _, err := DecodeTextDelta(f, []byte(`not json`)); err == nil {
			t.Errorf("DecodeTextDelta(%s, garbage): want error", f)
		}
	}
}

// TestTextStreamDecoderSplitsTagsAnywhere feeds the same output cut at every
// possible point and expects the same reasoning and answer each time.
func TestTextStreamDecoderSplitsTagsAnywhere(t *testing.T) {
	tests := []struct {
		format            TextFormat
		output            string
		reasoning, answer string
		chunk             func(string) string
	}{
		{TextFormatDeepSeek, "Check 2, 3, 5, 7.\n</think>\n\nYes.", "Check 2, 3, 5, 7.\n", "Yes.",
			func(s string) string { return fmt.Sprintf(`{"choices":[{"text":%q,"stop_reason":null}]}`, s) }},
		{TextFormatDeepSeek, "<think>\nhmm</think>ok", "\nhmm", "ok",
			func(s string) string { return fmt.Sprintf(`{"choices":[{"text":%q,"stop_reason":null}]}`, s) }},
		{TextFormatOpenAIChat, "<reasoning>a < b</reasoning>Answer </reasoning", "a < b", "Answer </reasoning",
			func(s string) string { return fmt.Sprintf(`{"choices":[{"index":0,"delta":{"content":%q}}]}`, s) }},
		{TextFormatOpenAIChat, "No reasoning here.", "", "No reasoning here.",
			func(s string) string { return fmt.Sprintf(`{"choices":[{"index":0,"delta":{"content":%q}}]}`, s) }},
		{TextFormatOpenAIChat, "<reas", "", "<reas",
			func(s string) string { return fmt.Sprintf(`{"choices":[{"index":0,"delta":{"content":%q}}]}`, s) }},
	}
	for _, tt := range tests {
		for cut := 0; cut <= len(tt.output); cut++ {
			dec := NewTextStreamDecoderFor(tt.format)
			var reasoning, answer string
			for _, part := range []string{tt.output[:cut], tt.output[cut:]} {
				d, err := dec.Decode([]byte(tt.chunk(part)))
				if err != nil {
					t.Fatal(err)
				}
				reasoning += d.Reasoning
				answer += d.Text
			}
			f := dec.Flush()
			reasoning += f.Reasoning
			answer += f.Text
			if reasoning != tt.reasoning || answer != tt.answer {
				t.Errorf("%s %q cut at %d: reasoning %q answer %q; want %q, %q", tt.format, tt.output, cut, reasoning, answer, tt.reasoning, tt.answer)
			}
		}
	}
}

func ExampleTextStreamDecoder() {
	dec, err := NewTextStreamDecoder("us.deepseek.r1-v1:0")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, chunk := range []string{
		`{"choices":[{"text":"2+2 is basic.</thi","stop_reason":null}]}`,
		`{"choices":[{"text":"nk>\n\n4","stop_reason":"stop"}]}`,
	} {
		d, err := dec.Decode([]byte(chunk))
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("text=%q reasoning=%q stop=%q\n", d.Text, d.Reasoning, d.StopReason)
	}
	// Output:
	// text="" reasoning="2+2 is basic." stop=""
	// text="4" reasoning="" stop="stop"
}

func FuzzTextDelta(f *testing.F) {
	addSeeds(f, "titan/text_stream.jsonl", "nova/stream.jsonl", "anthropic/stream.jsonl", "llama/stream.jsonl", "mistral/stream.jsonl",
		"mistral/chat_stream.jsonl", "cohere/generate_stream.jsonl", "cohere/chat_stream.jsonl", "deepseek/stream.jsonl", "openai/stream.jsonl")
	formats := []TextFormat{TextFormatTitan, TextFormatNova, TextFormatAnthropic, TextFormatLlama, TextFormatMistral, TextFormatMistralChat,
		TextFormatCohereCommand, TextFormatCohereChat, TextFormatDeepSeek, TextFormatOpenAIChat}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, format := range formats {
			d1, err1 := DecodeTextDelta(format, data)
			dec := NewTextStreamDecoderFor(format)
			d2, err2 := dec.Decode(data)
			if (err1 == nil) != (err2 == nil) {
				t.Fatalf("%s: stateless error %v, decoder error %v", format, err1, err2)
			}
			if err1 == nil && dec.split == nil && !cmp.Equal(d1, d2) {
				t.Fatalf("%s: stateless %+v, decoder %+v", format, d1, d2)
			}
			dec.Flush()
		}
	})
}

// FuzzTagSplitter checks that cutting a text in two anywhere gives the same
// reasoning and answer as feeding it whole.
func FuzzTagSplitter(f *testing.F) {
	f.Add("<think>a</think>b", 3, true)
	f.Add("<reasoning>x</reasoning>\n\ny", 12, false)
	f.Add("plain", 2, false)
	f.Fuzz(func(t *testing.T, text string, cut int, deepseek bool) {
		if cut < 0 || cut > len(text) {
			return
		}
		mk := func() *tagSplitter {
			if deepseek {
				return &tagSplitter{open: "<think>", close: "</think>", startInside: true}
			}
			return &tagSplitter{open: "<reasoning>", close: "</reasoning>"}
		}
		whole := mk()
		a1, r1 := whole.feed(text)
		fa, fr := whole.flush()
		a1, r1 = a1+fa, r1+fr
		parts := mk()
		a2, r2 := parts.feed(text[:cut])
		b, c := parts.feed(text[cut:])
		fa, fr = parts.flush()
		a2, r2 = a2+b+fa, r2+c+fr
		if a1 != a2 || r1 != r2 {
			t.Fatalf("whole: %q/%q, cut at %d: %q/%q", a1, r1, cut, a2, r2)
		}
	})
}

func ExampleTextDelta() {
	chunks := map[string]string{
		"amazon.titan-text-express-v1":                `{"outputText":"Hello","index":0,"completionReason":null}`,
		"us.anthropic.claude-3-5-haiku-20241022-v1:0": `{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}`,
		"meta.llama3-8b-instruct-v1:0":                `{"generation":"Hello","stop_reason":null}`,
		"us.amazon.nova-lite-v1:0":                    `{"contentBlockDelta":{"delta":{"text":"Hello"},"contentBlockIndex":0}}`,
	}
	for _, id := range []string{"amazon.titan-text-express-v1", "us.anthropic.claude-3-5-haiku-20241022-v1:0", "meta.llama3-8b-instruct-v1:0", "us.amazon.nova-lite-v1:0"} {
		d, err := TextDelta(id, []byte(chunks[id]))
		fmt.Println(d.Text, err)
	}
	// Output:
	// Hello <nil>
	// Hello <nil>
	// Hello <nil>
	// Hello <nil>
}

// BenchmarkTextStreamDecoder measures decoding one typical text chunk per family.
func BenchmarkTextStreamDecoder(b *testing.B) {
	for _, bc := range []struct{ name, modelID, chunk string }{
		{"anthropic", "anthropic.claude-3-5-haiku-20241022-v1:0", `{"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"Let me check the weather."}}`},
		{"nova", "amazon.nova-lite-v1:0", `{"contentBlockDelta":{"delta":{"text":"Blue light scatters more."},"contentBlockIndex":1}}`},
		{"llama", "meta.llama3-8b-instruct-v1:0", `{"generation":" of Italy is Rome.","prompt_token_count":null,"generation_token_count":8,"stop_reason":null}`},
		{"openai", "openai.gpt-oss-20b-1:0", `{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"Blue scatters most."},"finish_reason":null}]}`},
	} {
		b.Run(bc.name, func(b *testing.B) {
			dec, err := NewTextStreamDecoder(bc.modelID)
			if err != nil {
				b.Fatal(err)
			}
			chunk := []byte(bc.chunk)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := dec.Decode(chunk); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
