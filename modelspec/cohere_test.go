package modelspec

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCohereRequestsGolden(t *testing.T) {
	runGolden(t, []goldenCase{
		{"cohere/generate_request.json", CohereGenerateRequest{Prompt: "Write a tagline for a bakery.", Temperature: Ptr(0.9), P: Ptr(0.75), K: 0,
			MaxTokens: 100, StopSequences: []string{"--"}, ReturnLikelihoods: "NONE", NumGenerations: 2, Truncate: "END"}.Body},
		{"cohere/chat_request.json", CohereChatRequest{Message: "And the weather there?",
			ChatHistory: []CohereChatTurn{{Role: "USER", Message: "Capital of France?"}, {Role: "CHATBOT", Message: "Paris."}},
			Documents:   []map[string]string{{"title": "Paris", "snippet": "Paris is the capital of France."}},
			Preamble:    "You are concise.", MaxTokens: 200, Temperature: Ptr(0.3), P: Ptr(0.75), K: 10,
			PromptTruncation: "AUTO_PRESERVE_ORDER", Seed: Ptr(7),
			Tools: []CohereTool{{Name: "get_weather", Description: "Weather for a city",
				ParameterDefinitions: map[string]CohereToolParameter{"city": {Description: "City name", Type: "str", Required: true}}}},
			StopSequences: []string{"END"}}.Body},
		{"cohere/embed_v3_request.json", CohereEmbedRequest{Texts: []string{"hello", "world"}, InputType: "search_document",
			Truncate: "END", EmbeddingTypes: []string{"float", "int8"}}.Body},
		{"cohere/embed_v4_request.json", CohereEmbedRequest{Inputs: []CohereEmbedInput{{Content: []CohereEmbedContent{
			{Type: "text", Text: "A red dot"}, {Type: "image_url", ImageURL: "data:image/png;base64," + png1x1}}}},
			InputType: "search_document", EmbeddingTypes: []string{"float"}, OutputDimension: 512, MaxTokens: 8000}.Body},
		{"cohere/embed_image_request.json", CohereEmbedRequest{Images: []string{"data:image/png;base64," + png1x1}, InputType: "image"}.Body},
		{"cohere/rerank_request.json", RerankRequest{Query: "What is the capital of France?",
			Documents: []any{"Paris is the capital of France.", map[string]string{"title": "Berlin", "text": "Berlin is in Germany."}},
			TopN:      2, APIVersion: 2}.Body},
	})
	runInvalid(t, []invalidCase{
		{"generate prompt", CohereGenerateRequest{}.Body, "prompt"},
		{"generate k", CohereGenerateRequest{Prompt: "x", K: 501}.Body, "k"},
		{"generate p", CohereGenerateRequest{Prompt: "x", P: Ptr(1.1)}.Body, "p"},
		{"generate n", CohereGenerateRequest{Prompt: "x", NumGenerations: 6}.Body, "num_generations"},
		{"chat message", CohereChatRequest{}.Body, "message"},
		{"chat role", CohereChatRequest{Message: "x", ChatHistory: []CohereChatTurn{{Role: "user", Message: "y"}}}.Body, "chat_history[0].role"},
		{"chat p", CohereChatRequest{Message: "x", P: Ptr(1.0)}.Body, "p"},
		{"chat truncation", CohereChatRequest{Message: "x", PromptTruncation: "AUTO"}.Body, "prompt_truncation"},
		{"embed none", CohereEmbedRequest{InputType: "search_query"}.Body, "texts"},
		{"embed both", CohereEmbedRequest{Texts: []string{"a"}, Images: []string{"b"}, InputType: "search_query"}.Body, "texts"},
		{"embed 97", CohereEmbedRequest{Texts: make([]string, 97), InputType: "search_query"}.Body, "96"},
		{"embed input_type", CohereEmbedRequest{Texts: []string{"a"}, InputType: "query"}.Body, "input_type"},
		{"embed truncate", CohereEmbedRequest{Texts: []string{"a"}, InputType: "search_query", Truncate: "MIDDLE"}.Body, "truncate"},
		{"embed types", CohereEmbedRequest{Texts: []string{"a"}, InputType: "search_query", EmbeddingTypes: []string{"int4"}}.Body, "embedding_types"},
		{"embed dimension", CohereEmbedRequest{Texts: []string{"a"}, InputType: "search_query", OutputDimension: 768}.Body, "output_dimension"},
		{"rerank query", RerankRequest{Documents: []any{"a"}}.Body, "query"},
		{"rerank docs", RerankRequest{Query: "q"}.Body, "documents"},
		{"rerank top_n", RerankRequest{Query: "q", Documents: []any{"a"}, TopN: 2}.Body, "top_n"},
		{"rerank doc type", RerankRequest{Query: "q", Documents: []any{42}}.Body, "documents[0]"},
	})
}

