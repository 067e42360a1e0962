package modelspec

import (
	"errors"
	"slices"
)

// Nova Multimodal Embeddings (amazon.nova-2-multimodal-embeddings-v1:0):
// SINGLE_EMBEDDING through InvokeModel, SEGMENTED_EMBEDDING through
// StartAsyncInvoke (the modelInput document).

// Nova embedding constants.
const (
	NovaEmbedSchemaVersion   = "nova-multimodal-embed-v1"
	NovaEmbedTaskSingle      = "SINGLE_EMBEDDING"
	NovaEmbedTaskSegmented   = "SEGMENTED_EMBEDDING"
	NovaEmbedPurposeIndex    = "GENERIC_INDEX"
	NovaEmbedPurposeRetrieve = "GENERIC_RETRIEVAL"
)

// NovaEmbedPurposes are the accepted embeddingPurpose values.
var NovaEmbedPurposes = []string{"GENERIC_INDEX", "GENERIC_RETRIEVAL", "TEXT_RETRIEVAL", "IMAGE_RETRIEVAL",
	"VIDEO_RETRIEVAL", "DOCUMENT_RETRIEVAL", "AUDIO_RETRIEVAL", "CLASSIFICATION", "CLUSTERING"}

// NovaEmbedDimensions are the accepted embeddingDimension values.
var NovaEmbedDimensions = []int{256, 384, 1024, 3072}

// NovaEmbedRequest is the body of Nova Multimodal Embeddings: set
// SingleEmbeddingParams for SINGLE_EMBEDDING or SegmentedEmbeddingParams for
// SEGMENTED_EMBEDDING.
type NovaEmbedRequest struct {
	SchemaVersion            string           `json:"schemaVersion"` // Body fills in nova-multimodal-embed-v1
	TaskType                 string           `json:"taskType"`
	SingleEmbeddingParams    *NovaEmbedParams `json:"singleEmbeddingParams,omitempty"`
	SegmentedEmbeddingParams *NovaEmbedParams `json:"segmentedEmbeddingParams,omitempty"`
}

// NovaEmbedParams holds the purpose, the dimension and exactly one input.
type NovaEmbedParams struct {
	EmbeddingPurpose   string          `json:"embeddingPurpose"`
	EmbeddingDimension int             `json:"embeddingDimension,omitempty"`
	Text               *NovaEmbedText  `json:"text,omitempty"`
	Image              *NovaEmbedImage `json:"image,omitempty"`
	Audio              *NovaEmbedAV    `json:"audio,omitempty"`
	Video              *NovaEmbedAV    `json:"video,omitempty"`
}

// NovaEmbedText is text given inline (Value) or in S3 (Source).
type NovaEmbedText struct {
	TruncationMode     string                  `json:"truncationMode,omitempty"` // START, END, NONE
	Value              string                  `json:"value,omitempty"`
	Source             *NovaSource             `json:"source,omitempty"`
	SegmentationConfig *NovaEmbedSegmentConfig `json:"segmentationConfig,omitempty"` // segmented only
}

// NovaEmbedImage is an image; DetailLevel STANDARD_IMAGE or DOCUMENT_IMAGE.
type NovaEmbedImage struct {
	DetailLevel string     `json:"detailLevel,omitempty"`
	Format      string     `json:"format"`
	Source      NovaSource `json:"source"`
}

// NovaEmbedAV is audio or video; EmbeddingMode (video only) is
// AUDIO_VIDEO_COMBINED or AUDIO_VIDEO_SEPARATE.
type NovaEmbedAV struct {
	Format             string                  `json:"format"`
	Source             NovaSource              `json:"source"`
	EmbeddingMode      string                  `json:"embeddingMode,omitempty"`
	SegmentationConfig *NovaEmbedSegmentConfig `json:"segmentationConfig,omitempty"` // segmented only
}

