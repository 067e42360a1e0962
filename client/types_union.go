package client

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
)

// Bedrock's request and response shapes contain many unions: JSON objects
// with exactly one member set, such as a content block that is either text,
// an image, a document, a tool use, …. This file holds the machinery shared
// by all of them. Each union is a Go interface sealed with an unexported
// method; each member is a concrete type whose own JSON is the member's value
// (the inner shape), and unionKey names the member on the wire. Containers
// (Message, ToolResultBlock, …) wrap and unwrap the members.
//
// A member the client does not know — a newer service may add one — decodes
// into UnknownBlock, which keeps the raw JSON and is written back unchanged.

// unionMember is implemented by every member of every union.
type unionMember interface {
	unionKey() string
}

// UnknownBlock is a union member this client does not know, kept as it came
// so that it can be inspected and sent back unchanged (for example in the
// next turn of a conversation). It implements every union interface of the
// package: ContentBlock, SystemBlock, ToolResultContent, Source, Tool,
// ToolChoice, GuardrailContent, CitationLocation, ContentBlockStart,
// ContentBlockDelta and AutomatedReasoningFinding.
type UnknownBlock struct {
	// Name is the member's name on the wire, e.g. "toolAddition".
	Name string
	// Raw is the member's JSON value.
	Raw json.RawMessage
}

func (u UnknownBlock) unionKey() string { return u.Name }

// errUnionEmpty and errUnionMany report unions that break the one-member rule.
var (
	errUnionEmpty = errors.New("union has no member set")
	errUnionNull  = errors.New("union is null")
)

// marshalUnion writes {"<key>":<member JSON>}, keyOf naming the members of
// m's union. A pointer to a member stands for the member.
func marshalUnion(m unionMember, keyOf func(any) string) ([]byte, error) {
	if m == nil {
		return nil, errors.New("nil union member")
	}
	var v any = m
	if rv := reflect.ValueOf(m); rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return nil, errors.New("nil union member")
		}
		v = rv.Elem().Interface()
	}
	var key string
	var inner []byte
	if u, ok := v.(UnknownBlock); ok {
		if u.Name == "" {
			return nil, errors.New("UnknownBlock with empty Name")
		}
		if !json.Valid(u.Raw) {
			return nil, fmt.Errorf("UnknownBlock %q: Raw is not valid JSON", u.Name)
		}
		key, inner = u.Name, u.Raw
	} else {
		if key = keyOf(v); key == "" {
			return nil, fmt.Errorf("%T is not a member of this union", m)
		}
		var err error
		if inner, err = json.Marshal(v); err != nil {
			return nil, err
		}
	}
	buf := make([]byte, 0, len(inner)+len(key)+6)
	buf = append(buf, '{')
	buf = appendJSONString(buf, key)
	buf = append(buf, ':')
	buf = append(buf, inner...)
	buf = append(buf, '}')
	return buf, nil
}

// appendJSONString appends s as a JSON string.
func appendJSONString(buf []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			q, _ := json.Marshal(s) // a string always marshals
			return append(buf, q...)
		}
	}
	buf = append(buf, '"')
	buf = append(buf, s...)
	return append(buf, '"')
}

// splitUnion returns the one member set in a union object. Members whose
// value is null, and the "__type" member some services add, are ignored.
func splitUnion(data []byte) (key string, inner json.RawMessage, err error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		return "", nil, err
	}
	if m == nil {
		return "", nil, errUnionNull
	}
	n := 0
	for k, v := range m {
		if k == "__type" || string(v) == "null" {
			continue
		}
		n++
		key, inner = k, v
	}
	switch {
	case n == 0:
		return "", nil, errUnionEmpty
	case key == "":
		return "", nil, errors.New("union member with an empty name")
	case n > 1:
		var keys []string
		for k, v := range m {
			if k != "__type" && string(v) != "null" {
				keys = append(keys, k)
			}
		}
		slices.Sort(keys)
		return "", nil, fmt.Errorf("union has %d members set (%q); want exactly one", n, keys)
	}
	return key, inner, nil
}

