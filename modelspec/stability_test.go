package modelspec

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestStabilityRequestsGolden(t *testing.T) {
	runGolden(t, []goldenCase{
		{"stability/text_to_image_request.json", StabilityRequest{Prompt: "a fox in the snow, watercolor", NegativePrompt: "text",
			Mode: "text-to-image", AspectRatio: "16:9", Seed: Ptr(int64(4294967294)), OutputFormat: "jpeg"}.Body},
		{"stability/image_to_image_request.json", StabilityRequest{Prompt: "make it night", Mode: "image-to-image", Image: png1x1,
			Strength: Ptr(0.6), OutputFormat: "png"}.Body},
		{"stability/core_request.json", StabilityRequest{Prompt: "a lighthouse"}.Body},
	})
	runInvalid(t, []invalidCase{
		{"prompt", StabilityRequest{}.Body, "prompt"},
		{"mode", StabilityRequest{Prompt: "x", Mode: "inpaint"}.Body, "mode"},
		{"aspect", StabilityRequest{Prompt: "x", AspectRatio: "4:3"}.Body, "aspect_ratio"},
		{"image without mode", StabilityRequest{Prompt: "x", Image: "a"}.Body, "image"},
		{"img2img no image", StabilityRequest{Prompt: "x", Mode: "image-to-image"}.Body, "image"},
		{"img2img aspect", StabilityRequest{Prompt: "x", Mode: "image-to-image", Image: "a", AspectRatio: "1:1"}.Body, "aspect_ratio"},
		{"strength", StabilityRequest{Prompt: "x", Mode: "image-to-image", Image: "a", Strength: Ptr(1.5)}.Body, "strength"},
		{"seed", StabilityRequest{Prompt: "x", Seed: Ptr(int64(4294967295))}.Body, "seed"},
		{"format", StabilityRequest{Prompt: "x", OutputFormat: "gif"}.Body, "output_format"},
	})
}

func TestParseStability(t *testing.T) {
	r, err := ParseStabilityResponse(readTestdata(t, "stability/response.json"))
	if err != nil {
		t.Fatal(err)
	}
	filter := "Filter reason: prompt"
	if diff := cmp.Diff(&StabilityResponse{Seeds: []int64{42, 43}, FinishReasons: []*string{nil, &filter}, Images: []string{png1x1, ""}}, r); diff != "" {
		t.Errorf("response (-want +got):\n%s", diff)
	}
	if r.Filtered(0) != "" || r.Filtered(1) != filter || r.Filtered(9) != "" {
		t.Errorf("Filtered = %q, %q", r.Filtered(0), r.Filtered(1))
	}
	imgs, err := r.DecodeImages()
	if err != nil || len(imgs) != 2 || string(imgs[0][1:4]) != "PNG" {
		t.Errorf("DecodeImages = %d, %v", len(imgs), err)
	}
	if _, err := (&StabilityResponse{Images: []string{"%%"}}).DecodeImages(); err == nil {
		t.Error("DecodeImages on bad base64: want error")
	}
	for _, in := range []string{``, `{}`, `{"images":"x"}`, `{"images":[],"seeds":["a"]}`} {
		if _, err := ParseStabilityResponse([]byte(in)); err == nil {
			t.Errorf("ParseStabilityResponse(%q): want error", in)
		}
	}
}

func FuzzParseStability(f *testing.F) {
	addSeeds(f, "stability/response.json")
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := ParseStabilityResponse(data)
		if (r == nil) == (err == nil) {
			t.Fatalf("%v, %v", r, err)
		}
		if r != nil {
			r.Filtered(0)
			_, _ = r.DecodeImages()
		}
	})
}
