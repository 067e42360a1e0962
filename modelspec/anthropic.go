package modelspec

import (
	"encoding/json"
	"errors"
	"fmt"
)

// Anthropic Claude models take the Messages API body on Bedrock, with
// anthropic_version in the body instead of a header and no "model" field.

// AnthropicBedrockVersion is the anthropic_version Bedrock requires.
const AnthropicBedrockVersion = "bedrock-2023-05-31"

// AnthropicRequest is the InvokeModel body of Claude models.
type AnthropicRequest struct {
	AnthropicVersion string               `json:"anthropic_version"` // Body fills in bedrock-2023-05-31
	AnthropicBeta    []string             `json:"anthropic_beta,omitempty"`
	MaxTokens        int                  `json:"max_tokens"`
	System           []AnthropicContent   `json:"system,omitempty"` // text blocks
	Messages         []AnthropicMessage   `json:"messages"`
	Temperature      *float64             `json:"temperature,omitempty"`
	TopP             *float64             `json:"top_p,omitempty"`
	TopK             int                  `json:"top_k,omitempty"`
	StopSequences    []string             `json:"stop_sequences,omitempty"`
	Tools            []AnthropicTool      `json:"tools,omitempty"`
	ToolChoice       *AnthropicToolChoice `json:"tool_choice,omitempty"`
	Thinking         *AnthropicThinking   `json:"thinking,omitempty"`
}

// AnthropicMessage is one turn; Role is "user" or "assistant".
type AnthropicMessage struct {
	Role    string             `json:"role"`
	Content []AnthropicContent `json:"content"`
}

// AnthropicContent is a content block. Type selects the fields that apply:
// text (Text), image and document (Source), tool_use (ID, Name, Input),
// tool_result (ToolUseID, Content, IsError), thinking (Thinking, Signature),
// redacted_thinking (Data).
type AnthropicContent struct {
	Type         string                 `json:"type"`
	Text         string                 `json:"text,omitempty"`
	Source       *AnthropicSource       `json:"source,omitempty"`
	ID           string                 `json:"id,omitempty"`
	Name         string                 `json:"name,omitempty"`
	Input        json.RawMessage        `json:"input,omitempty"`
	ToolUseID    string                 `json:"tool_use_id,omitempty"`
	Content      json.RawMessage        `json:"content,omitempty"` // tool_result: a string or blocks
	IsError      bool                   `json:"is_error,omitempty"`
	Thinking     string                 `json:"thinking,omitempty"`
	Signature    string                 `json:"signature,omitempty"`
	Data         string                 `json:"data,omitempty"`
	CacheControl *AnthropicCacheControl `json:"cache_control,omitempty"`
}

// AnthropicText returns a text block.
func AnthropicText(s string) AnthropicContent { return AnthropicContent{Type: "text", Text: s} }

// AnthropicSource is base64 data with its media type (image/png, application/pdf, …).
type AnthropicSource struct {
	Type      string `json:"type"` // base64
	MediaType string `json:"media_type"`
	Data      string `json:"data"`
}

// AnthropicCacheControl marks a prompt-cache breakpoint.
type AnthropicCacheControl struct {
	Type string `json:"type"`          // ephemeral
	TTL  string `json:"ttl,omitempty"` // 5m or 1h
}

// AnthropicTool declares a client tool.
type AnthropicTool struct {
	Name         string                 `json:"name"`
	Description  string                 `json:"description,omitempty"`
	InputSchema  json.RawMessage        `json:"input_schema"`
	CacheControl *AnthropicCacheControl `json:"cache_control,omitempty"`
}

// AnthropicToolChoice is auto, any, tool (with Name) or none.
type AnthropicToolChoice struct {
	Type                   string `json:"type"`
	Name                   string `json:"name,omitempty"`
	DisableParallelToolUse bool   `json:"disable_parallel_tool_use,omitempty"`
}

// AnthropicThinking enables extended thinking with a token budget.
type AnthropicThinking struct {
	Type         string `json:"type"` // enabled
	BudgetTokens int    `json:"budget_tokens,omitempty"`
}

// Body validates r, fills in anthropic_version, and returns its JSON encoding.
func (r AnthropicRequest) Body() ([]byte, error) {
	if r.AnthropicVersion == "" {
		r.AnthropicVersion = AnthropicBedrockVersion
	}
	if r.MaxTokens <= 0 {
		return nil, invalid("max_tokens", "must be positive")
	}
	if len(r.Messages) == 0 {
		return nil, invalid("messages", "must not be empty")
	}
	for i, m := range r.Messages {
		if m.Role != "user" && m.Role != "assistant" {
			return nil, invalid(fmt.Sprintf("messages[%d].role", i), "%q is not user or assistant (the system prompt goes in system)", m.Role)
		}
		if len(m.Content) == 0 {
			return nil, invalid(fmt.Sprintf("messages[%d].content", i), "must not be empty")
		}
		for j, c := range m.Content {
			if c.Type == "" {
				return nil, invalid(fmt.Sprintf("messages[%d].content[%d].type", i, j), "must not be empty")
			}
		}
	}
	if err := errors.Join(checkRange("temperature", r.Temperature, 0, 1), checkRange("top_p", r.TopP, 0, 1)); err != nil {
		return nil, err
	}
	if th := r.Thinking; th != nil && th.Type == "enabled" {
		if th.BudgetTokens < 1024 || th.BudgetTokens >= r.MaxTokens {
			return nil, invalid("thinking.budget_tokens", "%d, want at least 1024 and less than max_tokens (%d)", th.BudgetTokens, r.MaxTokens)
		}
		if r.Temperature != nil && *r.Temperature != 1 || r.TopK != 0 {
			return nil, invalid("thinking", "extended thinking does not allow temperature (other than 1) or top_k")
		}
	}
	for i, t := range r.Tools {
		if t.Name == "" || !json.Valid(t.InputSchema) {
			return nil, invalid(fmt.Sprintf("tools[%d]", i), "needs a name and a JSON input_schema")
		}
	}
	if tc := r.ToolChoice; tc != nil {
		switch tc.Type {
		case "auto", "any", "none":
		case "tool":
			if tc.Name == "" {
				return nil, invalid("tool_choice.name", "must be set for type tool")
			}
		default:
			return nil, invalid("tool_choice.type", "%q is not auto, any, tool or none", tc.Type)
		}
	}
	return marshalBody(r)
}

