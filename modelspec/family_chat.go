package modelspec

import "encoding/json"

// ChatFunction declares a function tool in the chat-completions-like bodies
// (Mistral Large 2, OpenAI gpt-oss). Parameters is a JSON Schema.
type ChatFunction struct {
	Name        string          `json:"name"`
	Description string          `json:"description,omitempty"`
	Parameters  json.RawMessage `json:"parameters"`
}

// ChatFunctionCall is a function call made by the model; Arguments is a
// JSON document carried as a string.
type ChatFunctionCall struct {
	Name      string `json:"name"`
	Arguments string `json:"arguments"`
}
