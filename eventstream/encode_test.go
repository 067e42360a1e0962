package eventstream

import (
	"bytes"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestAppendHeadersDate encodes the :date header of a signed envelope
// exactly as eventstream-format.md shows it.
func TestAppendHeadersDate(t *testing.T) {
	date := time.Date(2025, 1, 2, 3, 4, 5, 678_000_000, time.UTC)
	got, err := AppendHeaders([]byte{0xaa}, []Header{{HeaderDate, TimestampValue(date)}})
	if err != nil {
		t.Fatal(err)
	}
	// 1735787045678 ms = 0x0000019424f8632e
	want := "aa" + "05" + hex.EncodeToString([]byte(":date")) + "08" + "0000019424f8632e"
	if diff := cmp.Diff(want, hex.EncodeToString(got)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	got, _ = AppendHeaders(nil, []Header{{HeaderEventType, StringValue("chunk")}})
	// The example in eventstream-format.md §2.
	if want := "0b3a6576656e742d74797065" + "07" + "0005" + "6368756e6b"; hex.EncodeToString(got) != want {
		t.Errorf(":event-type chunk = %x, want %s", got, want)
	}
}

// TestEncodeRefuses: invalid headers and oversize parts are errors, and
// leave dst as it was.
func TestEncodeRefuses(t *testing.T) {
	long := strings.Repeat("n", 256)
	tests := []struct {
		name    string
		m       *Message
		want    error
		wantMsg string
	}{
		{"empty name", &Message{Headers: []Header{{"ok", BoolValue(true)}, {"", BoolValue(true)}}},
			&HeaderError{Offset: -1, Index: 1, Problem: NameLengthZero, Type: TypeTrue},
			"eventstream: header 1: name length 0"},
		{"name of 256 bytes", &Message{Headers: []Header{{long, BoolValue(true)}}},
			&HeaderError{Offset: -1, Name: long[:255] + "…", Problem: NameTooLong, Type: TypeTrue},
			`eventstream: header 0 ("` + long[:255] + `…"): name longer than 255 bytes`},
		{"zero value", &Message{Headers: []Header{{"v", Value{}}}},
			&HeaderError{Offset: -1, Name: "v", Problem: UnknownType, Type: 255},
			`eventstream: header 0 ("v"): unknown value type`},
		{"string of 32768 bytes", &Message{Headers: []Header{{"s", StringValue(strings.Repeat("x", 32768))}}},
			&HeaderError{Offset: -1, Name: "s", Problem: ValueTooLong, Type: TypeString, Length: 32768},
			`eventstream: header 0 ("s"): value longer than 32767 bytes (type string, length 32768)`},
		{"bytes of 40000 bytes", &Message{Headers: []Header{{"b", BytesValue(make([]byte, 40000))}}},
			&HeaderError{Offset: -1, Name: "b", Problem: ValueTooLong, Type: TypeBytes, Length: 40000},
			`eventstream: header 0 ("b"): value longer than 32767 bytes (type bytes, length 40000)`},
		{"payload over 24 MiB", &Message{Payload: make([]byte, MaxPayloadLength+1)},
			&EncodeError{Field: PayloadLength, Length: MaxPayloadLength + 1, Max: MaxPayloadLength},
			"eventstream: cannot encode message: payload length 25165825 exceeds the limit of 25165824"},
		{"headers over 128 KiB", &Message{Headers: manyHeaders(5)},
			&EncodeError{Field: HeadersLength, Length: 5 * (1 + 2 + 1 + 2 + 32767), Max: MaxHeadersLength},
			"eventstream: cannot encode message: headers length 163865 exceeds the limit of 131072"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dst := []byte("keep")
			got, err := AppendMessage(dst, tc.m)
			if diff := cmp.Diff(tc.want, err); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
			if err != nil && err.Error() != tc.wantMsg {
				t.Errorf("error text:\n got %s\nwant %s", err, tc.wantMsg)
			}
			if string(got) != "keep" {
				t.Errorf("dst changed to %.20q...", got)
			}
			var w bytes.Buffer
			if err := NewEncoder(&w).Encode(tc.m); err == nil || w.Len() != 0 {
				t.Errorf("Encoder: err %v, wrote %d bytes", err, w.Len())
			}
		})
	}
}

func manyHeaders(n int) []Header {
	hs := make([]Header, n)
	for i := range hs {
		hs[i] = Header{Name: "h" + string(rune('0'+i)), Value: StringValue(strings.Repeat("v", MaxHeaderValueLength))}
	}
	return hs
}

// TestEncodeLimitsAccepted: the largest valid parts encode and decode.
func TestEncodeLimitsAccepted(t *testing.T) {
	// Three headers of 32,773 bytes and one that fills the block to 128 KiB.
	last := MaxHeadersLength - 3*(1+2+1+2+MaxHeaderValueLength) - (1 + 255 + 1 + 2)
	m := &Message{
		Headers: append(manyHeaders(3), Header{strings.Repeat("n", 255), BytesValue(make([]byte, last))}),
		Payload: make([]byte, MaxPayloadLength),
	}
	wire, err := AppendMessage(nil, m)
	if err != nil {
		t.Fatal(err)
	}
	if want := MinMessageLength + MaxHeadersLength + MaxPayloadLength; len(wire) != want {
		t.Fatalf("message of %d bytes, want %d", len(wire), want)
	}
	got, err := NewDecoder(bytes.NewReader(wire)).Decode()
	if err != nil {
		t.Fatal(err)
	}
	if !equalMessages(m, got) {
		t.Error("largest message does not round-trip")
	}
}

type failWriter struct{ err error }

func (w failWriter) Write(p []byte) (int, error) { return 0, w.err }

func TestEncoderWriteError(t *testing.T) {
	boom := errors.New("broken pipe")
	if err := NewEncoder(failWriter{boom}).Encode(NewError("a", "b")); err != boom {
		t.Errorf("err = %v, want %v", err, boom)
	}
}

// TestEncoderOneWrite: each message is one Write of its exact bytes.
func TestEncoderOneWrite(t *testing.T) {
	var writes [][]byte
	e := NewEncoder(writerFunc(func(p []byte) (int, error) {
		writes = append(writes, append([]byte{}, p...))
		return len(p), nil
	}))
	msgs := knownAnswers[len(knownAnswers)-2].msgs // back-to-back
	for _, m := range msgs {
		if err := e.Encode(m); err != nil {
			t.Fatal(err)
		}
	}
	var want [][]byte
	for _, m := range msgs {
		want = append(want, mustAppend(nil, m))
	}
	if diff := cmp.Diff(want, writes); diff != "" {
		t.Errorf("writes (-want +got):\n%s", diff)
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// TestEncodeAllocatesNothing: appending to a buffer with room, and an
// Encoder in steady state, do not allocate.
func TestEncodeAllocatesNothing(t *testing.T) {
	m := contentBlockDelta(1, 72)
	buf := make([]byte, 0, 1024)
	e := NewEncoder(writerFunc(func(p []byte) (int, error) { return len(p), nil }))
	allocs := testing.AllocsPerRun(100, func() {
		var err error
		if buf, err = AppendMessage(buf[:0], m); err != nil {
			t.Fatal(err)
		}
		if err := e.Encode(m); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("%v allocations per message, want 0", allocs)
	}
}
