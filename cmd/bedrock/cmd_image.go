package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/bedrockwire/bedrockwire/client"
	"github.com/bedrockwire/bedrockwire/modelspec"
)

func init() {
	register(&command{name: "image", summary: "generate or edit images (Nova Canvas, Titan Image, Stability)", run: runImage})
}

const imageSynopsis = `bedrock image -m MODEL [flags] "PROMPT" -o out.png`

const imageHelp = `NAME
    bedrock image — generate and edit images

SYNOPSIS
    ` + imageSynopsis + `
    bedrock image -m MODEL --image in.png [--mask m.png | --mask-prompt TEXT] [--task T] ["PROMPT"] -o out.png

DESCRIPTION
    Generates images from PROMPT with Amazon Nova Canvas, Amazon Titan Image
    Generator (v1, v2) or a Stability AI model (SD3.5, Stable Image Core and
    Ultra), and writes them as PNG files: out.png, then out-2.png, out-3.png
    ... with --count. Each file written is named on stderr, and when stderr
    is a terminal a line says the request is on its way. With -o - the
    single image goes to stdout.

    The size is checked before anything is sent: Nova Canvas takes sides
    from 320 to 4096 pixels in steps of 16, an aspect ratio from 1:4 to 4:1
    and fewer than 4,194,304 pixels; Titan takes a fixed list of sizes
    (1024x1024, 768x1152, 1152x768, 512x512, ...); Stability takes an aspect
    ratio (--aspect) instead.

    With --image the task is an edit of that image (Nova Canvas, Titan):
        variation           new images like it (the default with --image)
        inpaint             repaint inside a mask (the default with a mask)
        outpaint            repaint outside a mask
        remove-background   cut out the subject (no prompt)
    The mask is --mask (an image, black where to paint) or --mask-prompt (a
    description of the region). With Stability, --image makes an
    image-to-image request (--strength says how far to move from it).

OPTIONS
    -m, --model ID          image model ID (required)
    -o, --output PATH       where to write the (first) image (default image.png)
    --force                 replace files that exist (without it, bedrock image
                            stops before calling the model)
    --size WxH              output size, e.g. 1280x720 (default 1024x1024)
    --aspect R              Stability aspect ratio: 16:9, 1:1, 21:9, 2:3, 3:2,
                            4:5, 5:4, 9:16, 9:21
    --count N               number of images, 1 to 5 (default 1)
    --seed N                seed, for repeatable images
    --negative TEXT         what not to draw
    --quality Q             standard or premium (Nova Canvas, Titan)
    --cfg-scale F           prompt adherence, 1.1 to 10 (Nova Canvas, Titan)
    --style S               Nova Canvas style, e.g. PHOTOREALISM
    --image PATH            the image to edit
    --mask PATH             mask image for inpaint/outpaint
    --mask-prompt TEXT      mask described in words
    --task T                variation, inpaint, outpaint or remove-background
    --strength F            Stability image-to-image strength, 0 to 1

` + globalHelp + `
EXAMPLES
    bedrock image -m amazon.nova-canvas-v1:0 "a lighthouse at dusk, oil painting" -o lighthouse.png
    bedrock image -m amazon.nova-canvas-v1:0 --size 1280x720 --count 3 --seed 7 "a red kite" -o kite.png
    bedrock image -m amazon.titan-image-generator-v2:0 --image room.png \
        --mask-prompt "the sofa" "a green leather sofa" -o room2.png
    bedrock image -m amazon.nova-canvas-v1:0 --image product.jpg --task remove-background -o cutout.png
`

// imageFamily names an image model's body format.
func imageFamily(modelID string) string {
	base := modelID
	if m, err := modelspec.Lookup(modelID); err == nil {
		base = m.ID
	} else if id, err := modelspec.Parse(modelID); err == nil {
		base = id.Bare()
	}
	switch {
	case strings.Contains(base, "nova-canvas"):
		return "canvas"
	case strings.Contains(base, "titan-image-generator"):
		return "titan"
	case strings.HasPrefix(base, "stability.stable-diffusion-xl"):
		return "sdxl"
	case strings.HasPrefix(base, "stability."):
		return "stability"
	}
	return ""
}

// imageOpts are the image command's flags.
type imageOpts struct {
	model, output, size, aspect, negative, quality, style string
	imagePath, maskPath, maskPrompt, task                 string
	count, seed                                           int
	cfgScale, strength                                    float64
	seedSet, cfgSet, strengthSet, force                   bool
}