func TestParseCohere(t *testing.T) {
	g, err := ParseCohereGenerateResponse(readTestdata(t, "cohere/generate_response.json"))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&CohereGenerateResponse{ID: "gen-1", Prompt: "Write a tagline for a bakery.",
		Generations: []CohereGeneration{{ID: "g-1", Text: " Fresh from our oven to your table.", FinishReason: "COMPLETE"}}}, g); diff != "" {
		t.Errorf("generate response (-want +got):\n%s", diff)
	}
	var text string
	var last *CohereGenerateChunk
	for _, l := range readLines(t, "cohere/generate_stream.jsonl") {
		c, err := ParseCohereGenerateChunk(l)
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range c.Generations {
			text += g.Text
		}
		last = c
	}
	if text != " Fresh from our oven" || !last.Generations[0].IsFinished || last.Generations[0].FinishReason != "COMPLETE" || last.Metrics == nil {
		t.Errorf("generate stream: text %q, last %+v", text, last)
	}

	c, err := ParseCohereChatResponse(readTestdata(t, "cohere/chat_response.json"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Text != "" || c.FinishReason != "COMPLETE" || len(c.ToolCalls) != 1 || c.ToolCalls[0].Name != "get_weather" ||
		string(c.ToolCalls[0].Parameters) != `{"city":"Paris"}` || c.Meta.BilledUnits.InputTokens != 82 {
		t.Errorf("chat response = %+v", c)
	}
	var kinds []string
	text = ""
	for _, l := range readLines(t, "cohere/chat_stream.jsonl") {
		e, err := ParseCohereChatEvent(l)
		if err != nil {
			t.Fatal(err)
		}
		kinds = append(kinds, e.EventType)
		text += e.Text
	}
	if diff := cmp.Diff([]string{"stream-start", "text-generation", "text-generation", "stream-end"}, kinds); diff != "" {
		t.Errorf("chat stream (-want +got):\n%s", diff)
	}
	if text != "It is 18°C in Paris." {
		t.Errorf("chat stream text = %q", text)
	}

	e3, err := ParseCohereEmbedResponse(readTestdata(t, "cohere/embed_floats_response.json"))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(CohereEmbeddings{Float: [][]float64{{0.1, 0.2}, {-0.3, 0.4}}}, e3.Embeddings); diff != "" {
		t.Errorf("embed floats (-want +got):\n%s", diff)
	}
	e4, err := ParseCohereEmbedResponse(readTestdata(t, "cohere/embed_by_type_response.json"))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(CohereEmbeddings{Float: [][]float64{{0.5, -0.5}}, Int8: [][]int{{64, -64}}}, e4.Embeddings); diff != "" {
		t.Errorf("embed by type (-want +got):\n%s", diff)
	}
	rr, err := ParseRerankResponse(readTestdata(t, "cohere/rerank_response.json"))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&RerankResponse{ID: "rr-1", Results: []RerankResult{{Index: 0, RelevanceScore: 0.98}, {Index: 1, RelevanceScore: 0.02,
		Document: json.RawMessage(`{"text":"Berlin is in Germany."}`)}}}, rr); diff != "" {
		t.Errorf("rerank (-want +got):\n%s", diff)
	}
}

