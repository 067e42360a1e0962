package modelspec

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestNovaRequestsGolden(t *testing.T) {
	weather := NovaToolSpec{Name: "get_weather", Description: "Weather for a city",
		InputSchema: NovaInputSchema{JSON: json.RawMessage(`{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}`)}}
	runGolden(t, []goldenCase{
		{"nova/request_text.json", NovaRequest{
			System:          []NovaSystemBlock{{Text: "Answer in one sentence."}},
			Messages:        []NovaMessage{{Role: "user", Content: []NovaContent{{Text: "Why is the sky blue?"}}}},
			InferenceConfig: &NovaInferenceConfig{MaxTokens: 300, Temperature: Ptr(0.0), TopP: Ptr(0.9), TopK: 20, StopSequences: []string{"\n\n"}},
		}.Body},
		{"nova/request_multimodal.json", NovaRequest{Messages: []NovaMessage{{Role: "user", Content: []NovaContent{
			{Image: &NovaMedia{Format: "png", Source: NovaSource{Bytes: png1x1}}},
			{Video: &NovaMedia{Format: "mp4", Source: NovaSource{S3Location: &NovaS3Location{URI: "s3://bucket/clip.mp4", BucketOwner: "123456789012"}}}},
			{Document: &NovaDocument{Format: "pdf", Name: "report", Source: NovaSource{Bytes: "JVBERi0xLjQK"}}},
			{Text: "Compare these."},
			{CachePoint: &NovaCachePoint{Type: "default"}},
		}}}}.Body},
		{"nova/request_tools.json", NovaRequest{
			Messages: []NovaMessage{
				{Role: "user", Content: []NovaContent{{Text: "Weather in Paris?"}}},
				{Role: "assistant", Content: []NovaContent{{ToolUse: &NovaToolUse{ToolUseID: "tu-1", Name: "get_weather", Input: json.RawMessage(`{"city":"Paris"}`)}}}},
				{Role: "user", Content: []NovaContent{{ToolResult: &NovaToolResult{ToolUseID: "tu-1", Status: "success",
					Content: []NovaToolResultContent{{JSON: json.RawMessage(`{"tempC":18}`)}, {Text: "cloudy"}}}}}},
			},
			ToolConfig: &NovaToolConfig{Tools: []NovaTool{{ToolSpec: weather}}, ToolChoice: &NovaToolChoice{Auto: &struct{}{}}},
		}.Body},
		{"nova/request_reasoning.json", NovaRequest{
			Messages:        []NovaMessage{{Role: "user", Content: []NovaContent{{Text: "Plan a 3-step proof."}}}},
			InferenceConfig: &NovaInferenceConfig{MaxTokens: 4000},
			ReasoningConfig: &NovaReasoningConfig{Type: "enabled", MaxReasoningEffort: "medium"},
		}.Body},
		{"nova/reel_text_video.json", NovaReelRequest{TaskType: ReelTaskTextVideo,
			TextToVideoParams:     &NovaReelTextToVideoParams{Text: "A drone shot over a misty forest", Images: []NovaMedia{{Format: "png", Source: NovaSource{Bytes: png1x1}}}},
			VideoGenerationConfig: NovaReelVideoGenerationConfig{DurationSeconds: 6, FPS: 24, Dimension: "1280x720", Seed: Ptr(7)}}.Body},
		{"nova/reel_multi_shot_automated.json", NovaReelRequest{TaskType: ReelTaskMultiShotAutomated,
			MultiShotAutomatedParams: &NovaReelMultiShotAutomated{Text: "A day in the life of a lighthouse keeper"},
			VideoGenerationConfig:    NovaReelVideoGenerationConfig{DurationSeconds: 18, FPS: 24, Dimension: "1280x720"}}.Body},
		{"nova/reel_multi_shot_manual.json", NovaReelRequest{TaskType: ReelTaskMultiShotManual,
			MultiShotManualParams: &NovaReelMultiShotManual{Shots: []NovaReelShot{
				{Text: "Sunrise over the harbour"},
				{Text: "Boats leave the harbour", Image: &NovaMedia{Format: "png", Source: NovaSource{S3Location: &NovaS3Location{URI: "s3://bucket/boat.png"}}}},
			}},
			VideoGenerationConfig: NovaReelVideoGenerationConfig{FPS: 24, Dimension: "1280x720", Seed: Ptr(0)}}.Body},
		{"nova/embed_single_text.json", NovaEmbedRequest{TaskType: NovaEmbedTaskSingle, SingleEmbeddingParams: &NovaEmbedParams{
			EmbeddingPurpose: NovaEmbedPurposeIndex, EmbeddingDimension: 1024, Text: &NovaEmbedText{TruncationMode: "END", Value: "Hello World!"}}}.Body},
		{"nova/embed_single_image.json", NovaEmbedRequest{TaskType: NovaEmbedTaskSingle, SingleEmbeddingParams: &NovaEmbedParams{
			EmbeddingPurpose: "IMAGE_RETRIEVAL", EmbeddingDimension: 3072, Image: &NovaEmbedImage{DetailLevel: "DOCUMENT_IMAGE", Format: "png", Source: NovaSource{Bytes: png1x1}}}}.Body},
		{"nova/embed_segmented_video.json", NovaEmbedRequest{TaskType: NovaEmbedTaskSegmented, SegmentedEmbeddingParams: &NovaEmbedParams{
			EmbeddingPurpose: NovaEmbedPurposeIndex, EmbeddingDimension: 256,
			Video: &NovaEmbedAV{Format: "mp4", Source: NovaSource{S3Location: &NovaS3Location{URI: "s3://bucket/talk.mp4"}},
				EmbeddingMode: "AUDIO_VIDEO_COMBINED", SegmentationConfig: &NovaEmbedSegmentConfig{DurationSeconds: 15}}}}.Body},
		{"nova/embed_segmented_text.json", NovaEmbedRequest{TaskType: NovaEmbedTaskSegmented, SegmentedEmbeddingParams: &NovaEmbedParams{
			EmbeddingPurpose: NovaEmbedPurposeIndex, Text: &NovaEmbedText{TruncationMode: "NONE", Source: &NovaSource{S3Location: &NovaS3Location{URI: "s3://bucket/book.txt"}},
				SegmentationConfig: &NovaEmbedSegmentConfig{MaxLengthChars: 10000}}}}.Body},
	})
}

