package bedrocktest

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
)

// converseRequest is the part of a Converse / ConverseStream / CountTokens
// converse input the emulator looks at. Unions stay raw so that their
// one-key rule can be checked.
type converseRequest struct {
	Messages                     []converseMessage            `json:"messages"`
	System                       []map[string]json.RawMessage `json:"system"`
	InferenceConfig              *inferenceConfig             `json:"inferenceConfig"`
	ToolConfig                   *toolConfig                  `json:"toolConfig"`
	GuardrailConfig              json.RawMessage              `json:"guardrailConfig"`
	AdditionalModelRequestFields json.RawMessage              `json:"additionalModelRequestFields"`
	PerformanceConfig            json.RawMessage              `json:"performanceConfig"`
	ServiceTier                  json.RawMessage              `json:"serviceTier"`
	OutputConfig                 *struct {
		TextFormat *struct {
			Type      string `json:"type"`
			Structure struct {
				JSONSchema *struct {
					Schema string `json:"schema"`
				} `json:"jsonSchema"`
			} `json:"structure"`
		} `json:"textFormat"`
	} `json:"outputConfig"`
}

type converseMessage struct {
	Role    string                       `json:"role"`
	Content []map[string]json.RawMessage `json:"content"`
}

type inferenceConfig struct {
	MaxTokens     *int     `json:"maxTokens"`
	Temperature   *float64 `json:"temperature"`
	TopP          *float64 `json:"topP"`
	StopSequences []string `json:"stopSequences"`
}

type toolConfig struct {
	Tools      []map[string]json.RawMessage `json:"tools"`
	ToolChoice map[string]json.RawMessage   `json:"toolChoice"`
}

type toolSpec struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	InputSchema struct {
		JSON json.RawMessage `json:"json"`
	} `json:"inputSchema"`
}

// conversation is a validated Converse input, digested for the text model.
type conversation struct {
	system     []string
	turns      []turn
	tools      []toolSpec
	toolChoice string // "auto", "any" or "tool"
	choiceName string // the tool toolChoice names
	maxTokens  int    // 0: no limit
	stops      []string
	reasoning  bool
	guardrail  bool
	caching    bool
	docs       []citedDoc
	jsonSchema json.RawMessage // outputConfig's JSON Schema: answer with JSON
	inputText  strings.Builder // every input text, for token counts

	performanceConfig json.RawMessage
	serviceTier       json.RawMessage
}

type turn struct {
	role        string
	text        string // text blocks joined by newlines
	toolUses    []ToolUse
	toolResults []toolResult
}

type toolResult struct {
	id      string
	content string // text and JSON content joined
	status  string
}

type citedDoc struct {
	name string
	text string
}

// contentKeys are the ContentBlock union members, for the error message.
const contentKeys = "text, image, document, video, audio, toolUse, toolResult, guardContent, cachePoint, reasoningContent, citationsContent, searchResult"

