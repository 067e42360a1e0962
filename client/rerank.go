package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"strings"
)

// Rerank is an operation of Bedrock Agent Runtime
// (https://bedrock-agent-runtime.{region}.amazonaws.com), which accepts only
// SigV4: a client with a Bedrock API key cannot call it.

// Types of a RerankDocument.
const (
	RerankDocumentText = "TEXT"
	RerankDocumentJSON = "JSON"
)

// RerankDocument is a document to rank, or a ranked one: text or a JSON
// value.
type RerankDocument struct {
	// Type is RerankDocumentText or RerankDocumentJSON; when empty, it
	// follows from which of Text and JSON is set.
	Type string
	Text string
	JSON json.RawMessage
}

// RerankText returns a text document.
func RerankText(s string) RerankDocument { return RerankDocument{Type: RerankDocumentText, Text: s} }

// RerankJSON returns a JSON document: v is a json.RawMessage or []byte
// holding JSON, or a value to marshal.
func RerankJSON(v any) (RerankDocument, error) {
	var b []byte
	switch x := v.(type) {
	case json.RawMessage:
		b = x
	case []byte:
		b = x
	default:
		var err error
		if b, err = encodeBody(v); err != nil {
			return RerankDocument{}, fmt.Errorf("RerankJSON: %w", err)
		}
	}
	if !json.Valid(b) {
		return RerankDocument{}, errors.New("RerankJSON: invalid JSON")
	}
	return RerankDocument{Type: RerankDocumentJSON, JSON: b}, nil
}

type rerankTextWire struct {
	Text string `json:"text"`
}

type rerankDocumentWire struct {
	Type         string          `json:"type"`
	TextDocument *rerankTextWire `json:"textDocument,omitempty"`
	JSONDocument json.RawMessage `json:"jsonDocument,omitempty"`
}

func (d RerankDocument) wire() (rerankDocumentWire, error) {
	t := d.Type
	if t == "" {
		switch {
		case len(d.JSON) > 0 && d.Text == "":
			t = RerankDocumentJSON
		case len(d.JSON) == 0:
			t = RerankDocumentText
		default:
			return rerankDocumentWire{}, errors.New("document has both Text and JSON; set one")
		}
	}
	w := rerankDocumentWire{Type: t}
	switch t {
	case RerankDocumentText:
		if len(d.JSON) > 0 {
			return w, errors.New("TEXT document has JSON")
		}
		w.TextDocument = &rerankTextWire{d.Text}
	case RerankDocumentJSON:
		if d.Text != "" {
			return w, errors.New("JSON document has Text")
		}
		if !json.Valid(d.JSON) {
			return w, errors.New("JSON document is not valid JSON")
		}
		w.JSONDocument = d.JSON
	default:
		return w, fmt.Errorf("document type %q, want TEXT or JSON", t)
	}
	return w, nil
}

// MarshalJSON writes the document in the service's shape.
func (d RerankDocument) MarshalJSON() ([]byte, error) {
	w, err := d.wire()
	if err != nil {
		return nil, err
	}
	return json.Marshal(w)
}

// UnmarshalJSON reads a document from the service's shape.
func (d *RerankDocument) UnmarshalJSON(b []byte) error {
	var w rerankDocumentWire
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*d = RerankDocument{Type: w.Type, JSON: w.JSONDocument}
	if w.TextDocument != nil {
		d.Text = w.TextDocument.Text
	}
	return nil
}

// RerankInput asks a reranking model to order documents by relevance to a
// query.
type RerankInput struct {
	// ModelID is the reranking model: an ID such as
	// "amazon.rerank-v1:0" or "cohere.rerank-v3-5:0", turned into the
	// foundation-model ARN of the client's Region, or a full ARN.
	ModelID string
	// Query is the text to rank against.
	Query string
	// Sources are the documents to rank (1 to 1000).
	Sources []RerankDocument
	// NumberOfResults is how many results to return; 0 leaves it to the
	// service.
	NumberOfResults int
	// AdditionalModelRequestFields are passed to the model as they are.
	AdditionalModelRequestFields map[string]json.RawMessage
	// NextToken continues a ranking whose results came in pages.
	NextToken string
}

// RerankResult is one ranked document.
type RerankResult struct {
	// Index is the document's position in RerankInput.Sources.
	Index          int     `json:"index"`
	RelevanceScore float64 `json:"relevanceScore"`
	// Document is the document, when the service returns it.
	Document *RerankDocument `json:"document,omitempty"`
}

// RerankOutput is the result of Rerank, most relevant first.
type RerankOutput struct {
	Results   []RerankResult `json:"results"`
	NextToken string         `json:"nextToken,omitempty"`
}

type rerankWire struct {
	NextToken              string                  `json:"nextToken,omitempty"`
	Queries                []rerankQueryWire       `json:"queries"`
	RerankingConfiguration rerankConfigurationWire `json:"rerankingConfiguration"`
	Sources                []rerankSourceWire      `json:"sources"`
}

type rerankQueryWire struct {
	TextQuery rerankTextWire `json:"textQuery"`
	Type      string         `json:"type"`
}