func TestNovaRequestsInvalid(t *testing.T) {
	user := []NovaMessage{{Role: "user", Content: []NovaContent{{Text: "hi"}}}}
	text := &NovaEmbedText{Value: "x"}
	reel := NovaReelVideoGenerationConfig{DurationSeconds: 6, FPS: 24, Dimension: "1280x720"}
	runInvalid(t, []invalidCase{
		{"no messages", NovaRequest{}.Body, "messages"},
		{"assistant first", NovaRequest{Messages: []NovaMessage{{Role: "assistant", Content: []NovaContent{{Text: "x"}}}}}.Body, "messages[0].role"},
		{"bad role", NovaRequest{Messages: append(user, NovaMessage{Role: "system", Content: []NovaContent{{Text: "x"}}})}.Body, "messages[1].role"},
		{"empty content", NovaRequest{Messages: []NovaMessage{{Role: "user"}}}.Body, "messages[0].content"},
		{"two kinds", NovaRequest{Messages: []NovaMessage{{Role: "user", Content: []NovaContent{{Text: "x", CachePoint: &NovaCachePoint{Type: "default"}}}}}}.Body, "2 kinds"},
		{"zero kinds", NovaRequest{Messages: []NovaMessage{{Role: "user", Content: []NovaContent{{}}}}}.Body, "0 kinds"},
		{"two sources", NovaRequest{Messages: []NovaMessage{{Role: "user", Content: []NovaContent{{Image: &NovaMedia{Format: "png",
			Source: NovaSource{Bytes: "x", S3Location: &NovaS3Location{URI: "s3://b/k"}}}}}}}}.Body, "source"},
		{"temperature", NovaRequest{Messages: user, InferenceConfig: &NovaInferenceConfig{Temperature: Ptr(2.0)}}.Body, "temperature"},
		{"topK", NovaRequest{Messages: user, InferenceConfig: &NovaInferenceConfig{TopK: -1}}.Body, "topK"},
		{"reasoning type", NovaRequest{Messages: user, ReasoningConfig: &NovaReasoningConfig{Type: "on"}}.Body, "reasoningConfig.type"},
		{"reasoning effort", NovaRequest{Messages: user, ReasoningConfig: &NovaReasoningConfig{Type: "enabled", MaxReasoningEffort: "max"}}.Body, "maxReasoningEffort"},
		{"tool name", NovaRequest{Messages: user, ToolConfig: &NovaToolConfig{Tools: []NovaTool{{ToolSpec: NovaToolSpec{InputSchema: NovaInputSchema{JSON: json.RawMessage(`{}`)}}}}}}.Body, "toolSpec.name"},
		{"tool schema", NovaRequest{Messages: user, ToolConfig: &NovaToolConfig{Tools: []NovaTool{{ToolSpec: NovaToolSpec{Name: "t", InputSchema: NovaInputSchema{JSON: json.RawMessage(`{`)}}}}}}.Body, "inputSchema"},
		{"reel fps", NovaReelRequest{TaskType: ReelTaskTextVideo, TextToVideoParams: &NovaReelTextToVideoParams{Text: "x"},
			VideoGenerationConfig: NovaReelVideoGenerationConfig{DurationSeconds: 6, FPS: 30, Dimension: "1280x720"}}.Body, "fps"},
		{"reel dimension", NovaReelRequest{TaskType: ReelTaskTextVideo, TextToVideoParams: &NovaReelTextToVideoParams{Text: "x"},
			VideoGenerationConfig: NovaReelVideoGenerationConfig{DurationSeconds: 6, FPS: 24, Dimension: "1920x1080"}}.Body, "dimension"},
		{"reel duration", NovaReelRequest{TaskType: ReelTaskTextVideo, TextToVideoParams: &NovaReelTextToVideoParams{Text: "x"},
			VideoGenerationConfig: NovaReelVideoGenerationConfig{DurationSeconds: 12, FPS: 24, Dimension: "1280x720"}}.Body, "durationSeconds"},
		{"reel text", NovaReelRequest{TaskType: ReelTaskTextVideo, TextToVideoParams: &NovaReelTextToVideoParams{}, VideoGenerationConfig: reel}.Body, "textToVideoParams.text"},
		{"reel two images", NovaReelRequest{TaskType: ReelTaskTextVideo, TextToVideoParams: &NovaReelTextToVideoParams{Text: "x", Images: make([]NovaMedia, 2)}, VideoGenerationConfig: reel}.Body, "images"},
		{"reel task", NovaReelRequest{TaskType: "IMAGE_VIDEO", TextToVideoParams: &NovaReelTextToVideoParams{Text: "x"}, VideoGenerationConfig: reel}.Body, "taskType"},
		{"reel params mismatch", NovaReelRequest{TaskType: ReelTaskMultiShotManual, TextToVideoParams: &NovaReelTextToVideoParams{Text: "x"}, VideoGenerationConfig: reel}.Body, "multiShotManualParams"},
		{"reel no params", NovaReelRequest{TaskType: ReelTaskTextVideo, VideoGenerationConfig: reel}.Body, "exactly one params"},
		{"automated 15s", NovaReelRequest{TaskType: ReelTaskMultiShotAutomated, MultiShotAutomatedParams: &NovaReelMultiShotAutomated{Text: "x"},
			VideoGenerationConfig: NovaReelVideoGenerationConfig{DurationSeconds: 15, FPS: 24, Dimension: "1280x720"}}.Body, "multiple of 6"},
		{"automated 126s", NovaReelRequest{TaskType: ReelTaskMultiShotAutomated, MultiShotAutomatedParams: &NovaReelMultiShotAutomated{Text: "x"},
			VideoGenerationConfig: NovaReelVideoGenerationConfig{DurationSeconds: 126, FPS: 24, Dimension: "1280x720"}}.Body, "multiple of 6"},
		{"manual one shot", NovaReelRequest{TaskType: ReelTaskMultiShotManual, MultiShotManualParams: &NovaReelMultiShotManual{Shots: []NovaReelShot{{Text: "x"}}},
			VideoGenerationConfig: NovaReelVideoGenerationConfig{FPS: 24, Dimension: "1280x720"}}.Body, "shots"},
		{"manual duration", NovaReelRequest{TaskType: ReelTaskMultiShotManual, MultiShotManualParams: &NovaReelMultiShotManual{Shots: []NovaReelShot{{Text: "x"}, {Text: "y"}}},
			VideoGenerationConfig: reel}.Body, "durationSeconds"},
		{"embed task", NovaEmbedRequest{TaskType: "BATCH"}.Body, "taskType"},
		{"embed missing params", NovaEmbedRequest{TaskType: NovaEmbedTaskSingle}.Body, "singleEmbeddingParams"},
		{"embed wrong params", NovaEmbedRequest{TaskType: NovaEmbedTaskSingle, SingleEmbeddingParams: &NovaEmbedParams{}, SegmentedEmbeddingParams: &NovaEmbedParams{}}.Body, "segmentedEmbeddingParams"},
		{"embed purpose", NovaEmbedRequest{TaskType: NovaEmbedTaskSingle, SingleEmbeddingParams: &NovaEmbedParams{EmbeddingPurpose: "SEARCH", Text: text}}.Body, "embeddingPurpose"},
		{"embed dimension", NovaEmbedRequest{TaskType: NovaEmbedTaskSingle, SingleEmbeddingParams: &NovaEmbedParams{EmbeddingPurpose: NovaEmbedPurposeIndex, EmbeddingDimension: 512, Text: text}}.Body, "embeddingDimension"},
		{"embed two inputs", NovaEmbedRequest{TaskType: NovaEmbedTaskSingle, SingleEmbeddingParams: &NovaEmbedParams{EmbeddingPurpose: NovaEmbedPurposeIndex, Text: text, Audio: &NovaEmbedAV{}}}.Body, "exactly one of text"},
		{"embed text source", NovaEmbedRequest{TaskType: NovaEmbedTaskSingle, SingleEmbeddingParams: &NovaEmbedParams{EmbeddingPurpose: NovaEmbedPurposeIndex, Text: &NovaEmbedText{}}}.Body, "value and source"},
		{"embed single segmented", NovaEmbedRequest{TaskType: NovaEmbedTaskSingle, SingleEmbeddingParams: &NovaEmbedParams{EmbeddingPurpose: NovaEmbedPurposeIndex,
			Text: &NovaEmbedText{Value: "x", SegmentationConfig: &NovaEmbedSegmentConfig{MaxLengthChars: 100}}}}.Body, "segmentationConfig"},
	})
}

