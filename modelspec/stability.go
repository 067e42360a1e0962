package modelspec

import (
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
)

// Stability AI image models on Bedrock: Stable Diffusion 3.5 Large
// (stability.sd3-5-large-v1:0), Stable Image Core and Ultra
// (stability.stable-image-core-v1:1, stability.stable-image-ultra-v1:1).

// StabilityAspectRatios are the accepted aspect_ratio values.
var StabilityAspectRatios = []string{"16:9", "1:1", "21:9", "2:3", "3:2", "4:5", "5:4", "9:16", "9:21"}

// StabilityRequest is the InvokeModel body of Stability image models.
type StabilityRequest struct {
	Prompt         string   `json:"prompt"`
	NegativePrompt string   `json:"negative_prompt,omitempty"`
	Mode           string   `json:"mode,omitempty"`         // text-to-image, image-to-image (SD3.5)
	AspectRatio    string   `json:"aspect_ratio,omitempty"` // text-to-image only
	Image          string   `json:"image,omitempty"`        // base64, image-to-image
	Strength       *float64 `json:"strength,omitempty"`     // image-to-image, 0–1
	Seed           *int64   `json:"seed,omitempty"`         // 0–4294967294
	OutputFormat   string   `json:"output_format,omitempty"`
}

// Body validates r and returns its JSON encoding.
func (r StabilityRequest) Body() ([]byte, error) {
	if r.Prompt == "" {
		return nil, invalid("prompt", "must not be empty")
	}
	if n := len([]rune(r.Prompt)); n > 10000 {
		return nil, invalid("prompt", "%d characters, at most 10000", n)
	}
	switch r.Mode {
	case "", "text-to-image":
		if r.Image != "" || r.Strength != nil {
			return nil, invalid("image", "image and strength need mode image-to-image")
		}
	case "image-to-image":
		if r.Image == "" {
			return nil, invalid("image", "image-to-image needs an image")
		}
		if r.AspectRatio != "" {
			return nil, invalid("aspect_ratio", "not allowed with image-to-image")
		}
	default:
		return nil, invalid("mode", "%q is not text-to-image or image-to-image", r.Mode)
	}
	if a := r.AspectRatio; a != "" && !slices.Contains(StabilityAspectRatios, a) {
		return nil, invalid("aspect_ratio", "%q is not one of %v", a, StabilityAspectRatios)
	}
	if err := checkRange("strength", r.Strength, 0, 1); err != nil {
		return nil, err
	}
	if r.Seed != nil && (*r.Seed < 0 || *r.Seed > 4294967294) {
		return nil, invalid("seed", "%d is outside [0, 4294967294]", *r.Seed)
	}
	if f := r.OutputFormat; f != "" && f != "png" && f != "jpeg" && f != "webp" {
		return nil, invalid("output_format", "%q is not png, jpeg or webp", f)
	}
	return marshalBody(r)
}

// StabilityResponse is the response body: base64 images, their seeds, and
// per image a finish reason (null, or a filter reason).
type StabilityResponse struct {
	Seeds         []int64   `json:"seeds"`
	FinishReasons []*string `json:"finish_reasons"`
	Images        []string  `json:"images"`
}

// ParseStabilityResponse parses a Stability image response body.
func ParseStabilityResponse(body []byte) (*StabilityResponse, error) {
	var r StabilityResponse
	if err := parseObject("stability response", body, &r); err != nil {
		return nil, err
	}
	if r.Images == nil {
		return nil, &FormatError{Format: "stability response", Err: errors.New(`missing "images"`)}
	}
	return &r, nil
}

// Filtered returns the finish reason of image i when it was filtered, or "".
func (r *StabilityResponse) Filtered(i int) string {
	if i < 0 || i >= len(r.FinishReasons) || r.FinishReasons[i] == nil {
		return ""
	}
	return *r.FinishReasons[i]
}

// DecodeImages returns the decoded bytes of every image.
func (r *StabilityResponse) DecodeImages() ([][]byte, error) {
	out := make([][]byte, 0, len(r.Images))
	for i, s := range r.Images {
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			return nil, &FormatError{Format: "stability response", Err: fmt.Errorf("images[%d]: %w", i, err)}
		}
		out = append(out, b)
	}
	return out, nil
}
