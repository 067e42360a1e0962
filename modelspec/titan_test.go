package modelspec

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// goldenCase is one typed request builder and the golden file its body must equal.
type goldenCase struct {
	file  string
	build func() ([]byte, error)
}

func runGolden(t *testing.T, cases []goldenCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			b, err := c.build()
			if err != nil {
				t.Fatalf("build: %v", err)
			}
			checkGolden(t, c.file, b)
		})
	}
}

// invalidCase is a request a builder must refuse, naming the field.
type invalidCase struct {
	name  string
	build func() ([]byte, error)
	field string
}

func runInvalid(t *testing.T, cases []invalidCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b, err := c.build()
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("got body %s, error %v; want a *ValidationError", b, err)
			}
			if !strings.Contains(err.Error(), c.field) {
				t.Errorf("error %q does not name %q", err, c.field)
			}
		})
	}
}

const png1x1 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="

func TestTitanRequestsGolden(t *testing.T) {
	runGolden(t, []goldenCase{
		{"titan/text_request.json", TitanTextRequest{InputText: "User: Write a haiku about the sea.\nBot:",
			TextGenerationConfig: &TitanTextGenerationConfig{Temperature: Ptr(0.0), TopP: Ptr(0.9), MaxTokenCount: 512, StopSequences: []string{"User:"}}}.Body},
		{"titan/text_request_minimal.json", TitanTextRequest{InputText: "Hello"}.Body},
		{"titan/embed_v1_request.json", TitanEmbedRequest{InputText: "What is Amazon Bedrock?"}.Body},
		{"titan/embed_v2_request.json", TitanEmbedRequest{InputText: "What is Amazon Bedrock?", Dimensions: 512,
			Normalize: Ptr(true), EmbeddingTypes: []string{"float", "binary"}}.Body},
		{"titan/multimodal_embed_request.json", TitanMultimodalEmbedRequest{InputText: "a red dot", InputImage: png1x1,
			EmbeddingConfig: &TitanEmbeddingConfig{OutputEmbeddingLength: 384}}.Body},
		{"titan/image_text_image_request.json", ImageRequest{TaskType: ImageTaskTextImage,
			TextToImageParams:     &TextToImageParams{Text: "a lighthouse at dawn", NegativeText: "people"},
			ImageGenerationConfig: &ImageGenerationConfig{Width: 1152, Height: 768, Quality: "premium", CfgScale: Ptr(8.0), Seed: Ptr(0), NumberOfImages: 2}}.TitanImageBody},
		{"titan/image_conditioned_request.json", ImageRequest{TaskType: ImageTaskTextImage,
			TextToImageParams:     &TextToImageParams{Text: "a castle", ConditionImage: png1x1, ControlMode: "CANNY_EDGE", ControlStrength: Ptr(0.7)},
			ImageGenerationConfig: &ImageGenerationConfig{Width: 512, Height: 512, NumberOfImages: 1}}.TitanImageBody},
		{"titan/image_variation_request.json", ImageRequest{TaskType: ImageTaskVariation,
			ImageVariationParams:  &ImageVariationParams{Text: "in watercolor", Images: []string{png1x1}, SimilarityStrength: Ptr(0.7)},
			ImageGenerationConfig: &ImageGenerationConfig{Width: 1024, Height: 1024, NumberOfImages: 3}}.TitanImageBody},
		{"titan/image_inpainting_request.json", ImageRequest{TaskType: ImageTaskInpainting,
			InPaintingParams: &InPaintingParams{Image: png1x1, Text: "a cat", MaskPrompt: "the dog", ReturnMask: true}}.TitanImageBody},
		{"titan/image_outpainting_request.json", ImageRequest{TaskType: ImageTaskOutpainting,
			OutPaintingParams: &OutPaintingParams{Image: png1x1, Text: "a beach", MaskImage: png1x1, OutPaintingMode: "PRECISE"}}.TitanImageBody},
		{"titan/image_background_removal_request.json", ImageRequest{TaskType: ImageTaskBackgroundRemove,
			BackgroundRemovalParams: &BackgroundRemovalParams{Image: png1x1}}.TitanImageBody},
		{"titan/image_color_guided_request.json", ImageRequest{TaskType: ImageTaskColorGuided,
			ColorGuidedGenerationParams: &ColorGuidedGenerationParams{Text: "a poster", ReferenceImage: png1x1, Colors: []string{"#ff8080", "#00FF00"}},
			ImageGenerationConfig:       &ImageGenerationConfig{Width: 1280, Height: 768}}.TitanImageBody},
	})
}

