package bedrocktest

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"strconv"
)

// Image returns the PNG the built-in image model draws for a prompt, seed,
// index and size: a gradient whose colours are derived from the prompt.
// Tests use it to predict what the emulator answers.
func Image(prompt string, seed, index, width, height int) []byte {
	h := sha256.Sum256([]byte(prompt + "\x00" + strconv.Itoa(seed) + "\x00" + strconv.Itoa(index)))
	img := image.NewNRGBA(image.Rect(0, 0, width, height))
	for y := 0; y < height; y++ {
		fy := y * 255 / max(height-1, 1)
		row := img.Pix[y*img.Stride : y*img.Stride+4*width]
		for x := 0; x < width; x++ {
			fx := x * 255 / max(width-1, 1)
			px := row[4*x : 4*x+4 : 4*x+4]
			px[0] = h[0] ^ uint8(fx)
			px[1] = h[1] ^ uint8(fy)
			px[2] = h[2] ^ uint8((fx+fy)/2)
			px[3] = 255
		}
	}
	var b bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&b, img); err != nil {
		panic("bedrocktest: png: " + err.Error())
	}
	return b.Bytes()
}

// maxImageSide bounds the images the emulator draws, so a test asking for
// 4096×4096 stays fast; larger requests are drawn at this size.
const maxImageSide = 512

// generateImage answers a Nova Canvas / Titan Image Generator body.
func (c *call) generateImage() ([]byte, *Error) {
	var req struct {
		TaskType          string `json:"taskType"`
		TextToImageParams *struct {
			Text string `json:"text"`
		} `json:"textToImageParams"`
		ImageGenerationConfig *struct {
			NumberOfImages *int `json:"numberOfImages"`
			Width          int  `json:"width"`
			Height         int  `json:"height"`
			Seed           int  `json:"seed"`
		} `json:"imageGenerationConfig"`
	}
	if json.Unmarshal(c.body, &req) != nil {
		return nil, ValidationError("Malformed input request, please reformat your input and try again.")
	}
	if req.TaskType == "" {
		return nil, requiredKey("taskType")
	}
	prompt := ""
	switch req.TaskType {
	case "TEXT_IMAGE":
		if req.TextToImageParams == nil {
			return nil, requiredKey("textToImageParams")
		}
		if req.TextToImageParams.Text == "" {
			return nil, malformed("#/textToImageParams: required key [text] not found")
		}
		prompt = req.TextToImageParams.Text
	default:
		// Editing tasks (INPAINTING, IMAGE_VARIATION, …): draw from the body.
		prompt = string(c.body)
	}
	n, w, h, seed := 1, 1024, 1024, 0
	if g := req.ImageGenerationConfig; g != nil {
		if g.NumberOfImages != nil {
			n = *g.NumberOfImages
		}
		if g.Width != 0 {
			w = g.Width
		}
		if g.Height != 0 {
			h = g.Height
		}
		seed = g.Seed
	}
	if n < 1 || n > 5 {
		return nil, malformed(fmt.Sprintf("#/imageGenerationConfig/numberOfImages: %d is not in the range 1 to 5", n))
	}
	if w < 16 || h < 16 || w > 4096 || h > 4096 {
		return nil, malformed(fmt.Sprintf("#/imageGenerationConfig: %dx%d is not a supported image size", w, h))
	}
	w, h = min(w, maxImageSide), min(h, maxImageSide)
	images := make([]string, n)
	for i := range images {
		images[i] = base64.StdEncoding.EncodeToString(Image(prompt, seed, i, w, h))
	}
	return marshal(map[string]any{"images": images}), nil
}
