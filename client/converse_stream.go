package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
)

// ConverseStream sends a Converse request and returns the reply as a stream
// of events: a MessageStartEvent, then for each content block an optional
// ContentBlockStartEvent, ContentBlockDeltaEvents and a
// ContentBlockStopEvent, then a MessageStopEvent and a MetadataEvent. Events
// of a kind this client does not know arrive as UnknownEvent.
//
// Always Close the stream. To get the whole reply as Converse would return
// it, pass the stream to CollectConverseStream, or feed the events to a
// ConverseAccumulator while handling them.
func (c *Client) ConverseStream(ctx context.Context, in *ConverseInput) (*Stream[ConverseStreamEvent], error) {
	const op = "ConverseStream"
	if err := checkConverseInput(op, in); err != nil {
		return nil, err
	}
	body, err := json.Marshal(in)
	if err != nil {
		return nil, fmt.Errorf("bedrock %s: encoding request: %w", op, err)
	}
	resp, err := c.send(ctx, &request{
		op:          op,
		method:      http.MethodPost,
		path:        modelPath(in.ModelID, "converse-stream"),
		header:      http.Header{"Content-Type": {"application/json"}},
		body:        body,
		eventStream: true,
	})
	if err != nil {
		return nil, err
	}
	return newStream(ctx, op, resp, decodeConverseEvent), nil
}

// ConverseStreamEvent is one event of a ConverseStream: MessageStartEvent,
// ContentBlockStartEvent, ContentBlockDeltaEvent, ContentBlockStopEvent,
// MessageStopEvent, MetadataEvent, or UnknownEvent.
type ConverseStreamEvent interface {
	// EventType is the event's name on the wire (its :event-type header).
	EventType() string
}

// MessageStartEvent starts the reply.
type MessageStartEvent struct {
	Role Role `json:"role"`
}

// ContentBlockStartEvent starts a content block that needs more than text,
// such as a tool use.
type ContentBlockStartEvent struct {
	ContentBlockIndex int
	Start             ContentBlockStart
}

// ContentBlockDeltaEvent carries a piece of a content block.
type ContentBlockDeltaEvent struct {
	ContentBlockIndex int
	Delta             ContentBlockDelta
}

// ContentBlockStopEvent ends a content block.
type ContentBlockStopEvent struct {
	ContentBlockIndex int `json:"contentBlockIndex"`
}

// MessageStopEvent ends the reply.
type MessageStopEvent struct {
	StopReason                    StopReason      `json:"stopReason"`
	AdditionalModelResponseFields json.RawMessage `json:"additionalModelResponseFields,omitempty"`
}

// MetadataEvent reports usage and metrics; it is the last event.
type MetadataEvent struct {
	Usage             Usage              `json:"usage"`
	Metrics           Metrics            `json:"metrics"`
	Trace             *Trace             `json:"trace,omitempty"`
	PerformanceConfig *PerformanceConfig `json:"performanceConfig,omitempty"`
	ServiceTier       *ServiceTier       `json:"serviceTier,omitempty"`
}

// UnknownEvent is an event of a kind this client does not know.
type UnknownEvent struct {
	Type    string
	Payload json.RawMessage
}

// EventType returns "messageStart".
func (MessageStartEvent) EventType() string { return "messageStart" }

// EventType returns "contentBlockStart".
func (ContentBlockStartEvent) EventType() string { return "contentBlockStart" }

// EventType returns "contentBlockDelta".
func (ContentBlockDeltaEvent) EventType() string { return "contentBlockDelta" }

// EventType returns "contentBlockStop".
func (ContentBlockStopEvent) EventType() string { return "contentBlockStop" }

// EventType returns "messageStop".
func (MessageStopEvent) EventType() string { return "messageStop" }

// EventType returns "metadata".
func (MetadataEvent) EventType() string { return "metadata" }

// EventType returns the event's name on the wire.
func (e UnknownEvent) EventType() string { return e.Type }