// unionCodec knows the members of one union: decode decodes the member that
// key names, or keeps an unknown one as an UnknownBlock; key returns the
// wire name of m, a member other than UnknownBlock, or "" if m is not one.
// Each union has its own empty codec type, passed as a type parameter: a
// program links the decoders, and through them the member types, of the
// unions it can meet, not of every union.
type unionCodec interface {
	decode(key string, inner json.RawMessage) (unionMember, error)
	key(m any) string
}

// The codec of each union.
type (
	contentBlockCodec              struct{}
	systemBlockCodec               struct{}
	toolResultContentCodec         struct{}
	sourceCodec                    struct{}
	guardrailContentCodec          struct{}
	citationLocationCodec          struct{}
	toolCodec                      struct{}
	toolChoiceCodec                struct{}
	contentBlockStartCodec         struct{}
	contentBlockDeltaCodec         struct{}
	automatedReasoningFindingCodec struct{}
)

func (contentBlockCodec) decode(k string, v json.RawMessage) (unionMember, error) {
	return decodeContentBlock(k, v)
}

func (systemBlockCodec) decode(k string, v json.RawMessage) (unionMember, error) {
	return decodeSystemBlock(k, v)
}

func (toolResultContentCodec) decode(k string, v json.RawMessage) (unionMember, error) {
	return decodeToolResultContent(k, v)
}

func (sourceCodec) decode(k string, v json.RawMessage) (unionMember, error) {
	return decodeSource(k, v)
}

func (guardrailContentCodec) decode(k string, v json.RawMessage) (unionMember, error) {
	return decodeGuardrailContent(k, v)
}

func (citationLocationCodec) decode(k string, v json.RawMessage) (unionMember, error) {
	return decodeCitationLocation(k, v)
}

func (toolCodec) decode(k string, v json.RawMessage) (unionMember, error) {
	return decodeTool(k, v)
}

func (toolChoiceCodec) decode(k string, v json.RawMessage) (unionMember, error) {
	return decodeToolChoice(k, v)
}

func (contentBlockStartCodec) decode(k string, v json.RawMessage) (unionMember, error) {
	return decodeContentBlockStart(k, v)
}

func (contentBlockDeltaCodec) decode(k string, v json.RawMessage) (unionMember, error) {
	return decodeContentBlockDelta(k, v)
}

func (automatedReasoningFindingCodec) decode(k string, v json.RawMessage) (unionMember, error) {
	return decodeAutomatedReasoningFinding(k, v)
}

// The members of each union and their names on the wire. A type switch, not
// a call of unionKey through the interface: a program then links the
// unionKey methods of the unions it writes only, not of every type that
// can reach an interface.
func (contentBlockCodec) key(m any) string {
	switch m := m.(type) {
	case AudioBlock:
		return m.unionKey()
	case CachePointBlock:
		return m.unionKey()
	case CitationsBlock:
		return m.unionKey()
	case DocumentBlock:
		return m.unionKey()
	case GuardContentBlock:
		return m.unionKey()
	case ImageBlock:
		return m.unionKey()
	case ReasoningBlock:
		return m.unionKey()
	case SearchResultBlock:
		return m.unionKey()
	case TextBlock:
		return m.unionKey()
	case ToolAdditionBlock:
		return m.unionKey()
	case ToolRemovalBlock:
		return m.unionKey()
	case ToolResultBlock:
		return m.unionKey()
	case ToolUseBlock:
		return m.unionKey()
	case VideoBlock:
		return m.unionKey()
	}
	return ""
}

func (systemBlockCodec) key(m any) string {
	switch m := m.(type) {
	case CachePointBlock:
		return m.unionKey()
	case GuardContentBlock:
		return m.unionKey()
	case TextBlock:
		return m.unionKey()
	}
	return ""
}

