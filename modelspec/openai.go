package modelspec

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// OpenAI gpt-oss (openai.gpt-oss-20b-1:0, openai.gpt-oss-120b-1:0) takes a
// Chat Completions body on InvokeModel.

// OpenAIChatRequest is the InvokeModel body of gpt-oss models.
type OpenAIChatRequest struct {
	Messages            []OpenAIMessage `json:"messages"`
	MaxCompletionTokens int             `json:"max_completion_tokens,omitempty"`
	Temperature         *float64        `json:"temperature,omitempty"`
	TopP                *float64        `json:"top_p,omitempty"`
	Stop                []string        `json:"stop,omitempty"`
	ReasoningEffort     string          `json:"reasoning_effort,omitempty"` // low, medium, high
	Tools               []OpenAITool    `json:"tools,omitempty"`
	ToolChoice          json.RawMessage `json:"tool_choice,omitempty"`
	Stream              bool            `json:"stream,omitempty"`
}

// OpenAIMessage is one message; Role is system, developer, user, assistant or tool.
type OpenAIMessage struct {
	Role       string           `json:"role"`
	Content    string           `json:"content"`
	Reasoning  string           `json:"reasoning,omitempty"`
	ToolCalls  []OpenAIToolCall `json:"tool_calls,omitempty"`
	ToolCallID string           `json:"tool_call_id,omitempty"`
}

// OpenAIToolCall is a function call; Arguments is JSON as a string.
type OpenAIToolCall struct {
	ID       string           `json:"id"`
	Type     string           `json:"type"` // function
	Function ChatFunctionCall `json:"function"`
}

// OpenAITool declares a function.
type OpenAITool struct {
	Type     string       `json:"type"` // function
	Function ChatFunction `json:"function"`
}

// Body validates r and returns its JSON encoding.
func (r OpenAIChatRequest) Body() ([]byte, error) {
	if len(r.Messages) == 0 {
		return nil, invalid("messages", "must not be empty")
	}
	for i, m := range r.Messages {
		switch m.Role {
		case "system", "developer", "user", "assistant", "tool":
		default:
			return nil, invalid(fmt.Sprintf("messages[%d].role", i), "%q is not system, developer, user, assistant or tool", m.Role)
		}
	}
	if err := errors.Join(checkRange("temperature", r.Temperature, 0, 2), checkRange("top_p", r.TopP, 0, 1)); err != nil {
		return nil, err
	}
	if e := r.ReasoningEffort; e != "" && e != "low" && e != "medium" && e != "high" {
		return nil, invalid("reasoning_effort", "%q is not low, medium or high", e)
	}
	if r.MaxCompletionTokens < 0 {
		return nil, invalid("max_completion_tokens", "must not be negative")
	}
	for i, t := range r.Tools {
		if t.Type != "function" || t.Function.Name == "" || !json.Valid(t.Function.Parameters) {
			return nil, invalid(fmt.Sprintf("tools[%d]", i), "needs type function, a name and JSON parameters")
		}
	}
	return marshalBody(r)
}

// OpenAIUsage counts tokens.
type OpenAIUsage struct {
	PromptTokens     int `json:"prompt_tokens"`
	CompletionTokens int `json:"completion_tokens"`
	TotalTokens      int `json:"total_tokens"`
}

// OpenAIChoice is one choice: Message in responses, Delta in stream chunks.
type OpenAIChoice struct {
	Index        int            `json:"index"`
	Message      *OpenAIMessage `json:"message,omitempty"`
	Delta        *OpenAIDelta   `json:"delta,omitempty"`
	FinishReason string         `json:"finish_reason"` // stop, length, tool_calls, content_filter
}

// OpenAIDelta is the increment of a stream chunk.
type OpenAIDelta struct {
	Role             string           `json:"role,omitempty"`
	Content          string           `json:"content,omitempty"`
	Reasoning        string           `json:"reasoning,omitempty"`
	ReasoningContent string           `json:"reasoning_content,omitempty"`
	ToolCalls        []OpenAIToolCall `json:"tool_calls,omitempty"`
}

// OpenAIChatResponse is the gpt-oss response body (object chat.completion)
// and the shape of its stream chunks (object chat.completion.chunk).
type OpenAIChatResponse struct {
	ID      string             `json:"id"`
	Object  string             `json:"object"`
	Created int64              `json:"created"`
	Model   string             `json:"model"`
	Choices []OpenAIChoice     `json:"choices"`
	Usage   *OpenAIUsage       `json:"usage,omitempty"`
	Metrics *InvocationMetrics `json:"amazon-bedrock-invocationMetrics,omitempty"`
}

// ParseOpenAIChatResponse parses a gpt-oss response body or stream chunk payload.
func ParseOpenAIChatResponse(body []byte) (*OpenAIChatResponse, error) {
	var r OpenAIChatResponse
	if err := parseObject("openai chat response", body, &r); err != nil {
		return nil, err
	}
	if r.Choices == nil {
		return nil, &FormatError{Format: "openai chat response", Err: errors.New(`missing "choices"`)}
	}
	return &r, nil
}

// SplitOpenAIReasoning splits gpt-oss content of the form
// "<reasoning>…</reasoning>answer" into reasoning and answer.
func SplitOpenAIReasoning(content string) (reasoning, answer string) {
	s := strings.TrimSpace(content)
	if !strings.HasPrefix(s, "<reasoning>") {
		return "", content
	}
	i := strings.Index(s, "</reasoning>")
	if i < 0 {
		return strings.TrimPrefix(s, "<reasoning>"), ""
	}
	return s[len("<reasoning>"):i], strings.TrimSpace(s[i+len("</reasoning>"):])
}
