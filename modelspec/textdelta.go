package modelspec

import (
	"errors"
	"fmt"
	"strings"
)

// A uniform view over the InvokeModelWithResponseStream chunks of every text
// model family: each chunk payload becomes a Delta with the text it adds,
// any reasoning text, the stop reason when the model stops, and token usage
// when the chunk reports it.

// TextFormat names a text model family's streaming format.
type TextFormat string

// The text formats.
const (
	TextFormatTitan         TextFormat = "amazon-titan-text"
	TextFormatNova          TextFormat = "amazon-nova"
	TextFormatAnthropic     TextFormat = "anthropic-messages"
	TextFormatLlama         TextFormat = "meta-llama"
	TextFormatMistral       TextFormat = "mistral-prompt"
	TextFormatMistralChat   TextFormat = "mistral-chat"
	TextFormatCohereCommand TextFormat = "cohere-command"
	TextFormatCohereChat    TextFormat = "cohere-chat"
	TextFormatDeepSeek      TextFormat = "deepseek-r1"
	TextFormatOpenAIChat    TextFormat = "openai-chat"
)

// Delta is what one stream chunk adds to the answer.
type Delta struct {
	Text       string      `json:"text,omitempty"`
	Reasoning  string      `json:"reasoning,omitempty"`
	StopReason string      `json:"stop_reason,omitempty"`
	Usage      *DeltaUsage `json:"usage,omitempty"`
}

// DeltaUsage is token usage reported by a chunk; a count the chunk does not
// report is zero (Anthropic's message_delta reports only output tokens). A
// chunk with Bedrock's invocation metrics (the last one) reports the totals.
type DeltaUsage struct {
	InputTokens  int `json:"input_tokens"`
	OutputTokens int `json:"output_tokens"`
}

// ErrNotTextModel is returned by TextFormatOf for models that do not stream text.
var ErrNotTextModel = errors.New("modelspec: not a text model with a known stream format")

// TextFormatOf picks the stream format for a model ID, geo or global
// inference profile ID, or foundation-model/inference-profile ARN.
// Application inference profile and provisioned model ARNs do not name the
// model: look the model up first and pass its ID.
func TextFormatOf(modelID string) (TextFormat, error) {
	name := baseNameOf(modelID)
	has := func(prefixes ...string) bool {
		for _, p := range prefixes {
			if strings.HasPrefix(name, p) {
				return true
			}
		}
		return false
	}
	switch providerOf(modelID) {
	case "amazon":
		switch {
		case has("titan-text", "titan-tg1"):
			return TextFormatTitan, nil
		case has("nova-") && !has("nova-canvas", "nova-reel", "nova-sonic", "nova-2-sonic", "nova-2-multimodal-embeddings"):
			return TextFormatNova, nil
		}
	case "anthropic":
		return TextFormatAnthropic, nil
	case "meta":
		return TextFormatLlama, nil
	case "mistral":
		if has("mistral-7b", "mixtral-8x7b", "mistral-large-2402", "mistral-small-2402") {
			return TextFormatMistral, nil
		}
		return TextFormatMistralChat, nil
	case "cohere":
		switch {
		case has("command-r"):
			return TextFormatCohereChat, nil
		case has("command"):
			return TextFormatCohereCommand, nil
		}
	case "deepseek":
		if has("r1") {
			return TextFormatDeepSeek, nil
		}
		return TextFormatOpenAIChat, nil // DeepSeek V3.x
	case "openai":
		return TextFormatOpenAIChat, nil
	case "qwen", "google", "nvidia", "moonshot", "moonshotai", "minimax", "zai":
		// Open-weight models served with an OpenAI-compatible body (best effort).
		return TextFormatOpenAIChat, nil
	}
	return "", fmt.Errorf("%w: %q", ErrNotTextModel, modelID)
}

// TextDelta decodes one InvokeModelWithResponseStream chunk payload of the
// given model into a Delta. It is stateless: DeepSeek R1 and gpt-oss
// reasoning that is marked by tags inside the text stays in Text; use a
// TextStreamDecoder to split it.
func TextDelta(modelID string, chunk []byte) (Delta, error) {
	f, err := TextFormatOf(modelID)
	if err != nil {
		return Delta{}, err
	}
	return DecodeTextDelta(f, chunk)
}

func metricsUsage(m *InvocationMetrics) *DeltaUsage {
	if m == nil {
		return nil
	}
	return &DeltaUsage{InputTokens: m.InputTokenCount, OutputTokens: m.OutputTokenCount}
}