func (toolResultContentCodec) key(m any) string {
	switch m := m.(type) {
	case DocumentBlock:
		return m.unionKey()
	case ImageBlock:
		return m.unionKey()
	case JSONBlock:
		return m.unionKey()
	case SearchResultBlock:
		return m.unionKey()
	case TextBlock:
		return m.unionKey()
	case VideoBlock:
		return m.unionKey()
	}
	return ""
}

func (sourceCodec) key(m any) string {
	switch m := m.(type) {
	case BytesSource:
		return m.unionKey()
	case ContentSource:
		return m.unionKey()
	case S3Location:
		return m.unionKey()
	case TextSource:
		return m.unionKey()
	}
	return ""
}

func (guardrailContentCodec) key(m any) string {
	switch m := m.(type) {
	case GuardrailImage:
		return m.unionKey()
	case GuardrailText:
		return m.unionKey()
	}
	return ""
}

func (citationLocationCodec) key(m any) string {
	switch m := m.(type) {
	case DocumentCharLocation:
		return m.unionKey()
	case DocumentChunkLocation:
		return m.unionKey()
	case DocumentPageLocation:
		return m.unionKey()
	case SearchResultLocation:
		return m.unionKey()
	case WebLocation:
		return m.unionKey()
	}
	return ""
}

func (toolCodec) key(m any) string {
	switch m := m.(type) {
	case CachePointBlock:
		return m.unionKey()
	case SystemTool:
		return m.unionKey()
	case ToolSpec:
		return m.unionKey()
	}
	return ""
}

func (toolChoiceCodec) key(m any) string {
	switch m := m.(type) {
	case AnyToolChoice:
		return m.unionKey()
	case AutoToolChoice:
		return m.unionKey()
	case SpecificToolChoice:
		return m.unionKey()
	}
	return ""
}

func (contentBlockStartCodec) key(m any) string {
	switch m := m.(type) {
	case ImageStart:
		return m.unionKey()
	case ToolResultStart:
		return m.unionKey()
	case ToolUseStart:
		return m.unionKey()
	}
	return ""
}

func (contentBlockDeltaCodec) key(m any) string {
	switch m := m.(type) {
	case CitationDelta:
		return m.unionKey()
	case ImageDelta:
		return m.unionKey()
	case ReasoningSignatureDelta:
		return m.unionKey()
	case ReasoningTextDelta:
		return m.unionKey()
	case RedactedReasoningDelta:
		return m.unionKey()
	case TextDelta:
		return m.unionKey()
	case ToolResultDelta:
		return m.unionKey()
	case ToolUseDelta:
		return m.unionKey()
	}
	return ""
}

func (automatedReasoningFindingCodec) key(m any) string {
	switch m := m.(type) {
	case ARImpossibleFinding:
		return m.unionKey()
	case ARInvalidFinding:
		return m.unionKey()
	case ARNoTranslationsFinding:
		return m.unionKey()
	case ARSatisfiableFinding:
		return m.unionKey()
	case ARTooComplexFinding:
		return m.unionKey()
	case ARTranslationAmbiguousFinding:
		return m.unionKey()
	case ARValidFinding:
		return m.unionKey()
	}
	return ""
}

// decodeMember decodes one union object into the member type its key names,
// or into an UnknownBlock for a key this client does not know. The work is
// done once, in decodeUnion, not once per union.
func decodeMember[T unionMember, C unionCodec](data []byte) (T, error) {
	var c C
	m, err := decodeUnion(data, c.decode)
	if err != nil {
		var zero T
		return zero, err
	}
	t, ok := m.(T)
	if !ok {
		var zero T
		return zero, notMember(m)
	}
	return t, nil
}

// decodeUnion decodes one union object with decode.
func decodeUnion(data []byte, decode func(string, json.RawMessage) (unionMember, error)) (unionMember, error) {
	key, inner, err := splitUnion(data)
	if err != nil {
		return nil, err
	}
	m, err := decode(key, inner)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", key, err)
	}
	return m, nil
}

