package modelspec

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// The Amazon image task body, shared by Titan Image Generator v1/v2
// (amazon.titan-image-generator-v1, amazon.titan-image-generator-v2:0) and
// Nova Canvas (amazon.nova-canvas-v1:0). Build an ImageRequest with exactly
// the params object its TaskType needs, then call TitanImageBody or
// CanvasBody, which check the model's rules before anything is sent.

// Image task types.
const (
	ImageTaskTextImage        = "TEXT_IMAGE"
	ImageTaskVariation        = "IMAGE_VARIATION"
	ImageTaskInpainting       = "INPAINTING"
	ImageTaskOutpainting      = "OUTPAINTING"
	ImageTaskBackgroundRemove = "BACKGROUND_REMOVAL"
	ImageTaskColorGuided      = "COLOR_GUIDED_GENERATION"
	ImageTaskVirtualTryOn     = "VIRTUAL_TRY_ON" // Nova Canvas only
)

// ImageRequest is the InvokeModel body of Titan Image Generator and Nova Canvas.
type ImageRequest struct {
	TaskType                    string                       `json:"taskType"`
	TextToImageParams           *TextToImageParams           `json:"textToImageParams,omitempty"`
	ImageVariationParams        *ImageVariationParams        `json:"imageVariationParams,omitempty"`
	InPaintingParams            *InPaintingParams            `json:"inPaintingParams,omitempty"`
	OutPaintingParams           *OutPaintingParams           `json:"outPaintingParams,omitempty"`
	BackgroundRemovalParams     *BackgroundRemovalParams     `json:"backgroundRemovalParams,omitempty"`
	ColorGuidedGenerationParams *ColorGuidedGenerationParams `json:"colorGuidedGenerationParams,omitempty"`
	VirtualTryOnParams          *VirtualTryOnParams          `json:"virtualTryOnParams,omitempty"`
	ImageGenerationConfig       *ImageGenerationConfig       `json:"imageGenerationConfig,omitempty"`
}

// TextToImageParams: a prompt, optionally conditioned on an image (Titan v2
// and Canvas: ConditionImage with ControlMode CANNY_EDGE or SEGMENTATION),
// and for Canvas a Style.
type TextToImageParams struct {
	Text            string   `json:"text"`
	NegativeText    string   `json:"negativeText,omitempty"`
	ConditionImage  string   `json:"conditionImage,omitempty"` // base64
	ControlMode     string   `json:"controlMode,omitempty"`
	ControlStrength *float64 `json:"controlStrength,omitempty"` // 0–1
	Style           string   `json:"style,omitempty"`           // Nova Canvas only
}

// ImageVariationParams: variations of 1–5 base64 images.
type ImageVariationParams struct {
	Text               string   `json:"text,omitempty"`
	NegativeText       string   `json:"negativeText,omitempty"`
	Images             []string `json:"images"`
	SimilarityStrength *float64 `json:"similarityStrength,omitempty"` // 0.2–1.0
}

// InPaintingParams: repaint inside a mask given by MaskPrompt or MaskImage
// (exactly one).
type InPaintingParams struct {
	Image        string `json:"image"`
	Text         string `json:"text,omitempty"`
	NegativeText string `json:"negativeText,omitempty"`
	MaskPrompt   string `json:"maskPrompt,omitempty"`
	MaskImage    string `json:"maskImage,omitempty"`
	ReturnMask   bool   `json:"returnMask,omitempty"`
}

// OutPaintingParams: repaint outside a mask; OutPaintingMode DEFAULT or PRECISE.
type OutPaintingParams struct {
	Image           string `json:"image"`
	Text            string `json:"text"`
	NegativeText    string `json:"negativeText,omitempty"`
	MaskPrompt      string `json:"maskPrompt,omitempty"`
	MaskImage       string `json:"maskImage,omitempty"`
	ReturnMask      bool   `json:"returnMask,omitempty"`
	OutPaintingMode string `json:"outPaintingMode,omitempty"`
}

// BackgroundRemovalParams: remove the background of one image.
type BackgroundRemovalParams struct {
	Image string `json:"image"`
}

// ColorGuidedGenerationParams: generate with a palette of 1–10 "#RRGGBB" colors.
type ColorGuidedGenerationParams struct {
	Text           string   `json:"text"`
	NegativeText   string   `json:"negativeText,omitempty"`
	ReferenceImage string   `json:"referenceImage,omitempty"`
	Colors         []string `json:"colors"`
}

