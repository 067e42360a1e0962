package modelspec

import (
	"encoding/json"
	"errors"
	"fmt"
)

// Cohere Command (legacy: cohere.command-text-v14, cohere.command-light-text-v14)
// and Command R/R+ (cohere.command-r-v1:0, cohere.command-r-plus-v1:0).

// CohereGenerateRequest is the InvokeModel body of the legacy Command models.
type CohereGenerateRequest struct {
	Prompt            string             `json:"prompt"`
	Temperature       *float64           `json:"temperature,omitempty"`
	P                 *float64           `json:"p,omitempty"`
	K                 int                `json:"k,omitempty"`
	MaxTokens         int                `json:"max_tokens,omitempty"`
	StopSequences     []string           `json:"stop_sequences,omitempty"`
	ReturnLikelihoods string             `json:"return_likelihoods,omitempty"` // GENERATION, ALL, NONE
	Stream            bool               `json:"stream,omitempty"`
	NumGenerations    int                `json:"num_generations,omitempty"`
	LogitBias         map[string]float64 `json:"logit_bias,omitempty"`
	Truncate          string             `json:"truncate,omitempty"` // NONE, START, END
}

// Body validates r and returns its JSON encoding.
func (r CohereGenerateRequest) Body() ([]byte, error) {
	if r.Prompt == "" {
		return nil, invalid("prompt", "must not be empty")
	}
	if err := errors.Join(checkRange("temperature", r.Temperature, 0, 5), checkRange("p", r.P, 0, 1)); err != nil {
		return nil, err
	}
	if r.K < 0 || r.K > 500 {
		return nil, invalid("k", "%d is outside [0, 500]", r.K)
	}
	if r.NumGenerations < 0 || r.NumGenerations > 5 {
		return nil, invalid("num_generations", "%d is outside [1, 5]", r.NumGenerations)
	}
	return marshalBody(r)
}

// CohereGeneration is one generation of a legacy Command response.
type CohereGeneration struct {
	ID           string   `json:"id"`
	Text         string   `json:"text"`
	FinishReason string   `json:"finish_reason"` // COMPLETE, MAX_TOKENS, ERROR, ERROR_TOXIC
	Likelihood   *float64 `json:"likelihood,omitempty"`
	Index        int      `json:"index,omitempty"`
	IsFinished   bool     `json:"is_finished,omitempty"`
}

// CohereGenerateResponse is the legacy Command response body.
type CohereGenerateResponse struct {
	ID          string             `json:"id"`
	Prompt      string             `json:"prompt,omitempty"`
	Generations []CohereGeneration `json:"generations"`
}

// ParseCohereGenerateResponse parses a legacy Command response body.
func ParseCohereGenerateResponse(body []byte) (*CohereGenerateResponse, error) {
	var r CohereGenerateResponse
	if err := parseObject("cohere generate response", body, &r); err != nil {
		return nil, err
	}
	if r.Generations == nil {
		return nil, &FormatError{Format: "cohere generate response", Err: errors.New(`missing "generations"`)}
	}
	return &r, nil
}

// CohereGenerateChunk is one stream chunk of a legacy Command model. On
// Bedrock each chunk carries Generations (text, then a last generation with
// FinishReason); Cohere's own API shape (top-level Text, IsFinished,
// FinishReason) is accepted too.
type CohereGenerateChunk struct {
	Text         string             `json:"text"`
	IsFinished   bool               `json:"is_finished"`
	FinishReason string             `json:"finish_reason,omitempty"`
	Index        int                `json:"index,omitempty"`
	Generations  []CohereGeneration `json:"generations,omitempty"`
	Metrics      *InvocationMetrics `json:"amazon-bedrock-invocationMetrics,omitempty"`
}

// ParseCohereGenerateChunk parses one legacy Command stream chunk payload.
func ParseCohereGenerateChunk(chunk []byte) (*CohereGenerateChunk, error) {
	var c CohereGenerateChunk
	if err := parseObject("cohere generate chunk", chunk, &c); err != nil {
		return nil, err
	}
	return &c, nil
}

// CohereChatRequest is the InvokeModel body of Command R and R+.
type CohereChatRequest struct {
	Message           string              `json:"message"`
	ChatHistory       []CohereChatTurn    `json:"chat_history,omitempty"`
	Documents         []map[string]string `json:"documents,omitempty"`
	SearchQueriesOnly bool                `json:"search_queries_only,omitempty"`
	Preamble          string              `json:"preamble,omitempty"`
	MaxTokens         int                 `json:"max_tokens,omitempty"`
	Temperature       *float64            `json:"temperature,omitempty"`
	P                 *float64            `json:"p,omitempty"`
	K                 int                 `json:"k,omitempty"`
	PromptTruncation  string              `json:"prompt_truncation,omitempty"` // OFF, AUTO_PRESERVE_ORDER
	FrequencyPenalty  *float64            `json:"frequency_penalty,omitempty"`
	PresencePenalty   *float64            `json:"presence_penalty,omitempty"`
	Seed              *int                `json:"seed,omitempty"`
	ReturnPrompt      bool                `json:"return_prompt,omitempty"`
	Tools             []CohereTool        `json:"tools,omitempty"`
	ToolResults       []CohereToolResult  `json:"tool_results,omitempty"`
	StopSequences     []string            `json:"stop_sequences,omitempty"`
	RawPrompting      bool                `json:"raw_prompting,omitempty"`
}

