package client

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"unicode/utf8"
)

// ConverseAccumulator folds the events of a ConverseStream into the
// ConverseOutput a Converse call would have returned: the text deltas of a
// block joined, a tool's input fragments joined and checked to be JSON, the
// reasoning text kept with its signature, citations attached to their text,
// and the stop reason, usage, metrics and trace from the closing events.
//
// The zero value is ready to use. Add events in the order they arrive, then
// call Output.
type ConverseAccumulator struct {
	started, stopped bool
	role             Role
	blocks           []*accBlock
	last             *accBlock
	out              ConverseOutput
	unfolded         []ConverseStreamEvent
}

type accKind uint8

const (
	accNone accKind = iota
	accText
	accToolUse
	accToolResult
	accImage
	accReasoning
)

var accKindNames = [...]string{"empty", "text", "toolUse", "toolResult", "image", "reasoningContent"}

type accBlock struct {
	index   int
	kind    accKind
	stopped bool

	text      []byte // text, reasoning text, or tool input
	signature string
	redacted  []byte
	citations []Citation

	toolUse    ToolUseStart
	toolResult ToolResultStart
	trContent  []ToolResultContent
	image      ImageStart
	imgSource  Source
	imgErr     *ErrorBlock
}

// maxContentBlockIndex bounds the content block index a stream may use.
const maxContentBlockIndex = 1 << 20

func (a *ConverseAccumulator) block(index int) (*accBlock, error) {
	if a.last != nil && a.last.index == index {
		return a.last, nil
	}
	if index < 0 || index > maxContentBlockIndex {
		return nil, fmt.Errorf("content block index %d out of range", index)
	}
	for _, b := range a.blocks {
		if b.index == index {
			a.last = b
			return b, nil
		}
	}
	b := &accBlock{index: index}
	a.blocks = append(a.blocks, b)
	a.last = b
	return b, nil
}

// setKind gives a block its kind on its first start or delta, and refuses a
// delta of another kind.
func (b *accBlock) setKind(k accKind) error {
	if b.stopped {
		return fmt.Errorf("content block %d: event after contentBlockStop", b.index)
	}
	if b.kind == accNone {
		b.kind = k
		return nil
	}
	if b.kind != k {
		return fmt.Errorf("content block %d: %s delta in a %s block", b.index, accKindNames[k], accKindNames[b.kind])
	}
	return nil
}

// Add folds one event. It returns an error for an event that contradicts
// the ones before it (a second messageStart, a delta of another kind than
// its block, a delta after its block stopped, …). Events and deltas of kinds
// this client does not know are kept aside; see Unfolded.
func (a *ConverseAccumulator) Add(ev ConverseStreamEvent) error {
	switch e := ev.(type) {
	case ContentBlockDeltaEvent:
		return a.addDelta(e)
	case MessageStartEvent:
		if a.started {
			return errors.New("second messageStart event")
		}
		a.started, a.role = true, e.Role
	case ContentBlockStartEvent:
		b, err := a.block(e.ContentBlockIndex)
		if err != nil {
			return err
		}
		switch s := e.Start.(type) {
		case ToolUseStart:
			if err := b.setKind(accToolUse); err != nil {
				return err
			}
			b.toolUse = s
		case ToolResultStart:
			if err := b.setKind(accToolResult); err != nil {
				return err
			}
			b.toolResult = s
		case ImageStart:
			if err := b.setKind(accImage); err != nil {
				return err
			}
			b.image = s
		default:
			a.unfolded = append(a.unfolded, ev)
		}
	case ContentBlockStopEvent:
		b, err := a.block(e.ContentBlockIndex)
		if err != nil {
			return err
		}
		if b.stopped {
			return fmt.Errorf("content block %d stopped twice", b.index)
		}
		b.stopped = true
	case MessageStopEvent:
		if a.stopped {
			return errors.New("second messageStop event")
		}
		a.stopped = true
		a.out.StopReason = e.StopReason
		a.out.AdditionalModelResponseFields = e.AdditionalModelResponseFields
	case MetadataEvent:
		a.out.Usage = e.Usage
		a.out.Metrics = e.Metrics
		a.out.Trace = e.Trace
		a.out.PerformanceConfig = e.PerformanceConfig
		a.out.ServiceTier = e.ServiceTier
	case nil:
		return errors.New("nil event")
	default:
		a.unfolded = append(a.unfolded, ev)
	}
	return nil
}

