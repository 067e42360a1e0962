package bedrocktest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// The built-in text model. It is deterministic and simple enough to predict
// in a test:
//
//   - it answers "You said: " and the last user text;
//   - when the last user message carries tool results, it answers
//     "Tool <name> returned: <content>";
//   - when tools are configured and toolChoice is "any" or "tool", or the
//     user text names a tool, it calls that tool; the input is the first JSON
//     object in the user text, or one made from the tool's schema;
//   - when additionalModelRequestFields turns reasoning on ("thinking" or
//     "reasoningConfig"), a reasoning block with a signature comes first;
//   - when a document has citations enabled, the answer cites its first
//     sentence;
//   - with outputConfig's JSON Schema, the answer is the first JSON object
//     in the user text, or one made from the schema as for tools;
//   - inferenceConfig.maxTokens and stopSequences cut the answer, with stop
//     reasons max_tokens and stop_sequence;
//   - with a guardrail configured, user text containing a word of
//     Options.GuardrailDenyList gets the guardrail's blocked message.
//
// A token is a whitespace-separated word.

// blockedMessage is a guardrail's default blocked-input message.
const blockedMessage = "Sorry, the model cannot answer this question."

func (s *Server) textReply(conv *conversation) Reply {
	last := conv.turns[len(conv.turns)-1]
	var r Reply

	if conv.guardrail {
		for _, t := range conv.turns {
			if t.role == "user" && s.denied(t.text) != "" {
				r.Content = []Block{Text(blockedMessage)}
				r.StopReason = "guardrail_intervened"
				return r
			}
		}
	}
	if conv.reasoning {
		r.Content = append(r.Content, Thinking(fmt.Sprintf("The user wrote %d words. I will answer them directly.", countTokens(last.text))))
	}

	switch {
	case last.role == "user" && len(last.toolResults) > 0:
		var parts []string
		for _, tr := range last.toolResults {
			parts = append(parts, fmt.Sprintf("Tool %s returned: %s", conv.toolName(tr.id), tr.content))
		}
		r.Content = append(r.Content, Text(strings.Join(parts, "\n")))
	case len(conv.tools) > 0 && conv.pickTool(last.text) != nil:
		t := conv.pickTool(last.text)
		input := toolInput(last.text, t.InputSchema.JSON)
		if conv.toolChoice == "auto" {
			r.Content = append(r.Content, Text("Calling "+t.Name+"."))
		}
		r.Content = append(r.Content, ToolCall(t.Name, input))
	case len(conv.docs) > 0 && last.role == "user":
		d := conv.docs[0]
		quote := firstSentence(d.text)
		r.Content = append(r.Content, Block{Citation: &Citation{
			Text:  "The document says: " + quote,
			Title: d.name,
			Quote: quote,
			Start: 0,
			End:   len(quote),
		}})
	case conv.jsonSchema != nil:
		r.Content = append(r.Content, Text(toolInput(last.text, conv.jsonSchema)))
	default:
		r.Content = append(r.Content, Text("You said: "+last.text))
	}
	r.StopReason = conv.cut(&r)
	return r
}

// toolName finds the name of the tool a toolUseId was issued for.
func (conv *conversation) toolName(id string) string {
	for _, t := range conv.turns {
		for _, tu := range t.toolUses {
			if tu.ID == id {
				return tu.Name
			}
		}
	}
	return id
}

// pickTool returns the tool the model calls, or nil.
func (conv *conversation) pickTool(text string) *toolSpec {
	switch conv.toolChoice {
	case "tool":
		for i := range conv.tools {
			if conv.tools[i].Name == conv.choiceName {
				return &conv.tools[i]
			}
		}
	case "any":
		if t := conv.mentionedTool(text); t != nil {
			return t
		}
		return &conv.tools[0]
	}
	return conv.mentionedTool(text)
}

func (conv *conversation) mentionedTool(text string) *toolSpec {
	for i := range conv.tools {
		if conv.tools[i].Name != "" && strings.Contains(text, conv.tools[i].Name) {
			return &conv.tools[i]
		}
	}
	return nil
}