func runImage(ctx context.Context, e *env, args []string) int {
	fs := cliFlagSet(e, "image")
	g := addGlobalFlags(fs)
	var o imageOpts
	addModelFlag(fs, &o.model)
	fs.StringVar(&o.output, "o", "image.png", "output file")
	fs.StringVar(&o.output, "output", "image.png", "output file")
	fs.StringVar(&o.size, "size", "", "WxH")
	fs.StringVar(&o.aspect, "aspect", "", "Stability aspect ratio")
	fs.IntVar(&o.count, "count", 1, "number of images")
	fs.IntVar(&o.seed, "seed", 0, "seed")
	fs.StringVar(&o.negative, "negative", "", "negative prompt")
	fs.StringVar(&o.quality, "quality", "", "standard or premium")
	fs.Float64Var(&o.cfgScale, "cfg-scale", 0, "prompt adherence")
	fs.StringVar(&o.style, "style", "", "Nova Canvas style")
	fs.StringVar(&o.imagePath, "image", "", "image to edit")
	fs.StringVar(&o.maskPath, "mask", "", "mask image")
	fs.StringVar(&o.maskPrompt, "mask-prompt", "", "mask description")
	fs.StringVar(&o.task, "task", "", "edit task")
	fs.Float64Var(&o.strength, "strength", 0, "Stability image-to-image strength")
	fs.BoolVar(&o.force, "force", false, "replace existing files")
	pos, code, done := cliStart(e, fs, args, imageHelp, imageSynopsis)
	if done {
		return code
	}
	fail := func(err error) int { return cliFail(ctx, e, "image", err) }
	o.seedSet, o.cfgSet, o.strengthSet = cliFlagWasSet(fs, "seed"), cliFlagWasSet(fs, "cfg-scale"), cliFlagWasSet(fs, "strength")
	prompt := strings.Join(pos, " ")
	if o.model == "" {
		return fail(usageError("a model is required: -m MODEL (see 'bedrock models --modality IMAGE')"))
	}
	fam := imageFamily(o.model)
	if err := cliCheckAPI(o.model, modelspec.InvokeModel); err != nil {
		return fail(err)
	}
	var body []byte
	var err error
	switch fam {
	case "canvas", "titan":
		body, err = imageCanvasBody(fam, prompt, &o)
	case "stability":
		body, err = imageStabilityBody(prompt, &o)
	case "sdxl":
		err = usageError("%s speaks the older SDXL body (text_prompts); send it with 'bedrock invoke'", o.model)
	default:
		err = usageError("%s is not an image model bedrock knows; see 'bedrock models --modality IMAGE'", o.model)
	}
	if err != nil {
		return fail(err)
	}
	if o.output == "-" && o.count > 1 {
		return fail(usageError("-o - writes one image to stdout; --count %d needs a file name", o.count))
	}
	if o.output != "-" && !o.force {
		// Checked before the (paid) call: never replace a file unasked.
		for i := range o.count {
			if _, err := os.Lstat(imageOutputPath(o.output, i)); err == nil {
				return fail(fmt.Errorf("%s exists; choose another -o or add --force to replace it", imageOutputPath(o.output, i)))
			}
		}
	}
	c, err := g.newClient(ctx, e)
	if err != nil {
		return fail(err)
	}
	if e.stderrTTY {
		// Generation takes seconds; say something is happening.
		n := o.count
		if fam == "stability" {
			n = 1
		}
		fmt.Fprintf(e.stderr, "generating %d image%s with %s...\n", n, map[bool]string{true: "s"}[n > 1], o.model)
	}
	out, err := c.InvokeModel(ctx, &client.InvokeModelInput{ModelID: o.model, Body: body, Accept: "application/json"})
	if err != nil {
		return fail(err)
	}
	var images [][]byte
	if fam == "stability" {
		r, err := modelspec.ParseStabilityResponse(out.Body)
		if err != nil {
			return fail(err)
		}
		for i := range r.Images {
			if why := r.Filtered(i); why != "" {
				return fail(fmt.Errorf("image %d was filtered: %s", i+1, why))
			}
		}
		if images, err = r.DecodeImages(); err != nil {
			return fail(err)
		}
	} else {
		r, err := modelspec.ParseImageResponse(out.Body)
		if err != nil {
			return fail(err)
		}
		if r.Error != "" {
			return fail(fmt.Errorf("the model refused: %s", r.Error))
		}
		if images, err = r.DecodeImages(); err != nil {
			return fail(err)
		}
	}
	if len(images) == 0 {
		return fail(fmt.Errorf("the response holds no image"))
	}
	for i, img := range images {
		if !bytes.HasPrefix(img, []byte("\x89PNG\r\n\x1a\n")) {
			fmt.Fprintf(e.stderr, "bedrock image: warning: image %d is not a PNG\n", i+1)
		}
		if o.output == "-" {
			if _, err := e.stdout.Write(img); err != nil {
				return fail(err)
			}
			continue
		}
		path := imageOutputPath(o.output, i)
		if err := os.WriteFile(path, img, 0o644); err != nil {
			return fail(err)
		}
		fmt.Fprintf(e.stderr, "wrote %s (%d bytes)\n", path, len(img))
	}
	return exitOK
}