// MarshalJSON writes the payload as it came.
func (e UnknownEvent) MarshalJSON() ([]byte, error) {
	if !json.Valid(e.Payload) {
		return nil, fmt.Errorf("%s event: payload is not valid JSON", e.Type)
	}
	return e.Payload, nil
}

type contentBlockStartWire struct {
	Start             *contentBlockStartOne `json:"start"`
	ContentBlockIndex int                   `json:"contentBlockIndex"`
}

// MarshalJSON writes the event's payload in Bedrock's wire shape.
func (e ContentBlockStartEvent) MarshalJSON() ([]byte, error) {
	if e.Start == nil {
		return nil, errors.New("contentBlockStart: nil Start")
	}
	return json.Marshal(contentBlockStartWire{oneContentBlockStart(e.Start), e.ContentBlockIndex})
}

// UnmarshalJSON reads the event's payload.
func (e *ContentBlockStartEvent) UnmarshalJSON(data []byte) error {
	var w contentBlockStartWire
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	if w.Start == nil {
		return errors.New("contentBlockStart event without start")
	}
	*e = ContentBlockStartEvent{w.ContentBlockIndex, w.Start.get()}
	return nil
}

type contentBlockDeltaWire struct {
	Delta             *contentBlockDeltaOne `json:"delta"`
	ContentBlockIndex int                   `json:"contentBlockIndex"`
}

// MarshalJSON writes the event's payload in Bedrock's wire shape.
func (e ContentBlockDeltaEvent) MarshalJSON() ([]byte, error) {
	if e.Delta == nil {
		return nil, errors.New("contentBlockDelta: nil Delta")
	}
	return json.Marshal(contentBlockDeltaWire{oneContentBlockDelta(e.Delta), e.ContentBlockIndex})
}

// UnmarshalJSON reads the event's payload.
func (e *ContentBlockDeltaEvent) UnmarshalJSON(data []byte) error {
	var w contentBlockDeltaWire
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	if w.Delta == nil {
		return errors.New("contentBlockDelta event without delta")
	}
	*e = ContentBlockDeltaEvent{w.ContentBlockIndex, w.Delta.get()}
	return nil
}

// ContentBlockStart is how a content block starts: ToolUseStart,
// ToolResultStart, ImageStart or UnknownBlock.
type ContentBlockStart interface {
	unionMember
	isContentBlockStart()
}

func (UnknownBlock) isContentBlockStart() {}

// ToolUseStart starts a tool-use block; its input follows in ToolUseDeltas.
type ToolUseStart struct {
	ToolUseID string `json:"toolUseId"`
	Name      string `json:"name"`
	Type      string `json:"type,omitempty"`
}

// ToolResultStart starts the result of a tool the service ran itself.
type ToolResultStart struct {
	ToolUseID string           `json:"toolUseId"`
	Type      string           `json:"type,omitempty"`
	Status    ToolResultStatus `json:"status,omitempty"`
}

// ImageStart starts a generated image.
type ImageStart struct {
	Format ImageFormat `json:"format"`
}

func (ToolUseStart) unionKey() string        { return "toolUse" }
func (ToolResultStart) unionKey() string     { return "toolResult" }
func (ImageStart) unionKey() string          { return "image" }
func (ToolUseStart) isContentBlockStart()    {}
func (ToolResultStart) isContentBlockStart() {}
func (ImageStart) isContentBlockStart()      {}

func decodeContentBlockStart(key string, inner json.RawMessage) (unionMember, error) {
	switch key {
	case "toolUse":
		return decodeAs(inner, ToolUseStart{})
	case "toolResult":
		return decodeAs(inner, ToolResultStart{})
	case "image":
		return decodeAs(inner, ImageStart{})
	}
	return unknownMember(key, inner), nil
}

