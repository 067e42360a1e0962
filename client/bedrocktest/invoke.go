package bedrocktest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/bedrockwire/bedrockwire/modelspec"
)

// invoke answers InvokeModel (stream false) and
// InvokeModelWithResponseStream with the body format of the model's family.
func (c *call) invoke(stream bool) {
	api := modelspec.InvokeModel
	if stream {
		api = modelspec.InvokeModelWithResponseStream
	}
	m, e := c.s.resolveModel(c.rt.modelID, api)
	if e != nil {
		c.fail(e)
		return
	}
	if sr := c.s.takeReply(m.id); sr != nil {
		if sr.Error != nil {
			c.fail(sr.Error)
			return
		}
		if !stream && sr.Body != nil {
			c.writeInvoke(sr.Body, 0, 0)
			return
		}
		if stream && sr.Chunks != nil {
			sw := c.openInvokeStream()
			for _, ch := range sr.Chunks {
				if !sw.event("chunk", chunkPayload(ch)) {
					return
				}
			}
			sw.end()
			return
		}
		c.invokeFamily(m, stream, sr)
		return
	}
	c.invokeFamily(m, stream, nil)
}

// invokeFamily answers through the built-in model of the family.
func (c *call) invokeFamily(m *model, stream bool, scripted *Reply) {
	fam := m.family()
	switch m.kind {
	case kindEmbedding:
		body, in, e := c.embed(m, fam)
		if e != nil {
			c.fail(e)
			return
		}
		c.writeInvoke(body, in, 0)
		return
	case kindImage:
		body, e := c.generateImage()
		if e != nil {
			c.fail(e)
			return
		}
		c.writeInvoke(body, 0, 0)
		return
	case kindText:
	default:
		c.fail(ValidationError(apiMessages[modelspec.InvokeModel]))
		return
	}
	p, e := parsePrompt(fam, c.body)
	if e != nil {
		c.fail(e)
		return
	}
	var r Reply
	if scripted != nil {
		r = *scripted
	} else {
		r = c.s.textReply(p.conv)
	}
	text := replyText(r.Content)
	stop := r.StopReason
	if stop == "" {
		stop = p.conv.cut(&Reply{Content: []Block{Text(text)}})
	}
	in := countTokens(p.conv.inputText.String())
	out := countTokens(text)
	if r.Usage != nil {
		in, out = r.Usage.InputTokens, r.Usage.OutputTokens
	}
	f := familyFormat{family: fam, modelID: m.id, id: messageID(c.id), text: text, stop: stop, in: in, out: out}
	if !stream {
		c.writeInvoke(f.body(), in, out)
		return
	}
	sw := c.openInvokeStream()
	chunks := f.chunks(c.latencyMs())
	for _, ch := range chunks {
		if !sw.event("chunk", chunkPayload(ch)) {
			return
		}
	}
	sw.end()
}

// writeInvoke answers InvokeModel with body and Bedrock's token headers.
func (c *call) writeInvoke(body []byte, in, out int) {
	extra := []string{
		"X-Amzn-Bedrock-Invocation-Latency", strconv.FormatInt(c.latencyMs(), 10),
		"X-Amzn-Bedrock-Input-Token-Count", strconv.Itoa(in),
		"X-Amzn-Bedrock-Output-Token-Count", strconv.Itoa(out),
	}
	extra = append(extra, c.echoedInvokeHeaders()...)
	c.writeJSON(body, extra...)
}

func (c *call) openInvokeStream() *streamWriter {
	ct := c.r.Header.Get("X-Amzn-Bedrock-Accept")
	if ct == "" || ct == "*/*" {
		ct = "application/json"
	}
	extra := append([]string{"X-Amzn-Bedrock-Content-Type", ct}, c.echoedInvokeHeaders()...)
	return c.openStream(extra...)
}

