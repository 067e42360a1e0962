package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
)

// CountTokensInput is what CountTokens counts: InvokeModelTokens (an
// InvokeModel request body), ConverseTokens, or a *ConverseInput (whose
// messages, system prompt, tool configuration and additional model request
// fields are counted).
type CountTokensInput interface {
	countTokensMember() (key string, value any)
}

// InvokeModelTokens counts the tokens of an InvokeModel request body.
type InvokeModelTokens struct {
	// Body is the request body, in the model's native format.
	Body []byte
}

func (t InvokeModelTokens) countTokensMember() (string, any) {
	return "invokeModel", struct {
		Body []byte `json:"body"`
	}{t.Body}
}

// ConverseTokens counts the tokens of a Converse request.
type ConverseTokens struct {
	Messages                     []Message
	System                       []SystemBlock
	ToolConfig                   *ToolConfig
	AdditionalModelRequestFields json.RawMessage
}

type converseTokensWire struct {
	Messages                     []Message       `json:"messages,omitempty"`
	System                       systemBlockList `json:"system,omitempty"`
	ToolConfig                   *ToolConfig     `json:"toolConfig,omitempty"`
	AdditionalModelRequestFields json.RawMessage `json:"additionalModelRequestFields,omitempty"`
}

func (t ConverseTokens) countTokensMember() (string, any) {
	return "converse", converseTokensWire{t.Messages, t.System, t.ToolConfig, t.AdditionalModelRequestFields}
}

func (in *ConverseInput) countTokensMember() (string, any) {
	return ConverseTokens{in.Messages, in.System, in.ToolConfig, in.AdditionalModelRequestFields}.countTokensMember()
}

// CountTokensOutput is the result of CountTokens.
type CountTokensOutput struct {
	// InputTokens is the number of tokens the input would use.
	InputTokens int `json:"inputTokens"`
}

// CountTokens counts the input tokens a request to modelID would use,
// without running the model. modelID is a foundation model ID.
func (c *Client) CountTokens(ctx context.Context, modelID string, in CountTokensInput) (*CountTokensOutput, error) {
	const op = "CountTokens"
	if modelID == "" {
		return nil, fmt.Errorf("bedrock %s: model ID is empty", op)
	}
	if in == nil {
		return nil, fmt.Errorf("bedrock %s: nil input", op)
	}
	if ci, ok := in.(*ConverseInput); ok && ci == nil {
		return nil, fmt.Errorf("bedrock %s: nil input", op)
	}
	if it, ok := in.(InvokeModelTokens); ok && len(it.Body) == 0 {
		return nil, fmt.Errorf("bedrock %s: InvokeModelTokens.Body is empty", op)
	}
	body, err := countTokensBody(in)
	if err != nil {
		return nil, fmt.Errorf("bedrock %s: encoding request: %w", op, err)
	}
	out := new(CountTokensOutput)
	if _, err := c.sendJSON(ctx, &request{
		op:     op,
		method: http.MethodPost,
		path:   modelPath(modelID, "count-tokens"),
	}, body, out); err != nil {
		return nil, err
	}
	return out, nil
}

// countTokensBody is the request body {"input":{"<member>":{…}}}.
func countTokensBody(in CountTokensInput) (json.RawMessage, error) {
	key, v := in.countTokensMember()
	inner, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	if key == "" {
		return nil, errors.New("empty input")
	}
	return json.Marshal(struct {
		Input map[string]json.RawMessage `json:"input"`
	}{map[string]json.RawMessage{key: inner}})
}