func (a *ConverseAccumulator) addDelta(e ContentBlockDeltaEvent) error {
	b, err := a.block(e.ContentBlockIndex)
	if err != nil {
		return err
	}
	switch d := e.Delta.(type) {
	case TextDelta:
		if b.kind == accToolResult && !b.stopped { // text of a server tool's result
			b.appendResultText(d.Text)
			return nil
		}
		if err := b.setKind(accText); err != nil {
			return err
		}
		b.text = append(b.text, d.Text...)
	case ToolUseDelta:
		if err := b.setKind(accToolUse); err != nil {
			return err
		}
		b.text = append(b.text, d.Input...)
	case ReasoningTextDelta:
		if err := b.setKind(accReasoning); err != nil {
			return err
		}
		b.text = append(b.text, d.Text...)
	case ReasoningSignatureDelta:
		if err := b.setKind(accReasoning); err != nil {
			return err
		}
		b.signature += d.Signature
	case RedactedReasoningDelta:
		if err := b.setKind(accReasoning); err != nil {
			return err
		}
		b.redacted = append(b.redacted, d.Data...)
		if b.redacted == nil {
			b.redacted = []byte{}
		}
	case CitationDelta:
		if err := b.setKind(accText); err != nil {
			return err
		}
		b.citations = append(b.citations, Citation(d))
	case ToolResultDelta:
		if err := b.setKind(accToolResult); err != nil {
			return err
		}
		for _, c := range d.Content {
			if t, ok := c.(TextBlock); ok {
				b.appendResultText(t.Text)
			} else {
				b.trContent = append(b.trContent, c)
			}
		}
	case ImageDelta:
		if err := b.setKind(accImage); err != nil {
			return err
		}
		if d.Error != nil {
			b.imgErr = d.Error
		}
		if d.Source != nil {
			prev, okPrev := b.imgSource.(BytesSource)
			next, okNext := d.Source.(BytesSource)
			if okPrev && okNext {
				b.imgSource = BytesSource(slices.Concat(prev, next))
			} else {
				b.imgSource = d.Source
			}
		}
	case nil:
		return fmt.Errorf("content block %d: delta event without delta", b.index)
	default:
		a.unfolded = append(a.unfolded, e)
	}
	return nil
}

// appendResultText joins text into the trailing text item of a tool result.
func (b *accBlock) appendResultText(s string) {
	if n := len(b.trContent); n > 0 {
		if t, ok := b.trContent[n-1].(TextBlock); ok {
			b.trContent[n-1] = TextBlock{t.Text + s}
			return
		}
	}
	b.trContent = append(b.trContent, TextBlock{s})
}

// Unfolded returns the events, and the delta and start events, of kinds this
// client does not know how to fold; Output leaves them out.
func (a *ConverseAccumulator) Unfolded() []ConverseStreamEvent { return a.unfolded }

// Output returns the folded reply. It fails if no messageStop event was
// added (the stream did not finish) or a tool's input is not valid JSON.
func (a *ConverseAccumulator) Output() (*ConverseOutput, error) {
	if !a.stopped {
		return nil, errors.New("converse stream: no messageStop event; the reply is incomplete")
	}
	out := a.out
	out.Message.Role = a.role
	if out.Message.Role == "" {
		out.Message.Role = RoleAssistant
	}
	blocks := slices.Clone(a.blocks)
	slices.SortStableFunc(blocks, func(x, y *accBlock) int { return x.index - y.index })
	content := make([]ContentBlock, 0, len(blocks))
	for _, b := range blocks {
		c, err := b.contentBlock()
		if err != nil {
			return nil, err
		}
		if c != nil {
			content = append(content, c)
		}
	}
	out.Message.Content = content
	return &out, nil
}

func (b *accBlock) contentBlock() (ContentBlock, error) {
	switch b.kind {
	case accText:
		if len(b.citations) > 0 {
			cb := CitationsBlock{Citations: slices.Clone(b.citations)}
			if len(b.text) > 0 {
				cb.Content = []CitationGeneratedContent{{Text: string(b.text)}}
			}
			return cb, nil
		}
		return TextBlock{Text: string(b.text)}, nil
	case accToolUse:
		in := bytes.TrimSpace(b.text)
		var input json.RawMessage
		if len(in) == 0 {
			input = json.RawMessage("{}")
		} else {
			var buf bytes.Buffer
			if err := json.Compact(&buf, in); err != nil {
				return nil, fmt.Errorf("content block %d: tool %q (%s) input is not valid JSON: %w",
					b.index, b.toolUse.Name, b.toolUse.ToolUseID, err)
			}
			input = buf.Bytes()
		}
		return ToolUseBlock{ToolUseID: b.toolUse.ToolUseID, Name: b.toolUse.Name, Input: input, Type: b.toolUse.Type}, nil
	case accToolResult:
		return ToolResultBlock{ToolUseID: b.toolResult.ToolUseID, Content: slices.Clone(b.trContent),
			Status: b.toolResult.Status, Type: b.toolResult.Type}, nil
	case accImage:
		return ImageBlock{Format: b.image.Format, Source: b.imgSource, Error: b.imgErr}, nil
	case accReasoning:
		if b.redacted != nil {
			if len(b.text) > 0 || b.signature != "" {
				return nil, fmt.Errorf("content block %d: reasoning has both redacted content and text", b.index)
			}
			return ReasoningBlock{Redacted: slices.Clone(b.redacted)}, nil
		}
		return ReasoningBlock{Text: string(b.text), Signature: b.signature}, nil
	}
	return nil, nil // only unknown deltas, or only start/stop of nothing
}