// echoedInvokeHeaders are the performance and service-tier headers the
// service answers with when the request set them.
func (c *call) echoedInvokeHeaders() []string {
	var out []string
	for _, h := range []string{"X-Amzn-Bedrock-Performanceconfig-Latency", "X-Amzn-Bedrock-Service-Tier"} {
		if v := c.r.Header.Get(h); v != "" {
			out = append(out, h, v)
		}
	}
	return out
}

// prompt is an InvokeModel text request digested for the text model.
type prompt struct {
	conv *conversation
}

func malformed(detail string) *Error {
	return ValidationError("Malformed input request: " + detail + ", please reformat your input and try again.")
}

func requiredKey(k string) *Error { return malformed("#: required key [" + k + "] not found") }

// parsePrompt reads the text of an InvokeModel body of a chat family.
func parsePrompt(fam string, body []byte) (*prompt, *Error) {
	var obj map[string]json.RawMessage
	if json.Unmarshal(body, &obj) != nil {
		return nil, ValidationError("Malformed input request, please reformat your input and try again.")
	}
	conv := &conversation{toolChoice: "auto"}
	user := func(text string, maxTokens int) (*prompt, *Error) {
		conv.turns = []turn{{role: "user", text: text}}
		conv.inputText.WriteString(text)
		conv.maxTokens = maxTokens
		return &prompt{conv: conv}, nil
	}
	intField := func(raw json.RawMessage) int {
		var n int
		json.Unmarshal(raw, &n)
		return n
	}
	switch fam {
	case "anthropic":
		if _, ok := obj["anthropic_version"]; !ok {
			return nil, requiredKey("anthropic_version")
		}
		if _, ok := obj["max_tokens"]; !ok {
			return nil, requiredKey("max_tokens")
		}
		var msgs []struct {
			Role    string          `json:"role"`
			Content json.RawMessage `json:"content"`
		}
		if raw, ok := obj["messages"]; !ok {
			return nil, requiredKey("messages")
		} else if json.Unmarshal(raw, &msgs) != nil || len(msgs) == 0 {
			return nil, malformed("#/messages: expected minimum item count: 1, found: 0")
		}
		for i, m := range msgs {
			if i == 0 && m.Role != "user" {
				return nil, ValidationError("messages: first message must use the \"user\" role")
			}
			var t turn
			t.role = m.Role
			var s string
			if json.Unmarshal(m.Content, &s) == nil {
				t.text = s
			} else {
				var parts []struct {
					Type string `json:"type"`
					Text string `json:"text"`
				}
				json.Unmarshal(m.Content, &parts)
				var ts []string
				for _, p := range parts {
					if p.Type == "text" {
						ts = append(ts, p.Text)
					}
				}
				t.text = strings.Join(ts, "\n")
			}
			conv.inputText.WriteString(t.text + "\n")
			conv.turns = append(conv.turns, t)
		}
		conv.maxTokens = intField(obj["max_tokens"])
		if raw, ok := obj["stop_sequences"]; ok {
			json.Unmarshal(raw, &conv.stops)
		}
		return &prompt{conv: conv}, nil
	case "nova":
		var req converseRequest
		if json.Unmarshal(body, &req) != nil {
			return nil, ValidationError("Malformed input request, please reformat your input and try again.")
		}
		if _, ok := obj["messages"]; !ok {
			return nil, requiredKey("messages")
		}
		var ic struct {
			MaxNewTokens *int `json:"max_new_tokens"`
		}
		if raw, ok := obj["inferenceConfig"]; ok {
			json.Unmarshal(raw, &ic)
			if ic.MaxNewTokens != nil && req.InferenceConfig != nil && req.InferenceConfig.MaxTokens == nil {
				req.InferenceConfig.MaxTokens = ic.MaxNewTokens
			}
		}
		cv, e := validateConverse(&req)
		if e != nil {
			return nil, e
		}
		return &prompt{conv: cv}, nil
	case "titan-text":
		var s string
		if raw, ok := obj["inputText"]; !ok || json.Unmarshal(raw, &s) != nil {
			return nil, requiredKey("inputText")
		}
		var cfg struct {
			MaxTokenCount int      `json:"maxTokenCount"`
			StopSequences []string `json:"stopSequences"`
		}
		json.Unmarshal(obj["textGenerationConfig"], &cfg)
		conv.stops = cfg.StopSequences
		return user(s, cfg.MaxTokenCount)
	case "llama", "mistral":
		var s string
		if raw, ok := obj["prompt"]; !ok || json.Unmarshal(raw, &s) != nil {
			return nil, requiredKey("prompt")
		}
		limit := intField(obj["max_gen_len"])
		if fam == "mistral" {
			limit = intField(obj["max_tokens"])
		}
		return user(s, limit)
	}
	// Other families: take "prompt", "inputText", "text", or the last
	// message of "messages" (string or list-of-text content).
	for _, k := range []string{"prompt", "inputText", "text"} {
		var s string
		if json.Unmarshal(obj[k], &s) == nil && s != "" {
			return user(s, intField(obj["max_tokens"]))
		}
	}
	var msgs []struct {
		Content json.RawMessage `json:"content"`
	}
	if json.Unmarshal(obj["messages"], &msgs) == nil && len(msgs) > 0 {
		last := msgs[len(msgs)-1].Content
		var s string
		if json.Unmarshal(last, &s) != nil {
			var parts []struct {
				Text string `json:"text"`
			}
			json.Unmarshal(last, &parts)
			for _, p := range parts {
				s += p.Text
			}
		}
		if s != "" {
			return user(s, intField(obj["max_tokens"]))
		}
	}
	return nil, requiredKey("messages")
}