// ContentBlockDelta is a piece of a content block: TextDelta, ToolUseDelta,
// ToolResultDelta, ReasoningTextDelta, ReasoningSignatureDelta,
// RedactedReasoningDelta, CitationDelta, ImageDelta, or UnknownBlock.
type ContentBlockDelta interface {
	unionMember
	isContentBlockDelta()
}

func (UnknownBlock) isContentBlockDelta() {}

// TextDelta is a piece of text.
type TextDelta struct {
	Text string
}

// ToolUseDelta is a piece of a tool's JSON input; the pieces of a block
// joined are the input.
type ToolUseDelta struct {
	Input string `json:"input"`
}

// ToolResultDelta is a piece of the result of a tool the service ran; its
// content holds TextBlock and JSONBlock values.
type ToolResultDelta struct {
	Content []ToolResultContent
}

// ReasoningTextDelta is a piece of reasoning text.
type ReasoningTextDelta struct {
	Text string
}

// ReasoningSignatureDelta is the signature of the reasoning text.
type ReasoningSignatureDelta struct {
	Signature string
}

// RedactedReasoningDelta is reasoning the provider encrypted.
type RedactedReasoningDelta struct {
	Data []byte
}

// CitationDelta is a citation for the block's text.
type CitationDelta Citation

// ImageDelta carries a generated image, or the error that replaced it.
type ImageDelta struct {
	Source Source
	Error  *ErrorBlock
}

func (TextDelta) unionKey() string                   { return "text" }
func (ToolUseDelta) unionKey() string                { return "toolUse" }
func (ToolResultDelta) unionKey() string             { return "toolResult" }
func (ReasoningTextDelta) unionKey() string          { return "reasoningContent" }
func (ReasoningSignatureDelta) unionKey() string     { return "reasoningContent" }
func (RedactedReasoningDelta) unionKey() string      { return "reasoningContent" }
func (CitationDelta) unionKey() string               { return "citation" }
func (ImageDelta) unionKey() string                  { return "image" }
func (TextDelta) isContentBlockDelta()               {}
func (ToolUseDelta) isContentBlockDelta()            {}
func (ToolResultDelta) isContentBlockDelta()         {}
func (ReasoningTextDelta) isContentBlockDelta()      {}
func (ReasoningSignatureDelta) isContentBlockDelta() {}
func (RedactedReasoningDelta) isContentBlockDelta()  {}
func (CitationDelta) isContentBlockDelta()           {}
func (ImageDelta) isContentBlockDelta()              {}

// MarshalJSON writes the text as a JSON string, its wire shape.
func (d TextDelta) MarshalJSON() ([]byte, error) { return json.Marshal(d.Text) }

// UnmarshalJSON reads a JSON string.
func (d *TextDelta) UnmarshalJSON(data []byte) error { return json.Unmarshal(data, &d.Text) }

// MarshalJSON writes the content list, its wire shape.
func (d ToolResultDelta) MarshalJSON() ([]byte, error) {
	c := toolResultContentList(d.Content)
	if c == nil {
		c = toolResultContentList{}
	}
	return c.MarshalJSON()
}

// UnmarshalJSON reads the content list.
func (d *ToolResultDelta) UnmarshalJSON(data []byte) error {
	var c toolResultContentList
	if err := c.UnmarshalJSON(data); err != nil {
		return err
	}
	d.Content = c
	return nil
}

// MarshalJSON writes {"text":…}, the member of the reasoning delta union.
func (d ReasoningTextDelta) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		T string `json:"text"`
	}{d.Text})
}

// MarshalJSON writes {"signature":…}, the member of the reasoning delta union.
func (d ReasoningSignatureDelta) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		S string `json:"signature"`
	}{d.Signature})
}

// MarshalJSON writes {"redactedContent":…}, the member of the reasoning
// delta union.
func (d RedactedReasoningDelta) MarshalJSON() ([]byte, error) {
	r := d.Data
	if r == nil {
		r = []byte{}
	}
	return json.Marshal(struct {
		R []byte `json:"redactedContent"`
	}{r})
}

