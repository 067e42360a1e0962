package bedrocktest

import (
	"errors"
	"strings"

	"github.com/bedrockwire/bedrockwire/modelspec"
)

// modelKind is which built-in model answers a model ID.
type modelKind int

const (
	kindText modelKind = iota
	kindEmbedding
	kindImage
	kindVideo
	kindSpeech
	kindRerank
)

// model is a resolved model: its catalog entry (nil for an ID only a script
// knows) and the built-in model that answers it.
type model struct {
	id    string // as sent
	entry *modelspec.Model
	kind  modelKind
}

// family is the InvokeModel body family of the model: "anthropic", "nova",
// "titan-text", "titan-embed", "cohere-embed", "nova-canvas", "titan-image",
// "nova-embed", "llama", "mistral", "sonic", … or "" when unknown.
func (m *model) family() string {
	id := m.id
	if m.entry != nil {
		id = m.entry.ID
	}
	switch {
	case strings.HasPrefix(id, "anthropic."):
		return "anthropic"
	case strings.Contains(id, "nova-canvas"):
		return "nova-canvas"
	case strings.Contains(id, "titan-image"):
		return "titan-image"
	case strings.Contains(id, "nova-2-multimodal-embeddings") || strings.Contains(id, "nova-multimodal-embed"):
		return "nova-embed"
	case strings.Contains(id, "titan-embed"):
		return "titan-embed"
	case strings.HasPrefix(id, "cohere.embed"):
		return "cohere-embed"
	case strings.Contains(id, "sonic"):
		return "sonic"
	case strings.HasPrefix(id, "amazon.nova"):
		return "nova"
	case strings.HasPrefix(id, "amazon.titan-text") || strings.HasPrefix(id, "amazon.titan-tg"):
		return "titan-text"
	case strings.HasPrefix(id, "meta."):
		return "llama"
	case strings.HasPrefix(id, "mistral."):
		return "mistral"
	}
	if m.entry == nil {
		return "nova"
	}
	return "generic"
}

// apiMessages are the service's words when a model does not answer an
// operation.
var apiMessages = map[modelspec.API]string{
	modelspec.Converse:                           "This action doesn't support the model that you provided. Try again with a supported text or chat model.",
	modelspec.ConverseStream:                     "This action doesn't support the model that you provided. Try again with a supported text or chat model.",
	modelspec.InvokeModelWithResponseStream:      "The model is unsupported for streaming.",
	modelspec.InvokeModelWithBidirectionalStream: "The provided model doesn't support bidirectional streaming. Try again with a supported speech model.",
	modelspec.InvokeModel:                        "The provided model doesn't support on-demand throughput via InvokeModel. Try again with a supported model.",
	modelspec.StartAsyncInvoke:                   "The provided model doesn't support asynchronous invocation.",
	modelspec.CountTokens:                        "The provided model doesn't support counting tokens.",
}

// invalidModel is the service's answer to an ID it cannot resolve.
func invalidModel() *Error { return ValidationError("The provided model identifier is invalid.") }

// resolveModel resolves a model ID for api. An ID with a queued script for
// it is accepted even if the catalog does not know it.
func (s *Server) resolveModel(id string, api modelspec.API) (*model, *Error) {
	entry, err := modelspec.Lookup(id)
	if err != nil {
		if s.hasScript(id) {
			return &model{id: id, kind: kindText}, nil
		}
		return nil, invalidModel()
	}
	if err := modelspec.CheckAPI(id, api); err != nil {
		if errors.Is(err, modelspec.ErrUnsupportedAPI) {
			return nil, ValidationError(apiMessages[api])
		}
		return nil, invalidModel()
	}
	m := &model{id: id, entry: entry}
	switch {
	case entry.HasOutput(modelspec.Embedding):
		m.kind = kindEmbedding
	case entry.HasOutput(modelspec.Image):
		m.kind = kindImage
	case entry.HasOutput(modelspec.Video):
		m.kind = kindVideo
	case entry.Supports(modelspec.InvokeModelWithBidirectionalStream):
		m.kind = kindSpeech
	case entry.Supports(modelspec.Rerank):
		m.kind = kindRerank
	}
	return m, nil
}