// validateConverse checks a Converse input the way the service does for the
// common mistakes and digests it. needMessages is false for CountTokens.
func validateConverse(req *converseRequest) (*conversation, *Error) {
	conv := &conversation{toolChoice: "auto", performanceConfig: req.PerformanceConfig, serviceTier: req.ServiceTier}
	if len(req.Messages) == 0 {
		return nil, ValidationError("A conversation must start with a user message. Try again with a conversation that starts with a user message.")
	}
	for i, sb := range req.System {
		if len(sb) != 1 {
			return nil, ValidationError(fmt.Sprintf("The SystemContentBlock object at system.%d must set exactly one of the following keys: text, guardContent, cachePoint.", i))
		}
		if raw, ok := sb["text"]; ok {
			var t string
			if json.Unmarshal(raw, &t) != nil {
				return nil, memberTypeError(fmt.Sprintf("system.%d.member.text", i), "string")
			}
			if strings.TrimSpace(t) == "" {
				return nil, ValidationError(fmt.Sprintf("The text field in the SystemContentBlock object at system.%d is blank. Add text to the text field, and try again.", i))
			}
			conv.system = append(conv.system, t)
			conv.inputText.WriteString(t + "\n")
		}
		if _, ok := sb["cachePoint"]; ok {
			conv.caching = true
		}
	}
	if tc := req.ToolConfig; tc != nil {
		if len(tc.Tools) == 0 {
			return nil, ValidationError("1 validation error detected: Value '[]' at 'toolConfig.tools' failed to satisfy constraint: Member must have length greater than or equal to 1")
		}
		for i, t := range tc.Tools {
			raw, ok := t["toolSpec"]
			if !ok {
				if _, cp := t["cachePoint"]; cp {
					conv.caching = true
				}
				continue
			}
			var spec toolSpec
			if json.Unmarshal(raw, &spec) != nil || spec.Name == "" {
				return nil, ValidationError(fmt.Sprintf("The toolSpec at toolConfig.tools.%d must have a name and an inputSchema.", i))
			}
			conv.tools = append(conv.tools, spec)
			conv.inputText.WriteString(spec.Name + " " + spec.Description + "\n")
		}
		for k, v := range tc.ToolChoice {
			conv.toolChoice = k
			if k == "tool" {
				var st struct {
					Name string `json:"name"`
				}
				json.Unmarshal(v, &st)
				conv.choiceName = st.Name
			}
		}
	}
	if ic := req.InferenceConfig; ic != nil {
		if ic.MaxTokens != nil {
			if *ic.MaxTokens < 1 {
				return nil, ValidationError(fmt.Sprintf("1 validation error detected: Value '%d' at 'inferenceConfig.maxTokens' failed to satisfy constraint: Member must have value greater than or equal to 1", *ic.MaxTokens))
			}
			conv.maxTokens = *ic.MaxTokens
		}
		if t := ic.Temperature; t != nil && (*t < 0 || *t > 1) {
			return nil, rangeError("inferenceConfig.temperature", *t)
		}
		if p := ic.TopP; p != nil && (*p < 0 || *p > 1) {
			return nil, rangeError("inferenceConfig.topP", *p)
		}
		conv.stops = ic.StopSequences
	}
	if len(req.GuardrailConfig) > 0 && string(req.GuardrailConfig) != "null" {
		conv.guardrail = true
	}
	conv.reasoning = wantsReasoning(req.AdditionalModelRequestFields)
	if oc := req.OutputConfig; oc != nil && oc.TextFormat != nil {
		tf := oc.TextFormat
		if tf.Type != "json_schema" {
			return nil, ValidationError(fmt.Sprintf("1 validation error detected: Value '%s' at 'outputConfig.textFormat.type' failed to satisfy constraint: Member must satisfy enum value set: [json_schema]", tf.Type))
		}
		if tf.Structure.JSONSchema == nil || !json.Valid([]byte(tf.Structure.JSONSchema.Schema)) {
			return nil, ValidationError("The JSON schema at outputConfig.textFormat.structure.jsonSchema.schema is not valid JSON.")
		}
		conv.jsonSchema = json.RawMessage(tf.Structure.JSONSchema.Schema)
	}

	usesTools := false
	for i, m := range req.Messages {
		switch m.Role {
		case "user", "assistant":
		default:
			return nil, ValidationError(fmt.Sprintf("1 validation error detected: Value '%s' at 'messages.%d.member.role' failed to satisfy constraint: Member must satisfy enum value set: [user, assistant]", m.Role, i+1))
		}
		if i == 0 && m.Role != "user" {
			return nil, ValidationError("A conversation must start with a user message. Try again with a conversation that starts with a user message.")
		}
		if i > 0 && m.Role == req.Messages[i-1].Role {
			return nil, ValidationError("A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again.")
		}
		if len(m.Content) == 0 {
			return nil, ValidationError(fmt.Sprintf("The content field in the Message object at messages.%d is empty. Add a ContentBlock object to the content field and try again.", i))
		}
		t := turn{role: m.Role}
		var texts []string
		for j, cb := range m.Content {
			at := fmt.Sprintf("messages.%d.content.%d", i, j)
			if len(cb) != 1 {
				return nil, ValidationError(fmt.Sprintf("The ContentBlock object at %s must set exactly one of the following keys: %s.", at, contentKeys))
			}
			for k, raw := range cb {
				switch k {
				case "text":
					var s string
					if json.Unmarshal(raw, &s) != nil {
						return nil, memberTypeError(at+".text", "string")
					}
					if strings.TrimSpace(s) == "" {
						return nil, ValidationError(fmt.Sprintf("The text field in the ContentBlock object at %s is blank. Add text to the text field, and try again.", at))
					}
					texts = append(texts, s)
					conv.inputText.WriteString(s + "\n")
				case "toolUse":
					usesTools = true
					var tu struct {
						ToolUseID string          `json:"toolUseId"`
						Name      string          `json:"name"`
						Input     json.RawMessage `json:"input"`
					}
					if json.Unmarshal(raw, &tu) != nil || tu.ToolUseID == "" || tu.Name == "" {
						return nil, ValidationError(fmt.Sprintf("The toolUse block at %s must have a toolUseId, a name and an input.", at))
					}
					if m.Role != "assistant" {
						return nil, ValidationError(fmt.Sprintf("The toolUse block at %s is only allowed in an assistant message.", at))
					}
					t.toolUses = append(t.toolUses, ToolUse{ID: tu.ToolUseID, Name: tu.Name, Input: tu.Input})
					conv.inputText.Write(tu.Input)
					conv.inputText.WriteByte('\n')
				case "toolResult":
					usesTools = true
					tr, e := parseToolResult(raw, at)
					if e != nil {
						return nil, e
					}
					t.toolResults = append(t.toolResults, tr)
					conv.inputText.WriteString(tr.content + "\n")
				case "document":
					d, e := parseDocument(raw, at)
					if e != nil {
						return nil, e
					}
					if d != nil {
						conv.docs = append(conv.docs, *d)
					}
				case "cachePoint":
					conv.caching = true
				case "image", "video", "audio", "guardContent", "reasoningContent", "citationsContent", "searchResult", "toolAddition", "toolRemoval":
					// Accepted, not interpreted.
				default:
					return nil, ValidationError(fmt.Sprintf("The ContentBlock object at %s must set exactly one of the following keys: %s.", at, contentKeys))
				}
			}
		}
		t.text = strings.Join(texts, "\n")
		conv.turns = append(conv.turns, t)
	}
	if usesTools && req.ToolConfig == nil {
		return nil, ValidationError("The toolConfig field must be defined when using toolUse and toolResult content blocks.")
	}
	return conv, nil
}