type rerankSourceWire struct {
	InlineDocumentSource rerankDocumentWire `json:"inlineDocumentSource"`
	Type                 string             `json:"type"`
}

type rerankConfigurationWire struct {
	BedrockRerankingConfiguration struct {
		ModelConfiguration struct {
			AdditionalModelRequestFields map[string]json.RawMessage `json:"additionalModelRequestFields,omitempty"`
			ModelARN                     string                     `json:"modelArn"`
		} `json:"modelConfiguration"`
		NumberOfResults int `json:"numberOfResults,omitempty"`
	} `json:"bedrockRerankingConfiguration"`
	Type string `json:"type"`
}

// Rerank orders in.Sources by their relevance to in.Query with a reranking
// model. It needs SigV4 credentials (Bedrock Agent Runtime does not accept
// API keys).
func (c *Client) Rerank(ctx context.Context, in *RerankInput) (*RerankOutput, error) {
	const op = "Rerank"
	body, err := c.rerankBody(in)
	if err != nil {
		return nil, fmt.Errorf("bedrock %s: %w", op, err)
	}
	b, err := encodeBody(body)
	if err != nil {
		return nil, fmt.Errorf("bedrock %s: encoding request: %w", op, err)
	}
	out := new(RerankOutput)
	r := &request{op: op, method: "POST", path: "/rerank", body: b, service: serviceAgentRuntime}
	if _, err := c.sendJSON(ctx, r, nil, out); err != nil {
		return nil, err
	}
	return out, nil
}

// AllRerankResults returns an iterator over every result of a ranking whose
// results come in pages; see AllAsyncInvokes for how it ends.
func (c *Client) AllRerankResults(ctx context.Context, in *RerankInput) iter.Seq2[RerankResult, error] {
	var base RerankInput
	if in != nil {
		base = *in
	}
	return paginate(ctx, "Rerank", base.NextToken, func(ctx context.Context, token string) ([]RerankResult, string, error) {
		page := base
		page.NextToken = token
		out, err := c.Rerank(ctx, &page)
		if err != nil {
			return nil, "", err
		}
		return out.Results, out.NextToken, nil
	})
}

func (c *Client) rerankBody(in *RerankInput) (*rerankWire, error) {
	switch {
	case in == nil:
		return nil, errors.New("nil input")
	case c.bearer != "":
		return nil, errors.New("the client is configured with a bearer token (Bedrock API key), which Bedrock Agent Runtime does not accept; configure SigV4 credentials")
	case in.ModelID == "":
		return nil, errors.New("model ID is empty")
	case in.Query == "":
		return nil, errors.New("query is empty")
	case len(in.Sources) == 0:
		return nil, errors.New("no sources to rank")
	case len(in.Sources) > 1000:
		return nil, fmt.Errorf("%d sources, the service takes at most 1000", len(in.Sources))
	case in.NumberOfResults < 0 || in.NumberOfResults > 1000:
		return nil, fmt.Errorf("NumberOfResults is %d, want 1 to 1000 (or 0 for the service's default)", in.NumberOfResults)
	}
	arn, err := c.RerankModelARN(in.ModelID)
	if err != nil {
		return nil, err
	}
	w := &rerankWire{
		NextToken: in.NextToken,
		Queries:   []rerankQueryWire{{TextQuery: rerankTextWire{in.Query}, Type: "TEXT"}},
		Sources:   make([]rerankSourceWire, len(in.Sources)),
	}
	for i, d := range in.Sources {
		dw, err := d.wire()
		if err != nil {
			return nil, fmt.Errorf("source %d: %w", i, err)
		}
		w.Sources[i] = rerankSourceWire{InlineDocumentSource: dw, Type: "INLINE"}
	}
	w.RerankingConfiguration.Type = "BEDROCK_RERANKING_MODEL"
	cfg := &w.RerankingConfiguration.BedrockRerankingConfiguration
	cfg.NumberOfResults = in.NumberOfResults
	cfg.ModelConfiguration.ModelARN = arn
	for k, v := range in.AdditionalModelRequestFields {
		if !json.Valid(v) {
			return nil, fmt.Errorf("AdditionalModelRequestFields[%q] is not valid JSON", k)
		}
	}
	cfg.ModelConfiguration.AdditionalModelRequestFields = in.AdditionalModelRequestFields
	return w, nil
}

// RerankModelARN returns the model ARN Rerank sends for modelID: an ARN as
// it is; a model ID as the foundation-model ARN in the client's Region and
// partition, arn:aws:bedrock:{region}::foundation-model/{id}.
func (c *Client) RerankModelARN(modelID string) (string, error) {
	if strings.HasPrefix(modelID, "arn:") {
		return modelID, nil
	}
	if c.region == "" {
		return "", fmt.Errorf("model ID %q needs a Region to become an ARN: set Options.Region, or pass the model ARN", modelID)
	}
	return "arn:" + partitionFor(c.region).name + ":bedrock:" + c.region + "::foundation-model/" + modelID, nil
}
