package modelspec

import (
	"encoding/json"
	"errors"
	"fmt"
)

// Amazon Nova understanding models (Nova Micro/Lite/Pro/Premier, Nova 2
// Lite) take the "messages-v1" body on InvokeModel and stream Converse-like
// chunks on InvokeModelWithResponseStream.

// NovaSchemaVersion is the schemaVersion Nova understanding bodies carry.
const NovaSchemaVersion = "messages-v1"

// NovaRequest is the InvokeModel body of Nova understanding models.
type NovaRequest struct {
	SchemaVersion   string               `json:"schemaVersion"` // Body fills in messages-v1
	System          []NovaSystemBlock    `json:"system,omitempty"`
	Messages        []NovaMessage        `json:"messages"`
	InferenceConfig *NovaInferenceConfig `json:"inferenceConfig,omitempty"`
	ToolConfig      *NovaToolConfig      `json:"toolConfig,omitempty"`
	ReasoningConfig *NovaReasoningConfig `json:"reasoningConfig,omitempty"` // Nova 2
}

// NovaSystemBlock is one system prompt block.
type NovaSystemBlock struct {
	Text       string          `json:"text,omitempty"`
	CachePoint *NovaCachePoint `json:"cachePoint,omitempty"`
}

// NovaCachePoint marks a prompt-cache checkpoint ({"type":"default"}).
type NovaCachePoint struct {
	Type string `json:"type"`
}

// NovaMessage is one conversation turn; Role is "user" or "assistant".
type NovaMessage struct {
	Role    string        `json:"role"`
	Content []NovaContent `json:"content"`
}

// NovaContent is one content block: exactly one field is set.
type NovaContent struct {
	Text             string                `json:"text,omitempty"`
	Image            *NovaMedia            `json:"image,omitempty"`
	Video            *NovaMedia            `json:"video,omitempty"`
	Audio            *NovaMedia            `json:"audio,omitempty"` // Nova 2 Omni
	Document         *NovaDocument         `json:"document,omitempty"`
	ToolUse          *NovaToolUse          `json:"toolUse,omitempty"`
	ToolResult       *NovaToolResult       `json:"toolResult,omitempty"`
	ReasoningContent *NovaReasoningContent `json:"reasoningContent,omitempty"`
	CachePoint       *NovaCachePoint       `json:"cachePoint,omitempty"`
}

// NovaMedia is an image, video or audio block: a format (png, jpeg, gif,
// webp; mp4, mov, mkv, webm, …) and a source.
type NovaMedia struct {
	Format string     `json:"format"`
	Source NovaSource `json:"source"`
}

// NovaSource holds base64 bytes or an S3 location (one of them).
type NovaSource struct {
	Bytes      string          `json:"bytes,omitempty"`
	S3Location *NovaS3Location `json:"s3Location,omitempty"`
}

// NovaS3Location names an S3 object.
type NovaS3Location struct {
	URI         string `json:"uri"`
	BucketOwner string `json:"bucketOwner,omitempty"`
}

// NovaDocument is a document block (pdf, csv, doc, docx, xls, xlsx, html, txt, md).
type NovaDocument struct {
	Format string     `json:"format"`
	Name   string     `json:"name"`
	Source NovaSource `json:"source"`
}

// NovaToolUse is a tool call made by the assistant.
type NovaToolUse struct {
	ToolUseID string          `json:"toolUseId"`
	Name      string          `json:"name"`
	Input     json.RawMessage `json:"input"`
}

// NovaToolResult answers a tool call.
type NovaToolResult struct {
	ToolUseID string                  `json:"toolUseId"`
	Content   []NovaToolResultContent `json:"content"`
	Status    string                  `json:"status,omitempty"` // success or error
}

// NovaToolResultContent is text or JSON.
type NovaToolResultContent struct {
	Text string          `json:"text,omitempty"`
	JSON json.RawMessage `json:"json,omitempty"`
}

// NovaReasoningContent carries reasoning text (Nova 2; redacted in output).
type NovaReasoningContent struct {
	ReasoningText *NovaReasoningText `json:"reasoningText,omitempty"`
}

// NovaReasoningText is reasoning text with an optional signature.
type NovaReasoningText struct {
	Text      string `json:"text"`
	Signature string `json:"signature,omitempty"`
}

// NovaInferenceConfig holds the inference parameters.
type NovaInferenceConfig struct {
	MaxTokens     int      `json:"maxTokens,omitempty"`
	Temperature   *float64 `json:"temperature,omitempty"`
	TopP          *float64 `json:"topP,omitempty"`
	TopK          int      `json:"topK,omitempty"`
	StopSequences []string `json:"stopSequences,omitempty"`
}

// NovaToolConfig declares tools and how the model may choose them.
type NovaToolConfig struct {
	Tools      []NovaTool      `json:"tools"`
	ToolChoice *NovaToolChoice `json:"toolChoice,omitempty"`
}

