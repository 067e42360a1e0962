package main

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strings"

	"github.com/bedrockwire/bedrockwire/client"
	"github.com/bedrockwire/bedrockwire/modelspec"
)

func init() {
	register(&command{name: "embed", summary: "embed texts (or an image) and print the vectors as JSON lines", run: runEmbed})
}

const embedSynopsis = "bedrock embed -m MODEL [--dimensions N] [--normalize] [TEXT...]"

const embedHelp = `NAME
    bedrock embed — embedding vectors as JSON lines

SYNOPSIS
    ` + embedSynopsis + `
    bedrock embed -m MODEL --image PATH [TEXT]

DESCRIPTION
    Embeds each TEXT argument, or each non-empty line of stdin when there
    are none, and prints one JSON object per input, in order:
        {"index":0,"input":"hello","dimensions":1024,"embedding":[0.0123,...]}

    The request body is the one the model family speaks:
        amazon.titan-embed-text-v1, -g1-text-02   {"inputText"}
        amazon.titan-embed-text-v2:0              {"inputText","dimensions","normalize"}
        amazon.titan-embed-image-v1               {"inputText","inputImage","embeddingConfig"}
        amazon.nova-2-multimodal-embeddings-v1:0  SINGLE_EMBEDDING, text or image
        cohere.embed-english-v3, -multilingual-v3 {"texts","input_type"}, all texts at once
        cohere.embed-v4:0                         as v3, with "output_dimension"
    Titan and Nova take one input per call; bedrock makes one call each.

OPTIONS
    -m, --model ID      embedding model ID or inference profile ID (required)
    --dimensions N      vector length: Titan v2 256, 512 or 1024; Titan
                        multimodal 256, 384 or 1024; Nova 256, 384, 1024 or
                        3072; Cohere v4 256, 512, 1024 or 1536
    --normalize         unit-length vectors: sent as "normalize" to Titan
                        Text v2 (where it is on by default; --normalize=false
                        turns it off), computed here for the other models
    --input-type T      Cohere input_type (default search_document) or Nova
                        embeddingPurpose (default GENERIC_INDEX)
    --image PATH        embed an image (Titan multimodal, Nova, Cohere v4)
    --json              (the default; accepted for symmetry)

` + globalHelp + `
EXAMPLES
    bedrock embed -m amazon.titan-embed-text-v2:0 --dimensions 256 "hello world"
    cut -f2 titles.tsv | bedrock embed -m cohere.embed-english-v3 --input-type search_document > vectors.jsonl
    bedrock embed -m amazon.titan-embed-image-v1 --image cat.png
`

// embedFamily names an embedding model's body format.
func embedFamily(modelID string) string {
	base := modelID
	if m, err := modelspec.Lookup(modelID); err == nil {
		base = m.ID
	} else if id, err := modelspec.Parse(modelID); err == nil {
		base = id.Bare()
	}
	switch {
	case strings.Contains(base, "titan-embed-text-v2"):
		return "titan-v2"
	case strings.Contains(base, "titan-embed-image"):
		return "titan-multimodal"
	case strings.Contains(base, "titan-embed"):
		return "titan-v1"
	case strings.Contains(base, "nova-2-multimodal-embeddings"), strings.Contains(base, "nova-multimodal-embed"):
		return "nova"
	case strings.Contains(base, "cohere.embed-v4"):
		return "cohere-v4"
	case strings.Contains(base, "cohere.embed"):
		return "cohere-v3"
	}
	return ""
}

// embedding is one output line.
type embedding struct {
	Index      int       `json:"index"`
	Input      string    `json:"input"`
	Dimensions int       `json:"dimensions"`
	Embedding  []float64 `json:"embedding"`
}