// NovaEmbedSegmentConfig sets segment sizes for SEGMENTED_EMBEDDING.
type NovaEmbedSegmentConfig struct {
	MaxLengthChars  int `json:"maxLengthChars,omitempty"`  // text
	DurationSeconds int `json:"durationSeconds,omitempty"` // audio, video
}

// Body validates r, fills in the schema version and returns its JSON encoding.
func (r NovaEmbedRequest) Body() ([]byte, error) {
	if r.SchemaVersion == "" {
		r.SchemaVersion = NovaEmbedSchemaVersion
	}
	var p *NovaEmbedParams
	switch r.TaskType {
	case NovaEmbedTaskSingle:
		if r.SegmentedEmbeddingParams != nil {
			return nil, invalid("segmentedEmbeddingParams", "must not be set for SINGLE_EMBEDDING")
		}
		p = r.SingleEmbeddingParams
		if p == nil {
			return nil, invalid("singleEmbeddingParams", "must be set for SINGLE_EMBEDDING")
		}
	case NovaEmbedTaskSegmented:
		if r.SingleEmbeddingParams != nil {
			return nil, invalid("singleEmbeddingParams", "must not be set for SEGMENTED_EMBEDDING")
		}
		p = r.SegmentedEmbeddingParams
		if p == nil {
			return nil, invalid("segmentedEmbeddingParams", "must be set for SEGMENTED_EMBEDDING")
		}
	default:
		return nil, invalid("taskType", "%q is not SINGLE_EMBEDDING or SEGMENTED_EMBEDDING", r.TaskType)
	}
	if !slices.Contains(NovaEmbedPurposes, p.EmbeddingPurpose) {
		return nil, invalid("embeddingPurpose", "%q is not one of %v", p.EmbeddingPurpose, NovaEmbedPurposes)
	}
	if p.EmbeddingDimension != 0 && !slices.Contains(NovaEmbedDimensions, p.EmbeddingDimension) {
		return nil, invalid("embeddingDimension", "%d is not one of 256, 384, 1024, 3072", p.EmbeddingDimension)
	}
	n := 0
	for _, set := range []bool{p.Text != nil, p.Image != nil, p.Audio != nil, p.Video != nil} {
		if set {
			n++
		}
	}
	if n != 1 {
		return nil, invalid("embeddingParams", "exactly one of text, image, audio, video must be set, found %d", n)
	}
	if t := p.Text; t != nil && (t.Value == "") == (t.Source == nil) {
		return nil, invalid("text", "exactly one of value and source must be set")
	}
	if r.TaskType == NovaEmbedTaskSingle && ((p.Text != nil && p.Text.SegmentationConfig != nil) ||
		(p.Audio != nil && p.Audio.SegmentationConfig != nil) || (p.Video != nil && p.Video.SegmentationConfig != nil)) {
		return nil, invalid("segmentationConfig", "only SEGMENTED_EMBEDDING takes a segmentationConfig")
	}
	return marshalBody(r)
}

// NovaEmbedding is one embedding of the response.
type NovaEmbedding struct {
	EmbeddingType       string    `json:"embeddingType"` // TEXT, IMAGE, VIDEO, AUDIO, AUDIO_VIDEO_COMBINED
	Embedding           []float64 `json:"embedding"`
	TruncatedCharLength int       `json:"truncatedCharLength,omitempty"`
}

// NovaEmbedResponse is the SINGLE_EMBEDDING InvokeModel response body.
type NovaEmbedResponse struct {
	Embeddings []NovaEmbedding `json:"embeddings"`
}

// ParseNovaEmbedResponse parses a Nova Multimodal Embeddings response body.
func ParseNovaEmbedResponse(body []byte) (*NovaEmbedResponse, error) {
	var r NovaEmbedResponse
	if err := parseObject("nova embeddings response", body, &r); err != nil {
		return nil, err
	}
	if len(r.Embeddings) == 0 {
		return nil, &FormatError{Format: "nova embeddings response", Err: errors.New(`no "embeddings"`)}
	}
	return &r, nil
}
