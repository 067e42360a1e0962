package eventstream

import (
	"bytes"
	"io"
	"slices"
	"strconv"
	"testing"
)

// TestDecodeAllocatesNothing decodes a steady stream: well-known strings,
// strings the decoder has seen before, byte arrays and payloads cost no
// allocation per message.
func TestDecodeAllocatesNothing(t *testing.T) {
	var stream []byte
	for i := range 100 {
		stream = mustAppend(stream, contentBlockDelta(i, 72))
		stream = mustAppend(stream, &Message{
			Headers: []Header{
				{"x-request-id", StringValue("req-" + strconv.Itoa(i%3))}, // repeated, not well known
				{HeaderDate, TimestampMillisValue(int64(i))},
				{HeaderChunkSignature, BytesValue(bytes.Repeat([]byte{byte(i)}, 32))},
				{"id", UUIDValue(testUUID)},
			},
			Payload: bytes.Repeat([]byte("p"), i),
		})
	}
	var r bytes.Reader
	d := NewDecoder(&r, WithBufferSize(4096))
	decodeAll := func() {
		r.Reset(stream)
		d.Reset(&r)
		for {
			if _, err := d.Decode(); err == io.EOF {
				return
			} else if err != nil {
				t.Fatal(err)
			}
		}
	}
	decodeAll() // warm up: the buffer and the intern table
	if allocs := testing.AllocsPerRun(20, decodeAll); allocs != 0 {
		t.Errorf("%v allocations per stream of 200 messages, want 0", allocs)
	}
}

// TestInternTableBounded: a stream of ever-new strings keeps the intern
// table within its bounds, and the strings are right.
func TestInternTableBounded(t *testing.T) {
	var stream []byte
	const n = 3 * internMaxEntries
	for i := range n {
		stream = mustAppend(stream, &Message{Headers: []Header{
			{"name-" + strconv.Itoa(i), StringValue("value-" + strconv.Itoa(i))},
			{"long", StringValue(string(bytes.Repeat([]byte{'a' + byte(i%26)}, internMaxLen+1)))},
		}})
	}
	d := NewDecoder(bytes.NewReader(stream))
	for i := range n {
		m, err := d.Decode()
		if err != nil {
			t.Fatal(err)
		}
		v, _ := m.Header("name-" + strconv.Itoa(i))
		if s, _ := v.Str(); s != "value-"+strconv.Itoa(i) {
			t.Fatalf("message %d: value %q", i, s)
		}
		if len(d.strs.m) > internMaxEntries {
			t.Fatalf("intern table holds %d strings, bound %d", len(d.strs.m), internMaxEntries)
		}
	}
	for s := range d.strs.m {
		if len(s) > internMaxLen {
			t.Fatalf("intern table kept a string of %d bytes", len(s))
		}
	}
}

// TestKnownStrings: every well-known string comes back as itself.
func TestKnownStrings(t *testing.T) {
	for _, s := range []string{HeaderMessageType, HeaderEventType, HeaderContentType, HeaderExceptionType,
		HeaderErrorCode, HeaderErrorMessage, HeaderDate, HeaderChunkSignature, "event", "exception", "error",
		"application/json", "contentBlockDelta", "chunk", "throttlingException", "initial-response"} {
		if got, ok := knownString([]byte(s)); !ok || got != s {
			t.Errorf("knownString(%q) = %q, %v", s, got, ok)
		}
	}
	if _, ok := knownString([]byte("Event")); ok {
		t.Error(`knownString("Event") matched`)
	}
}

// TestBufferGrowth: a message larger than the buffer grows it (to at most
// twice what arrived), and the messages around it decode.
func TestBufferGrowth(t *testing.T) {
	big := &Message{Headers: []Header{{"n", IntValue(1)}}, Payload: bytes.Repeat([]byte("0123456789"), 10000)}
	small := NewEvent("chunk", "application/json", []byte(`{}`))
	stream := mustAppend(mustAppend(mustAppend(nil, small), big), small)
	d := NewDecoder(bytes.NewReader(stream), WithBufferSize(100))
	for i, want := range []*Message{small, big, small} {
		got, err := d.Decode()
		if err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
		if !equalMessages(want, got) {
			t.Fatalf("message %d differs", i)
		}
	}
	if _, err := d.Decode(); err != io.EOF {
		t.Fatalf("end: %v", err)
	}
	if len(d.buf) < len(stream)-2*len(mustAppend(nil, small)) || len(d.buf) > 2*len(stream) {
		t.Errorf("buffer of %d bytes after a message of %d", len(d.buf), len(stream))
	}
}

// TestDecoderEOFAndReset: io.EOF is sticky, InputOffset counts the stream,
// and Reset starts over on a new reader.
func TestDecoderEOFAndReset(t *testing.T) {
	wire := readHex(t, "vectors/back-to-back.hex")
	d := NewDecoder(bytes.NewReader(wire))
	var offsets []int64
	for {
		_, err := d.Decode()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		offsets = append(offsets, d.InputOffset())
	}
	if want := []int64{129, 292, 470, 583}; !slices.Equal(offsets, want) {
		t.Errorf("offsets %v, want %v", offsets, want)
	}
	if _, err := d.Decode(); err != io.EOF {
		t.Errorf("after the end: %v, want io.EOF again", err)
	}
	d.Reset(bytes.NewReader(wire[:129]))
	m, err := d.Decode()
	if err != nil || m.EventType() != "messageStart" || d.InputOffset() != 129 {
		t.Errorf("after Reset: %v, %v, offset %d", m, err, d.InputOffset())
	}
}

// TestOptionBounds: caps are clamped to 0..1 GiB, so their sum cannot
// overflow, and a negative cap refuses every part.
func TestOptionBounds(t *testing.T) {
	d := NewDecoder(nil, WithMaxPayloadLength(1<<62), WithMaxHeadersLength(-5), WithBufferSize(1))
	if d.lim != (limits{maxHeaders: 0, maxPayload: 1 << 30}) || d.bufSize != 64 {
		t.Errorf("limits %+v, buffer %d", d.lim, d.bufSize)
	}
	wire := readHex(t, "vectors/aws-c-payload.hex")
	if _, err := NewDecoder(bytes.NewReader(wire), WithMaxPayloadLength(1<<62)).Decode(); err != nil {
		t.Errorf("huge cap: %v", err)
	}
}

// TestSmallInMemoryInput: a decoder over a small in-memory reader does not
// allocate a full-size buffer.
func TestSmallInMemoryInput(t *testing.T) {
	wire := readHex(t, "vectors/aws-c-header.hex")
	d := NewDecoder(bytes.NewReader(wire))
	if _, err := d.Decode(); err != nil {
		t.Fatal(err)
	}
	if len(d.buf) != 64 {
		t.Errorf("buffer of %d bytes for a %d-byte input", len(d.buf), len(wire))
	}
	if _, err := d.Decode(); err != io.EOF {
		t.Errorf("end: %v", err)
	}
}