// ImageGenerationConfig holds the output parameters. Background removal
// takes none.
type ImageGenerationConfig struct {
	Width          int      `json:"width,omitempty"`
	Height         int      `json:"height,omitempty"`
	Quality        string   `json:"quality,omitempty"` // standard or premium
	CfgScale       *float64 `json:"cfgScale,omitempty"`
	Seed           *int     `json:"seed,omitempty"`
	NumberOfImages int      `json:"numberOfImages,omitempty"`
}

// ImageResponse is the response body of Titan Image Generator and Nova
// Canvas: base64 images, and an error when content moderation blocked some.
type ImageResponse struct {
	Images    []string `json:"images"`
	MaskImage string   `json:"maskImage,omitempty"`
	Error     string   `json:"error,omitempty"`
}

// DecodeImages returns the decoded bytes of every image.
func (r *ImageResponse) DecodeImages() ([][]byte, error) {
	out := make([][]byte, 0, len(r.Images))
	for i, s := range r.Images {
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			return nil, &FormatError{Format: "image response", Err: fmt.Errorf("images[%d]: %w", i, err)}
		}
		out = append(out, b)
	}
	return out, nil
}

// ParseImageResponse parses a Titan Image Generator or Nova Canvas response
// body. A body with only "error" parses; its Error says why.
func ParseImageResponse(body []byte) (*ImageResponse, error) {
	var r ImageResponse
	if err := parseObject("image response", body, &r); err != nil {
		return nil, err
	}
	if r.Images == nil && r.Error == "" {
		return nil, &FormatError{Format: "image response", Err: errors.New(`neither "images" nor "error"`)}
	}
	return &r, nil
}

// imageRules are the limits that differ between Titan and Canvas.
type imageRules struct {
	model      string
	maxText    int
	allowStyle bool
	allowVTO   bool
	checkSize  func(w, h int) error
}

