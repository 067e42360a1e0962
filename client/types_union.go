package client

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
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

// marshalUnion writes {"<key>":<member JSON>}.
func marshalUnion(m unionMember) ([]byte, error) {
	if m == nil {
		return nil, errors.New("nil union member")
	}
	var inner []byte
	key := m.unionKey()
	if u, ok := m.(UnknownBlock); ok {
		if u.Name == "" {
			return nil, errors.New("UnknownBlock with empty Name")
		}
		if !json.Valid(u.Raw) {
			return nil, fmt.Errorf("UnknownBlock %q: Raw is not valid JSON", u.Name)
		}
		inner = u.Raw
	} else {
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

// decodeMember decodes one union object into the member type its key names,
// or into an UnknownBlock for a key this client does not know.
func decodeMember[T unionMember](data []byte) (T, error) {
	var zero T
	key, inner, err := splitUnion(data)
	if err != nil {
		return zero, err
	}
	var m unionMember
	switch any(&zero).(type) {
	case *ContentBlock:
		m, err = decodeContentBlock(key, inner)
	case *SystemBlock:
		m, err = decodeSystemBlock(key, inner)
	case *ToolResultContent:
		m, err = decodeToolResultContent(key, inner)
	case *Source:
		m, err = decodeSource(key, inner)
	case *GuardrailContent:
		m, err = decodeGuardrailContent(key, inner)
	case *CitationLocation:
		m, err = decodeCitationLocation(key, inner)
	case *Tool:
		m, err = decodeTool(key, inner)
	case *ToolChoice:
		m, err = decodeToolChoice(key, inner)
	case *ContentBlockStart:
		m, err = decodeContentBlockStart(key, inner)
	case *ContentBlockDelta:
		m, err = decodeContentBlockDelta(key, inner)
	case *AutomatedReasoningFinding:
		m, err = decodeAutomatedReasoningFinding(key, inner)
	default:
		return zero, fmt.Errorf("internal error: no decoder for union %T", zero)
	}
	if err != nil {
		return zero, fmt.Errorf("%s: %w", key, err)
	}
	t, ok := m.(T)
	if !ok {
		return zero, fmt.Errorf("internal error: %T is not a %T", m, zero)
	}
	return t, nil
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

// unionList is a list of union members; a []ContentBlock converts to
// unionList[ContentBlock] without copying.
type unionList[T unionMember] []T

// MarshalJSON writes each member wrapped in its one-key object.
func (l unionList[T]) MarshalJSON() ([]byte, error) {
	buf := []byte{'['}
	for i, m := range l {
		if i > 0 {
			buf = append(buf, ',')
		}
		b, err := marshalUnion(m)
		if err != nil {
			return nil, fmt.Errorf("[%d]: %w", i, err)
		}
		buf = append(buf, b...)
	}
	return append(buf, ']'), nil
}

// UnmarshalJSON decodes a list of one-key objects.
func (l *unionList[T]) UnmarshalJSON(data []byte) error {
	var raws []json.RawMessage
	if err := json.Unmarshal(data, &raws); err != nil {
		return err
	}
	if raws == nil {
		*l = nil
		return nil
	}
	out := make([]T, len(raws))
	for i, r := range raws {
		m, err := decodeMember[T](r)
		if err != nil {
			return fmt.Errorf("[%d]: %w", i, err)
		}
		out[i] = m
	}
	*l = out
	return nil
}

// unionOne holds one union value in a wire struct; use a *unionOne with
// omitempty for an optional member.
type unionOne[T unionMember] struct{ v T }

// one returns nil for a nil member, so that omitempty leaves it out.
func one[T unionMember](v T) *unionOne[T] {
	if any(v) == nil {
		return nil
	}
	return &unionOne[T]{v}
}

// get returns the member, or the zero T for a nil *unionOne.
func (u *unionOne[T]) get() T {
	if u == nil {
		var zero T
		return zero
	}
	return u.v
}

// MarshalJSON writes the member wrapped in its one-key object.
func (u unionOne[T]) MarshalJSON() ([]byte, error) { return marshalUnion(u.v) }

// UnmarshalJSON decodes a one-key object.
func (u *unionOne[T]) UnmarshalJSON(data []byte) error {
	m, err := decodeMember[T](data)
	if err != nil {
		return err
	}
	u.v = m
	return nil
}