// imageOutputPath is the i-th output file: out.png, out-2.png, ...
func imageOutputPath(first string, i int) string {
	if i == 0 {
		return first
	}
	ext := filepath.Ext(first)
	return strings.TrimSuffix(first, ext) + "-" + strconv.Itoa(i+1) + ext
}

// imageParseSize reads WxH.
func imageParseSize(s string) (w, h int, err error) {
	ws, hs, ok := strings.Cut(strings.ToLower(s), "x")
	if ok {
		w, err = strconv.Atoi(ws)
		if err == nil {
			h, err = strconv.Atoi(hs)
		}
	}
	if !ok || err != nil || w <= 0 || h <= 0 {
		return 0, 0, usageError("--size %q: want WIDTHxHEIGHT in pixels, e.g. 1024x1024", s)
	}
	return w, h, nil
}

// imageReadB64 reads an input image as base64.
func imageReadB64(path, flag string) (string, error) {
	b, err := cliReadFile(path)
	if err != nil {
		return "", err
	}
	if _, err := embedImageFormat(b); err != nil {
		return "", usageError("%s %s: %v", flag, path, strings.TrimPrefix(err.Error(), "the --image file "))
	}
	return base64.StdEncoding.EncodeToString(b), nil
}

// imageCanvasBody builds a Nova Canvas or Titan Image Generator body.
func imageCanvasBody(fam, prompt string, o *imageOpts) ([]byte, error) {
	if o.aspect != "" || o.strengthSet {
		return nil, usageError("--aspect and --strength are for Stability models; use --size")
	}
	if o.style != "" && fam != "canvas" {
		return nil, usageError("--style is for Nova Canvas")
	}
	if o.count < 1 || o.count > 5 {
		return nil, usageError("--count %d: want 1 to 5", o.count)
	}
	if o.quality != "" && o.quality != "standard" && o.quality != "premium" {
		return nil, usageError("--quality %q: want standard or premium", o.quality)
	}
	cfg := &modelspec.ImageGenerationConfig{NumberOfImages: o.count, Quality: o.quality}
	if o.size != "" {
		w, h, err := imageParseSize(o.size)
		if err != nil {
			return nil, err
		}
		check := modelspec.CheckCanvasSize
		if fam == "titan" {
			check = modelspec.CheckTitanImageSize
		}
		if err := check(w, h); err != nil {
			return nil, usageError("--size %s: %v", o.size, strings.TrimPrefix(err.Error(), "modelspec: "))
		}
		cfg.Width, cfg.Height = w, h
	}
	if o.seedSet {
		if o.seed < 0 || o.seed > 2147483646 {
			return nil, usageError("--seed %d: want 0 to 2147483646", o.seed)
		}
		cfg.Seed = &o.seed
	}
	if o.cfgSet {
		cfg.CfgScale = &o.cfgScale
	}
	task := o.task
	if task == "" && o.imagePath != "" {
		task = "variation"
		if o.maskPath != "" || o.maskPrompt != "" {
			task = "inpaint"
		}
	}
	if task != "" && o.imagePath == "" {
		return nil, usageError("--task %s edits an image: give --image PATH", task)
	}
	if (o.maskPath != "" || o.maskPrompt != "") && task != "inpaint" && task != "outpaint" {
		return nil, usageError("--mask and --mask-prompt go with --task inpaint or outpaint")
	}
	if o.maskPath != "" && o.maskPrompt != "" {
		return nil, usageError("give --mask or --mask-prompt, not both")
	}
	var image, mask string
	var err error
	if o.imagePath != "" {
		if image, err = imageReadB64(o.imagePath, "--image"); err != nil {
			return nil, err
		}
	}
	if o.maskPath != "" {
		if mask, err = imageReadB64(o.maskPath, "--mask"); err != nil {
			return nil, err
		}
	}
	req := modelspec.ImageRequest{ImageGenerationConfig: cfg}
	switch task {
	case "":
		if strings.TrimSpace(prompt) == "" {
			return nil, usageError("no prompt: say what to draw")
		}
		req.TaskType = modelspec.ImageTaskTextImage
		req.TextToImageParams = &modelspec.TextToImageParams{Text: prompt, NegativeText: o.negative, Style: o.style}
	case "variation":
		req.TaskType = modelspec.ImageTaskVariation
		req.ImageVariationParams = &modelspec.ImageVariationParams{Text: prompt, NegativeText: o.negative, Images: []string{image}}
	case "inpaint":
		if mask == "" && o.maskPrompt == "" {
			return nil, usageError("inpaint needs --mask or --mask-prompt")
		}
		req.TaskType = modelspec.ImageTaskInpainting
		req.InPaintingParams = &modelspec.InPaintingParams{Image: image, Text: prompt, NegativeText: o.negative, MaskImage: mask, MaskPrompt: o.maskPrompt}
	case "outpaint":
		if mask == "" && o.maskPrompt == "" {
			return nil, usageError("outpaint needs --mask or --mask-prompt")
		}
		if strings.TrimSpace(prompt) == "" {
			return nil, usageError("outpaint needs a prompt: say what to paint around the mask")
		}
		req.TaskType = modelspec.ImageTaskOutpainting
		req.OutPaintingParams = &modelspec.OutPaintingParams{Image: image, Text: prompt, NegativeText: o.negative, MaskImage: mask, MaskPrompt: o.maskPrompt}
	case "remove-background":
		if prompt != "" || o.negative != "" || o.size != "" || o.count != 1 || o.seedSet {
			return nil, usageError("remove-background takes only --image: no prompt, --negative, --size, --count or --seed")
		}
		req.TaskType = modelspec.ImageTaskBackgroundRemove
		req.BackgroundRemovalParams = &modelspec.BackgroundRemovalParams{Image: image}
		req.ImageGenerationConfig = nil
	default:
		return nil, usageError("--task %q: want variation, inpaint, outpaint or remove-background", task)
	}
	if fam == "canvas" {
		b, err := req.CanvasBody()
		return b, imageValidation(err)
	}
	b, err := req.TitanImageBody()
	return b, imageValidation(err)
}