// validate checks the parts of r the two model families share.
func (r *ImageRequest) validate(rules imageRules) error {
	set := map[string]bool{
		ImageTaskTextImage:        r.TextToImageParams != nil,
		ImageTaskVariation:        r.ImageVariationParams != nil,
		ImageTaskInpainting:       r.InPaintingParams != nil,
		ImageTaskOutpainting:      r.OutPaintingParams != nil,
		ImageTaskBackgroundRemove: r.BackgroundRemovalParams != nil,
		ImageTaskColorGuided:      r.ColorGuidedGenerationParams != nil,
		ImageTaskVirtualTryOn:     r.VirtualTryOnParams != nil,
	}
	has, known := set[r.TaskType]
	if !known || (r.TaskType == ImageTaskVirtualTryOn && !rules.allowVTO) {
		return invalid("taskType", "%q is not a %s task type", r.TaskType, rules.model)
	}
	if !has {
		return invalid("taskType", "%s needs %s", r.TaskType, paramsField(r.TaskType))
	}
	for task, present := range set {
		if present && task != r.TaskType {
			return invalid(paramsField(task), "must not be set for taskType %s", r.TaskType)
		}
	}
	text := func(field, s string, required bool) error {
		if s == "" {
			if required {
				return invalid(field, "must not be empty")
			}
			return nil
		}
		if n := len([]rune(s)); n > rules.maxText {
			return invalid(field, "%d characters, at most %d allowed", n, rules.maxText)
		}
		return nil
	}
	oneMask := func(field, prompt, image string) error {
		if (prompt == "") == (image == "") {
			return invalid(field, "exactly one of maskPrompt and maskImage must be set")
		}
		return nil
	}
	var err error
	switch r.TaskType {
	case ImageTaskTextImage:
		p := r.TextToImageParams
		err = errors.Join(text("textToImageParams.text", p.Text, true), text("textToImageParams.negativeText", p.NegativeText, false),
			checkRange("textToImageParams.controlStrength", p.ControlStrength, 0, 1))
		if p.ControlMode != "" && p.ControlMode != "CANNY_EDGE" && p.ControlMode != "SEGMENTATION" {
			err = errors.Join(err, invalid("textToImageParams.controlMode", "%q is not CANNY_EDGE or SEGMENTATION", p.ControlMode))
		}
		if p.Style != "" && !rules.allowStyle {
			err = errors.Join(err, invalid("textToImageParams.style", "not supported by %s", rules.model))
		}
	case ImageTaskVariation:
		p := r.ImageVariationParams
		if len(p.Images) < 1 || len(p.Images) > 5 {
			err = invalid("imageVariationParams.images", "%d images, want 1 to 5", len(p.Images))
		}
		err = errors.Join(err, text("imageVariationParams.text", p.Text, false), text("imageVariationParams.negativeText", p.NegativeText, false),
			checkRange("imageVariationParams.similarityStrength", p.SimilarityStrength, 0.2, 1))
	case ImageTaskInpainting:
		p := r.InPaintingParams
		if p.Image == "" {
			err = invalid("inPaintingParams.image", "must not be empty")
		}
		err = errors.Join(err, text("inPaintingParams.text", p.Text, false), text("inPaintingParams.negativeText", p.NegativeText, false),
			oneMask("inPaintingParams", p.MaskPrompt, p.MaskImage))
	case ImageTaskOutpainting:
		p := r.OutPaintingParams
		if p.Image == "" {
			err = invalid("outPaintingParams.image", "must not be empty")
		}
		err = errors.Join(err, text("outPaintingParams.text", p.Text, true), text("outPaintingParams.negativeText", p.NegativeText, false),
			oneMask("outPaintingParams", p.MaskPrompt, p.MaskImage))
		if m := p.OutPaintingMode; m != "" && m != "DEFAULT" && m != "PRECISE" {
			err = errors.Join(err, invalid("outPaintingParams.outPaintingMode", "%q is not DEFAULT or PRECISE", m))
		}
	case ImageTaskBackgroundRemove:
		if r.BackgroundRemovalParams.Image == "" {
			err = invalid("backgroundRemovalParams.image", "must not be empty")
		}
		if r.ImageGenerationConfig != nil {
			err = errors.Join(err, invalid("imageGenerationConfig", "must not be set for BACKGROUND_REMOVAL"))
		}
	case ImageTaskColorGuided:
		p := r.ColorGuidedGenerationParams
		err = errors.Join(text("colorGuidedGenerationParams.text", p.Text, true), text("colorGuidedGenerationParams.negativeText", p.NegativeText, false))
		if len(p.Colors) < 1 || len(p.Colors) > 10 {
			err = errors.Join(err, invalid("colorGuidedGenerationParams.colors", "%d colors, want 1 to 10", len(p.Colors)))
		}
		for _, c := range p.Colors {
			if !isHexColor(c) {
				err = errors.Join(err, invalid("colorGuidedGenerationParams.colors", "%q is not a #RRGGBB color", c))
			}
		}
	case ImageTaskVirtualTryOn:
		err = r.VirtualTryOnParams.validate()
	}
	if err != nil {
		return err
	}
	if c := r.ImageGenerationConfig; c != nil {
		if c.NumberOfImages < 0 || c.NumberOfImages > 5 {
			return invalid("imageGenerationConfig.numberOfImages", "%d is outside [1, 5]", c.NumberOfImages)
		}
		if c.Quality != "" && c.Quality != "standard" && c.Quality != "premium" {
			return invalid("imageGenerationConfig.quality", "%q is not standard or premium", c.Quality)
		}
		if err := checkRange("imageGenerationConfig.cfgScale", c.CfgScale, 1.1, 10); err != nil {
			return err
		}
		if err := checkIntRange("imageGenerationConfig.seed", c.Seed, 0, 2147483646); err != nil {
			return err
		}
		if (c.Width == 0) != (c.Height == 0) {
			return invalid("imageGenerationConfig", "width and height must be set together")
		}
		if c.Width != 0 {
			if err := rules.checkSize(c.Width, c.Height); err != nil {
				return err
			}
		}
	}
	return nil
}

func paramsField(task string) string {
	switch task {
	case ImageTaskTextImage:
		return "textToImageParams"
	case ImageTaskVariation:
		return "imageVariationParams"
	case ImageTaskInpainting:
		return "inPaintingParams"
	case ImageTaskOutpainting:
		return "outPaintingParams"
	case ImageTaskBackgroundRemove:
		return "backgroundRemovalParams"
	case ImageTaskColorGuided:
		return "colorGuidedGenerationParams"
	case ImageTaskVirtualTryOn:
		return "virtualTryOnParams"
	}
	return "params"
}

func isHexColor(s string) bool {
	if len(s) != 7 || s[0] != '#' {
		return false
	}
	return strings.Trim(strings.ToUpper(s[1:]), "0123456789ABCDEF") == ""
}
