package bedrocktest

import (
	"encoding/base64"
	"encoding/json"
	"strconv"
	"unicode/utf8"

	"github.com/bedrockwire/bedrockwire/modelspec"
)

// converse answers Converse (stream false) and ConverseStream.
func (c *call) converse(stream bool) {
	api := modelspec.Converse
	if stream {
		api = modelspec.ConverseStream
	}
	m, e := c.s.resolveModel(c.rt.modelID, api)
	if e != nil {
		c.fail(e)
		return
	}
	var req converseRequest
	if e := c.decodeJSON(&req); e != nil {
		c.fail(e)
		return
	}
	conv, e := validateConverse(&req)
	if e != nil {
		c.fail(e)
		return
	}
	var r Reply
	if sr := c.s.takeReply(m.id); sr != nil {
		if sr.Error != nil {
			c.fail(sr.Error)
			return
		}
		r = *sr
	} else {
		r = c.s.textReply(conv)
	}
	if r.StopReason == "" {
		r.StopReason = "end_turn"
		for _, b := range r.Content {
			if b.ToolUse != nil {
				r.StopReason = "tool_use"
			}
		}
	}
	u := c.usage(&r, conv)
	if !stream {
		out := map[string]any{
			"metrics":    map[string]any{"latencyMs": c.latencyMs()},
			"output":     map[string]any{"message": map[string]any{"role": "assistant", "content": blocksJSON(r.Content)}},
			"stopReason": r.StopReason,
			"usage":      u,
		}
		if len(conv.performanceConfig) > 0 {
			out["performanceConfig"] = conv.performanceConfig
		}
		if len(conv.serviceTier) > 0 {
			out["serviceTier"] = conv.serviceTier
		}
		c.writeJSON(marshal(out))
		return
	}
	sw := c.openStream()
	for _, ev := range converseEvents(r.Content) {
		if !sw.event(ev.typ, ev.payload) {
			return
		}
	}
	if !sw.event("messageStop", marshal(map[string]any{"stopReason": r.StopReason})) {
		return
	}
	meta := map[string]any{
		"metrics": map[string]any{"latencyMs": c.latencyMs()},
		"usage":   u,
	}
	if len(conv.performanceConfig) > 0 {
		meta["performanceConfig"] = conv.performanceConfig
	}
	if len(conv.serviceTier) > 0 {
		meta["serviceTier"] = conv.serviceTier
	}
	if !sw.event("metadata", marshal(meta)) {
		return
	}
	sw.end()
}

// usage is the TokenUsage of a reply: scripted, or counted.
func (c *call) usage(r *Reply, conv *conversation) map[string]any {
	var u Usage
	if r.Usage != nil {
		u = *r.Usage
	} else {
		u.InputTokens = countTokens(conv.inputText.String())
		u.OutputTokens = outputTokens(r.Content)
	}
	out := map[string]any{
		"inputTokens":  u.InputTokens,
		"outputTokens": u.OutputTokens,
		"totalTokens":  u.InputTokens + u.OutputTokens,
	}
	if conv.caching || u.CacheReadInputTokens != 0 || u.CacheWriteInputTokens != 0 {
		out["cacheReadInputTokens"] = u.CacheReadInputTokens
		out["cacheWriteInputTokens"] = u.CacheWriteInputTokens
	}
	return out
}

// blocksJSON is the ContentBlock list of an assistant message.
func blocksJSON(blocks []Block) []any {
	out := make([]any, 0, len(blocks))
	for _, b := range blocks {
		switch {
		case b.ToolUse != nil:
			out = append(out, map[string]any{"toolUse": map[string]any{
				"toolUseId": b.ToolUse.ID,
				"name":      b.ToolUse.Name,
				"input":     rawOrEmpty(b.ToolUse.Input),
			}})
		case b.Reasoning != nil:
			if b.Reasoning.Redacted != nil {
				out = append(out, map[string]any{"reasoningContent": map[string]any{
					"redactedContent": base64.StdEncoding.EncodeToString(b.Reasoning.Redacted)}})
				continue
			}
			rt := map[string]any{"text": b.Reasoning.Text}
			if b.Reasoning.Signature != "" {
				rt["signature"] = b.Reasoning.Signature
			}
			out = append(out, map[string]any{"reasoningContent": map[string]any{"reasoningText": rt}})
		case b.Citation != nil:
			out = append(out, map[string]any{"citationsContent": map[string]any{
				"content":   []any{map[string]any{"text": b.Citation.Text}},
				"citations": []any{citationJSON(b.Citation)},
			}})
		default:
			out = append(out, map[string]any{"text": b.Text})
		}
	}
	return out
}