// replyText joins the text blocks of a reply.
func replyText(blocks []Block) string {
	var parts []string
	for _, b := range blocks {
		switch {
		case b.Citation != nil:
			parts = append(parts, b.Citation.Text)
		case b.ToolUse == nil && b.Reasoning == nil:
			parts = append(parts, b.Text)
		}
	}
	return strings.Join(parts, "\n")
}

// messageID makes an Anthropic-style message ID from the request ID.
func messageID(requestID string) string {
	h := sha256.Sum256([]byte(requestID))
	return "msg_bdrk_" + hex.EncodeToString(h[:12])
}

// familyFormat renders a text answer in a family's InvokeModel body and
// stream chunk formats.
type familyFormat struct {
	family  string
	modelID string
	id      string
	text    string
	stop    string // Converse-style stop reason
	in, out int
}

// anthropicStop maps Converse stop reasons to Anthropic's.
func anthropicStop(s string) string {
	switch s {
	case "end_turn", "max_tokens", "stop_sequence", "tool_use":
		return s
	}
	return "end_turn"
}

func (f *familyFormat) body() []byte {
	switch f.family {
	case "anthropic":
		return marshal(anthropicMessage{
			ID: f.id, Type: "message", Role: "assistant", Model: f.modelID,
			Content:    []anthropicText{{Type: "text", Text: f.text}},
			StopReason: strPtr(anthropicStop(f.stop)),
			Usage:      anthropicUsage{InputTokens: f.in, OutputTokens: f.out},
		})
	case "titan-text":
		return marshal(obj(
			"inputTextTokenCount", f.in,
			"results", []any{obj("tokenCount", f.out, "outputText", f.text, "completionReason", titanReason(f.stop))}))
	case "llama":
		return marshal(obj("generation", f.text, "prompt_token_count", f.in, "generation_token_count", f.out, "stop_reason", llamaReason(f.stop)))
	case "mistral":
		return marshal(obj("outputs", []any{obj("text", f.text, "stop_reason", llamaReason(f.stop))}))
	}
	return marshal(obj(
		"output", obj("message", obj("content", []any{obj("text", f.text)}, "role", "assistant")),
		"stopReason", f.stop,
		"usage", obj("inputTokens", f.in, "outputTokens", f.out, "totalTokens", f.in+f.out,
			"cacheReadInputTokenCount", 0, "cacheWriteInputTokenCount", 0)))
}