// CohereChatTurn is one turn of chat_history; Role is USER, CHATBOT, SYSTEM or TOOL.
type CohereChatTurn struct {
	Role    string `json:"role"`
	Message string `json:"message"`
}

// CohereTool declares a tool with its parameter definitions.
type CohereTool struct {
	Name                 string                         `json:"name"`
	Description          string                         `json:"description"`
	ParameterDefinitions map[string]CohereToolParameter `json:"parameter_definitions,omitempty"`
}

// CohereToolParameter describes one tool parameter.
type CohereToolParameter struct {
	Description string `json:"description,omitempty"`
	Type        string `json:"type"`
	Required    bool   `json:"required,omitempty"`
}

// CohereToolCall is a call the model asks for.
type CohereToolCall struct {
	Name       string          `json:"name"`
	Parameters json.RawMessage `json:"parameters"`
}

// CohereToolResult answers a tool call.
type CohereToolResult struct {
	Call    CohereToolCall    `json:"call"`
	Outputs []json.RawMessage `json:"outputs"`
}

// Body validates r and returns its JSON encoding.
func (r CohereChatRequest) Body() ([]byte, error) {
	if r.Message == "" && len(r.ToolResults) == 0 {
		return nil, invalid("message", "must not be empty")
	}
	for i, t := range r.ChatHistory {
		switch t.Role {
		case "USER", "CHATBOT", "SYSTEM", "TOOL":
		default:
			return nil, invalid(fmt.Sprintf("chat_history[%d].role", i), "%q is not USER, CHATBOT, SYSTEM or TOOL", t.Role)
		}
	}
	if err := errors.Join(checkRange("temperature", r.Temperature, 0, 1), checkRange("p", r.P, 0.01, 0.99),
		checkRange("frequency_penalty", r.FrequencyPenalty, 0, 1), checkRange("presence_penalty", r.PresencePenalty, 0, 1)); err != nil {
		return nil, err
	}
	if r.K < 0 || r.K > 500 {
		return nil, invalid("k", "%d is outside [0, 500]", r.K)
	}
	if p := r.PromptTruncation; p != "" && p != "OFF" && p != "AUTO_PRESERVE_ORDER" {
		return nil, invalid("prompt_truncation", "%q is not OFF or AUTO_PRESERVE_ORDER", p)
	}
	return marshalBody(r)
}

// CohereChatMeta carries billed token counts.
type CohereChatMeta struct {
	BilledUnits CohereBilledUnits `json:"billed_units"`
}

// CohereBilledUnits counts billed tokens.
type CohereBilledUnits struct {
	InputTokens  int `json:"input_tokens"`
	OutputTokens int `json:"output_tokens"`
}

// CohereChatResponse is the Command R/R+ response body (and the "response"
// of a stream-end event).
type CohereChatResponse struct {
	ResponseID    string            `json:"response_id"`
	Text          string            `json:"text"`
	GenerationID  string            `json:"generation_id"`
	ChatHistory   []CohereChatTurn  `json:"chat_history,omitempty"`
	FinishReason  string            `json:"finish_reason"` // COMPLETE, MAX_TOKENS, ERROR, ERROR_TOXIC, ERROR_LIMIT, USER_CANCEL
	ToolCalls     []CohereToolCall  `json:"tool_calls,omitempty"`
	Citations     []json.RawMessage `json:"citations,omitempty"`
	Documents     []json.RawMessage `json:"documents,omitempty"`
	SearchQueries []json.RawMessage `json:"search_queries,omitempty"`
	Meta          *CohereChatMeta   `json:"meta,omitempty"`
}

// ParseCohereChatResponse parses a Command R/R+ response body.
func ParseCohereChatResponse(body []byte) (*CohereChatResponse, error) {
	var r CohereChatResponse
	if err := parseObject("cohere chat response", body, &r); err != nil {
		return nil, err
	}
	return &r, nil
}

// CohereChatEvent is one Command R/R+ stream chunk. EventType is
// stream-start, text-generation (Text), search-queries-generation,
// search-results, citation-generation, tool-calls-generation (ToolCalls) or
// stream-end (FinishReason, Response).
type CohereChatEvent struct {
	IsFinished   bool                `json:"is_finished"`
	EventType    string              `json:"event_type"`
	GenerationID string              `json:"generation_id,omitempty"`
	Text         string              `json:"text,omitempty"`
	ToolCalls    []CohereToolCall    `json:"tool_calls,omitempty"`
	FinishReason string              `json:"finish_reason,omitempty"`
	Response     *CohereChatResponse `json:"response,omitempty"`
	Metrics      *InvocationMetrics  `json:"amazon-bedrock-invocationMetrics,omitempty"`
}

// ParseCohereChatEvent parses one Command R/R+ stream chunk payload.
func ParseCohereChatEvent(chunk []byte) (*CohereChatEvent, error) {
	var e CohereChatEvent
	if err := parseObject("cohere chat event", chunk, &e); err != nil {
		return nil, err
	}
	if e.EventType == "" {
		return nil, &FormatError{Format: "cohere chat event", Err: errors.New(`missing "event_type"`)}
	}
	return &e, nil
}
