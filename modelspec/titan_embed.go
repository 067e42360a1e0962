package modelspec

import (
	"errors"
	"slices"
)

// Amazon Titan Embeddings: Text G1 (amazon.titan-embed-text-v1), Text V2
// (amazon.titan-embed-text-v2:0) and Multimodal G1
// (amazon.titan-embed-image-v1).

// TitanEmbedRequest is the InvokeModel body for Titan Text Embeddings. G1
// accepts only InputText; V2 adds Dimensions (256, 512 or 1024; default
// 1024), Normalize (default true) and EmbeddingTypes ("float", "binary").
type TitanEmbedRequest struct {
	InputText      string   `json:"inputText"`
	Dimensions     int      `json:"dimensions,omitempty"`
	Normalize      *bool    `json:"normalize,omitempty"`
	EmbeddingTypes []string `json:"embeddingTypes,omitempty"`
}

// TitanEmbedDimensions are the sizes Titan Text Embeddings V2 produces.
var TitanEmbedDimensions = []int{256, 512, 1024}

// Body validates r and returns its JSON encoding.
func (r TitanEmbedRequest) Body() ([]byte, error) {
	if r.InputText == "" {
		return nil, invalid("inputText", "must not be empty")
	}
	if r.Dimensions != 0 && !slices.Contains(TitanEmbedDimensions, r.Dimensions) {
		return nil, invalid("dimensions", "%d is not one of 256, 512, 1024", r.Dimensions)
	}
	for _, t := range r.EmbeddingTypes {
		if t != "float" && t != "binary" {
			return nil, invalid("embeddingTypes", "%q is not float or binary", t)
		}
	}
	return marshalBody(r)
}

// TitanEmbeddingsByType holds V2 embeddings by requested type. Binary
// embeddings are 0/1 values.
type TitanEmbeddingsByType struct {
	Float  []float64 `json:"float,omitempty"`
	Binary []int     `json:"binary,omitempty"`
}

// TitanEmbedResponse is the response body of Titan Text Embeddings.
type TitanEmbedResponse struct {
	Embedding           []float64              `json:"embedding"`
	InputTextTokenCount int                    `json:"inputTextTokenCount"`
	EmbeddingsByType    *TitanEmbeddingsByType `json:"embeddingsByType,omitempty"`
}

// ParseTitanEmbedResponse parses a Titan Text Embeddings response body.
func ParseTitanEmbedResponse(body []byte) (*TitanEmbedResponse, error) {
	var r TitanEmbedResponse
	if err := parseObject("titan embeddings response", body, &r); err != nil {
		return nil, err
	}
	if r.Embedding == nil && r.EmbeddingsByType == nil {
		return nil, &FormatError{Format: "titan embeddings response", Err: errors.New(`missing "embedding"`)}
	}
	return &r, nil
}

// TitanMultimodalEmbedRequest is the InvokeModel body for Titan Multimodal
// Embeddings G1: text, a base64 image, or both.
type TitanMultimodalEmbedRequest struct {
	InputText       string                `json:"inputText,omitempty"`
	InputImage      string                `json:"inputImage,omitempty"` // base64
	EmbeddingConfig *TitanEmbeddingConfig `json:"embeddingConfig,omitempty"`
}

// TitanEmbeddingConfig sets the output length: 256, 384 or 1024 (default).
type TitanEmbeddingConfig struct {
	OutputEmbeddingLength int `json:"outputEmbeddingLength"`
}

// TitanMultimodalEmbedLengths are the output lengths of Titan Multimodal Embeddings.
var TitanMultimodalEmbedLengths = []int{256, 384, 1024}

// Body validates r and returns its JSON encoding.
func (r TitanMultimodalEmbedRequest) Body() ([]byte, error) {
	if r.InputText == "" && r.InputImage == "" {
		return nil, invalid("inputText", "inputText, inputImage or both must be set")
	}
	if c := r.EmbeddingConfig; c != nil && !slices.Contains(TitanMultimodalEmbedLengths, c.OutputEmbeddingLength) {
		return nil, invalid("embeddingConfig.outputEmbeddingLength", "%d is not one of 256, 384, 1024", c.OutputEmbeddingLength)
	}
	return marshalBody(r)
}

// TitanMultimodalEmbedResponse is the response body of Titan Multimodal
// Embeddings; Message is set when the service has something to say.
type TitanMultimodalEmbedResponse struct {
	Embedding           []float64 `json:"embedding"`
	InputTextTokenCount int       `json:"inputTextTokenCount"`
	Message             string    `json:"message,omitempty"`
}

// ParseTitanMultimodalEmbedResponse parses a Titan Multimodal Embeddings response body.
func ParseTitanMultimodalEmbedResponse(body []byte) (*TitanMultimodalEmbedResponse, error) {
	var r TitanMultimodalEmbedResponse
	if err := parseObject("titan multimodal embeddings response", body, &r); err != nil {
		return nil, err
	}
	if r.Embedding == nil {
		return nil, &FormatError{Format: "titan multimodal embeddings response", Err: errors.New(`missing "embedding"`)}
	}
	return &r, nil
}