func TestParseNovaResponses(t *testing.T) {
	r, err := ParseNovaResponse(readTestdata(t, "nova/response.json"))
	if err != nil {
		t.Fatal(err)
	}
	want := &NovaResponse{StopReason: "tool_use", Usage: NovaUsage{InputTokens: 120, OutputTokens: 40, TotalTokens: 160, CacheReadInputTokenCount: 100}}
	want.Output = NovaOutput{Message: NovaMessage{Role: "assistant", Content: []NovaContent{
		{ReasoningContent: &NovaReasoningContent{ReasoningText: &NovaReasoningText{Text: "[REDACTED]"}}},
		{Text: "Let me check the weather."},
		{ToolUse: &NovaToolUse{ToolUseID: "tu-1", Name: "get_weather", Input: json.RawMessage(`{"city": "Paris"}`)}},
	}}}
	if diff := cmp.Diff(want, r); diff != "" {
		t.Errorf("response (-want +got):\n%s", diff)
	}
	if r.Text() != "Let me check the weather." {
		t.Errorf("Text() = %q", r.Text())
	}

	var kinds []string
	for _, l := range readLines(t, "nova/stream.jsonl") {
		c, err := ParseNovaChunk(l)
		if err != nil {
			t.Fatalf("ParseNovaChunk(%s): %v", l, err)
		}
		switch {
		case c.MessageStart != nil:
			kinds = append(kinds, "messageStart:"+c.MessageStart.Role)
		case c.ContentBlockStart != nil:
			kinds = append(kinds, "contentBlockStart:"+c.ContentBlockStart.Start.ToolUse.Name)
		case c.ContentBlockDelta != nil:
			d := c.ContentBlockDelta.Delta
			switch {
			case d.ToolUse != nil:
				kinds = append(kinds, "toolUse:"+d.ToolUse.Input)
			case d.ReasoningContent != nil:
				kinds = append(kinds, "reasoning:"+d.ReasoningContent.Text)
			default:
				kinds = append(kinds, "text:"+d.Text)
			}
		case c.ContentBlockStop != nil:
			kinds = append(kinds, "contentBlockStop")
		case c.MessageStop != nil:
			kinds = append(kinds, "messageStop:"+c.MessageStop.StopReason)
		case c.Metadata != nil:
			kinds = append(kinds, "metadata")
			if diff := cmp.Diff(NovaUsage{InputTokens: 9, OutputTokens: 21}, c.Metadata.Usage); diff != "" {
				t.Errorf("usage (-want +got):\n%s", diff)
			}
			if c.Metrics == nil || c.Metrics.OutputTokenCount != 21 {
				t.Errorf("metrics = %+v", c.Metrics)
			}
		}
	}
	wantKinds := []string{"messageStart:assistant", "reasoning:[REDACTED]", "contentBlockStop", "text:Blue light", "text: scatters more.",
		"contentBlockStop", "contentBlockStart:get_weather", `toolUse:{"city":`, `toolUse:"Paris"}`, "contentBlockStop", "messageStop:tool_use", "metadata"}
	if diff := cmp.Diff(wantKinds, kinds); diff != "" {
		t.Errorf("stream (-want +got):\n%s", diff)
	}

	emb, err := ParseNovaEmbedResponse(readTestdata(t, "nova/embed_response.json"))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&NovaEmbedResponse{Embeddings: []NovaEmbedding{{EmbeddingType: "TEXT", Embedding: []float64{0.1, -0.2, 0.3}, TruncatedCharLength: 12}}}, emb); diff != "" {
		t.Errorf("embed response (-want +got):\n%s", diff)
	}
}

