package eventstream

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestMessageHeader(t *testing.T) {
	m := &Message{Headers: []Header{
		{"a", IntValue(1)},
		{"b", StringValue("x")},
		{"a", IntValue(2)},
	}}
	tests := []struct {
		name   string
		want   Value
		wantOK bool
	}{
		{"a", IntValue(1), true}, // the first of two
		{"b", StringValue("x"), true},
		{"B", Value{}, false}, // names are case-sensitive
		{"", Value{}, false},
	}
	for _, tc := range tests {
		v, ok := m.Header(tc.name)
		if ok != tc.wantOK || !v.Equal(tc.want) {
			t.Errorf("Header(%q) = %v, %v; want %v, %v", tc.name, v, ok, tc.want, tc.wantOK)
		}
	}
}

// TestEventSemantics classifies the messages AWS streams carry and reads
// their headers.
func TestEventSemantics(t *testing.T) {
	type semantics struct {
		Type                                                           string
		EventType, ExceptionType, ErrorCode, ErrorMessage, ContentType string
	}
	read := func(m *Message) semantics {
		return semantics{m.Type().String(), m.EventType(), m.ExceptionType(), m.ErrorCode(), m.ErrorMessage(), m.ContentType()}
	}
	tests := []struct {
		name string
		m    *Message
		want semantics
	}{
		{"event", NewEvent("contentBlockDelta", "application/json", []byte("{}")),
			semantics{Type: "event", EventType: "contentBlockDelta", ContentType: "application/json"}},
		{"event without content type", NewEvent("chunk", "", nil),
			semantics{Type: "event", EventType: "chunk"}},
		{"exception", NewException("throttlingException", "application/json", []byte(`{"message":"slow down"}`)),
			semantics{Type: "exception", ExceptionType: "throttlingException", ContentType: "application/json"}},
		{"error", NewError("InternalFailure", "boom"),
			semantics{Type: "error", ErrorCode: "InternalFailure", ErrorMessage: "boom"}},
		{"no headers", &Message{}, semantics{Type: "unknown"}},
		{"unknown message type", &Message{Headers: []Header{{HeaderMessageType, StringValue("Event")}}},
			semantics{Type: "unknown"}},
		{"message type not a string", &Message{Headers: []Header{
			{HeaderMessageType, BytesValue([]byte("event"))},
			{HeaderEventType, IntValue(1)},
		}}, semantics{Type: "unknown"}},
	}
	for _, tc := range tests {
		if diff := cmp.Diff(tc.want, read(tc.m)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
	if got := MessageType(9).String(); got != "unknown" {
		t.Errorf("MessageType(9) = %q", got)
	}
}

// TestEventSemanticsAllocateNothing reads the semantics of a decoded
// message without allocating.
func TestEventSemanticsAllocateNothing(t *testing.T) {
	m := NewEvent("contentBlockDelta", "application/json", []byte("{}"))
	allocs := testing.AllocsPerRun(100, func() {
		if m.Type() != EventMessage || m.EventType() == "" || m.ContentType() == "" || m.ErrorCode() != "" {
			t.Fatal("wrong semantics")
		}
		if _, ok := m.Header(HeaderEventType); !ok {
			t.Fatal("no :event-type")
		}
	})
	if allocs != 0 {
		t.Errorf("%v allocations, want 0", allocs)
	}
}

// TestClone: a clone survives the decoder reusing its buffer, and shares
// no memory with the original.
func TestClone(t *testing.T) {
	wire := mustAppend(nil, &Message{
		Headers: []Header{{"sig", BytesValue([]byte{1, 2, 3})}, {"s", StringValue("text")}},
		Payload: []byte("first"),
	})
	wire = mustAppend(wire, &Message{
		Headers: []Header{{"sig", BytesValue([]byte{9, 9, 9})}, {"s", StringValue("other")}},
		Payload: []byte("later"),
	})
	d := NewDecoder(bytes.NewReader(wire), WithBufferSize(64))
	m, err := d.Decode()
	if err != nil {
		t.Fatal(err)
	}
	c := m.Clone()
	want := &Message{
		Headers: []Header{{"sig", BytesValue([]byte{1, 2, 3})}, {"s", StringValue("text")}},
		Payload: []byte("first"),
	}
	if diff := cmp.Diff(want, c, cmpMessages); diff != "" {
		t.Fatalf("clone (-want +got):\n%s", diff)
	}
	if _, err := d.Decode(); err != nil {
		t.Fatal(err)
	}
	// Scribble over the decoder's buffer: the clone must not change.
	for i := range d.buf {
		d.buf[i] = 0xee
	}
	if diff := cmp.Diff(want, c, cmpMessages); diff != "" {
		t.Errorf("clone after the buffer changed (-want +got):\n%s", diff)
	}
	// Appending to the clone's slices must not write into each other.
	b, _ := c.Headers[0].Value.Bytes()
	_ = append(b, 0xaa)
	if string(c.Payload) != "first" {
		t.Errorf("append to a cloned value overwrote the payload: %q", c.Payload)
	}
	if (*Message)(nil).Clone() != nil {
		t.Error("nil.Clone() != nil")
	}
	if got := (&Message{}).Clone(); got.Headers != nil || got.Payload != nil {
		t.Errorf("empty clone = %+v", got)
	}
}