// notMember reports a decoder that returned a member of another union.
func notMember(m unionMember) error {
	return fmt.Errorf("internal error: %T is not a member of the union", m)
}

// unknownMember keeps a member this client does not know.
func unknownMember(key string, inner json.RawMessage) UnknownBlock {
	return UnknownBlock{Name: key, Raw: bytes.Clone(inner)}
}

// decodeInto unmarshals a member's value into a fresh T.
func decodeInto[T any](inner []byte) (T, error) {
	var v T
	err := json.Unmarshal(inner, &v)
	return v, err
}

// unionList is a list of union members, decoded by C; a []ContentBlock
// converts to unionList[ContentBlock, contentBlockCodec] without copying.
type unionList[T unionMember, C unionCodec] []T

// MarshalJSON writes each member wrapped in its one-key object.
func (l unionList[T, C]) MarshalJSON() ([]byte, error) {
	ms := make([]unionMember, len(l))
	for i, m := range l {
		ms[i] = m
	}
	var c C
	return marshalUnionList(ms, c.key)
}

// marshalUnionList writes each member wrapped in its one-key object.
func marshalUnionList(ms []unionMember, keyOf func(any) string) ([]byte, error) {
	buf := []byte{'['}
	for i, m := range ms {
		if i > 0 {
			buf = append(buf, ',')
		}
		b, err := marshalUnion(m, keyOf)
		if err != nil {
			return nil, fmt.Errorf("[%d]: %w", i, err)
		}
		buf = append(buf, b...)
	}
	return append(buf, ']'), nil
}

// UnmarshalJSON decodes a list of one-key objects.
func (l *unionList[T, C]) UnmarshalJSON(data []byte) error {
	var c C
	ms, err := decodeUnionList(data, c.decode)
	if err != nil {
		return err
	}
	if ms == nil {
		*l = nil
		return nil
	}
	out := make([]T, len(ms))
	for i, m := range ms {
		t, ok := m.(T)
		if !ok {
			return fmt.Errorf("[%d]: %w", i, notMember(m))
		}
		out[i] = t
	}
	*l = out
	return nil
}

// decodeUnionList decodes a list of one-key objects with decode; null is a
// nil list, [] an empty one.
func decodeUnionList(data []byte, decode func(string, json.RawMessage) (unionMember, error)) ([]unionMember, error) {
	var raws []json.RawMessage
	if err := json.Unmarshal(data, &raws); err != nil {
		return nil, err
	}
	if raws == nil {
		return nil, nil
	}
	ms := make([]unionMember, len(raws))
	for i, r := range raws {
		m, err := decodeUnion(r, decode)
		if err != nil {
			return nil, fmt.Errorf("[%d]: %w", i, err)
		}
		ms[i] = m
	}
	return ms, nil
}

// unionOne holds one union value, decoded by C, in a wire struct; use a
// *unionOne with omitempty for an optional member.
type unionOne[T unionMember, C unionCodec] struct{ v T }

// one returns nil for a nil member, so that omitempty leaves it out.
func one[C unionCodec, T unionMember](v T) *unionOne[T, C] {
	if any(v) == nil {
		return nil
	}
	return &unionOne[T, C]{v}
}

// get returns the member, or the zero T for a nil *unionOne.
func (u *unionOne[T, C]) get() T {
	if u == nil {
		var zero T
		return zero
	}
	return u.v
}

// MarshalJSON writes the member wrapped in its one-key object.
func (u unionOne[T, C]) MarshalJSON() ([]byte, error) {
	var c C
	return marshalUnion(u.v, c.key)
}

// UnmarshalJSON decodes a one-key object.
func (u *unionOne[T, C]) UnmarshalJSON(data []byte) error {
	m, err := decodeMember[T, C](data)
	if err != nil {
		return err
	}
	u.v = m
	return nil
}