func runEmbed(ctx context.Context, e *env, args []string) int {
	fs := cliFlagSet(e, "embed")
	g := addGlobalFlags(fs)
	var model string
	addModelFlag(fs, &model)
	dims := fs.Int("dimensions", 0, "vector length")
	normalize := fs.Bool("normalize", false, "unit-length vectors")
	inputType := fs.String("input-type", "", "Cohere input_type or Nova embeddingPurpose")
	imagePath := fs.String("image", "", "image to embed")
	fs.Bool("json", true, "JSON lines (the default)")
	pos, code, done := cliStart(e, fs, args, embedHelp, embedSynopsis)
	if done {
		return code
	}
	fail := func(err error) int { return cliFail(ctx, e, "embed", err) }
	if model == "" {
		return fail(usageError("a model is required: -m MODEL (see 'bedrock models --modality EMBEDDING')"))
	}
	fam := embedFamily(model)
	if fam == "" {
		return fail(usageError("%s is not an embedding model bedrock knows; see 'bedrock models --modality EMBEDDING', or send the body yourself with 'bedrock invoke'", model))
	}
	if err := cliCheckAPI(model, modelspec.InvokeModel); err != nil {
		return fail(err)
	}
	normalizeSet := cliFlagWasSet(fs, "normalize")
	if err := embedCheckFlags(model, fam, *dims, *inputType, *imagePath != ""); err != nil {
		return fail(err)
	}
	var image []byte
	if *imagePath != "" {
		var err error
		if image, err = cliReadFile(*imagePath); err != nil {
			return fail(err)
		}
		if len(pos) > 1 {
			return fail(usageError("with --image, give at most one TEXT to embed with it"))
		}
	}
	texts := pos
	if len(texts) == 0 && image == nil {
		sc := bufio.NewScanner(e.stdin)
		sc.Buffer(make([]byte, 0, 64<<10), cliMaxFileBytes)
		for sc.Scan() {
			if t := strings.TrimSpace(sc.Text()); t != "" {
				texts = append(texts, t)
			}
		}
		if err := sc.Err(); err != nil {
			return fail(fmt.Errorf("reading stdin: %w", err))
		}
		if len(texts) == 0 {
			return fail(usageError("nothing to embed: give TEXT arguments or lines on stdin"))
		}
	}
	c, err := g.newClient(ctx, e)
	if err != nil {
		return fail(err)
	}
	call := func(body []byte) ([]byte, error) {
		out, err := c.InvokeModel(ctx, &client.InvokeModelInput{ModelID: model, Body: body, Accept: "application/json"})
		if err != nil {
			return nil, err
		}
		return out.Body, nil
	}
	emit := func(i int, input string, vec []float64) error {
		if len(vec) == 0 {
			return fmt.Errorf("the response for input %d holds no embedding", i)
		}
		if *normalize && fam != "titan-v2" {
			vec = embedNormalize(vec)
		}
		b, err := json.Marshal(embedding{Index: i, Input: input, Dimensions: len(vec), Embedding: vec})
		if err != nil {
			return err
		}
		_, err = e.stdout.Write(append(b, '\n'))
		return err
	}

	if fam == "cohere-v3" || fam == "cohere-v4" {
		req := modelspec.CohereEmbedRequest{InputType: *inputType, OutputDimension: *dims}
		if req.InputType == "" {
			req.InputType = "search_document"
		}
		inputs := texts
		if image != nil {
			uri, err := embedDataURI(*imagePath, image)
			if err != nil {
				return fail(err)
			}
			if fam == "cohere-v3" {
				req.Images, req.InputType = []string{uri}, "image"
				inputs = []string{*imagePath}
			} else {
				content := []modelspec.CohereEmbedContent{{Type: "image_url", ImageURL: uri}}
				if len(texts) == 1 {
					content = append([]modelspec.CohereEmbedContent{{Type: "text", Text: texts[0]}}, content...)
				}
				req.Inputs = []modelspec.CohereEmbedInput{{Content: content}}
				inputs = []string{strings.TrimSpace(strings.Join(texts, "") + " " + *imagePath)}
			}
		} else {
			req.Texts = texts
		}
		body, err := req.Body()
		if err != nil {
			return fail(usageError("%v", err))
		}
		resp, err := call(body)
		if err != nil {
			return fail(err)
		}
		r, err := modelspec.ParseCohereEmbedResponse(resp)
		if err != nil {
			return fail(err)
		}
		if len(r.Embeddings.Float) != len(inputs) {
			return fail(fmt.Errorf("asked for %d embeddings, the response holds %d float embeddings", len(inputs), len(r.Embeddings.Float)))
		}
		for i, v := range r.Embeddings.Float {
			if err := emit(i, inputs[i], v); err != nil {
				return fail(err)
			}
		}
		return exitOK
	}

	// One call per input.
	type job struct {
		label string
		body  func() ([]byte, error)
	}
	var jobs []job
	if image != nil {
		text := strings.Join(texts, "")
		label := strings.TrimSpace(text + " " + *imagePath)
		jobs = append(jobs, job{label, func() ([]byte, error) {
			return embedBody(fam, text, image, *dims, *normalize, normalizeSet, *inputType)
		}})
	} else {
		for _, t := range texts {
			jobs = append(jobs, job{t, func() ([]byte, error) { return embedBody(fam, t, nil, *dims, *normalize, normalizeSet, *inputType) }})
		}
	}
	for i, j := range jobs {
		body, err := j.body()
		if err != nil {
			return fail(usageError("%v", err))
		}
		resp, err := call(body)
		if err != nil {
			return fail(err)
		}
		vec, err := embedParse(fam, resp)
		if err != nil {
			return fail(err)
		}
		if err := emit(i, j.label, vec); err != nil {
			return fail(err)
		}
	}
	return exitOK
}