func TestTitanRequestsInvalid(t *testing.T) {
	runInvalid(t, []invalidCase{
		{"empty text", TitanTextRequest{}.Body, "inputText"},
		{"temperature", TitanTextRequest{InputText: "x", TextGenerationConfig: &TitanTextGenerationConfig{Temperature: Ptr(1.5)}}.Body, "temperature"},
		{"topP", TitanTextRequest{InputText: "x", TextGenerationConfig: &TitanTextGenerationConfig{TopP: Ptr(-0.1)}}.Body, "topP"},
		{"maxTokenCount", TitanTextRequest{InputText: "x", TextGenerationConfig: &TitanTextGenerationConfig{MaxTokenCount: -1}}.Body, "maxTokenCount"},
		{"embed empty", TitanEmbedRequest{}.Body, "inputText"},
		{"embed dimensions", TitanEmbedRequest{InputText: "x", Dimensions: 768}.Body, "dimensions"},
		{"embed types", TitanEmbedRequest{InputText: "x", EmbeddingTypes: []string{"int8"}}.Body, "embeddingTypes"},
		{"mm empty", TitanMultimodalEmbedRequest{}.Body, "inputText"},
		{"mm length", TitanMultimodalEmbedRequest{InputText: "x", EmbeddingConfig: &TitanEmbeddingConfig{OutputEmbeddingLength: 512}}.Body, "outputEmbeddingLength"},
		{"unknown task", ImageRequest{TaskType: "SKETCH"}.TitanImageBody, "taskType"},
		{"vto on titan", ImageRequest{TaskType: ImageTaskVirtualTryOn, VirtualTryOnParams: &VirtualTryOnParams{}}.TitanImageBody, "taskType"},
		{"missing params", ImageRequest{TaskType: ImageTaskTextImage}.TitanImageBody, "textToImageParams"},
		{"extra params", ImageRequest{TaskType: ImageTaskTextImage, TextToImageParams: &TextToImageParams{Text: "x"},
			BackgroundRemovalParams: &BackgroundRemovalParams{Image: "x"}}.TitanImageBody, "backgroundRemovalParams"},
		{"empty prompt", ImageRequest{TaskType: ImageTaskTextImage, TextToImageParams: &TextToImageParams{}}.TitanImageBody, "textToImageParams.text"},
		{"long prompt", ImageRequest{TaskType: ImageTaskTextImage, TextToImageParams: &TextToImageParams{Text: strings.Repeat("é", 513)}}.TitanImageBody, "textToImageParams.text"},
		{"style on titan", ImageRequest{TaskType: ImageTaskTextImage, TextToImageParams: &TextToImageParams{Text: "x", Style: "PHOTOREALISM"}}.TitanImageBody, "style"},
		{"control mode", ImageRequest{TaskType: ImageTaskTextImage, TextToImageParams: &TextToImageParams{Text: "x", ControlMode: "DEPTH"}}.TitanImageBody, "controlMode"},
		{"control strength", ImageRequest{TaskType: ImageTaskTextImage, TextToImageParams: &TextToImageParams{Text: "x", ControlStrength: Ptr(1.01)}}.TitanImageBody, "controlStrength"},
		{"titan size", ImageRequest{TaskType: ImageTaskTextImage, TextToImageParams: &TextToImageParams{Text: "x"},
			ImageGenerationConfig: &ImageGenerationConfig{Width: 1024, Height: 768}}.TitanImageBody, "1024x768"},
		{"width only", ImageRequest{TaskType: ImageTaskTextImage, TextToImageParams: &TextToImageParams{Text: "x"},
			ImageGenerationConfig: &ImageGenerationConfig{Width: 1024}}.TitanImageBody, "width and height"},
		{"too many images", ImageRequest{TaskType: ImageTaskTextImage, TextToImageParams: &TextToImageParams{Text: "x"},
			ImageGenerationConfig: &ImageGenerationConfig{NumberOfImages: 6}}.TitanImageBody, "numberOfImages"},
		{"quality", ImageRequest{TaskType: ImageTaskTextImage, TextToImageParams: &TextToImageParams{Text: "x"},
			ImageGenerationConfig: &ImageGenerationConfig{Quality: "ultra"}}.TitanImageBody, "quality"},
		{"cfgScale", ImageRequest{TaskType: ImageTaskTextImage, TextToImageParams: &TextToImageParams{Text: "x"},
			ImageGenerationConfig: &ImageGenerationConfig{CfgScale: Ptr(1.0)}}.TitanImageBody, "cfgScale"},
		{"seed", ImageRequest{TaskType: ImageTaskTextImage, TextToImageParams: &TextToImageParams{Text: "x"},
			ImageGenerationConfig: &ImageGenerationConfig{Seed: Ptr(2147483647)}}.TitanImageBody, "seed"},
		{"variation no images", ImageRequest{TaskType: ImageTaskVariation, ImageVariationParams: &ImageVariationParams{}}.TitanImageBody, "images"},
		{"variation 6 images", ImageRequest{TaskType: ImageTaskVariation, ImageVariationParams: &ImageVariationParams{Images: make([]string, 6)}}.TitanImageBody, "images"},
		{"similarity", ImageRequest{TaskType: ImageTaskVariation, ImageVariationParams: &ImageVariationParams{Images: []string{"a"}, SimilarityStrength: Ptr(0.1)}}.TitanImageBody, "similarityStrength"},
		{"inpainting two masks", ImageRequest{TaskType: ImageTaskInpainting, InPaintingParams: &InPaintingParams{Image: "a", MaskPrompt: "x", MaskImage: "y"}}.TitanImageBody, "maskPrompt"},
		{"inpainting no mask", ImageRequest{TaskType: ImageTaskInpainting, InPaintingParams: &InPaintingParams{Image: "a"}}.TitanImageBody, "maskPrompt"},
		{"inpainting no image", ImageRequest{TaskType: ImageTaskInpainting, InPaintingParams: &InPaintingParams{MaskPrompt: "x"}}.TitanImageBody, "inPaintingParams.image"},
		{"outpainting mode", ImageRequest{TaskType: ImageTaskOutpainting, OutPaintingParams: &OutPaintingParams{Image: "a", Text: "b", MaskPrompt: "c", OutPaintingMode: "FAST"}}.TitanImageBody, "outPaintingMode"},
		{"outpainting text", ImageRequest{TaskType: ImageTaskOutpainting, OutPaintingParams: &OutPaintingParams{Image: "a", MaskPrompt: "c"}}.TitanImageBody, "outPaintingParams.text"},
		{"bg removal config", ImageRequest{TaskType: ImageTaskBackgroundRemove, BackgroundRemovalParams: &BackgroundRemovalParams{Image: "a"},
			ImageGenerationConfig: &ImageGenerationConfig{}}.TitanImageBody, "imageGenerationConfig"},
		{"bg removal image", ImageRequest{TaskType: ImageTaskBackgroundRemove, BackgroundRemovalParams: &BackgroundRemovalParams{}}.TitanImageBody, "backgroundRemovalParams.image"},
		{"colors none", ImageRequest{TaskType: ImageTaskColorGuided, ColorGuidedGenerationParams: &ColorGuidedGenerationParams{Text: "x"}}.TitanImageBody, "colors"},
		{"colors bad", ImageRequest{TaskType: ImageTaskColorGuided, ColorGuidedGenerationParams: &ColorGuidedGenerationParams{Text: "x", Colors: []string{"#12345G"}}}.TitanImageBody, "colors"},
		{"colors 11", ImageRequest{TaskType: ImageTaskColorGuided, ColorGuidedGenerationParams: &ColorGuidedGenerationParams{Text: "x",
			Colors: []string{"#000000", "#000000", "#000000", "#000000", "#000000", "#000000", "#000000", "#000000", "#000000", "#000000", "#000000"}}}.TitanImageBody, "colors"},
	})
}

