package eventstream

import (
	"bytes"
	"encoding/binary"
	"io"
	"math/rand/v2"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"
)

// byteSource hands out the bytes of a fuzz input (or of a random
// generator) as decisions, and zeros once they run out.
type byteSource struct{ b []byte }

func (s *byteSource) byte() byte {
	if len(s.b) == 0 {
		return 0
	}
	c := s.b[0]
	s.b = s.b[1:]
	return c
}

func (s *byteSource) bytes(n int) []byte {
	out := make([]byte, n)
	k := copy(out, s.b)
	s.b = s.b[k:]
	return out
}

func (s *byteSource) uint64() uint64 { return binary.BigEndian.Uint64(s.bytes(8)) }

// genMessage builds a valid message from the decisions of src: up to 8
// headers of any type (names of 1..255 bytes, string and byte-array values
// up to the 32,767-byte limit) and a payload of up to 64 KiB.
func genMessage(src *byteSource) *Message {
	m := &Message{}
	for range int(src.byte() % 9) {
		nameLen := 1 + int(src.byte()%24)
		if src.byte()%32 == 0 {
			nameLen = MaxHeaderNameLength
		}
		h := Header{Name: string(src.bytes(nameLen))}
		valueLen := int(src.byte() % 40)
		if src.byte()%64 == 0 {
			valueLen = MaxHeaderValueLength - int(src.byte())
		}
		switch HeaderType(src.byte() % typeCount) {
		case TypeTrue:
			h.Value = BoolValue(true)
		case TypeFalse:
			h.Value = BoolValue(false)
		case TypeByte:
			h.Value = ByteValue(int8(src.byte()))
		case TypeShort:
			h.Value = ShortValue(int16(src.uint64()))
		case TypeInt:
			h.Value = IntValue(int32(src.uint64()))
		case TypeLong:
			h.Value = LongValue(int64(src.uint64()))
		case TypeBytes:
			h.Value = BytesValue(src.bytes(valueLen))
		case TypeString:
			h.Value = StringValue(string(src.bytes(valueLen)))
		case TypeTimestamp:
			h.Value = TimestampMillisValue(int64(src.uint64()))
		case TypeUUID:
			h.Value = UUIDValue([16]byte(src.bytes(16)))
		}
		m.Headers = append(m.Headers, h)
	}
	payloadLen := int(src.byte())
	switch src.byte() % 16 {
	case 0:
		payloadLen = 0
	case 1:
		payloadLen = int(binary.BigEndian.Uint16(src.bytes(2)))
	}
	if payloadLen > 0 {
		m.Payload = src.bytes(payloadLen)
	}
	return m
}

// equalMessages is a fast exact comparison, for loops over many large
// messages; report differences with cmp.Diff and cmpMessages.
func equalMessages(a, b *Message) bool {
	if len(a.Headers) != len(b.Headers) || !bytes.Equal(a.Payload, b.Payload) {
		return false
	}
	for i := range a.Headers {
		if a.Headers[i].Name != b.Headers[i].Name || !a.Headers[i].Value.Equal(b.Headers[i].Value) {
			return false
		}
	}
	return true
}

// TestRoundTripProperty encodes random messages into one stream and
// decodes it through readers that deliver it in different pieces and
// decoders with different buffer sizes: every message comes back equal,
// and re-encodes to the same bytes.
func TestRoundTripProperty(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	random := make([]byte, 1<<22)
	for i := range random {
		random[i] = byte(rng.Uint32())
	}
	src := &byteSource{b: random}
	var msgs []*Message
	var stream []byte
	for range 500 {
		m := genMessage(src)
		var err error
		if stream, err = AppendMessage(stream, m); err != nil {
			t.Fatalf("AppendMessage: %v", err)
		}
		msgs = append(msgs, m)
	}
	// The slow readers get the first messages only, to keep the test fast.
	const few = 40
	fewLen := 0
	for _, m := range msgs[:few] {
		b, _ := AppendMessage(nil, m)
		fewLen += len(b)
	}
	readers := []struct {
		name string
		wrap func(io.Reader) io.Reader
		msgs []*Message
		wire []byte
	}{
		{"bytes", func(r io.Reader) io.Reader { return r }, msgs, stream},
		{"halfread", iotest.HalfReader, msgs, stream},
		{"dataerr", iotest.DataErrReader, msgs, stream},
		{"onebyte", iotest.OneByteReader, msgs[:few], stream[:fewLen]},
	}
	for _, rd := range readers {
		name, msgs := rd.name, rd.msgs
		for _, size := range []int{64, 1000, DefaultBufferSize, 1 << 20} {
			d := NewDecoder(rd.wrap(bytes.NewReader(rd.wire)), WithBufferSize(size))
			var again []byte
			for i, want := range msgs {
				got, err := d.Decode()
				if err != nil {
					t.Fatalf("%s, buffer %d: message %d: %v", name, size, i, err)
				}
				if !equalMessages(want, got) {
					t.Fatalf("%s, buffer %d: message %d (-want +got):\n%s", name, size, i, cmp.Diff(want, got, cmpMessages))
				}
				if again, err = AppendMessage(again, got); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := d.Decode(); err != io.EOF {
				t.Fatalf("%s, buffer %d: after the last message: %v, want io.EOF", name, size, err)
			}
			if !bytes.Equal(again, rd.wire) {
				t.Fatalf("%s, buffer %d: re-encoded stream differs", name, size)
			}
		}
	}
}

// TestEncoderDecoder sends the vectors' messages through an Encoder and a
// Decoder connected by a pipe.
func TestEncoderDecoder(t *testing.T) {
	var want []*Message
	for _, tc := range knownAnswers {
		want = append(want, tc.msgs...)
	}
	pr, pw := io.Pipe()
	go func() {
		e := NewEncoder(pw)
		for _, m := range want {
			if err := e.Encode(m); err != nil {
				pw.CloseWithError(err)
				return
			}
		}
		pw.Close()
	}()
	d := NewDecoder(pr)
	var got []*Message
	for {
		m, err := d.Decode()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, m.Clone())
	}
	if diff := cmp.Diff(want, got, cmpMessages); diff != "" {
		t.Errorf("messages through the pipe (-want +got):\n%s", diff)
	}
}