// NovaTool wraps a tool specification.
type NovaTool struct {
	ToolSpec NovaToolSpec `json:"toolSpec"`
}

// NovaToolSpec describes one tool; InputSchema.JSON is a JSON Schema object.
type NovaToolSpec struct {
	Name        string          `json:"name"`
	Description string          `json:"description,omitempty"`
	InputSchema NovaInputSchema `json:"inputSchema"`
}

// NovaInputSchema holds a JSON Schema.
type NovaInputSchema struct {
	JSON json.RawMessage `json:"json"`
}

// NovaToolChoice is {"auto":{}}, {"any":{}} or {"tool":{"name":…}}.
type NovaToolChoice struct {
	Auto *struct{}           `json:"auto,omitempty"`
	Any  *struct{}           `json:"any,omitempty"`
	Tool *NovaToolChoiceName `json:"tool,omitempty"`
}

// NovaToolChoiceName names the tool the model must use.
type NovaToolChoiceName struct {
	Name string `json:"name"`
}

// NovaReasoningConfig turns on Nova 2 extended thinking.
type NovaReasoningConfig struct {
	Type               string `json:"type"`                         // enabled or disabled
	MaxReasoningEffort string `json:"maxReasoningEffort,omitempty"` // low, medium, high
}

// Body validates r, fills in the schema version, and returns its JSON encoding.
func (r NovaRequest) Body() ([]byte, error) {
	if r.SchemaVersion == "" {
		r.SchemaVersion = NovaSchemaVersion
	}
	if len(r.Messages) == 0 {
		return nil, invalid("messages", "must not be empty")
	}
	if r.Messages[0].Role != "user" {
		return nil, invalid("messages[0].role", "the first turn must be the user's, not %q", r.Messages[0].Role)
	}
	for i, m := range r.Messages {
		if m.Role != "user" && m.Role != "assistant" {
			return nil, invalid(fmt.Sprintf("messages[%d].role", i), "%q is not user or assistant", m.Role)
		}
		if len(m.Content) == 0 {
			return nil, invalid(fmt.Sprintf("messages[%d].content", i), "must not be empty")
		}
		for j, c := range m.Content {
			if n := c.kinds(); n != 1 {
				return nil, invalid(fmt.Sprintf("messages[%d].content[%d]", i, j), "has %d kinds of content, want exactly 1", n)
			}
			for _, media := range []*NovaMedia{c.Image, c.Video, c.Audio} {
				if media != nil && (media.Source.Bytes == "") == (media.Source.S3Location == nil) {
					return nil, invalid(fmt.Sprintf("messages[%d].content[%d].source", i, j), "exactly one of bytes and s3Location must be set")
				}
			}
		}
	}
	if c := r.InferenceConfig; c != nil {
		if err := errors.Join(checkRange("inferenceConfig.temperature", c.Temperature, 0, 1),
			checkRange("inferenceConfig.topP", c.TopP, 0, 1)); err != nil {
			return nil, err
		}
		if c.MaxTokens < 0 || c.TopK < 0 {
			return nil, invalid("inferenceConfig", "maxTokens and topK must not be negative")
		}
	}
	if rc := r.ReasoningConfig; rc != nil {
		if rc.Type != "enabled" && rc.Type != "disabled" {
			return nil, invalid("reasoningConfig.type", "%q is not enabled or disabled", rc.Type)
		}
		if e := rc.MaxReasoningEffort; e != "" && e != "low" && e != "medium" && e != "high" {
			return nil, invalid("reasoningConfig.maxReasoningEffort", "%q is not low, medium or high", e)
		}
	}
	if tc := r.ToolConfig; tc != nil {
		for i, t := range tc.Tools {
			if t.ToolSpec.Name == "" {
				return nil, invalid(fmt.Sprintf("toolConfig.tools[%d].toolSpec.name", i), "must not be empty")
			}
			if !json.Valid(t.ToolSpec.InputSchema.JSON) {
				return nil, invalid(fmt.Sprintf("toolConfig.tools[%d].toolSpec.inputSchema.json", i), "is not valid JSON")
			}
		}
	}
	return marshalBody(r)
}

func (c *NovaContent) kinds() int {
	n := 0
	if c.Text != "" {
		n++
	}
	for _, set := range []bool{c.Image != nil, c.Video != nil, c.Audio != nil, c.Document != nil, c.ToolUse != nil,
		c.ToolResult != nil, c.ReasoningContent != nil, c.CachePoint != nil} {
		if set {
			n++
		}
	}
	return n
}

// NovaUsage counts tokens.
type NovaUsage struct {
	InputTokens               int `json:"inputTokens"`
	OutputTokens              int `json:"outputTokens"`
	TotalTokens               int `json:"totalTokens,omitempty"`
	CacheReadInputTokenCount  int `json:"cacheReadInputTokenCount,omitempty"`
	CacheWriteInputTokenCount int `json:"cacheWriteInputTokenCount,omitempty"`
}

