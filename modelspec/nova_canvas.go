package modelspec

import (
	"errors"
	"fmt"
)

// Nova Canvas (amazon.nova-canvas-v1:0) takes the ImageRequest body shared
// with Titan Image Generator, plus VIRTUAL_TRY_ON and text-to-image styles.

// Nova Canvas size limits.
const (
	CanvasMinSide   = 320
	CanvasMaxSide   = 4096
	CanvasSideStep  = 16
	CanvasMaxPixels = 4194304 // the pixel count must be below this
)

// CanvasStyles are the textToImageParams.style values Nova Canvas accepts.
var CanvasStyles = []string{
	"3D_ANIMATED_FAMILY_FILM", "DESIGN_SKETCH", "FLAT_VECTOR_ILLUSTRATION",
	"GRAPHIC_NOVEL_ILLUSTRATION", "MAXIMALISM", "MIDCENTURY_RETRO",
	"PHOTOREALISM", "SOFT_DIGITAL_PAINTING",
}

// CheckCanvasSize applies Nova Canvas's output size rules: each side from 320
// to 4096 pixels and divisible by 16, an aspect ratio between 1:4 and 4:1,
// and fewer than 4,194,304 pixels in all.
func CheckCanvasSize(width, height int) error {
	for _, s := range []struct {
		name string
		v    int
	}{{"width", width}, {"height", height}} {
		field := "imageGenerationConfig." + s.name
		if s.v < CanvasMinSide || s.v > CanvasMaxSide {
			return invalid(field, "%d is outside [%d, %d]", s.v, CanvasMinSide, CanvasMaxSide)
		}
		if s.v%CanvasSideStep != 0 {
			return invalid(field, "%d is not divisible by %d (try %d or %d)", s.v, CanvasSideStep,
				s.v/CanvasSideStep*CanvasSideStep, (s.v/CanvasSideStep+1)*CanvasSideStep)
		}
	}
	if width > 4*height || height > 4*width {
		return invalid("imageGenerationConfig", "aspect ratio %d:%d is outside 1:4 to 4:1", width, height)
	}
	if width*height >= CanvasMaxPixels {
		return invalid("imageGenerationConfig", "%dx%d is %d pixels, must be fewer than %d", width, height, width*height, CanvasMaxPixels)
	}
	return nil
}

// CanvasBody validates r against Nova Canvas's rules (every task type
// including VIRTUAL_TRY_ON, styles, prompts up to 1024 characters, the size
// rules of CheckCanvasSize) and returns its JSON encoding.
func (r ImageRequest) CanvasBody() ([]byte, error) {
	if p := r.TextToImageParams; p != nil && p.Style != "" && !containsString(CanvasStyles, p.Style) {
		return nil, invalid("textToImageParams.style", "%q is not a Nova Canvas style", p.Style)
	}
	if err := r.validate(imageRules{model: "Nova Canvas", maxText: 1024, allowStyle: true, allowVTO: true, checkSize: CheckCanvasSize}); err != nil {
		return nil, err
	}
	b, err := marshalBody(r)
	if err != nil {
		return nil, fmt.Errorf("modelspec: encoding image request: %w", err)
	}
	return b, nil
}

// VirtualTryOnParams puts the garment of ReferenceImage on the person of
// SourceImage. MaskType (IMAGE, GARMENT or PROMPT) picks which of the three
// mask objects must be set.
type VirtualTryOnParams struct {
	SourceImage      string                  `json:"sourceImage"`
	ReferenceImage   string                  `json:"referenceImage"`
	MaskType         string                  `json:"maskType"`
	ImageBasedMask   *CanvasImageBasedMask   `json:"imageBasedMask,omitempty"`
	GarmentBasedMask *CanvasGarmentBasedMask `json:"garmentBasedMask,omitempty"`
	PromptBasedMask  *CanvasPromptBasedMask  `json:"promptBasedMask,omitempty"`
	MaskExclusions   *CanvasMaskExclusions   `json:"maskExclusions,omitempty"`
	MergeStyle       string                  `json:"mergeStyle,omitempty"` // BALANCED, SEAMLESS, DETAILED
	ReturnMask       bool                    `json:"returnMask,omitempty"`
}

// CanvasImageBasedMask is a black-and-white mask image (base64).
type CanvasImageBasedMask struct {
	MaskImage string `json:"maskImage"`
}

// CanvasGarmentBasedMask derives the mask from a garment class
// (UPPER_BODY, LOWER_BODY, FULL_BODY, FOOTWEAR, LONG_SLEEVE_SHIRT, …).
type CanvasGarmentBasedMask struct {
	MaskShape      string                `json:"maskShape,omitempty"` // CONTOUR, BOUNDING_BOX, DEFAULT
	GarmentClass   string                `json:"garmentClass"`
	GarmentStyling *CanvasGarmentStyling `json:"garmentStyling,omitempty"`
}

// CanvasGarmentStyling adjusts how the garment is worn.
type CanvasGarmentStyling struct {
	LongSleeveStyle string `json:"longSleeveStyle,omitempty"` // SLEEVE_DOWN, SLEEVE_UP
	TuckingStyle    string `json:"tuckingStyle,omitempty"`    // UNTUCKED, TUCKED
	OuterLayerStyle string `json:"outerLayerStyle,omitempty"` // CLOSED, OPEN
}

// CanvasPromptBasedMask derives the mask from a text description.
type CanvasPromptBasedMask struct {
	MaskShape  string `json:"maskShape,omitempty"` // BOUNDING_BOX, CONTOUR, DEFAULT
	MaskPrompt string `json:"maskPrompt"`
}

// CanvasMaskExclusions keeps parts of the person untouched (ON, OFF, DEFAULT).
type CanvasMaskExclusions struct {
	PreserveBodyPose string `json:"preserveBodyPose,omitempty"`
	PreserveHands    string `json:"preserveHands,omitempty"`
	PreserveFace     string `json:"preserveFace,omitempty"`
}

func (p *VirtualTryOnParams) validate() error {
	var err error
	if p.SourceImage == "" {
		err = invalid("virtualTryOnParams.sourceImage", "must not be empty")
	}
	if p.ReferenceImage == "" {
		err = errors.Join(err, invalid("virtualTryOnParams.referenceImage", "must not be empty"))
	}
	want := map[string]bool{"IMAGE": p.ImageBasedMask != nil, "GARMENT": p.GarmentBasedMask != nil, "PROMPT": p.PromptBasedMask != nil}
	has, ok := want[p.MaskType]
	switch {
	case !ok:
		err = errors.Join(err, invalid("virtualTryOnParams.maskType", "%q is not IMAGE, GARMENT or PROMPT", p.MaskType))
	case !has:
		err = errors.Join(err, invalid("virtualTryOnParams", "maskType %s needs its mask object", p.MaskType))
	default:
		n := 0
		for _, v := range want {
			if v {
				n++
			}
		}
		if n > 1 {
			err = errors.Join(err, invalid("virtualTryOnParams", "only the mask object of maskType %s may be set", p.MaskType))
		}
	}
	if m := p.MergeStyle; m != "" && m != "BALANCED" && m != "SEAMLESS" && m != "DETAILED" {
		err = errors.Join(err, invalid("virtualTryOnParams.mergeStyle", "%q is not BALANCED, SEAMLESS or DETAILED", m))
	}
	return err
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