// embedCheckFlags rejects flags the family does not take, and dimensions it
// does not offer.
func embedCheckFlags(model, fam string, dims int, inputType string, image bool) error {
	var allowed []int
	switch fam {
	case "titan-v1":
		if dims != 0 {
			return usageError("Titan Text Embeddings v1 has a fixed length; --dimensions needs amazon.titan-embed-text-v2:0")
		}
	case "titan-v2":
		allowed = modelspec.TitanEmbedDimensions
	case "titan-multimodal":
		allowed = modelspec.TitanMultimodalEmbedLengths
	case "nova":
		allowed = modelspec.NovaEmbedDimensions
		if inputType != "" && !slices.Contains(modelspec.NovaEmbedPurposes, inputType) {
			return usageError("--input-type %q: Nova takes one of %s", inputType, strings.Join(modelspec.NovaEmbedPurposes, ", "))
		}
	case "cohere-v3":
		if dims != 0 {
			return usageError("Cohere Embed v3 has a fixed length of 1024; --dimensions needs cohere.embed-v4:0")
		}
	case "cohere-v4":
		allowed = []int{256, 512, 1024, 1536}
	}
	if dims != 0 && !slices.Contains(allowed, dims) {
		return usageError("--dimensions %d: this model offers %s", dims, strings.Trim(fmt.Sprint(allowed), "[]"))
	}
	if image && (fam == "titan-v1" || fam == "titan-v2") {
		return usageError("%s embeds text only; --image needs a multimodal model such as amazon.titan-embed-image-v1", model)
	}
	if inputType != "" && !(fam == "nova" || strings.HasPrefix(fam, "cohere")) {
		return usageError("--input-type is for Cohere and Nova embedding models")
	}
	return nil
}

// embedBody builds the request body of a one-input family.
func embedBody(fam, text string, image []byte, dims int, normalize, normalizeSet bool, purpose string) ([]byte, error) {
	switch fam {
	case "titan-v1":
		return modelspec.TitanEmbedRequest{InputText: text}.Body()
	case "titan-v2":
		r := modelspec.TitanEmbedRequest{InputText: text, Dimensions: dims}
		if normalizeSet {
			r.Normalize = &normalize
		}
		return r.Body()
	case "titan-multimodal":
		r := modelspec.TitanMultimodalEmbedRequest{InputText: text}
		if image != nil {
			r.InputImage = base64.StdEncoding.EncodeToString(image)
		}
		if dims != 0 {
			r.EmbeddingConfig = &modelspec.TitanEmbeddingConfig{OutputEmbeddingLength: dims}
		}
		return r.Body()
	case "nova":
		if purpose == "" {
			purpose = modelspec.NovaEmbedPurposeIndex
		}
		p := &modelspec.NovaEmbedParams{EmbeddingPurpose: purpose, EmbeddingDimension: dims}
		if image != nil {
			if text != "" {
				return nil, fmt.Errorf("Nova embeds one input per call: give --image or TEXT, not both")
			}
			format, err := embedImageFormat(image)
			if err != nil {
				return nil, err
			}
			p.Image = &modelspec.NovaEmbedImage{Format: format, Source: modelspec.NovaSource{Bytes: base64.StdEncoding.EncodeToString(image)}}
		} else {
			p.Text = &modelspec.NovaEmbedText{TruncationMode: "END", Value: text}
		}
		return modelspec.NovaEmbedRequest{TaskType: modelspec.NovaEmbedTaskSingle, SingleEmbeddingParams: p}.Body()
	}
	return nil, fmt.Errorf("no body for %s", fam)
}

// embedParse reads the vector out of a one-input family's response.
func embedParse(fam string, body []byte) ([]float64, error) {
	switch fam {
	case "titan-v1", "titan-v2":
		r, err := modelspec.ParseTitanEmbedResponse(body)
		if err != nil {
			return nil, err
		}
		return r.Embedding, nil
	case "titan-multimodal":
		r, err := modelspec.ParseTitanMultimodalEmbedResponse(body)
		if err != nil {
			return nil, err
		}
		return r.Embedding, nil
	default:
		r, err := modelspec.ParseNovaEmbedResponse(body)
		if err != nil {
			return nil, err
		}
		if len(r.Embeddings) == 0 {
			return nil, fmt.Errorf("the Nova response holds no embedding")
		}
		return r.Embeddings[0].Embedding, nil
	}
}

// embedNormalize scales v to unit length (a zero vector stays zero).
func embedNormalize(v []float64) []float64 {
	var sum float64
	for _, x := range v {
		sum += x * x
	}
	n := math.Sqrt(sum)
	if n == 0 {
		return v
	}
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = x / n
	}
	return out
}

// embedImageFormat is the image format the bytes are in.
func embedImageFormat(image []byte) (string, error) {
	ct, _, _ := strings.Cut(http.DetectContentType(image), ";")
	if f, ok := cliSniffedImage[ct]; ok {
		return string(f), nil
	}
	return "", fmt.Errorf("the --image file is not a png, jpeg, gif or webp image (it looks like %s)", ct)
}

// embedDataURI is the image as a data URI, as Cohere takes it.
func embedDataURI(path string, image []byte) (string, error) {
	f, err := embedImageFormat(image)
	if err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	return "data:image/" + f + ";base64," + base64.StdEncoding.EncodeToString(image), nil
}
