package interop

import (
	"bytes"
	"math/rand/v2"
	"testing"
	"time"

	sdkes "github.com/aws/aws-sdk-go-v2/aws/protocol/eventstream"
	"github.com/bedrockwire/bedrockwire/eventstream"
)

// randomHeaders builds the same random header list for both libraries.
func randomHeaders(r *rand.Rand) ([]eventstream.Header, sdkes.Headers) {
	var ours []eventstream.Header
	var theirs sdkes.Headers
	seen := map[string]bool{}
	for i := r.IntN(8); i > 0; i-- {
		name := randString(r, ":abcdefghijklmnopqrstuvwxyz-", 1+r.IntN(20))
		if seen[name] {
			continue
		}
		seen[name] = true
		var ov eventstream.Value
		var tv sdkes.Value
		switch r.IntN(10) {
		case 0:
			ov, tv = eventstream.BoolValue(true), sdkes.BoolValue(true)
		case 1:
			ov, tv = eventstream.BoolValue(false), sdkes.BoolValue(false)
		case 2:
			n := int8(r.Uint32())
			ov, tv = eventstream.ByteValue(n), sdkes.Int8Value(n)
		case 3:
			n := int16(r.Uint32())
			ov, tv = eventstream.ShortValue(n), sdkes.Int16Value(n)
		case 4:
			n := int32(r.Uint32())
			ov, tv = eventstream.IntValue(n), sdkes.Int32Value(n)
		case 5:
			n := int64(r.Uint64())
			ov, tv = eventstream.LongValue(n), sdkes.Int64Value(n)
		case 6:
			b := []byte(randString(r, "\x00\x01\xffabc", r.IntN(40)))
			ov, tv = eventstream.BytesValue(b), sdkes.BytesValue(b)
		case 7:
			s := randString(r, "abc üñí {}\"", r.IntN(40))
			ov, tv = eventstream.StringValue(s), sdkes.StringValue(s)
		case 8:
			ts := time.UnixMilli(r.Int64N(4e12)).UTC()
			ov, tv = eventstream.TimestampValue(ts), sdkes.TimestampValue(ts)
		case 9:
			var u [16]byte
			for j := range u {
				u[j] = byte(r.Uint32())
			}
			ov, tv = eventstream.UUIDValue(u), sdkes.UUIDValue(u)
		}
		ours = append(ours, eventstream.Header{Name: name, Value: ov})
		theirs = append(theirs, sdkes.Header{Name: name, Value: tv})
	}
	return ours, theirs
}

// TestEventStreamParity encodes random messages with both codecs, wants the
// same bytes, and decodes each side's frames with the other.
func TestEventStreamParity(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	sdkEnc := sdkes.NewEncoder()
	sdkDec := sdkes.NewDecoder()
	for i := 0; i < 500; i++ {
		oh, th := randomHeaders(r)
		payload := []byte(randString(r, "{}\"abc\x00\xff", r.IntN(500)))
		ourMsg := &eventstream.Message{Headers: oh, Payload: payload}
		ourBytes, err := eventstream.AppendMessage(nil, ourMsg)
		if err != nil {
			t.Fatalf("case %d: our encoder: %v", i, err)
		}
		var sdkBuf bytes.Buffer
		if err := sdkEnc.Encode(&sdkBuf, sdkes.Message{Headers: th, Payload: payload}); err != nil {
			t.Fatalf("case %d: sdk encoder: %v", i, err)
		}
		if !bytes.Equal(ourBytes, sdkBuf.Bytes()) {
			t.Fatalf("case %d: frames differ\nours % x\nsdk  % x", i, ourBytes, sdkBuf.Bytes())
		}

		// SDK frame → our decoder.
		got, err := eventstream.NewDecoder(bytes.NewReader(sdkBuf.Bytes())).Decode()
		if err != nil {
			t.Fatalf("case %d: our decoder on sdk frame: %v", i, err)
		}
		if len(got.Headers) != len(oh) || !bytes.Equal(got.Payload, payload) {
			t.Fatalf("case %d: our decode differs: %d headers, payload %q", i, len(got.Headers), got.Payload)
		}
		for j, h := range got.Headers {
			if h.Name != oh[j].Name || !h.Value.Equal(oh[j].Value) {
				t.Fatalf("case %d header %d: got %s=%v, want %s=%v", i, j, h.Name, h.Value, oh[j].Name, oh[j].Value)
			}
		}

		// Our frame → SDK decoder.
		m, err := sdkDec.Decode(bytes.NewReader(ourBytes), nil)
		if err != nil {
			t.Fatalf("case %d: sdk decoder on our frame: %v", i, err)
		}
		if !bytes.Equal(m.Payload, payload) || len(m.Headers) != len(th) {
			t.Fatalf("case %d: sdk decode differs", i)
		}
		for j, h := range m.Headers {
			if h.Name != th[j].Name || h.Value.String() != th[j].Value.String() {
				t.Fatalf("case %d header %d: sdk got %s=%v, want %s=%v", i, j, h.Name, h.Value, th[j].Name, th[j].Value)
			}
		}
	}
}