func TestParseTitanResponses(t *testing.T) {
	text, err := ParseTitanTextResponse(readTestdata(t, "titan/text_response.json"))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&TitanTextResponse{InputTextTokenCount: 12, Results: []TitanTextResult{{TokenCount: 17,
		OutputText: "Waves fold into foam,\nsalt wind carries gull voices,\nthe tide keeps its time.", CompletionReason: "FINISH"}}}, text); diff != "" {
		t.Errorf("text response (-want +got):\n%s", diff)
	}

	var chunks []*TitanTextChunk
	for _, l := range readLines(t, "titan/text_stream.jsonl") {
		c, err := ParseTitanTextChunk(l)
		if err != nil {
			t.Fatalf("ParseTitanTextChunk(%s): %v", l, err)
		}
		chunks = append(chunks, c)
	}
	wantChunks := []*TitanTextChunk{
		{OutputText: "Waves fold into foam,", Index: 0, TotalOutputTextTokenCount: 6, InputTextTokenCount: 12},
		{OutputText: "\nsalt wind carries gull voices,", Index: 0, TotalOutputTextTokenCount: 13},
		{OutputText: "\nthe tide keeps its time.", Index: 0, TotalOutputTextTokenCount: 17, CompletionReason: "FINISH",
			Metrics: &InvocationMetrics{InputTokenCount: 12, OutputTokenCount: 17, InvocationLatency: 812, FirstByteLatency: 301}},
	}
	if diff := cmp.Diff(wantChunks, chunks); diff != "" {
		t.Errorf("stream chunks (-want +got):\n%s", diff)
	}

	emb, err := ParseTitanEmbedResponse(readTestdata(t, "titan/embed_v2_response.json"))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&TitanEmbedResponse{Embedding: []float64{0.0123, -0.0456, 0.0789}, InputTextTokenCount: 6,
		EmbeddingsByType: &TitanEmbeddingsByType{Float: []float64{0.0123, -0.0456, 0.0789}, Binary: []int{1, 0, 1}}}, emb); diff != "" {
		t.Errorf("embed response (-want +got):\n%s", diff)
	}

	mm, err := ParseTitanMultimodalEmbedResponse(readTestdata(t, "titan/multimodal_embed_response.json"))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&TitanMultimodalEmbedResponse{Embedding: []float64{0.5, -0.25}, InputTextTokenCount: 3}, mm); diff != "" {
		t.Errorf("multimodal embed response (-want +got):\n%s", diff)
	}

	img, err := ParseImageResponse(readTestdata(t, "titan/image_response.json"))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&ImageResponse{Images: []string{png1x1}}, img); diff != "" {
		t.Errorf("image response (-want +got):\n%s", diff)
	}
	pngs, err := img.DecodeImages()
	if err != nil || len(pngs) != 1 || string(pngs[0][1:4]) != "PNG" {
		t.Errorf("DecodeImages = %d images, %v; want one PNG", len(pngs), err)
	}
	blocked, err := ParseImageResponse([]byte(`{"images":[],"error":"This request has been blocked by our content filters."}`))
	if err != nil || blocked.Error == "" {
		t.Errorf("blocked response = %+v, %v", blocked, err)
	}
	if _, err := (&ImageResponse{Images: []string{"!!"}}).DecodeImages(); err == nil {
		t.Error("DecodeImages on bad base64: want error")
	}
}

