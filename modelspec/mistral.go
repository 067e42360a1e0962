package modelspec

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Mistral AI models: Mistral 7B Instruct, Mixtral 8x7B, Mistral Large (2402)
// and Mistral Small take a raw [INST] prompt; Mistral Large 2 (2407) takes a
// chat-completions-like body.

// MistralRequest is the InvokeModel body of the prompt-style Mistral models.
type MistralRequest struct {
	Prompt      string   `json:"prompt"`
	MaxTokens   int      `json:"max_tokens,omitempty"`
	Stop        []string `json:"stop,omitempty"`
	Temperature *float64 `json:"temperature,omitempty"`
	TopP        *float64 `json:"top_p,omitempty"`
	TopK        int      `json:"top_k,omitempty"`
}

// Body validates r and returns its JSON encoding.
func (r MistralRequest) Body() ([]byte, error) {
	if r.Prompt == "" {
		return nil, invalid("prompt", "must not be empty")
	}
	if err := errors.Join(checkRange("temperature", r.Temperature, 0, 1), checkRange("top_p", r.TopP, 0, 1)); err != nil {
		return nil, err
	}
	if r.MaxTokens < 0 || r.TopK < 0 {
		return nil, invalid("max_tokens", "max_tokens and top_k must not be negative")
	}
	return marshalBody(r)
}

// MistralOutput is one output of a prompt-style Mistral model.
type MistralOutput struct {
	Text       string `json:"text"`
	StopReason string `json:"stop_reason"` // stop, length
}

// MistralResponse is the response body of prompt-style Mistral models and
// the shape of their stream chunks (the last chunk adds Metrics).
type MistralResponse struct {
	Outputs []MistralOutput    `json:"outputs"`
	Metrics *InvocationMetrics `json:"amazon-bedrock-invocationMetrics,omitempty"`
}

// ParseMistralResponse parses a prompt-style Mistral response body or stream chunk.
func ParseMistralResponse(body []byte) (*MistralResponse, error) {
	var r MistralResponse
	if err := parseObject("mistral response", body, &r); err != nil {
		return nil, err
	}
	if r.Outputs == nil {
		return nil, &FormatError{Format: "mistral response", Err: errors.New(`missing "outputs"`)}
	}
	return &r, nil
}

// MistralPrompt renders turns as Bedrock's Mistral documentation shows:
// <s>[INST] {user} [/INST] {assistant}</s> [INST] {user} [/INST]. A system
// turn is put before the first user message.
func MistralPrompt(turns []PromptTurn) (string, error) {
	system, turns, err := checkTurns(turns)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString("<s>")
	for i := 0; i < len(turns); i += 2 {
		if i > 0 {
			b.WriteString(" ")
		}
		user := strings.TrimSpace(turns[i].Content)
		if i == 0 && system != "" {
			user = strings.TrimSpace(system) + "\n\n" + user
		}
		b.WriteString("[INST] " + user + " [/INST]")
		if i+1 < len(turns) {
			b.WriteString(" " + strings.TrimSpace(turns[i+1].Content) + "</s>")
		}
	}
	return b.String(), nil
}

// MistralChatRequest is the InvokeModel body of Mistral Large 2 (2407).
type MistralChatRequest struct {
	Messages    []MistralChatMessage `json:"messages"`
	Tools       []MistralTool        `json:"tools,omitempty"`
	ToolChoice  string               `json:"tool_choice,omitempty"` // auto, any, none
	MaxTokens   int                  `json:"max_tokens,omitempty"`
	Temperature *float64             `json:"temperature,omitempty"`
	TopP        *float64             `json:"top_p,omitempty"`
}

// MistralChatMessage is one chat message; Role is system, user, assistant or tool.
type MistralChatMessage struct {
	Role       string            `json:"role"`
	Content    string            `json:"content"`
	ToolCalls  []MistralToolCall `json:"tool_calls,omitempty"`
	ToolCallID string            `json:"tool_call_id,omitempty"`
}

// MistralToolCall is a function call made by the assistant; Arguments is a
// JSON document as a string.
type MistralToolCall struct {
	ID       string           `json:"id"`
	Function ChatFunctionCall `json:"function"`
}

// MistralTool declares a function.
type MistralTool struct {
	Type     string       `json:"type"` // function
	Function ChatFunction `json:"function"`
}

// Body validates r and returns its JSON encoding.
func (r MistralChatRequest) Body() ([]byte, error) {
	if len(r.Messages) == 0 {
		return nil, invalid("messages", "must not be empty")
	}
	for i, m := range r.Messages {
		switch m.Role {
		case "system", "user", "assistant", "tool":
		default:
			return nil, invalid(fmt.Sprintf("messages[%d].role", i), "%q is not system, user, assistant or tool", m.Role)
		}
	}
	if err := errors.Join(checkRange("temperature", r.Temperature, 0, 1), checkRange("top_p", r.TopP, 0, 1)); err != nil {
		return nil, err
	}
	for i, t := range r.Tools {
		if t.Type != "function" || t.Function.Name == "" || !json.Valid(t.Function.Parameters) {
			return nil, invalid(fmt.Sprintf("tools[%d]", i), "needs type function, a name and JSON parameters")
		}
	}
	return marshalBody(r)
}

// MistralChatChoice is one choice of a chat response or stream chunk. Stream
// chunks carry the increment in Message (Delta is accepted too).
type MistralChatChoice struct {
	Index      int                 `json:"index"`
	Message    *MistralChatMessage `json:"message,omitempty"`
	Delta      *MistralChatMessage `json:"delta,omitempty"`
	StopReason string              `json:"stop_reason"` // stop, length, tool_calls
	// FinishReason is the OpenAI-style name newer Mistral models use.
	FinishReason string `json:"finish_reason,omitempty"`
}

// MistralChatResponse is the response body of Mistral Large 2 and the shape
// of its stream chunks (the last adds Metrics).
type MistralChatResponse struct {
	Choices []MistralChatChoice `json:"choices"`
	Metrics *InvocationMetrics  `json:"amazon-bedrock-invocationMetrics,omitempty"`
}

// ParseMistralChatResponse parses a Mistral Large 2 response body or stream chunk.
func ParseMistralChatResponse(body []byte) (*MistralChatResponse, error) {
	var r MistralChatResponse
	if err := parseObject("mistral chat response", body, &r); err != nil {
		return nil, err
	}
	if r.Choices == nil {
		return nil, &FormatError{Format: "mistral chat response", Err: errors.New(`missing "choices"`)}
	}
	return &r, nil
}