// NovaResponse is the InvokeModel response body of Nova understanding models.
type NovaResponse struct {
	Output     NovaOutput `json:"output"`
	StopReason string     `json:"stopReason"` // end_turn, max_tokens, stop_sequence, tool_use, content_filtered
	Usage      NovaUsage  `json:"usage"`
}

// Text returns the concatenated text blocks of the output message.
func (r *NovaResponse) Text() string {
	var s string
	for _, c := range r.Output.Message.Content {
		s += c.Text
	}
	return s
}

// NovaOutput holds the output message.
type NovaOutput struct {
	Message NovaMessage `json:"message"`
}

// ParseNovaResponse parses a Nova understanding InvokeModel response body.
func ParseNovaResponse(body []byte) (*NovaResponse, error) {
	var r NovaResponse
	if err := parseObject("nova response", body, &r); err != nil {
		return nil, err
	}
	if r.Output.Message.Role == "" {
		return nil, &FormatError{Format: "nova response", Err: errors.New(`missing "output.message"`)}
	}
	return &r, nil
}

// NovaChunk is one InvokeModelWithResponseStream chunk of a Nova
// understanding model; exactly one of the event fields is set.
type NovaChunk struct {
	MessageStart      *NovaMessageStart      `json:"messageStart,omitempty"`
	ContentBlockStart *NovaContentBlockStart `json:"contentBlockStart,omitempty"`
	ContentBlockDelta *NovaContentBlockDelta `json:"contentBlockDelta,omitempty"`
	ContentBlockStop  *NovaContentBlockStop  `json:"contentBlockStop,omitempty"`
	MessageStop       *NovaMessageStop       `json:"messageStop,omitempty"`
	Metadata          *NovaStreamMetadata    `json:"metadata,omitempty"`
	Metrics           *InvocationMetrics     `json:"amazon-bedrock-invocationMetrics,omitempty"`
}

// NovaMessageStart opens the message.
type NovaMessageStart struct {
	Role string `json:"role"`
}

// NovaContentBlockStart opens a tool-use block.
type NovaContentBlockStart struct {
	Start             NovaBlockStart `json:"start"`
	ContentBlockIndex int            `json:"contentBlockIndex"`
}

// NovaBlockStart describes the block being opened.
type NovaBlockStart struct {
	ToolUse *NovaToolUseStart `json:"toolUse,omitempty"`
}

// NovaToolUseStart names the tool call a block carries.
type NovaToolUseStart struct {
	ToolUseID string `json:"toolUseId"`
	Name      string `json:"name"`
}

// NovaContentBlockDelta carries text, tool input JSON or reasoning text.
type NovaContentBlockDelta struct {
	Delta             NovaDelta `json:"delta"`
	ContentBlockIndex int       `json:"contentBlockIndex"`
}

// NovaDelta is text, a piece of tool input JSON, or reasoning text.
type NovaDelta struct {
	Text             string              `json:"text,omitempty"`
	ToolUse          *NovaToolUseDelta   `json:"toolUse,omitempty"`
	ReasoningContent *NovaReasoningDelta `json:"reasoningContent,omitempty"`
}

// NovaToolUseDelta is a piece of tool input JSON.
type NovaToolUseDelta struct {
	Input string `json:"input"`
}

// NovaReasoningDelta is a piece of reasoning text or its signature.
type NovaReasoningDelta struct {
	Text      string `json:"text,omitempty"`
	Signature string `json:"signature,omitempty"`
}

// NovaContentBlockStop closes a content block.
type NovaContentBlockStop struct {
	ContentBlockIndex int `json:"contentBlockIndex"`
}

// NovaMessageStop ends the message with a stop reason.
type NovaMessageStop struct {
	StopReason string `json:"stopReason"`
}

// NovaStreamMetadata carries usage at the end of the stream.
type NovaStreamMetadata struct {
	Usage   NovaUsage       `json:"usage"`
	Metrics json.RawMessage `json:"metrics,omitempty"`
	Trace   json.RawMessage `json:"trace,omitempty"`
}

// ParseNovaChunk parses one Nova understanding stream chunk payload. A
// chunk with none of the known events is an error.
func ParseNovaChunk(chunk []byte) (*NovaChunk, error) {
	var c NovaChunk
	if err := parseObject("nova chunk", chunk, &c); err != nil {
		return nil, err
	}
	if c.MessageStart == nil && c.ContentBlockStart == nil && c.ContentBlockDelta == nil && c.ContentBlockStop == nil &&
		c.MessageStop == nil && c.Metadata == nil {
		return nil, &FormatError{Format: "nova chunk", Err: errors.New("no known event (messageStart, contentBlockDelta, …)")}
	}
	return &c, nil
}