// UnmarshalJSON reads {"redactedContent":…}.
func (d *RedactedReasoningDelta) UnmarshalJSON(data []byte) error {
	var w struct {
		R []byte `json:"redactedContent"`
	}
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	if w.R == nil {
		w.R = []byte{}
	}
	d.Data = w.R
	return nil
}

// MarshalJSON writes the citation in Bedrock's wire shape.
func (d CitationDelta) MarshalJSON() ([]byte, error) { return Citation(d).MarshalJSON() }

// UnmarshalJSON reads a citation in Bedrock's wire shape.
func (d *CitationDelta) UnmarshalJSON(data []byte) error { return (*Citation)(d).UnmarshalJSON(data) }

type imageDeltaWire struct {
	Source *sourceOne  `json:"source,omitempty"`
	Error  *ErrorBlock `json:"error,omitempty"`
}

// MarshalJSON writes the image delta in Bedrock's wire shape.
func (d ImageDelta) MarshalJSON() ([]byte, error) {
	return json.Marshal(imageDeltaWire{oneSource(d.Source), d.Error})
}

// UnmarshalJSON reads an image delta in Bedrock's wire shape.
func (d *ImageDelta) UnmarshalJSON(data []byte) error {
	var w imageDeltaWire
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	*d = ImageDelta{w.Source.get(), w.Error}
	return nil
}

func decodeContentBlockDelta(key string, inner json.RawMessage) (unionMember, error) {
	switch key {
	case "text":
		return decodeAs(inner, TextDelta{})
	case "toolUse":
		return decodeAs(inner, ToolUseDelta{})
	case "toolResult":
		return decodeAs(inner, ToolResultDelta{})
	case "citation":
		return decodeAs(inner, CitationDelta{})
	case "image":
		return decodeAs(inner, ImageDelta{})
	case "reasoningContent":
		k, v, err := splitUnion(inner)
		if err != nil {
			return nil, err
		}
		switch k {
		case "text":
			var s string
			err := json.Unmarshal(v, &s)
			return ReasoningTextDelta{s}, err
		case "signature":
			var s string
			err := json.Unmarshal(v, &s)
			return ReasoningSignatureDelta{s}, err
		case "redactedContent":
			var b []byte
			err := json.Unmarshal(v, &b)
			if b == nil {
				b = []byte{}
			}
			return RedactedReasoningDelta{b}, err
		}
	}
	return unknownMember(key, inner), nil
}

// decodeConverseEvent turns one event-stream event into a
// ConverseStreamEvent. The padding member "p" Bedrock adds to every payload
// is ignored.
func decodeConverseEvent(eventType string, payload []byte) (ConverseStreamEvent, bool, error) {
	var (
		ev  ConverseStreamEvent
		err error
	)
	switch eventType {
	case "contentBlockDelta":
		if e, ok := parseTextDeltaFast(payload); ok {
			return e, false, nil
		}
		var e ContentBlockDeltaEvent
		err = json.Unmarshal(payload, &e)
		ev = e
	case "contentBlockStart":
		var e ContentBlockStartEvent
		err = json.Unmarshal(payload, &e)
		ev = e
	case "contentBlockStop":
		var e ContentBlockStopEvent
		err = json.Unmarshal(payload, &e)
		ev = e
	case "messageStart":
		var e MessageStartEvent
		err = json.Unmarshal(payload, &e)
		ev = e
	case "messageStop":
		var e MessageStopEvent
		err = json.Unmarshal(payload, &e)
		ev = e
	case "metadata":
		var e MetadataEvent
		err = json.Unmarshal(payload, &e)
		ev = e
	default:
		ev = UnknownEvent{Type: eventType, Payload: bytes.Clone(payload)}
	}
	if err != nil {
		return nil, false, fmt.Errorf("decoding %s event: %w", eventType, err)
	}
	return ev, false, nil
}