// DecodeTextDelta decodes one chunk payload in the given format.
func DecodeTextDelta(f TextFormat, chunk []byte) (Delta, error) {
	var d Delta
	switch f {
	case TextFormatTitan:
		c, err := ParseTitanTextChunk(chunk)
		if err != nil {
			return d, err
		}
		d = Delta{Text: c.OutputText, StopReason: c.CompletionReason, Usage: metricsUsage(c.Metrics)}
	case TextFormatNova:
		c, err := ParseNovaChunk(chunk)
		if err != nil {
			return d, err
		}
		if b := c.ContentBlockDelta; b != nil {
			d.Text = b.Delta.Text
			if r := b.Delta.ReasoningContent; r != nil {
				d.Reasoning = r.Text
			}
		}
		if c.MessageStop != nil {
			d.StopReason = c.MessageStop.StopReason
		}
		if c.Metadata != nil {
			d.Usage = &DeltaUsage{InputTokens: c.Metadata.Usage.InputTokens, OutputTokens: c.Metadata.Usage.OutputTokens}
		}
		if u := metricsUsage(c.Metrics); u != nil {
			d.Usage = u
		}
	case TextFormatAnthropic:
		e, err := ParseAnthropicStreamEvent(chunk)
		if err != nil {
			return d, err
		}
		switch e.Type {
		case "message_start":
			u := e.Message.Usage
			d.Usage = &DeltaUsage{InputTokens: u.InputTokens, OutputTokens: u.OutputTokens}
		case "content_block_delta":
			d.Text, d.Reasoning = e.Delta.Text, e.Delta.Thinking
		case "message_delta":
			d.StopReason = e.Delta.StopReason
			if e.Usage != nil {
				d.Usage = &DeltaUsage{InputTokens: e.Usage.InputTokens, OutputTokens: e.Usage.OutputTokens}
			}
		case "error":
			return Delta{}, fmt.Errorf("modelspec: anthropic stream error %s: %s", e.Error.Type, e.Error.Message)
		}
		if u := metricsUsage(e.Metrics); u != nil {
			d.Usage = u
		}
	case TextFormatLlama:
		c, err := ParseLlamaResponse(chunk)
		if err != nil {
			return d, err
		}
		d = Delta{Text: c.Generation, StopReason: c.StopReason, Usage: metricsUsage(c.Metrics)}
	case TextFormatMistral:
		c, err := ParseMistralResponse(chunk)
		if err != nil {
			return d, err
		}
		for _, o := range c.Outputs {
			d.Text += o.Text
			if o.StopReason != "" {
				d.StopReason = o.StopReason
			}
		}
		d.Usage = metricsUsage(c.Metrics)
	case TextFormatMistralChat:
		c, err := ParseMistralChatResponse(chunk)
		if err != nil {
			return d, err
		}
		for _, ch := range c.Choices {
			for _, m := range []*MistralChatMessage{ch.Message, ch.Delta} {
				if m != nil {
					d.Text += m.Content
				}
			}
			if ch.StopReason != "" {
				d.StopReason = ch.StopReason
			} else if ch.FinishReason != "" {
				d.StopReason = ch.FinishReason
			}
		}
		d.Usage = metricsUsage(c.Metrics)
	case TextFormatCohereCommand:
		c, err := ParseCohereGenerateChunk(chunk)
		if err != nil {
			return d, err
		}
		d = Delta{Text: c.Text, Usage: metricsUsage(c.Metrics)}
		if c.IsFinished {
			d.StopReason = c.FinishReason
		}
		for _, g := range c.Generations { // Bedrock's shape: {"generations":[{"text":…}]}
			d.Text += g.Text
			if g.FinishReason != "" {
				d.StopReason = g.FinishReason
			}
		}
	case TextFormatCohereChat:
		e, err := ParseCohereChatEvent(chunk)
		if err != nil {
			return d, err
		}
		if e.EventType == "text-generation" {
			d.Text = e.Text
		}
		if e.EventType == "stream-end" {
			d.StopReason = e.FinishReason
		}
		d.Usage = metricsUsage(e.Metrics)
	case TextFormatDeepSeek:
		c, err := ParseDeepSeekResponse(chunk)
		if err != nil {
			return d, err
		}
		for _, ch := range c.Choices {
			d.Text += ch.Text
			if ch.StopReason != "" {
				d.StopReason = ch.StopReason
			}
		}
		d.Usage = metricsUsage(c.Metrics)
	case TextFormatOpenAIChat:
		c, err := ParseOpenAIChatResponse(chunk)
		if err != nil {
			return d, err
		}
		for _, ch := range c.Choices {
			if m := ch.Delta; m != nil {
				d.Text += m.Content
				d.Reasoning += m.Reasoning + m.ReasoningContent
			}
			if m := ch.Message; m != nil {
				d.Text += m.Content
				d.Reasoning += m.Reasoning
			}
			if ch.FinishReason != "" {
				d.StopReason = ch.FinishReason
			}
		}
		if c.Usage != nil {
			d.Usage = &DeltaUsage{InputTokens: c.Usage.PromptTokens, OutputTokens: c.Usage.CompletionTokens}
		}
		if u := metricsUsage(c.Metrics); u != nil {
			d.Usage = u
		}
	default:
		return d, fmt.Errorf("modelspec: unknown text format %q", f)
	}
	return d, nil
}

