package modelspec

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestCheckCanvasSizeBoundaries(t *testing.T) {
	tests := []struct {
		w, h    int
		wantErr string // "" for valid
	}{
		{320, 320, ""},
		{304, 320, "width: 304 is outside [320, 4096]"},
		{320, 304, "height: 304 is outside [320, 4096]"},
		{1280, 320, ""}, // exactly 4:1
		{320, 1280, ""}, // exactly 1:4
		{1296, 320, "aspect ratio 1296:320"},
		{320, 1296, "aspect ratio 320:1296"},
		{336, 336, ""},
		{330, 320, "330 is not divisible by 16 (try 320 or 336)"},
		{320, 321, "321 is not divisible by 16"},
		{2048, 2032, ""},               // 4,161,536 pixels
		{2032, 2048, ""},               // 4,161,536 pixels
		{2048, 2048, "4194304 pixels"}, // exactly the limit: not fewer
		{4096, 1024, "4194304 pixels"}, // largest side with a legal ratio hits the limit
		{4096, 1008, "aspect ratio"},
		{4112, 1040, "width: 4112 is outside"},
		{1024, 4112, "height: 4112 is outside"},
		{0, 0, "outside"},
		{-16, 320, "outside"},
		{1024, 1024, ""},
		{1280, 728, "728 is not divisible by 16 (try 720 or 736)"},
		{1280, 720, ""},
	}
	for _, tt := range tests {
		err := CheckCanvasSize(tt.w, tt.h)
		if tt.wantErr == "" {
			if err != nil {
				t.Errorf("CheckCanvasSize(%d, %d) = %v, want nil", tt.w, tt.h, err)
			}
			continue
		}
		var ve *ValidationError
		if !errors.As(err, &ve) || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("CheckCanvasSize(%d, %d) = %v, want a *ValidationError containing %q", tt.w, tt.h, err, tt.wantErr)
		}
	}
}

func TestCanvasRequestsGolden(t *testing.T) {
	runGolden(t, []goldenCase{
		{"nova_canvas/text_image_request.json", ImageRequest{TaskType: ImageTaskTextImage,
			TextToImageParams:     &TextToImageParams{Text: "a lighthouse at dawn", NegativeText: "people", Style: "PHOTOREALISM"},
			ImageGenerationConfig: &ImageGenerationConfig{Width: 1280, Height: 704, Quality: "standard", CfgScale: Ptr(6.5), Seed: Ptr(42), NumberOfImages: 1}}.CanvasBody},
		{"nova_canvas/text_image_conditioned_request.json", ImageRequest{TaskType: ImageTaskTextImage,
			TextToImageParams:     &TextToImageParams{Text: "a castle", ConditionImage: png1x1, ControlMode: "SEGMENTATION", ControlStrength: Ptr(0.5)},
			ImageGenerationConfig: &ImageGenerationConfig{Width: 2048, Height: 2032}}.CanvasBody},
		{"nova_canvas/color_guided_request.json", ImageRequest{TaskType: ImageTaskColorGuided,
			ColorGuidedGenerationParams: &ColorGuidedGenerationParams{Text: "a poster", Colors: []string{"#FF0000", "#0000FF"}}}.CanvasBody},
		{"nova_canvas/variation_request.json", ImageRequest{TaskType: ImageTaskVariation,
			ImageVariationParams: &ImageVariationParams{Text: "as a sketch", NegativeText: "color", Images: []string{png1x1, png1x1}, SimilarityStrength: Ptr(0.2)}}.CanvasBody},
		{"nova_canvas/inpainting_request.json", ImageRequest{TaskType: ImageTaskInpainting,
			InPaintingParams: &InPaintingParams{Image: png1x1, Text: "a vase of tulips", MaskImage: png1x1}}.CanvasBody},
		{"nova_canvas/outpainting_request.json", ImageRequest{TaskType: ImageTaskOutpainting,
			OutPaintingParams: &OutPaintingParams{Image: png1x1, Text: "a mountain lake", MaskPrompt: "the car", OutPaintingMode: "DEFAULT"}}.CanvasBody},
		{"nova_canvas/background_removal_request.json", ImageRequest{TaskType: ImageTaskBackgroundRemove,
			BackgroundRemovalParams: &BackgroundRemovalParams{Image: png1x1}}.CanvasBody},
		{"nova_canvas/virtual_try_on_garment_request.json", ImageRequest{TaskType: ImageTaskVirtualTryOn,
			VirtualTryOnParams: &VirtualTryOnParams{SourceImage: png1x1, ReferenceImage: png1x1, MaskType: "GARMENT",
				GarmentBasedMask: &CanvasGarmentBasedMask{MaskShape: "CONTOUR", GarmentClass: "UPPER_BODY",
					GarmentStyling: &CanvasGarmentStyling{LongSleeveStyle: "SLEEVE_UP", TuckingStyle: "TUCKED"}},
				MaskExclusions: &CanvasMaskExclusions{PreserveFace: "ON", PreserveHands: "ON"}, MergeStyle: "SEAMLESS", ReturnMask: true},
			ImageGenerationConfig: &ImageGenerationConfig{NumberOfImages: 1, Quality: "premium"}}.CanvasBody},
		{"nova_canvas/virtual_try_on_prompt_request.json", ImageRequest{TaskType: ImageTaskVirtualTryOn,
			VirtualTryOnParams: &VirtualTryOnParams{SourceImage: png1x1, ReferenceImage: png1x1, MaskType: "PROMPT",
				PromptBasedMask: &CanvasPromptBasedMask{MaskShape: "BOUNDING_BOX", MaskPrompt: "the jacket"}}}.CanvasBody},
		{"nova_canvas/virtual_try_on_image_request.json", ImageRequest{TaskType: ImageTaskVirtualTryOn,
			VirtualTryOnParams: &VirtualTryOnParams{SourceImage: png1x1, ReferenceImage: png1x1, MaskType: "IMAGE",
				ImageBasedMask: &CanvasImageBasedMask{MaskImage: png1x1}}}.CanvasBody},
	})
}

