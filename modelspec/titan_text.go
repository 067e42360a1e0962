package modelspec

import "errors"

// Amazon Titan Text (amazon.titan-text-express-v1, amazon.titan-text-lite-v1,
// amazon.titan-text-premier-v1:0, amazon.titan-tg1-large).

// TitanTextRequest is the InvokeModel body for Titan Text models.
type TitanTextRequest struct {
	InputText            string                     `json:"inputText"`
	TextGenerationConfig *TitanTextGenerationConfig `json:"textGenerationConfig,omitempty"`
}

// TitanTextGenerationConfig holds the inference parameters.
type TitanTextGenerationConfig struct {
	Temperature   *float64 `json:"temperature,omitempty"`
	TopP          *float64 `json:"topP,omitempty"`
	MaxTokenCount int      `json:"maxTokenCount,omitempty"`
	StopSequences []string `json:"stopSequences,omitempty"`
}

// Body validates r and returns its JSON encoding.
func (r TitanTextRequest) Body() ([]byte, error) {
	if r.InputText == "" {
		return nil, invalid("inputText", "must not be empty")
	}
	if c := r.TextGenerationConfig; c != nil {
		if err := checkRange("textGenerationConfig.temperature", c.Temperature, 0, 1); err != nil {
			return nil, err
		}
		if err := checkRange("textGenerationConfig.topP", c.TopP, 0, 1); err != nil {
			return nil, err
		}
		if c.MaxTokenCount < 0 {
			return nil, invalid("textGenerationConfig.maxTokenCount", "must not be negative")
		}
	}
	return marshalBody(r)
}

// TitanTextResult is one generated result.
type TitanTextResult struct {
	TokenCount       int    `json:"tokenCount"`
	OutputText       string `json:"outputText"`
	CompletionReason string `json:"completionReason"` // FINISH, LENGTH, STOP_CRITERIA_MET, RAG_QUERY_WHEN_RAG_DISABLED, CONTENT_FILTERED
}

// TitanTextResponse is the InvokeModel response body of Titan Text models.
type TitanTextResponse struct {
	InputTextTokenCount int               `json:"inputTextTokenCount"`
	Results             []TitanTextResult `json:"results"`
}

// ParseTitanTextResponse parses a Titan Text InvokeModel response body.
func ParseTitanTextResponse(body []byte) (*TitanTextResponse, error) {
	var r TitanTextResponse
	if err := parseObject("titan text response", body, &r); err != nil {
		return nil, err
	}
	if r.Results == nil {
		return nil, &FormatError{Format: "titan text response", Err: errors.New(`missing "results"`)}
	}
	return &r, nil
}

// TitanTextChunk is one InvokeModelWithResponseStream chunk of Titan Text.
// CompletionReason is empty until the last chunk, which also carries Metrics.
type TitanTextChunk struct {
	OutputText                string             `json:"outputText"`
	Index                     int                `json:"index"`
	TotalOutputTextTokenCount int                `json:"totalOutputTextTokenCount"`
	CompletionReason          string             `json:"completionReason"`
	InputTextTokenCount       int                `json:"inputTextTokenCount"`
	Metrics                   *InvocationMetrics `json:"amazon-bedrock-invocationMetrics,omitempty"`
}

// ParseTitanTextChunk parses one Titan Text stream chunk payload.
func ParseTitanTextChunk(chunk []byte) (*TitanTextChunk, error) {
	var c TitanTextChunk
	if err := parseObject("titan text chunk", chunk, &c); err != nil {
		return nil, err
	}
	return &c, nil
}