// chunks are the stream chunk payloads, a word at a time, the last one
// carrying amazon-bedrock-invocationMetrics.
func (f *familyFormat) chunks(latency int64) [][]byte {
	words := splitWords(f.text)
	metrics := obj("inputTokenCount", f.in, "outputTokenCount", f.out, "invocationLatency", latency, "firstByteLatency", latency)
	var out [][]byte
	add := func(v any) { out = append(out, marshal(v)) }
	switch f.family {
	case "anthropic":
		add(obj("type", "message_start", "message", anthropicMessage{
			ID: f.id, Type: "message", Role: "assistant", Model: f.modelID, Content: []anthropicText{},
			Usage: anthropicUsage{InputTokens: f.in, OutputTokens: 1}}))
		add(obj("type", "content_block_start", "index", 0, "content_block", obj("type", "text", "text", "")))
		for _, w := range words {
			add(obj("type", "content_block_delta", "index", 0, "delta", obj("type", "text_delta", "text", w)))
		}
		add(obj("type", "content_block_stop", "index", 0))
		add(obj("type", "message_delta", "delta", obj("stop_reason", anthropicStop(f.stop), "stop_sequence", nil),
			"usage", obj("output_tokens", f.out)))
		add(obj("type", "message_stop", "amazon-bedrock-invocationMetrics", metrics))
	case "titan-text":
		for i, w := range words {
			last := i == len(words)-1
			var reason any
			if last {
				reason = titanReason(f.stop)
			}
			ch := obj("outputText", w, "index", 0, "totalOutputTextTokenCount", i+1, "completionReason", reason, "inputTextTokenCount", f.in)
			if last {
				ch = append(ch, "amazon-bedrock-invocationMetrics", metrics)
			}
			add(ch)
		}
	case "llama":
		for i, w := range words {
			var promptTokens any
			if i == 0 {
				promptTokens = f.in
			}
			add(obj("generation", w, "prompt_token_count", promptTokens, "generation_token_count", i+1, "stop_reason", nil))
		}
		add(obj("generation", "", "prompt_token_count", nil, "generation_token_count", f.out,
			"stop_reason", llamaReason(f.stop), "amazon-bedrock-invocationMetrics", metrics))
	case "mistral":
		for _, w := range words {
			add(obj("outputs", []any{obj("text", w, "stop_reason", nil)}))
		}
		add(obj("outputs", []any{obj("text", "", "stop_reason", llamaReason(f.stop))},
			"amazon-bedrock-invocationMetrics", metrics))
	default:
		add(obj("messageStart", obj("role", "assistant")))
		for _, w := range words {
			add(obj("contentBlockDelta", obj("delta", obj("text", w), "contentBlockIndex", 0)))
		}
		add(obj("contentBlockStop", obj("contentBlockIndex", 0)))
		add(obj("messageStop", obj("stopReason", f.stop)))
		add(obj("metadata", obj("usage", obj("inputTokens", f.in, "outputTokens", f.out), "metrics", obj(), "trace", obj()),
			"amazon-bedrock-invocationMetrics", metrics))
	}
	return out
}

func titanReason(stop string) string {
	switch stop {
	case "max_tokens":
		return "LENGTH"
	case "stop_sequence":
		return "STOP_CRITERIA_MET"
	}
	return "FINISH"
}

func llamaReason(stop string) string {
	if stop == "max_tokens" {
		return "length"
	}
	return "stop"
}

// anthropicMessage keeps the member order of Anthropic's Messages API.
type anthropicMessage struct {
	ID           string          `json:"id"`
	Type         string          `json:"type"`
	Role         string          `json:"role"`
	Model        string          `json:"model"`
	Content      []anthropicText `json:"content"`
	StopReason   *string         `json:"stop_reason"`
	StopSequence *string         `json:"stop_sequence"`
	Usage        anthropicUsage  `json:"usage"`
}

type anthropicText struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

type anthropicUsage struct {
	InputTokens  int `json:"input_tokens"`
	OutputTokens int `json:"output_tokens"`
}

func strPtr(s string) *string { return &s }
