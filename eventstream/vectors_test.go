package eventstream

import (
	"bytes"
	"encoding/hex"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// readHex reads an annotated hex file from testdata: everything after a '#'
// on a line is a comment, whitespace is ignored, the rest is hex digits.
func readHex(t testing.TB, name string) []byte {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	var digits strings.Builder
	for line := range strings.SplitSeq(string(src), "\n") {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		digits.WriteString(strings.Join(strings.Fields(line), ""))
	}
	b, err := hex.DecodeString(digits.String())
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return b
}

// cmpMessages compares messages through their exported fields and their
// values' Equal method.
var cmpMessages = cmp.Options{
	cmp.Comparer(func(a, b Value) bool { return a.Equal(b) }),
}

var fooBar = []byte("{'foo':'bar'}")

// knownAnswers pairs each vector file with the messages it holds.
var knownAnswers = []struct {
	file string
	msgs []*Message
}{
	{"vectors/aws-c-empty.hex", []*Message{{}}},
	{"vectors/aws-c-payload.hex", []*Message{{Payload: fooBar}}},
	{"vectors/aws-c-header.hex", []*Message{{
		Headers: []Header{{"content-type", StringValue("application/json")}},
		Payload: fooBar,
	}}},
	{"vectors/every-type.hex", []*Message{{Headers: []Header{
		{"bool-true", BoolValue(true)},
		{"bool-false", BoolValue(false)},
		{"byte", ByteValue(-2)},
		{"short", ShortValue(-300)},
		{"int", IntValue(70000)},
		{"long", LongValue(0x0102030405060708)},
		{"bytes", BytesValue([]byte{0x00, 0xff, 0x10})},
		{"string", StringValue("héllo")},
		{":date", TimestampValue(time.Date(2023, 11, 14, 22, 13, 20, 123456789, time.UTC))},
		{"uuid", UUIDValue([16]byte{0x0f, 0x8f, 0xad, 0x5b, 0xd9, 0xcb, 0x46, 0x9f, 0xa1, 0x65, 0x70, 0x86, 0x77, 0x28, 0x95, 0x0e})},
	}}}},
	{"vectors/edge-values.hex", []*Message{{
		Headers: []Header{
			{"byte-min", ByteValue(math.MinInt8)},
			{"byte-max", ByteValue(math.MaxInt8)},
			{"short-max", ShortValue(math.MaxInt16)},
			{"int-min", IntValue(math.MinInt32)},
			{"long-max", LongValue(math.MaxInt64)},
			{"long-min", LongValue(math.MinInt64)},
			{"empty-string", StringValue("")},
			{"empty-bytes", BytesValue(nil)},
			{"before-epoch", TimestampMillisValue(-1)},
			{"uuid-max", UUIDValue([16]byte{0: 0xff, 1: 0xff, 2: 0xff, 3: 0xff, 4: 0xff, 5: 0xff, 6: 0xff, 7: 0xff, 8: 0xff, 9: 0xff, 10: 0xff, 11: 0xff, 12: 0xff, 13: 0xff, 14: 0xff, 15: 0xff})},
			{strings.Repeat("x", 255), BoolValue(true)},
		},
		Payload: []byte{0x00, 0x01, 0x02, 0xff},
	}}},
	{"vectors/back-to-back.hex", []*Message{
		NewEvent("messageStart", "application/json", []byte(`{"role":"assistant","p":"abcd"}`)),
		NewEvent("contentBlockDelta", "application/json", []byte(`{"contentBlockIndex":0,"delta":{"text":"Hi"},"p":"abcdefgh"}`)),
		NewException("throttlingException", "application/json", []byte(`{"message":"Too many requests, please wait before trying again."}`)),
		NewError("InternalFailure", "An internal error occurred."),
	}},
	{"vectors/signed-envelope.hex", []*Message{{
		Headers: []Header{
			{HeaderDate, TimestampMillisValue(1700000000000)},
			{HeaderChunkSignature, BytesValue([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31})},
		},
		Payload: mustAppend(nil, NewEvent("chunk", "application/json", []byte(`{"bytes":"e30="}`))),
	}}},
}

// mustAppend is AppendMessage for messages known to be valid.
func mustAppend(dst []byte, m *Message) []byte {
	b, err := AppendMessage(dst, m)
	if err != nil {
		panic(err)
	}
	return b
}

func TestKnownAnswersDecode(t *testing.T) {
	for _, tc := range knownAnswers {
		t.Run(tc.file, func(t *testing.T) {
			wire := readHex(t, tc.file)
			d := NewDecoder(bytes.NewReader(wire))
			var got []*Message
			for {
				m, err := d.Decode()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatalf("Decode: %v", err)
				}
				got = append(got, m.Clone())
			}
			if diff := cmp.Diff(tc.msgs, got, cmpMessages); diff != "" {
				t.Errorf("decoded messages (-want +got):\n%s", diff)
			}
			if d.InputOffset() != int64(len(wire)) {
				t.Errorf("InputOffset = %d, want %d", d.InputOffset(), len(wire))
			}
		})
	}
}

func TestKnownAnswersEncode(t *testing.T) {
	for _, tc := range knownAnswers {
		t.Run(tc.file, func(t *testing.T) {
			want := readHex(t, tc.file)
			var got []byte
			for _, m := range tc.msgs {
				var err error
				if got, err = AppendMessage(got, m); err != nil {
					t.Fatalf("AppendMessage: %v", err)
				}
			}
			if diff := cmp.Diff(hex.EncodeToString(want), hex.EncodeToString(got)); diff != "" {
				t.Errorf("encoded bytes (-want +got):\n%s", diff)
			}
		})
	}
}

// TestKnownAnswersParseMessage decodes the vectors from memory, message by
// message, with ParseMessage.
func TestKnownAnswersParseMessage(t *testing.T) {
	for _, tc := range knownAnswers {
		t.Run(tc.file, func(t *testing.T) {
			wire := readHex(t, tc.file)
			var got []*Message
			for p := wire; len(p) > 0; {
				m, n, err := ParseMessage(p)
				if err != nil {
					t.Fatalf("ParseMessage at offset %d: %v", len(wire)-len(p), err)
				}
				got = append(got, m)
				p = p[n:]
			}
			if diff := cmp.Diff(tc.msgs, got, cmpMessages); diff != "" {
				t.Errorf("parsed messages (-want +got):\n%s", diff)
			}
		})
	}
}

// TestSignedEnvelopeInner checks the vector's nested message through
// ParseMessage and the event semantics helpers.
func TestSignedEnvelopeInner(t *testing.T) {
	outer, n, err := ParseMessage(readHex(t, "vectors/signed-envelope.hex"))
	if err != nil {
		t.Fatal(err)
	}
	sig, _ := outer.Header(HeaderChunkSignature)
	date, _ := outer.Header(HeaderDate)
	ms, _ := date.UnixMilli()
	inner, m, err := ParseMessage(outer.Payload)
	if err != nil {
		t.Fatal(err)
	}
	got := []string{strconv.Itoa(n), sig.Type().String(), strconv.FormatInt(ms, 10),
		strconv.Itoa(m), inner.Type().String(), inner.EventType(), inner.ContentType(), string(inner.Payload)}
	want := []string{"190", "bytes", "1700000000000", "107", "event", "chunk", "application/json", `{"bytes":"e30="}`}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("envelope (-want +got):\n%s", diff)
	}
}
