package eventstream

import (
	"bytes"
	"fmt"
	"hash/crc32"
	"io"
	"runtime"
	"strings"
	"testing"
)

// benchMessages is the number of messages in the benchmark stream.
const benchMessages = 10000

// benchMessageSize is the size of every benchmark message: the size of a
// typical Bedrock ConverseStream contentBlockDelta event.
const benchMessageSize = 175

// contentBlockDelta returns the i-th message of a ConverseStream answer: the
// three headers Bedrock sends and a JSON delta padded with the "p" member to
// a payload of exactly payloadLen bytes, as the service pads its events.
func contentBlockDelta(i, payloadLen int) *Message {
	words := []string{" the", " quick", " brown", " fox", " jumps", " over", " lazy", " dogs"}
	body := fmt.Sprintf(`{"contentBlockIndex":0,"delta":{"text":%q},"p":"`, words[i%len(words)])
	pad := max(payloadLen-len(body)-2, 0)
	body += strings.Repeat("abcdefghijklmnopqrstuvwxyz", 4)[i%26:][:pad] + `"}`
	return NewEvent("contentBlockDelta", "application/json", []byte(body))
}

// benchPayloadLen is the payload size that makes a contentBlockDelta
// message benchMessageSize bytes long.
func benchPayloadLen() int {
	empty, _ := AppendMessage(nil, NewEvent("contentBlockDelta", "application/json", nil))
	return benchMessageSize - len(empty)
}

// benchStream returns the encoded benchmark stream.
func benchStream(tb testing.TB) []byte {
	tb.Helper()
	payloadLen := benchPayloadLen()
	var stream []byte
	var err error
	for i := range benchMessages {
		if stream, err = AppendMessage(stream, contentBlockDelta(i, payloadLen)); err != nil {
			tb.Fatal(err)
		}
	}
	if len(stream) != benchMessages*benchMessageSize {
		tb.Fatalf("benchmark stream is %d bytes, want %d", len(stream), benchMessages*benchMessageSize)
	}
	return stream
}

// reportPerMessage adds messages/s and allocs/msg to a benchmark that
// handles benchMessages messages per iteration.
func reportPerMessage(b *testing.B, mallocs0 uint64) {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	n := float64(b.N) * benchMessages
	b.ReportMetric(n/b.Elapsed().Seconds(), "msgs/s")
	b.ReportMetric(float64(ms.Mallocs-mallocs0)/n, "allocs/msg")
}

func mallocs() uint64 {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.Mallocs
}

// BenchmarkDecode decodes the stream of 10,000 contentBlockDelta messages
// through a Decoder reading from a bytes.Reader, and reads the event
// semantics of each message as a client would.
func BenchmarkDecode(b *testing.B) {
	stream := benchStream(b)
	r := bytes.NewReader(stream)
	d := NewDecoder(r)
	b.SetBytes(int64(len(stream)))
	b.ReportAllocs()
	m0 := mallocs()
	for b.Loop() {
		r.Reset(stream)
		d.Reset(r)
		n := 0
		for {
			m, err := d.Decode()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			if m.Type() != EventMessage || m.EventType() != "contentBlockDelta" {
				b.Fatal("wrong message")
			}
			n++
		}
		if n != benchMessages {
			b.Fatalf("decoded %d messages", n)
		}
	}
	reportPerMessage(b, m0)
}

// BenchmarkParseMessage decodes the same messages from memory with
// ParseMessage (which allocates the Message and its header slice).
func BenchmarkParseMessage(b *testing.B) {
	stream := benchStream(b)
	b.SetBytes(int64(len(stream)))
	b.ReportAllocs()
	m0 := mallocs()
	for b.Loop() {
		for p := stream; len(p) > 0; {
			_, n, err := ParseMessage(p)
			if err != nil {
				b.Fatal(err)
			}
			p = p[n:]
		}
	}
	reportPerMessage(b, m0)
}

// BenchmarkEncode appends the same 10,000 messages to a reused buffer.
func BenchmarkEncode(b *testing.B) {
	stream := benchStream(b)
	msgs := make([]*Message, benchMessages)
	for i := range msgs {
		msgs[i] = contentBlockDelta(i, benchPayloadLen())
	}
	buf := make([]byte, 0, len(stream))
	b.SetBytes(int64(len(stream)))
	b.ReportAllocs()
	m0 := mallocs()
	for b.Loop() {
		buf = buf[:0]
		for _, m := range msgs {
			var err error
			if buf, err = AppendMessage(buf, m); err != nil {
				b.Fatal(err)
			}
		}
	}
	reportPerMessage(b, m0)
	if !bytes.Equal(buf, stream) {
		b.Fatal("encoded stream differs")
	}
}

// BenchmarkEncoder writes the same 10,000 messages through an Encoder.
func BenchmarkEncoder(b *testing.B) {
	stream := benchStream(b)
	msgs := make([]*Message, benchMessages)
	for i := range msgs {
		msgs[i] = contentBlockDelta(i, benchPayloadLen())
	}
	e := NewEncoder(io.Discard)
	b.SetBytes(int64(len(stream)))
	b.ReportAllocs()
	m0 := mallocs()
	for b.Loop() {
		for _, m := range msgs {
			if err := e.Encode(m); err != nil {
				b.Fatal(err)
			}
		}
	}
	reportPerMessage(b, m0)
}

// BenchmarkCRC32 is the speed limit: crc32.ChecksumIEEE over the same
// bytes, as one buffer and message by message (the decoder must checksum
// every message separately).
func BenchmarkCRC32(b *testing.B) {
	stream := benchStream(b)
	b.Run("stream", func(b *testing.B) {
		b.SetBytes(int64(len(stream)))
		m0 := mallocs()
		var sum uint32
		for b.Loop() {
			sum ^= crc32.ChecksumIEEE(stream)
		}
		reportPerMessage(b, m0)
		_ = sum
	})
	b.Run("per-message", func(b *testing.B) {
		b.SetBytes(int64(len(stream)))
		m0 := mallocs()
		var sum uint32
		for b.Loop() {
			for p := stream; len(p) > 0; p = p[benchMessageSize:] {
				sum ^= crc32.ChecksumIEEE(p[:benchMessageSize])
			}
		}
		reportPerMessage(b, m0)
		_ = sum
	})
}
