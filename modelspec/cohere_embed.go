package modelspec

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
)

// Cohere Embed (cohere.embed-english-v3, cohere.embed-multilingual-v3,
// cohere.embed-v4:0) and Rerank (cohere.rerank-v3-5:0; amazon.rerank-v1:0
// shares the body).

// CohereEmbedRequest is the InvokeModel body of Cohere Embed. Give Texts,
// Images (data URIs, one per request on v3) or Inputs (v4, mixed content).
type CohereEmbedRequest struct {
	Texts           []string           `json:"texts,omitempty"`
	Images          []string           `json:"images,omitempty"`
	Inputs          []CohereEmbedInput `json:"inputs,omitempty"` // v4
	InputType       string             `json:"input_type"`       // search_document, search_query, classification, clustering, image
	Truncate        string             `json:"truncate,omitempty"`
	EmbeddingTypes  []string           `json:"embedding_types,omitempty"`  // float, int8, uint8, binary, ubinary
	OutputDimension int                `json:"output_dimension,omitempty"` // v4: 256, 512, 1024, 1536
	MaxTokens       int                `json:"max_tokens,omitempty"`       // v4
}

// CohereEmbedInput is a v4 mixed-content input.
type CohereEmbedInput struct {
	Content []CohereEmbedContent `json:"content"`
}

// CohereEmbedContent is {"type":"text","text":…} or {"type":"image_url","image_url":…}.
type CohereEmbedContent struct {
	Type     string `json:"type"`
	Text     string `json:"text,omitempty"`
	ImageURL string `json:"image_url,omitempty"`
}

// Body validates r and returns its JSON encoding.
func (r CohereEmbedRequest) Body() ([]byte, error) {
	n := 0
	for _, set := range []bool{len(r.Texts) > 0, len(r.Images) > 0, len(r.Inputs) > 0} {
		if set {
			n++
		}
	}
	if n != 1 {
		return nil, invalid("texts", "exactly one of texts, images and inputs must be given")
	}
	if len(r.Texts) > 96 {
		return nil, invalid("texts", "%d texts, at most 96", len(r.Texts))
	}
	if !slices.Contains([]string{"search_document", "search_query", "classification", "clustering", "image"}, r.InputType) {
		return nil, invalid("input_type", "%q is not search_document, search_query, classification, clustering or image", r.InputType)
	}
	if t := r.Truncate; t != "" && t != "NONE" && t != "START" && t != "END" {
		return nil, invalid("truncate", "%q is not NONE, START or END", t)
	}
	for _, t := range r.EmbeddingTypes {
		if !slices.Contains([]string{"float", "int8", "uint8", "binary", "ubinary"}, t) {
			return nil, invalid("embedding_types", "%q is not float, int8, uint8, binary or ubinary", t)
		}
	}
	if d := r.OutputDimension; d != 0 && !slices.Contains([]int{256, 512, 1024, 1536}, d) {
		return nil, invalid("output_dimension", "%d is not 256, 512, 1024 or 1536", d)
	}
	return marshalBody(r)
}

// CohereEmbeddings holds embeddings by type. A response of type
// embeddings_floats fills only Float.
type CohereEmbeddings struct {
	Float   [][]float64 `json:"float,omitempty"`
	Int8    [][]int     `json:"int8,omitempty"`
	Uint8   [][]int     `json:"uint8,omitempty"`
	Binary  [][]int     `json:"binary,omitempty"`
	Ubinary [][]int     `json:"ubinary,omitempty"`
}

// UnmarshalJSON accepts both the plain array of float embeddings and the
// object of embeddings by type.
func (e *CohereEmbeddings) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '[' {
		*e = CohereEmbeddings{}
		return json.Unmarshal(b, &e.Float)
	}
	type plain CohereEmbeddings
	return json.Unmarshal(b, (*plain)(e))
}

// CohereEmbedResponse is the Cohere Embed response body.
type CohereEmbedResponse struct {
	ID           string           `json:"id"`
	ResponseType string           `json:"response_type"` // embeddings_floats or embeddings_by_type
	Embeddings   CohereEmbeddings `json:"embeddings"`
	Texts        []string         `json:"texts,omitempty"`
}

// ParseCohereEmbedResponse parses a Cohere Embed response body.
func ParseCohereEmbedResponse(body []byte) (*CohereEmbedResponse, error) {
	var r CohereEmbedResponse
	if err := parseObject("cohere embed response", body, &r); err != nil {
		return nil, err
	}
	e := r.Embeddings
	if len(e.Float)+len(e.Int8)+len(e.Uint8)+len(e.Binary)+len(e.Ubinary) == 0 {
		return nil, &FormatError{Format: "cohere embed response", Err: errors.New(`missing "embeddings"`)}
	}
	return &r, nil
}

// RerankRequest is the InvokeModel body of Cohere Rerank 3.5 and Amazon
// Rerank. Documents are strings or JSON objects. APIVersion must be 2 for
// Cohere Rerank 3.5.
type RerankRequest struct {
	Query           string `json:"query"`
	Documents       []any  `json:"documents"`
	TopN            int    `json:"top_n,omitempty"`
	APIVersion      int    `json:"api_version,omitempty"`
	MaxTokensPerDoc int    `json:"max_tokens_per_doc,omitempty"`
}

// Body validates r and returns its JSON encoding.
func (r RerankRequest) Body() ([]byte, error) {
	if r.Query == "" {
		return nil, invalid("query", "must not be empty")
	}
	if len(r.Documents) == 0 || len(r.Documents) > 1000 {
		return nil, invalid("documents", "%d documents, want 1 to 1000", len(r.Documents))
	}
	if r.TopN < 0 || r.TopN > len(r.Documents) {
		return nil, invalid("top_n", "%d is outside [1, %d]", r.TopN, len(r.Documents))
	}
	for i, d := range r.Documents {
		switch d.(type) {
		case string, map[string]any, map[string]string, json.RawMessage:
		default:
			return nil, invalid(fmt.Sprintf("documents[%d]", i), "%T is neither a string nor a JSON object", d)
		}
	}
	return marshalBody(r)
}

// RerankResult ranks one document by its index in the request.
type RerankResult struct {
	Index          int             `json:"index"`
	RelevanceScore float64         `json:"relevance_score"`
	Document       json.RawMessage `json:"document,omitempty"`
}

// RerankResponse is the rerank response body.
type RerankResponse struct {
	ID      string         `json:"id,omitempty"`
	Results []RerankResult `json:"results"`
}

// ParseRerankResponse parses a rerank response body.
func ParseRerankResponse(body []byte) (*RerankResponse, error) {
	var r RerankResponse
	if err := parseObject("rerank response", body, &r); err != nil {
		return nil, err
	}
	if r.Results == nil {
		return nil, &FormatError{Format: "rerank response", Err: errors.New(`missing "results"`)}
	}
	return &r, nil
}