// imageValidation turns a modelspec validation error into a usage error.
func imageValidation(err error) error {
	if err == nil {
		return nil
	}
	return usageError("%s", strings.TrimPrefix(err.Error(), "modelspec: "))
}

// imageStabilityBody builds a Stability body.
func imageStabilityBody(prompt string, o *imageOpts) ([]byte, error) {
	switch {
	case o.size != "":
		return nil, usageError("Stability models take --aspect (e.g. 16:9), not --size")
	case o.count != 1:
		return nil, usageError("Stability models make one image per call; --count is for Nova Canvas and Titan")
	case o.quality != "" || o.cfgSet || o.style != "" || o.maskPath != "" || o.maskPrompt != "" || o.task != "":
		return nil, usageError("--quality, --cfg-scale, --style, --mask, --mask-prompt and --task are for Nova Canvas and Titan")
	case strings.TrimSpace(prompt) == "":
		return nil, usageError("no prompt: say what to draw")
	}
	req := modelspec.StabilityRequest{Prompt: prompt, NegativePrompt: o.negative, OutputFormat: "png"}
	if o.aspect != "" {
		if !slices.Contains(modelspec.StabilityAspectRatios, o.aspect) {
			return nil, usageError("--aspect %q: want one of %s", o.aspect, strings.Join(modelspec.StabilityAspectRatios, ", "))
		}
		req.AspectRatio = o.aspect
	}
	if o.seedSet {
		if o.seed < 0 || int64(o.seed) > 4294967294 {
			return nil, usageError("--seed %d: want 0 to 4294967294", o.seed)
		}
		req.Seed = modelspec.Ptr(int64(o.seed))
	}
	if o.imagePath != "" {
		img, err := imageReadB64(o.imagePath, "--image")
		if err != nil {
			return nil, err
		}
		if o.aspect != "" {
			return nil, usageError("--aspect is for text-to-image; image-to-image keeps the input's shape")
		}
		req.Mode, req.Image = "image-to-image", img
		if o.strengthSet {
			req.Strength = &o.strength
		}
	} else if o.strengthSet {
		return nil, usageError("--strength goes with --image")
	}
	b, err := req.Body()
	return b, imageValidation(err)
}
