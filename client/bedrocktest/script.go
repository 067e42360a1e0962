package bedrocktest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
)

// A Reply is a scripted answer. Queued with Server.Script, it is used for the
// next call to its model instead of the built-in behaviour; each reply is
// used once.
//
// Content drives Converse and ConverseStream, and the text of the chat
// families' InvokeModel and InvokeModelWithResponseStream bodies. Body and
// Chunks, when set, replace those bodies verbatim; Events replace the output
// of the bidirectional model; Error answers the call with an error.
type Reply struct {
	Content []Block
	// StopReason defaults to "tool_use" when Content has a tool use, else
	// "end_turn".
	StopReason string
	// Usage defaults to token counts computed from the request and Content.
	Usage *Usage

	// Body is an InvokeModel response body, sent verbatim.
	Body []byte
	// Chunks are InvokeModelWithResponseStream chunk payloads, sent
	// verbatim (each base64-encoded into a chunk event).
	Chunks [][]byte
	// Events are bidirectional output model events (JSON such as
	// {"event":{"textOutput":{…}}}), sent once the first input event
	// arrived.
	Events [][]byte

	// Error answers the call with this error.
	Error *Error
}

// A Block is one content block of a scripted assistant message. Exactly one
// field is set; the constructors Text, ToolCall, Thinking and Cite build
// them.
type Block struct {
	Text      string
	ToolUse   *ToolUse
	Reasoning *Reasoning
	Citation  *Citation
}

// ToolUse is a tool call made by the model.
type ToolUse struct {
	ID    string // toolUseId; ToolCall derives one from the name and input
	Name  string
	Input json.RawMessage // a JSON object
}

// Reasoning is a reasoning block: text with its signature, or redacted
// (encrypted) content.
type Reasoning struct {
	Text      string
	Signature string
	Redacted  []byte
}

// Citation is generated text supported by a quote from a source document.
type Citation struct {
	Text          string // the generated text
	Title         string // the cited document's name
	Quote         string // the cited source text
	DocumentIndex int
	Start, End    int // character span of Quote in the document
}

// Usage are token counts.
type Usage struct {
	InputTokens           int
	OutputTokens          int
	CacheReadInputTokens  int
	CacheWriteInputTokens int
}

// Text is a text block.
func Text(s string) Block { return Block{Text: s} }

// ToolCall is a tool-use block calling name with inputJSON (a JSON object);
// its toolUseId is derived from both, so it is stable across runs.
func ToolCall(name, inputJSON string) Block {
	return Block{ToolUse: &ToolUse{ID: toolUseID(name, inputJSON), Name: name, Input: json.RawMessage(inputJSON)}}
}

// Thinking is a reasoning block with a signature derived from text.
func Thinking(text string) Block {
	return Block{Reasoning: &Reasoning{Text: text, Signature: reasoningSignature(text)}}
}

// Script queues replies for modelID (the {modelId} path label as sent,
// unescaped; "" for any model). Calls take scripted replies for their exact
// model ID first, then those for any model.
func (s *Server) Script(modelID string, replies ...Reply) {
	s.mu.Lock()
	s.scripts[modelID] = append(s.scripts[modelID], replies...)
	s.mu.Unlock()
}

// ClearScripts drops every queued reply.
func (s *Server) ClearScripts() {
	s.mu.Lock()
	clear(s.scripts)
	s.mu.Unlock()
}

// hasScript reports whether a reply is queued for modelID itself.
func (s *Server) hasScript(modelID string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.scripts[modelID]) > 0
}

// takeReply pops the next reply for modelID, or returns nil.
func (s *Server) takeReply(modelID string) *Reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, k := range []string{modelID, ""} {
		if q := s.scripts[k]; len(q) > 0 {
			r := q[0]
			s.scripts[k] = q[1:]
			return &r
		}
	}
	return nil
}

func toolUseID(name, input string) string {
	h := sha256.Sum256([]byte(name + "\x00" + input))
	return "tooluse_" + hex.EncodeToString(h[:11])
}

func reasoningSignature(text string) string {
	h := sha256.Sum256([]byte("bedrocktest reasoning\x00" + text))
	return hex.EncodeToString(h[:])
}