func TestCanvasRequestsInvalid(t *testing.T) {
	text := func(w, h int) func() ([]byte, error) {
		return ImageRequest{TaskType: ImageTaskTextImage, TextToImageParams: &TextToImageParams{Text: "x"},
			ImageGenerationConfig: &ImageGenerationConfig{Width: w, Height: h}}.CanvasBody
	}
	vto := func(p VirtualTryOnParams) func() ([]byte, error) {
		return ImageRequest{TaskType: ImageTaskVirtualTryOn, VirtualTryOnParams: &p}.CanvasBody
	}
	runInvalid(t, []invalidCase{
		{"2048x2048", text(2048, 2048), "4194304 pixels"},
		{"1296x320", text(1296, 320), "aspect ratio"},
		{"1280x728", text(1280, 728), "divisible by 16"},
		{"style", ImageRequest{TaskType: ImageTaskTextImage, TextToImageParams: &TextToImageParams{Text: "x", Style: "CUBISM"}}.CanvasBody, "style"},
		{"long prompt", ImageRequest{TaskType: ImageTaskTextImage, TextToImageParams: &TextToImageParams{Text: strings.Repeat("a", 1025)}}.CanvasBody, "1025 characters"},
		{"vto mask type", vto(VirtualTryOnParams{SourceImage: "a", ReferenceImage: "b", MaskType: "BODY"}), "maskType"},
		{"vto missing mask", vto(VirtualTryOnParams{SourceImage: "a", ReferenceImage: "b", MaskType: "GARMENT"}), "needs its mask"},
		{"vto two masks", vto(VirtualTryOnParams{SourceImage: "a", ReferenceImage: "b", MaskType: "PROMPT",
			PromptBasedMask: &CanvasPromptBasedMask{MaskPrompt: "x"}, ImageBasedMask: &CanvasImageBasedMask{MaskImage: "y"}}), "only the mask object"},
		{"vto images", vto(VirtualTryOnParams{MaskType: "PROMPT", PromptBasedMask: &CanvasPromptBasedMask{MaskPrompt: "x"}}), "sourceImage"},
		{"vto merge", vto(VirtualTryOnParams{SourceImage: "a", ReferenceImage: "b", MaskType: "PROMPT",
			PromptBasedMask: &CanvasPromptBasedMask{MaskPrompt: "x"}, MergeStyle: "FANCY"}), "mergeStyle"},
	})
	// 1,024 characters is the limit, inclusive.
	if _, err := (ImageRequest{TaskType: ImageTaskTextImage, TextToImageParams: &TextToImageParams{Text: strings.Repeat("a", 1024)}}).CanvasBody(); err != nil {
		t.Errorf("1024-character prompt: %v", err)
	}
}

func ExampleCheckCanvasSize() {
	for _, s := range [][2]int{{1280, 720}, {2048, 2048}, {1280, 728}} {
		fmt.Println(s[0], s[1], CheckCanvasSize(s[0], s[1]))
	}
	// Output:
	// 1280 720 <nil>
	// 2048 2048 modelspec: imageGenerationConfig: 2048x2048 is 4194304 pixels, must be fewer than 4194304
	// 1280 728 modelspec: imageGenerationConfig.height: 728 is not divisible by 16 (try 720 or 736)
}

func ExampleImageRequest_CanvasBody() {
	body, err := ImageRequest{
		TaskType:              ImageTaskTextImage,
		TextToImageParams:     &TextToImageParams{Text: "a lighthouse at dawn", Style: "PHOTOREALISM"},
		ImageGenerationConfig: &ImageGenerationConfig{Width: 1280, Height: 720, NumberOfImages: 1, Seed: Ptr(42)},
	}.CanvasBody()
	fmt.Println(string(body), err)

	_, err = ImageRequest{
		TaskType:              ImageTaskTextImage,
		TextToImageParams:     &TextToImageParams{Text: "too big"},
		ImageGenerationConfig: &ImageGenerationConfig{Width: 4096, Height: 1024},
	}.CanvasBody()
	fmt.Println(err)
	// Output:
	// {"taskType":"TEXT_IMAGE","textToImageParams":{"text":"a lighthouse at dawn","style":"PHOTOREALISM"},"imageGenerationConfig":{"width":1280,"height":720,"seed":42,"numberOfImages":1}} <nil>
	// modelspec: imageGenerationConfig: 4096x1024 is 4194304 pixels, must be fewer than 4194304
}