func TestParseTitanRejects(t *testing.T) {
	for _, in := range []string{``, `[]`, `{}`, `{"results":"x"}`, `{"inputTextTokenCount":"x","results":[]}`} {
		if _, err := ParseTitanTextResponse([]byte(in)); err == nil {
			t.Errorf("ParseTitanTextResponse(%q): want error", in)
		}
	}
	for _, in := range []string{``, `{}`, `{"embedding":"x"}`} {
		if _, err := ParseTitanEmbedResponse([]byte(in)); err == nil {
			t.Errorf("ParseTitanEmbedResponse(%q): want error", in)
		}
		if _, err := ParseTitanMultimodalEmbedResponse([]byte(in)); err == nil {
			t.Errorf("ParseTitanMultimodalEmbedResponse(%q): want error", in)
		}
		if _, err := ParseImageResponse([]byte(in)); err == nil {
			t.Errorf("ParseImageResponse(%q): want error", in)
		}
	}
	for _, in := range []string{``, `x`, `{"outputText":1}`, `{"index":"0"}`} {
		if _, err := ParseTitanTextChunk([]byte(in)); err == nil {
			t.Errorf("ParseTitanTextChunk(%q): want error", in)
		}
	}
}

func FuzzParseTitan(f *testing.F) {
	addSeeds(f, "titan/text_stream.jsonl", "titan/text_response.json", "titan/embed_v2_response.json",
		"titan/multimodal_embed_response.json", "titan/image_response.json")
	f.Fuzz(func(t *testing.T, data []byte) {
		if r, err := ParseTitanTextResponse(data); (r == nil) == (err == nil) {
			t.Fatalf("text response: %v, %v", r, err)
		}
		if r, err := ParseTitanTextChunk(data); (r == nil) == (err == nil) {
			t.Fatalf("text chunk: %v, %v", r, err)
		}
		if r, err := ParseTitanEmbedResponse(data); (r == nil) == (err == nil) {
			t.Fatalf("embed: %v, %v", r, err)
		}
		if r, err := ParseTitanMultimodalEmbedResponse(data); (r == nil) == (err == nil) {
			t.Fatalf("multimodal embed: %v, %v", r, err)
		}
		if r, err := ParseImageResponse(data); err == nil {
			_, _ = r.DecodeImages()
		}
	})
}

func ExampleTitanEmbedRequest_Body() {
	body, err := TitanEmbedRequest{InputText: "hello", Dimensions: 256, Normalize: Ptr(true)}.Body()
	fmt.Println(string(body), err)
	_, err = TitanEmbedRequest{InputText: "hello", Dimensions: 300}.Body()
	fmt.Println(err)
	// Output:
	// {"inputText":"hello","dimensions":256,"normalize":true} <nil>
	// modelspec: dimensions: 300 is not one of 256, 512, 1024
}
