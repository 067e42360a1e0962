package bedrocktest

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
)

// Vector returns the embedding the built-in embedding model gives text: dim
// float32 values derived from SHA-256 of the text, normalized to unit length when
// normalize is set. Tests use it to predict what the emulator answers.
func Vector(text string, dim int, normalize bool) []float32 {
	v := make([]float64, dim)
	var block [32]byte
	for i := range v {
		if i%8 == 0 {
			var ctr [8]byte
			binary.BigEndian.PutUint64(ctr[:], uint64(i/8))
			block = sha256.Sum256(append([]byte(text+"\x00"), ctr[:]...))
		}
		u := binary.BigEndian.Uint32(block[(i%8)*4:])
		v[i] = float64(u)/float64(math.MaxUint32)*2 - 1
	}
	if normalize {
		var sum float64
		for _, x := range v {
			sum += x * x
		}
		if n := math.Sqrt(sum); n > 0 {
			for i := range v {
				v[i] /= n
			}
		}
	}
	out := make([]float32, dim)
	for i, x := range v {
		out[i] = float32(x)
	}
	return out
}

// embed answers an embedding model's InvokeModel body; it returns the body
// and the input token count.
func (c *call) embed(m *model, fam string) ([]byte, int, *Error) {
	var obj map[string]json.RawMessage
	if json.Unmarshal(c.body, &obj) != nil {
		return nil, 0, ValidationError("Malformed input request, please reformat your input and try again.")
	}
	dims := []int{1024}
	if m.entry != nil && len(m.entry.EmbeddingDimensions) > 0 {
		dims = m.entry.EmbeddingDimensions
	}
	checkDim := func(field string, d int) *Error {
		if d == 0 {
			return nil
		}
		if !slices.Contains(dims, d) {
			return malformed(fmt.Sprintf("#/%s: %d is not a valid enum value", field, d))
		}
		return nil
	}
	switch fam {
	case "titan-embed":
		var req struct {
			InputText       *string `json:"inputText"`
			Dimensions      int     `json:"dimensions"`
			Normalize       *bool   `json:"normalize"`
			EmbeddingConfig *struct {
				OutputEmbeddingLength int `json:"outputEmbeddingLength"`
			} `json:"embeddingConfig"`
			InputImage *string `json:"inputImage"`
		}
		if json.Unmarshal(c.body, &req) != nil {
			return nil, 0, ValidationError("Malformed input request, please reformat your input and try again.")
		}
		if req.InputText == nil && req.InputImage == nil {
			return nil, 0, requiredKey("inputText")
		}
		d := req.Dimensions
		field := "dimensions"
		if req.EmbeddingConfig != nil {
			d, field = req.EmbeddingConfig.OutputEmbeddingLength, "embeddingConfig/outputEmbeddingLength"
		}
		if e := checkDim(field, d); e != nil {
			return nil, 0, e
		}
		if d == 0 {
			d = dims[0]
		}
		text := ""
		if req.InputText != nil {
			text = *req.InputText
		}
		if req.InputImage != nil {
			text += "\x00image:" + *req.InputImage
		}
		normalize := req.Normalize == nil || *req.Normalize
		in := countTokens(text)
		vec := Vector(text, d, normalize)
		out := map[string]any{"embedding": vec, "inputTextTokenCount": in}
		if strings.Contains(m.id, "embed-text-v2") {
			out["embeddingsByType"] = map[string]any{"float": vec}
		}
		return marshal(out), in, nil
	case "cohere-embed":
		var req struct {
			Texts     []string `json:"texts"`
			InputType string   `json:"input_type"`
		}
		if json.Unmarshal(c.body, &req) != nil {
			return nil, 0, ValidationError("Malformed input request, please reformat your input and try again.")
		}
		if req.Texts == nil {
			return nil, 0, requiredKey("texts")
		}
		if req.InputType == "" {
			return nil, 0, requiredKey("input_type")
		}
		vecs := make([]any, len(req.Texts))
		in := 0
		for i, t := range req.Texts {
			vecs[i] = Vector(t, dims[0], true)
			in += countTokens(t)
		}
		return marshal(map[string]any{
			"embeddings":    vecs,
			"id":            messageID(c.id)[9:],
			"response_type": "embeddings_floats",
			"texts":         req.Texts,
		}), in, nil
	default: // nova-embed
		var req struct {
			TaskType              string `json:"taskType"`
			SingleEmbeddingParams *struct {
				EmbeddingDimension int `json:"embeddingDimension"`
				Text               *struct {
					Value string `json:"value"`
				} `json:"text"`
			} `json:"singleEmbeddingParams"`
		}
		if json.Unmarshal(c.body, &req) != nil {
			return nil, 0, ValidationError("Malformed input request, please reformat your input and try again.")
		}
		if req.TaskType == "" {
			return nil, 0, requiredKey("taskType")
		}
		p := req.SingleEmbeddingParams
		if p == nil {
			return nil, 0, requiredKey("singleEmbeddingParams")
		}
		if e := checkDim("singleEmbeddingParams/embeddingDimension", p.EmbeddingDimension); e != nil {
			return nil, 0, e
		}
		d := p.EmbeddingDimension
		if d == 0 {
			d = dims[0]
		}
		text := ""
		if p.Text != nil {
			text = p.Text.Value
		}
		return marshal(map[string]any{"embeddings": []any{map[string]any{
			"embeddingType": "TEXT", "embedding": Vector(text, d, true)}}}), countTokens(text), nil
	}
}