// TextStreamDecoder turns a model's stream chunks into Deltas one by one,
// keeping the state needed to split reasoning that arrives inside the text:
// DeepSeek R1 (reasoning until </think>) and gpt-oss (<reasoning>…</reasoning>),
// even when a tag is split across chunks. Call Flush after the last chunk.
// A TextStreamDecoder is not safe for concurrent use.
type TextStreamDecoder struct {
	format TextFormat
	split  *tagSplitter
}

// NewTextStreamDecoder returns a decoder for the model's stream format.
func NewTextStreamDecoder(modelID string) (*TextStreamDecoder, error) {
	f, err := TextFormatOf(modelID)
	if err != nil {
		return nil, err
	}
	return NewTextStreamDecoderFor(f), nil
}

// NewTextStreamDecoderFor returns a decoder for a known format.
func NewTextStreamDecoderFor(f TextFormat) *TextStreamDecoder {
	d := &TextStreamDecoder{format: f}
	switch f {
	case TextFormatDeepSeek:
		d.split = &tagSplitter{open: "<think>", close: "</think>", startInside: true}
	case TextFormatOpenAIChat:
		d.split = &tagSplitter{open: "<reasoning>", close: "</reasoning>"}
	}
	return d
}

// Format returns the decoder's stream format.
func (d *TextStreamDecoder) Format() TextFormat { return d.format }

// Decode decodes the next chunk payload.
func (d *TextStreamDecoder) Decode(chunk []byte) (Delta, error) {
	delta, err := DecodeTextDelta(d.format, chunk)
	if err != nil || d.split == nil {
		return delta, err
	}
	answer, reasoning := d.split.feed(delta.Text)
	delta.Text = answer
	delta.Reasoning += reasoning
	return delta, nil
}

// Flush returns text held back because it might have begun a tag.
func (d *TextStreamDecoder) Flush() Delta {
	if d.split == nil {
		return Delta{}
	}
	answer, reasoning := d.split.flush()
	return Delta{Text: answer, Reasoning: reasoning}
}

// tagSplitter separates reasoning marked by open/close tags at the start of
// a streamed text from the answer after it.
type tagSplitter struct {
	open, close string
	startInside bool // reasoning even without the opening tag (DeepSeek R1's prompt opens it)
	state       int  // 0 before the opening tag, 1 inside reasoning, 2 in the answer
	pending     string
	trimAnswer  bool
}

func (s *tagSplitter) feed(text string) (answer, reasoning string) {
	buf := s.pending + text
	s.pending = ""
	for {
		switch s.state {
		case 0:
			trimmed := strings.TrimLeft(buf, " \t\r\n")
			if trimmed == "" || (len(trimmed) < len(s.open) && strings.HasPrefix(s.open, trimmed)) {
				s.pending = buf
				return answer, reasoning
			}
			if strings.HasPrefix(trimmed, s.open) {
				buf, s.state = trimmed[len(s.open):], 1
			} else if s.startInside {
				s.state = 1
			} else {
				s.state = 2
			}
		case 1:
			if i := strings.Index(buf, s.close); i >= 0 {
				reasoning += buf[:i]
				buf, s.state, s.trimAnswer = buf[i+len(s.close):], 2, true
				continue
			}
			k := partialSuffix(buf, s.close)
			reasoning += buf[:len(buf)-k]
			s.pending = buf[len(buf)-k:]
			return answer, reasoning
		default:
			if s.trimAnswer {
				buf = strings.TrimLeft(buf, " \t\r\n")
				s.trimAnswer = buf == ""
			}
			return answer + buf, reasoning
		}
	}
}

func (s *tagSplitter) flush() (answer, reasoning string) {
	p := s.pending
	s.pending = ""
	if s.state == 1 || (s.state == 0 && s.startInside) {
		return "", p
	}
	return p, ""
}

// partialSuffix returns the length of the longest suffix of s that is a
// proper prefix of tag.
func partialSuffix(s, tag string) int {
	for k := min(len(tag)-1, len(s)); k > 0; k-- {
		if strings.HasSuffix(s, tag[:k]) {
			return k
		}
	}
	return 0
}