func TestCohereCommandNativeChunks(t *testing.T) {
	// Cohere's own streaming shape, with top-level text and is_finished.
	var text, stop string
	for _, l := range []string{`{"text":" Hi","is_finished":false}`, `{"text":"!","is_finished":false}`,
		`{"is_finished":true,"finish_reason":"MAX_TOKENS","response":{"id":"x","generations":[{"text":" Hi!"}]}}`} {
		d, err := DecodeTextDelta(TextFormatCohereCommand, []byte(l))
		if err != nil {
			t.Fatal(err)
		}
		text += d.Text
		stop += d.StopReason
	}
	if text != " Hi!" || stop != "MAX_TOKENS" {
		t.Errorf("text %q stop %q", text, stop)
	}
}

func TestParseCohereRejects(t *testing.T) {
	for _, in := range []string{``, `[]`, `{}`, `{"generations":{}}`} {
		if _, err := ParseCohereGenerateResponse([]byte(in)); err == nil {
			t.Errorf("ParseCohereGenerateResponse(%q): want error", in)
		}
	}
	for _, in := range []string{``, `{}`, `{"event_type":5}`} {
		if _, err := ParseCohereChatEvent([]byte(in)); err == nil {
			t.Errorf("ParseCohereChatEvent(%q): want error", in)
		}
	}
	for _, in := range []string{``, `{}`, `{"embeddings":[]}`, `{"embeddings":"x"}`, `{"embeddings":{"float":"x"}}`} {
		if _, err := ParseCohereEmbedResponse([]byte(in)); err == nil {
			t.Errorf("ParseCohereEmbedResponse(%q): want error", in)
		}
	}
	for _, in := range []string{``, `{}`, `{"results":[{"index":"0"}]}`} {
		if _, err := ParseRerankResponse([]byte(in)); err == nil {
			t.Errorf("ParseRerankResponse(%q): want error", in)
		}
	}
	for _, in := range []string{``, `[]`, `{"text":1}`} {
		if _, err := ParseCohereChatResponse([]byte(in)); err == nil {
			t.Errorf("ParseCohereChatResponse(%q): want error", in)
		}
		if _, err := ParseCohereGenerateChunk([]byte(in)); err == nil {
			t.Errorf("ParseCohereGenerateChunk(%q): want error", in)
		}
	}
}

func FuzzParseCohere(f *testing.F) {
	addSeeds(f, "cohere/generate_stream.jsonl", "cohere/chat_stream.jsonl", "cohere/generate_response.json", "cohere/chat_response.json",
		"cohere/embed_floats_response.json", "cohere/embed_by_type_response.json", "cohere/rerank_response.json")
	f.Fuzz(func(t *testing.T, data []byte) {
		if r, err := ParseCohereGenerateResponse(data); (r == nil) == (err == nil) {
			t.Fatalf("%v, %v", r, err)
		}
		if r, err := ParseCohereGenerateChunk(data); (r == nil) == (err == nil) {
			t.Fatalf("%v, %v", r, err)
		}
		if r, err := ParseCohereChatResponse(data); (r == nil) == (err == nil) {
			t.Fatalf("%v, %v", r, err)
		}
		if r, err := ParseCohereChatEvent(data); (r == nil) == (err == nil) {
			t.Fatalf("%v, %v", r, err)
		}
		if r, err := ParseCohereEmbedResponse(data); (r == nil) == (err == nil) {
			t.Fatalf("%v, %v", r, err)
		}
		if r, err := ParseRerankResponse(data); (r == nil) == (err == nil) {
			t.Fatalf("%v, %v", r, err)
		}
	})
}