func citationJSON(ct *Citation) map[string]any {
	return map[string]any{
		"title":         ct.Title,
		"sourceContent": []any{map[string]any{"text": ct.Quote}},
		"location": map[string]any{"documentChar": map[string]any{
			"documentIndex": ct.DocumentIndex, "start": ct.Start, "end": ct.End}},
	}
}

func rawOrEmpty(r json.RawMessage) json.RawMessage {
	if len(r) == 0 {
		return json.RawMessage("{}")
	}
	return r
}

type streamEvent struct {
	typ     string
	payload []byte
}

// converseEvents are the ConverseStream events of an assistant message up to
// (not including) messageStop: messageStart, then per block an optional
// contentBlockStart, deltas a word (or a JSON fragment) at a time, and
// contentBlockStop.
func converseEvents(blocks []Block) []streamEvent {
	evs := []streamEvent{{"messageStart", marshal(map[string]any{"role": "assistant"})}}
	delta := func(i int, d map[string]any) {
		evs = append(evs, streamEvent{"contentBlockDelta", marshal(map[string]any{"contentBlockIndex": i, "delta": d})})
	}
	for i, b := range blocks {
		switch {
		case b.ToolUse != nil:
			evs = append(evs, streamEvent{"contentBlockStart", marshal(map[string]any{
				"contentBlockIndex": i,
				"start":             map[string]any{"toolUse": map[string]any{"toolUseId": b.ToolUse.ID, "name": b.ToolUse.Name}},
			})})
			for _, frag := range fragments(string(rawOrEmpty(b.ToolUse.Input)), 3) {
				delta(i, map[string]any{"toolUse": map[string]any{"input": frag}})
			}
		case b.Reasoning != nil:
			if b.Reasoning.Redacted != nil {
				delta(i, map[string]any{"reasoningContent": map[string]any{
					"redactedContent": base64.StdEncoding.EncodeToString(b.Reasoning.Redacted)}})
				break
			}
			for _, w := range splitWords(b.Reasoning.Text) {
				delta(i, map[string]any{"reasoningContent": map[string]any{"text": w}})
			}
			if b.Reasoning.Signature != "" {
				delta(i, map[string]any{"reasoningContent": map[string]any{"signature": b.Reasoning.Signature}})
			}
		case b.Citation != nil:
			for _, w := range splitWords(b.Citation.Text) {
				delta(i, map[string]any{"text": w})
			}
			delta(i, map[string]any{"citation": citationJSON(b.Citation)})
		default:
			for _, w := range splitWords(b.Text) {
				evs = append(evs, streamEvent{"contentBlockDelta", textDeltaJSON(i, w)})
			}
		}
		evs = append(evs, streamEvent{"contentBlockStop", marshal(map[string]any{"contentBlockIndex": i})})
	}
	return evs
}

// fragments splits s into about n pieces (at least one).
func fragments(s string, n int) []string {
	if len(s) <= n || n <= 1 {
		return []string{s}
	}
	size := (len(s) + n - 1) / n
	var out []string
	for len(s) > size {
		k := size
		for k < len(s) && !utf8.RuneStart(s[k]) {
			k++
		}
		out = append(out, s[:k])
		s = s[k:]
	}
	return append(out, s)
}

// textDeltaJSON is {"contentBlockIndex":i,"delta":{"text":w}}, built
// without reflection: text deltas are most of a stream.
func textDeltaJSON(i int, w string) []byte {
	b := make([]byte, 0, 48+len(w)+len(w)/8)
	b = append(b, `{"contentBlockIndex":`...)
	b = strconv.AppendInt(b, int64(i), 10)
	b = append(b, `,"delta":{"text":`...)
	b = modelspec.AppendJSONString(b, w)
	return append(b, "}}"...)
}
