package modelspec

import (
	"errors"
	"strings"
)

// Meta Llama models (Llama 2, 3, 3.1, 3.2, 3.3, 4) take a raw prompt built
// with the generation's chat template.

// LlamaRequest is the InvokeModel body of Llama models.
type LlamaRequest struct {
	Prompt      string   `json:"prompt"`
	Temperature *float64 `json:"temperature,omitempty"`
	TopP        *float64 `json:"top_p,omitempty"`
	MaxGenLen   int      `json:"max_gen_len,omitempty"`
	Images      []string `json:"images,omitempty"` // Llama 3.2 vision: base64 images
}

// Body validates r and returns its JSON encoding.
func (r LlamaRequest) Body() ([]byte, error) {
	if r.Prompt == "" {
		return nil, invalid("prompt", "must not be empty")
	}
	if err := errors.Join(checkRange("temperature", r.Temperature, 0, 1), checkRange("top_p", r.TopP, 0, 1)); err != nil {
		return nil, err
	}
	if r.MaxGenLen < 0 {
		return nil, invalid("max_gen_len", "must not be negative")
	}
	return marshalBody(r)
}

// LlamaResponse is the InvokeModel response body of Llama models, and also
// the shape of each stream chunk (the last chunk adds Metrics).
type LlamaResponse struct {
	Generation           string             `json:"generation"`
	PromptTokenCount     int                `json:"prompt_token_count"`
	GenerationTokenCount int                `json:"generation_token_count"`
	StopReason           string             `json:"stop_reason"` // stop, length
	Metrics              *InvocationMetrics `json:"amazon-bedrock-invocationMetrics,omitempty"`
}

// ParseLlamaResponse parses a Llama response body or stream chunk payload.
func ParseLlamaResponse(body []byte) (*LlamaResponse, error) {
	var r LlamaResponse
	if err := parseObject("llama response", body, &r); err != nil {
		return nil, err
	}
	return &r, nil
}

// Llama2Prompt renders turns with the Llama 2 chat template:
// <s>[INST] <<SYS>>\n{system}\n<</SYS>>\n\n{user} [/INST] {assistant} </s><s>[INST] {user} [/INST]
func Llama2Prompt(turns []PromptTurn) (string, error) {
	system, turns, err := checkTurns(turns)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for i := 0; i < len(turns); i += 2 {
		b.WriteString("<s>[INST] ")
		if i == 0 && system != "" {
			b.WriteString("<<SYS>>\n" + system + "\n<</SYS>>\n\n")
		}
		b.WriteString(strings.TrimSpace(turns[i].Content) + " [/INST]")
		if i+1 < len(turns) {
			b.WriteString(" " + strings.TrimSpace(turns[i+1].Content) + " </s>")
		}
	}
	return b.String(), nil
}

// Llama3Prompt renders turns with the Llama 3.x chat template (header tokens
// and <|eot_id|>), ending with an open assistant header.
func Llama3Prompt(turns []PromptTurn) (string, error) {
	return llamaHeaderPrompt(turns, "<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>")
}

// Llama4Prompt renders turns with the Llama 4 chat template (<|header_start|>,
// <|header_end|>, <|eot|>), ending with an open assistant header.
func Llama4Prompt(turns []PromptTurn) (string, error) {
	return llamaHeaderPrompt(turns, "<|header_start|>", "<|header_end|>", "<|eot|>")
}

func llamaHeaderPrompt(turns []PromptTurn, start, end, eot string) (string, error) {
	system, turns, err := checkTurns(turns)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString("<|begin_of_text|>")
	write := func(role, content string) {
		b.WriteString(start + role + end + "\n\n" + strings.TrimSpace(content) + eot)
	}
	if system != "" {
		write("system", system)
	}
	for _, t := range turns {
		write(t.Role, t.Content)
	}
	b.WriteString(start + "assistant" + end + "\n\n")
	return b.String(), nil
}

// LlamaPrompt picks the chat template for a Llama model ID (meta.llama2-…,
// meta.llama3-…, us.meta.llama4-…) and renders turns with it.
func LlamaPrompt(modelID string, turns []PromptTurn) (string, error) {
	name := baseNameOf(modelID)
	switch {
	case providerOf(modelID) != "meta":
	case strings.HasPrefix(name, "llama2"):
		return Llama2Prompt(turns)
	case strings.HasPrefix(name, "llama3"):
		return Llama3Prompt(turns)
	case strings.HasPrefix(name, "llama4"):
		return Llama4Prompt(turns)
	}
	return "", errUnknownTemplate(modelID)
}