// cut applies maxTokens and stop sequences to the text of r and returns the
// stop reason.
func (conv *conversation) cut(r *Reply) string {
	stop := "end_turn"
	for _, b := range r.Content {
		if b.ToolUse != nil {
			stop = "tool_use"
		}
	}
	for i := range r.Content {
		b := &r.Content[i]
		if b.Text == "" {
			continue
		}
		for _, seq := range conv.stops {
			if seq != "" {
				if k := strings.Index(b.Text, seq); k >= 0 {
					b.Text = b.Text[:k]
					r.Content = r.Content[:i+1]
					stop = "stop_sequence"
				}
			}
		}
	}
	if conv.maxTokens > 0 {
		left := conv.maxTokens
		for i := range r.Content {
			b := &r.Content[i]
			if b.Text == "" {
				continue
			}
			words := splitWords(b.Text)
			if len(words) > left {
				b.Text = strings.Join(words[:left], "")
				r.Content = r.Content[:i+1]
				return "max_tokens"
			}
			left -= len(words)
		}
	}
	return stop
}

// toolInput is the first JSON object in text, or an object made from the
// schema: "echo" for strings, 1 for numbers, true for booleans, [] and {}.
func toolInput(text string, schema json.RawMessage) string {
	if k := strings.IndexByte(text, '{'); k >= 0 {
		d := json.NewDecoder(strings.NewReader(text[k:]))
		var obj map[string]any
		if d.Decode(&obj) == nil {
			return string(marshal(obj))
		}
	}
	var sc struct {
		Properties map[string]struct {
			Type string `json:"type"`
			Enum []any  `json:"enum"`
		} `json:"properties"`
	}
	json.Unmarshal(schema, &sc)
	obj := map[string]any{}
	for name, p := range sc.Properties {
		if len(p.Enum) > 0 {
			obj[name] = p.Enum[0]
			continue
		}
		switch p.Type {
		case "string":
			obj[name] = "echo"
		case "number", "integer":
			obj[name] = 1
		case "boolean":
			obj[name] = true
		case "array":
			obj[name] = []any{}
		case "object":
			obj[name] = map[string]any{}
		}
	}
	return string(marshal(obj))
}

func firstSentence(s string) string {
	s = strings.TrimSpace(s)
	if k := strings.IndexAny(s, ".!?\n"); k >= 0 {
		return strings.TrimSpace(s[:k+1])
	}
	return s
}

// splitWords splits text into tokens as the streams send them: a word with
// the whitespace before it ("You", " said:", " hi").
func splitWords(text string) []string {
	var out []string
	start := 0
	prevSpace := false
	for i, r := range text {
		space := r == ' ' || r == '\n' || r == '\t' || r == '\r'
		if space && !prevSpace && i > start {
			out = append(out, text[start:i])
			start = i
		}
		prevSpace = space
	}
	if start < len(text) {
		out = append(out, text[start:])
	}
	return out
}

// countTokens is the emulator's tokenizer: whitespace-separated words.
func countTokens(s string) int { return len(strings.Fields(s)) }

// denied returns the first deny-listed word in text, or "".
func (s *Server) denied(text string) string {
	low := strings.ToLower(text)
	for _, w := range s.opts.GuardrailDenyList {
		if w != "" && strings.Contains(low, strings.ToLower(w)) {
			return w
		}
	}
	return ""
}

// outputTokens counts the tokens of a reply's content.
func outputTokens(blocks []Block) int {
	n := 0
	for _, b := range blocks {
		switch {
		case b.ToolUse != nil:
			n += countTokens(string(b.ToolUse.Input)) + 1
		case b.Reasoning != nil:
			n += countTokens(b.Reasoning.Text)
		case b.Citation != nil:
			n += countTokens(b.Citation.Text)
		default:
			n += countTokens(b.Text)
		}
	}
	return n
}

// marshal encodes v as compact JSON, object keys sorted, without HTML
// escaping — the service's own style.
func marshal(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic("bedrocktest: marshal: " + err.Error())
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}