// CollectConverseStream reads s to the end, folds its events with a
// ConverseAccumulator, closes s and returns the reply. An error of the
// stream (an exception frame, a cut connection) is returned as is.
func CollectConverseStream(s *Stream[ConverseStreamEvent]) (*ConverseOutput, error) {
	defer s.Close()
	var a ConverseAccumulator
	for s.Next() {
		if err := a.Add(s.Event()); err != nil {
			return nil, err
		}
	}
	if err := s.Err(); err != nil {
		return nil, err
	}
	return a.Output()
}

// ConverseOutputEvents is the inverse of ConverseAccumulator: the events of
// a ConverseStream that folds into out, with text, reasoning text and tool
// input cut into deltas of at most chunk bytes (never inside a UTF-8
// sequence; chunk <= 0 means one delta per block). Test servers use it to
// stream a reply they hold as a ConverseOutput. Blocks a stream cannot carry
// (documents, videos, …) are an error.
func ConverseOutputEvents(out *ConverseOutput, chunk int) ([]ConverseStreamEvent, error) {
	if out == nil {
		return nil, errors.New("nil output")
	}
	role := out.Message.Role
	if role == "" {
		role = RoleAssistant
	}
	evs := []ConverseStreamEvent{MessageStartEvent{Role: role}}
	for i, b := range out.Message.Content {
		switch b := b.(type) {
		case TextBlock:
			for _, s := range splitChunks(b.Text, chunk) {
				evs = append(evs, ContentBlockDeltaEvent{i, TextDelta{s}})
			}
		case CitationsBlock:
			var text []byte
			for _, c := range b.Content {
				text = append(text, c.Text...)
			}
			if len(text) > 0 {
				for _, s := range splitChunks(string(text), chunk) {
					evs = append(evs, ContentBlockDeltaEvent{i, TextDelta{s}})
				}
			}
			for _, c := range b.Citations {
				evs = append(evs, ContentBlockDeltaEvent{i, CitationDelta(c)})
			}
		case ToolUseBlock:
			evs = append(evs, ContentBlockStartEvent{i, ToolUseStart{ToolUseID: b.ToolUseID, Name: b.Name, Type: b.Type}})
			in, err := rawOrEmptyObject(b.Input, "toolUse input")
			if err != nil {
				return nil, fmt.Errorf("content block %d: %w", i, err)
			}
			for _, s := range splitChunks(string(in), chunk) {
				evs = append(evs, ContentBlockDeltaEvent{i, ToolUseDelta{s}})
			}
		case ReasoningBlock:
			if b.Redacted != nil {
				evs = append(evs, ContentBlockDeltaEvent{i, RedactedReasoningDelta{b.Redacted}})
				break
			}
			for _, s := range splitChunks(b.Text, chunk) {
				evs = append(evs, ContentBlockDeltaEvent{i, ReasoningTextDelta{s}})
			}
			if b.Signature != "" {
				evs = append(evs, ContentBlockDeltaEvent{i, ReasoningSignatureDelta{b.Signature}})
			}
		case ToolResultBlock:
			evs = append(evs, ContentBlockStartEvent{i, ToolResultStart{ToolUseID: b.ToolUseID, Type: b.Type, Status: b.Status}})
			if len(b.Content) > 0 {
				evs = append(evs, ContentBlockDeltaEvent{i, ToolResultDelta{b.Content}})
			}
		case ImageBlock:
			evs = append(evs, ContentBlockStartEvent{i, ImageStart{Format: b.Format}})
			if b.Source != nil || b.Error != nil {
				evs = append(evs, ContentBlockDeltaEvent{i, ImageDelta{Source: b.Source, Error: b.Error}})
			}
		default:
			if name := contentBlockKey(b); name != "" {
				return nil, fmt.Errorf("content block %d: a %s block cannot be streamed", i, name)
			}
			return nil, fmt.Errorf("content block %d: a %T cannot be streamed", i, b)
		}
		evs = append(evs, ContentBlockStopEvent{i})
	}
	evs = append(evs,
		MessageStopEvent{StopReason: out.StopReason, AdditionalModelResponseFields: out.AdditionalModelResponseFields},
		MetadataEvent{Usage: out.Usage, Metrics: out.Metrics, Trace: out.Trace, PerformanceConfig: out.PerformanceConfig, ServiceTier: out.ServiceTier})
	return evs, nil
}

// splitChunks cuts s into pieces of at most n bytes without splitting a
// UTF-8 sequence; it always returns at least one piece.
func splitChunks(s string, n int) []string {
	if n <= 0 || len(s) <= n {
		return []string{s}
	}
	var out []string
	for len(s) > n {
		cut := n
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		if cut == 0 { // a rune longer than n: keep it whole
			_, cut = utf8.DecodeRuneInString(s)
		}
		out = append(out, s[:cut])
		s = s[cut:]
	}
	if len(s) > 0 {
		out = append(out, s)
	}
	return out
}