// AnthropicUsage counts tokens.
type AnthropicUsage struct {
	InputTokens              int `json:"input_tokens"`
	OutputTokens             int `json:"output_tokens"`
	CacheCreationInputTokens int `json:"cache_creation_input_tokens,omitempty"`
	CacheReadInputTokens     int `json:"cache_read_input_tokens,omitempty"`
}

// AnthropicResponse is the InvokeModel response body of Claude models, and
// the message of a message_start stream event.
type AnthropicResponse struct {
	ID           string             `json:"id"`
	Type         string             `json:"type"` // message
	Role         string             `json:"role"`
	Model        string             `json:"model"`
	Content      []AnthropicContent `json:"content"`
	StopReason   string             `json:"stop_reason"` // end_turn, max_tokens, stop_sequence, tool_use, pause_turn, refusal
	StopSequence string             `json:"stop_sequence"`
	Usage        AnthropicUsage     `json:"usage"`
}

// Text returns the concatenated text blocks.
func (r *AnthropicResponse) Text() string {
	var s string
	for _, c := range r.Content {
		if c.Type == "text" {
			s += c.Text
		}
	}
	return s
}

// ParseAnthropicResponse parses a Claude InvokeModel response body.
func ParseAnthropicResponse(body []byte) (*AnthropicResponse, error) {
	var r AnthropicResponse
	if err := parseObject("anthropic response", body, &r); err != nil {
		return nil, err
	}
	if r.Type != "message" {
		return nil, &FormatError{Format: "anthropic response", Err: fmt.Errorf("type %q, want message", r.Type)}
	}
	return &r, nil
}

// AnthropicDelta is the delta of content_block_delta (text_delta,
// input_json_delta, thinking_delta, signature_delta) or of message_delta
// (StopReason, StopSequence).
type AnthropicDelta struct {
	Type         string `json:"type,omitempty"`
	Text         string `json:"text,omitempty"`
	PartialJSON  string `json:"partial_json,omitempty"`
	Thinking     string `json:"thinking,omitempty"`
	Signature    string `json:"signature,omitempty"`
	StopReason   string `json:"stop_reason,omitempty"`
	StopSequence string `json:"stop_sequence,omitempty"`
}

// AnthropicStreamError is the body of an error stream event.
type AnthropicStreamError struct {
	Type    string `json:"type"`
	Message string `json:"message"`
}

// AnthropicStreamEvent is one InvokeModelWithResponseStream chunk of a
// Claude model. Type is message_start (Message), content_block_start (Index,
// ContentBlock), content_block_delta (Index, Delta), content_block_stop
// (Index), message_delta (Delta, Usage), message_stop (Metrics), ping or error.
type AnthropicStreamEvent struct {
	Type         string                `json:"type"`
	Message      *AnthropicResponse    `json:"message,omitempty"`
	Index        int                   `json:"index"`
	ContentBlock *AnthropicContent     `json:"content_block,omitempty"`
	Delta        *AnthropicDelta       `json:"delta,omitempty"`
	Usage        *AnthropicUsage       `json:"usage,omitempty"`
	Error        *AnthropicStreamError `json:"error,omitempty"`
	Metrics      *InvocationMetrics    `json:"amazon-bedrock-invocationMetrics,omitempty"`
}

// ParseAnthropicStreamEvent parses one Claude stream chunk payload. Events of
// unknown types parse (with only Type set) so new event types do not break
// old clients.
func ParseAnthropicStreamEvent(chunk []byte) (*AnthropicStreamEvent, error) {
	var e AnthropicStreamEvent
	if err := parseObject("anthropic stream event", chunk, &e); err != nil {
		return nil, err
	}
	if e.Type == "" {
		return nil, &FormatError{Format: "anthropic stream event", Err: errors.New(`missing "type"`)}
	}
	need := func(ok bool, field string) error {
		if !ok {
			return &FormatError{Format: "anthropic stream event", Err: fmt.Errorf("%s without %q", e.Type, field)}
		}
		return nil
	}
	var err error
	switch e.Type {
	case "message_start":
		err = need(e.Message != nil, "message")
	case "content_block_start":
		err = need(e.ContentBlock != nil, "content_block")
	case "content_block_delta", "message_delta":
		err = need(e.Delta != nil, "delta")
	case "error":
		err = need(e.Error != nil, "error")
	}
	if err != nil {
		return nil, err
	}
	return &e, nil
}