func parseToolResult(raw json.RawMessage, at string) (toolResult, *Error) {
	var tr struct {
		ToolUseID string                       `json:"toolUseId"`
		Content   []map[string]json.RawMessage `json:"content"`
		Status    string                       `json:"status"`
	}
	if json.Unmarshal(raw, &tr) != nil || tr.ToolUseID == "" {
		return toolResult{}, ValidationError(fmt.Sprintf("The toolResult block at %s must have a toolUseId and content.", at))
	}
	var parts []string
	for _, c := range tr.Content {
		if v, ok := c["text"]; ok {
			var s string
			json.Unmarshal(v, &s)
			parts = append(parts, s)
		}
		if v, ok := c["json"]; ok {
			var b bytes.Buffer
			if json.Compact(&b, v) == nil {
				parts = append(parts, b.String())
			}
		}
	}
	return toolResult{id: tr.ToolUseID, content: strings.Join(parts, "\n"), status: tr.Status}, nil
}

// parseDocument returns the text of a document whose citations are enabled.
func parseDocument(raw json.RawMessage, at string) (*citedDoc, *Error) {
	var d struct {
		Name      string `json:"name"`
		Format    string `json:"format"`
		Citations *struct {
			Enabled bool `json:"enabled"`
		} `json:"citations"`
		Source map[string]json.RawMessage `json:"source"`
	}
	if json.Unmarshal(raw, &d) != nil || d.Name == "" || len(d.Source) == 0 {
		return nil, ValidationError(fmt.Sprintf("The document block at %s must have a name and a source.", at))
	}
	if d.Citations == nil || !d.Citations.Enabled {
		return nil, nil
	}
	var text string
	if v, ok := d.Source["text"]; ok {
		json.Unmarshal(v, &text)
	} else if v, ok := d.Source["bytes"]; ok {
		var s string
		json.Unmarshal(v, &s)
		b, _ := base64.StdEncoding.DecodeString(s)
		text = string(b)
	} else if v, ok := d.Source["content"]; ok {
		var cs []struct {
			Text string `json:"text"`
		}
		json.Unmarshal(v, &cs)
		for _, c := range cs {
			text += c.Text
		}
	}
	if text == "" {
		return nil, nil
	}
	return &citedDoc{name: d.Name, text: text}, nil
}

// wantsReasoning reports whether additionalModelRequestFields turns
// reasoning on, in the Anthropic ("thinking") or Nova ("reasoningConfig")
// spelling.
func wantsReasoning(fields json.RawMessage) bool {
	if len(fields) == 0 {
		return false
	}
	var f struct {
		Thinking *struct {
			Type string `json:"type"`
		} `json:"thinking"`
		ReasoningConfig *struct {
			Type string `json:"type"`
		} `json:"reasoningConfig"`
	}
	if json.Unmarshal(fields, &f) != nil {
		return false
	}
	return (f.Thinking != nil && f.Thinking.Type != "disabled") ||
		(f.ReasoningConfig != nil && f.ReasoningConfig.Type != "disabled")
}

func memberTypeError(path, typ string) *Error {
	return ValidationError(fmt.Sprintf("1 validation error detected: Value at '%s' failed to satisfy constraint: Member must be of type %s", path, typ))
}

func rangeError(path string, v float64) *Error {
	bound := "less than or equal to 1"
	if v < 0 {
		bound = "greater than or equal to 0"
	}
	return ValidationError(fmt.Sprintf("1 validation error detected: Value '%v' at '%s' failed to satisfy constraint: Member must have value %s", v, path, bound))
}
