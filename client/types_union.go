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
// (the inner shape), and unionKey names the member on the wire; each union's
// key function (contentBlockKey, …) calls it for the members of that union
// only. Containers (Message, ToolResultBlock, …) wrap and unwrap the members
// through the wire types at the end of this file.
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
			if key = embeddedKey(reflect.ValueOf(v), keyOf, 0); key == "" {
				return nil, fmt.Errorf("%T is not a member of this union", m)
			}
		}
		var err error
		if inner, err = json.Marshal(m); err != nil {
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

// embeddedKey returns the key of the member a struct embeds, the way a type
// of another package joins a union (the member's unionKey is promoted to
// it), or "".
func embeddedKey(rv reflect.Value, keyOf func(any) string, depth int) string {
	if rv.Kind() != reflect.Struct || depth > 4 {
		return ""
	}
	for i := range rv.NumField() {
		f := rv.Field(i)
		if !rv.Type().Field(i).Anonymous || !f.CanInterface() {
			continue
		}
		if f.Kind() == reflect.Pointer {
			if f.IsNil() {
				continue
			}
			f = f.Elem()
		}
		if key := keyOf(f.Interface()); key != "" {
			return key
		}
		if key := embeddedKey(f, keyOf, depth+1); key != "" {
			return key
		}
	}
	return ""
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

// The members of each union and their names on the wire: a type switch,
// not a call of unionKey through the interface, so that a program links the
// unionKey methods of the unions it writes only, not of every type that can
// reach an interface. TestUnionKeysCoverMembers holds them to the members.

// contentBlockKey names a member of ContentBlock, or returns "".
func contentBlockKey(m any) string {
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

// systemBlockKey names a member of SystemBlock, or returns "".
func systemBlockKey(m any) string {
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

// toolResultContentKey names a member of ToolResultContent, or returns "".
func toolResultContentKey(m any) string {
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

// sourceKey names a member of Source, or returns "".
func sourceKey(m any) string {
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

// guardrailContentKey names a member of GuardrailContent, or returns "".
func guardrailContentKey(m any) string {
	switch m := m.(type) {
	case GuardrailImage:
		return m.unionKey()
	case GuardrailText:
		return m.unionKey()
	}
	return ""
}

// citationLocationKey names a member of CitationLocation, or returns "".
func citationLocationKey(m any) string {
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

// toolKey names a member of Tool, or returns "".
func toolKey(m any) string {
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

// toolChoiceKey names a member of ToolChoice, or returns "".
func toolChoiceKey(m any) string {
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

// contentBlockStartKey names a member of ContentBlockStart, or returns "".
func contentBlockStartKey(m any) string {
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

// contentBlockDeltaKey names a member of ContentBlockDelta, or returns "".
func contentBlockDeltaKey(m any) string {
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

// automatedReasoningFindingKey names a member of AutomatedReasoningFinding, or returns "".
func automatedReasoningFindingKey(m any) string {
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

// decodeAs decodes a member's value into a new value of zero's type and
// returns it. One function for every member, typed by a value rather than a
// type parameter: each case of a decoder is then a few instructions, not an
// inlined decoding of its own.
func decodeAs(inner []byte, zero unionMember) (unionMember, error) {
	p := reflect.New(reflect.TypeOf(zero))
	if err := json.Unmarshal(inner, p.Interface()); err != nil {
		return nil, err
	}
	return p.Elem().Interface().(unionMember), nil
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

// The containers of union members in wire structs. Lists marshal with a
// value receiver (a wire struct passed by value is not addressable); an
// optional member is a pointer, nil when unset, so that omitempty leaves it
// out. Each type is spelled out rather than generic: a generic container
// costs a shape function beside every method, with long names, in every
// binary.

// contentBlockList is a []ContentBlock in its wire shape.
type contentBlockList []ContentBlock

// MarshalJSON writes each member wrapped in its one-key object.
func (l contentBlockList) MarshalJSON() ([]byte, error) {
	ms := make([]unionMember, len(l))
	for i, m := range l {
		ms[i] = m
	}
	return marshalUnionList(ms, contentBlockKey)
}

// UnmarshalJSON decodes a list of one-key objects.
func (l *contentBlockList) UnmarshalJSON(data []byte) error {
	ms, err := decodeUnionList(data, decodeContentBlock)
	if err != nil {
		return err
	}
	if ms == nil {
		*l = nil
		return nil
	}
	out := make(contentBlockList, len(ms))
	for i, m := range ms {
		v, ok := m.(ContentBlock)
		if !ok {
			return fmt.Errorf("[%d]: %w", i, notMember(m))
		}
		out[i] = v
	}
	*l = out
	return nil
}

// systemBlockList is a []SystemBlock in its wire shape.
type systemBlockList []SystemBlock

// MarshalJSON writes each member wrapped in its one-key object.
func (l systemBlockList) MarshalJSON() ([]byte, error) {
	ms := make([]unionMember, len(l))
	for i, m := range l {
		ms[i] = m
	}
	return marshalUnionList(ms, systemBlockKey)
}

// UnmarshalJSON decodes a list of one-key objects.
func (l *systemBlockList) UnmarshalJSON(data []byte) error {
	ms, err := decodeUnionList(data, decodeSystemBlock)
	if err != nil {
		return err
	}
	if ms == nil {
		*l = nil
		return nil
	}
	out := make(systemBlockList, len(ms))
	for i, m := range ms {
		v, ok := m.(SystemBlock)
		if !ok {
			return fmt.Errorf("[%d]: %w", i, notMember(m))
		}
		out[i] = v
	}
	*l = out
	return nil
}

// toolResultContentList is a []ToolResultContent in its wire shape.
type toolResultContentList []ToolResultContent

// MarshalJSON writes each member wrapped in its one-key object.
func (l toolResultContentList) MarshalJSON() ([]byte, error) {
	ms := make([]unionMember, len(l))
	for i, m := range l {
		ms[i] = m
	}
	return marshalUnionList(ms, toolResultContentKey)
}

// UnmarshalJSON decodes a list of one-key objects.
func (l *toolResultContentList) UnmarshalJSON(data []byte) error {
	ms, err := decodeUnionList(data, decodeToolResultContent)
	if err != nil {
		return err
	}
	if ms == nil {
		*l = nil
		return nil
	}
	out := make(toolResultContentList, len(ms))
	for i, m := range ms {
		v, ok := m.(ToolResultContent)
		if !ok {
			return fmt.Errorf("[%d]: %w", i, notMember(m))
		}
		out[i] = v
	}
	*l = out
	return nil
}

// toolList is a []Tool in its wire shape.
type toolList []Tool

// MarshalJSON writes each member wrapped in its one-key object.
func (l toolList) MarshalJSON() ([]byte, error) {
	ms := make([]unionMember, len(l))
	for i, m := range l {
		ms[i] = m
	}
	return marshalUnionList(ms, toolKey)
}

// UnmarshalJSON decodes a list of one-key objects.
func (l *toolList) UnmarshalJSON(data []byte) error {
	ms, err := decodeUnionList(data, decodeTool)
	if err != nil {
		return err
	}
	if ms == nil {
		*l = nil
		return nil
	}
	out := make(toolList, len(ms))
	for i, m := range ms {
		v, ok := m.(Tool)
		if !ok {
			return fmt.Errorf("[%d]: %w", i, notMember(m))
		}
		out[i] = v
	}
	*l = out
	return nil
}

// guardrailContentList is a []GuardrailContent in its wire shape.
type guardrailContentList []GuardrailContent

// MarshalJSON writes each member wrapped in its one-key object.
func (l guardrailContentList) MarshalJSON() ([]byte, error) {
	ms := make([]unionMember, len(l))
	for i, m := range l {
		ms[i] = m
	}
	return marshalUnionList(ms, guardrailContentKey)
}

// UnmarshalJSON decodes a list of one-key objects.
func (l *guardrailContentList) UnmarshalJSON(data []byte) error {
	ms, err := decodeUnionList(data, decodeGuardrailContent)
	if err != nil {
		return err
	}
	if ms == nil {
		*l = nil
		return nil
	}
	out := make(guardrailContentList, len(ms))
	for i, m := range ms {
		v, ok := m.(GuardrailContent)
		if !ok {
			return fmt.Errorf("[%d]: %w", i, notMember(m))
		}
		out[i] = v
	}
	*l = out
	return nil
}

// automatedReasoningFindingList is a []AutomatedReasoningFinding in its wire shape.
type automatedReasoningFindingList []AutomatedReasoningFinding

// MarshalJSON writes each member wrapped in its one-key object.
func (l automatedReasoningFindingList) MarshalJSON() ([]byte, error) {
	ms := make([]unionMember, len(l))
	for i, m := range l {
		ms[i] = m
	}
	return marshalUnionList(ms, automatedReasoningFindingKey)
}

// UnmarshalJSON decodes a list of one-key objects.
func (l *automatedReasoningFindingList) UnmarshalJSON(data []byte) error {
	ms, err := decodeUnionList(data, decodeAutomatedReasoningFinding)
	if err != nil {
		return err
	}
	if ms == nil {
		*l = nil
		return nil
	}
	out := make(automatedReasoningFindingList, len(ms))
	for i, m := range ms {
		v, ok := m.(AutomatedReasoningFinding)
		if !ok {
			return fmt.Errorf("[%d]: %w", i, notMember(m))
		}
		out[i] = v
	}
	*l = out
	return nil
}

// sourceOne holds a Source in a wire struct.
type sourceOne struct{ v Source }

// oneSource returns nil for a nil member.
func oneSource(v Source) *sourceOne {
	if v == nil {
		return nil
	}
	return &sourceOne{v}
}

// get returns the member, or nil for a nil *sourceOne.
func (u *sourceOne) get() Source {
	if u == nil {
		return nil
	}
	return u.v
}

// MarshalJSON writes the member wrapped in its one-key object.
func (u *sourceOne) MarshalJSON() ([]byte, error) { return marshalUnion(u.v, sourceKey) }

// UnmarshalJSON decodes a one-key object.
func (u *sourceOne) UnmarshalJSON(data []byte) error {
	m, err := decodeUnion(data, decodeSource)
	if err != nil {
		return err
	}
	v, ok := m.(Source)
	if !ok {
		return notMember(m)
	}
	u.v = v
	return nil
}

// toolChoiceOne holds a ToolChoice in a wire struct.
type toolChoiceOne struct{ v ToolChoice }

// oneToolChoice returns nil for a nil member.
func oneToolChoice(v ToolChoice) *toolChoiceOne {
	if v == nil {
		return nil
	}
	return &toolChoiceOne{v}
}

// get returns the member, or nil for a nil *toolChoiceOne.
func (u *toolChoiceOne) get() ToolChoice {
	if u == nil {
		return nil
	}
	return u.v
}

// MarshalJSON writes the member wrapped in its one-key object.
func (u *toolChoiceOne) MarshalJSON() ([]byte, error) { return marshalUnion(u.v, toolChoiceKey) }

// UnmarshalJSON decodes a one-key object.
func (u *toolChoiceOne) UnmarshalJSON(data []byte) error {
	m, err := decodeUnion(data, decodeToolChoice)
	if err != nil {
		return err
	}
	v, ok := m.(ToolChoice)
	if !ok {
		return notMember(m)
	}
	u.v = v
	return nil
}

// citationLocationOne holds a CitationLocation in a wire struct.
type citationLocationOne struct{ v CitationLocation }

// oneCitationLocation returns nil for a nil member.
func oneCitationLocation(v CitationLocation) *citationLocationOne {
	if v == nil {
		return nil
	}
	return &citationLocationOne{v}
}

// get returns the member, or nil for a nil *citationLocationOne.
func (u *citationLocationOne) get() CitationLocation {
	if u == nil {
		return nil
	}
	return u.v
}

// MarshalJSON writes the member wrapped in its one-key object.
func (u *citationLocationOne) MarshalJSON() ([]byte, error) {
	return marshalUnion(u.v, citationLocationKey)
}

// UnmarshalJSON decodes a one-key object.
func (u *citationLocationOne) UnmarshalJSON(data []byte) error {
	m, err := decodeUnion(data, decodeCitationLocation)
	if err != nil {
		return err
	}
	v, ok := m.(CitationLocation)
	if !ok {
		return notMember(m)
	}
	u.v = v
	return nil
}

// contentBlockStartOne holds a ContentBlockStart in a wire struct.
type contentBlockStartOne struct{ v ContentBlockStart }

// oneContentBlockStart returns nil for a nil member.
func oneContentBlockStart(v ContentBlockStart) *contentBlockStartOne {
	if v == nil {
		return nil
	}
	return &contentBlockStartOne{v}
}

// get returns the member, or nil for a nil *contentBlockStartOne.
func (u *contentBlockStartOne) get() ContentBlockStart {
	if u == nil {
		return nil
	}
	return u.v
}

// MarshalJSON writes the member wrapped in its one-key object.
func (u *contentBlockStartOne) MarshalJSON() ([]byte, error) {
	return marshalUnion(u.v, contentBlockStartKey)
}

// UnmarshalJSON decodes a one-key object.
func (u *contentBlockStartOne) UnmarshalJSON(data []byte) error {
	m, err := decodeUnion(data, decodeContentBlockStart)
	if err != nil {
		return err
	}
	v, ok := m.(ContentBlockStart)
	if !ok {
		return notMember(m)
	}
	u.v = v
	return nil
}

// contentBlockDeltaOne holds a ContentBlockDelta in a wire struct.
type contentBlockDeltaOne struct{ v ContentBlockDelta }

// oneContentBlockDelta returns nil for a nil member.
func oneContentBlockDelta(v ContentBlockDelta) *contentBlockDeltaOne {
	if v == nil {
		return nil
	}
	return &contentBlockDeltaOne{v}
}

// get returns the member, or nil for a nil *contentBlockDeltaOne.
func (u *contentBlockDeltaOne) get() ContentBlockDelta {
	if u == nil {
		return nil
	}
	return u.v
}

// MarshalJSON writes the member wrapped in its one-key object.
func (u *contentBlockDeltaOne) MarshalJSON() ([]byte, error) {
	return marshalUnion(u.v, contentBlockDeltaKey)
}

// UnmarshalJSON decodes a one-key object.
func (u *contentBlockDeltaOne) UnmarshalJSON(data []byte) error {
	m, err := decodeUnion(data, decodeContentBlockDelta)
	if err != nil {
		return err
	}
	v, ok := m.(ContentBlockDelta)
	if !ok {
		return notMember(m)
	}
	u.v = v
	return nil
}