func TestParseNovaRejects(t *testing.T) {
	for _, in := range []string{``, `[]`, `{}`, `{"output":{}}`, `{"output":{"message":{"role":1}}}`} {
		if _, err := ParseNovaResponse([]byte(in)); err == nil {
			t.Errorf("ParseNovaResponse(%q): want error", in)
		}
	}
	for _, in := range []string{``, `{}`, `{"unknown":{}}`, `{"messageStart":5}`, `{"contentBlockDelta":{"delta":{"text":1}}}`} {
		if _, err := ParseNovaChunk([]byte(in)); err == nil {
			t.Errorf("ParseNovaChunk(%q): want error", in)
		}
	}
	for _, in := range []string{``, `{}`, `{"embeddings":[]}`, `{"embeddings":{}}`} {
		if _, err := ParseNovaEmbedResponse([]byte(in)); err == nil {
			t.Errorf("ParseNovaEmbedResponse(%q): want error", in)
		}
	}
}

func FuzzParseNova(f *testing.F) {
	addSeeds(f, "nova/stream.jsonl", "nova/response.json", "nova/embed_response.json")
	f.Fuzz(func(t *testing.T, data []byte) {
		if r, err := ParseNovaResponse(data); (r == nil) == (err == nil) {
			t.Fatalf("response: %v, %v", r, err)
		} else if r != nil {
			_ = r.Text()
		}
		if r, err := ParseNovaChunk(data); (r == nil) == (err == nil) {
			t.Fatalf("chunk: %v, %v", r, err)
		}
		if r, err := ParseNovaEmbedResponse(data); (r == nil) == (err == nil) {
			t.Fatalf("embed: %v, %v", r, err)
		}
	})
}

func ExampleNovaRequest_Body() {
	body, err := NovaRequest{
		System:          []NovaSystemBlock{{Text: "Be brief."}},
		Messages:        []NovaMessage{{Role: "user", Content: []NovaContent{{Text: "Hi!"}}}},
		InferenceConfig: &NovaInferenceConfig{MaxTokens: 100, Temperature: Ptr(0.0)},
	}.Body()
	fmt.Println(string(body), err)
	// Output:
	// {"schemaVersion":"messages-v1","system":[{"text":"Be brief."}],"messages":[{"role":"user","content":[{"text":"Hi!"}]}],"inferenceConfig":{"maxTokens":100,"temperature":0}} <nil>
}
