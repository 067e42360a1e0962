package modelspec

import (
	"errors"
	"strings"
)

// DeepSeek R1 (deepseek.r1-v1:0) takes a raw prompt with DeepSeek's chat
// template and returns its reasoning and answer in one text, the reasoning
// ending with </think>.

// DeepSeekRequest is the InvokeModel body of DeepSeek R1.
type DeepSeekRequest struct {
	Prompt      string   `json:"prompt"`
	Temperature *float64 `json:"temperature,omitempty"`
	TopP        *float64 `json:"top_p,omitempty"`
	MaxTokens   int      `json:"max_tokens,omitempty"`
	Stop        []string `json:"stop,omitempty"`
}

// Body validates r and returns its JSON encoding.
func (r DeepSeekRequest) Body() ([]byte, error) {
	if r.Prompt == "" {
		return nil, invalid("prompt", "must not be empty")
	}
	if err := errors.Join(checkRange("temperature", r.Temperature, 0, 1), checkRange("top_p", r.TopP, 0, 1)); err != nil {
		return nil, err
	}
	if r.MaxTokens < 0 {
		return nil, invalid("max_tokens", "must not be negative")
	}
	if len(r.Stop) > 10 {
		return nil, invalid("stop", "%d stop sequences, at most 10", len(r.Stop))
	}
	return marshalBody(r)
}

// DeepSeek R1 template tokens.
const (
	deepSeekBOS       = "<｜begin▁of▁sentence｜>"
	deepSeekEOS       = "<｜end▁of▁sentence｜>"
	deepSeekUser      = "<｜User｜>"
	deepSeekAssistant = "<｜Assistant｜>"
)

// DeepSeekPrompt renders turns with DeepSeek R1's template, ending with the
// assistant tag and an opened <think> block as the AWS examples do.
func DeepSeekPrompt(turns []PromptTurn) (string, error) {
	system, turns, err := checkTurns(turns)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString(deepSeekBOS + system)
	for _, t := range turns {
		if t.Role == "user" {
			b.WriteString(deepSeekUser + t.Content)
		} else {
			b.WriteString(deepSeekAssistant + t.Content + deepSeekEOS)
		}
	}
	b.WriteString(deepSeekAssistant + "<think>\n")
	return b.String(), nil
}

// DeepSeekChoice is one choice of a response or stream chunk.
type DeepSeekChoice struct {
	Text       string `json:"text"`
	StopReason string `json:"stop_reason"` // stop, length
}

// DeepSeekResponse is the response body of DeepSeek R1 and the shape of its
// stream chunks (the last adds Metrics).
type DeepSeekResponse struct {
	Choices []DeepSeekChoice   `json:"choices"`
	Metrics *InvocationMetrics `json:"amazon-bedrock-invocationMetrics,omitempty"`
}

// ParseDeepSeekResponse parses a DeepSeek R1 response body or stream chunk.
func ParseDeepSeekResponse(body []byte) (*DeepSeekResponse, error) {
	var r DeepSeekResponse
	if err := parseObject("deepseek response", body, &r); err != nil {
		return nil, err
	}
	if r.Choices == nil {
		return nil, &FormatError{Format: "deepseek response", Err: errors.New(`missing "choices"`)}
	}
	return &r, nil
}

// SplitDeepSeekReasoning splits a complete DeepSeek R1 output into its
// reasoning (before </think>) and its answer. Without </think> the whole text
// is the answer.
func SplitDeepSeekReasoning(text string) (reasoning, answer string) {
	i := strings.Index(text, "</think>")
	if i < 0 {
		return "", text
	}
	reasoning = strings.TrimPrefix(strings.TrimSpace(text[:i]), "<think>")
	return strings.TrimSpace(reasoning), strings.TrimSpace(text[i+len("</think>"):])
}
