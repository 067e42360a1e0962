package eventstream

import (
	"bytes"
	"errors"
	"io"
	"path/filepath"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"
)

// addVectorSeeds adds every vector file, good and bad, to the corpus.
func addVectorSeeds(f *testing.F) {
	for _, dir := range []string{"vectors", "invalid"} {
		names, err := filepath.Glob(filepath.Join("testdata", dir, "*.hex"))
		if err != nil {
			f.Fatal(err)
		}
		for _, name := range names {
			f.Add(readHex(f, filepath.Join(dir, filepath.Base(name))))
		}
	}
}

// FuzzDecode feeds arbitrary bytes to the decoder. It must not panic or
// hang; its buffer may grow only with the input; every message it accepts
// must re-encode to exactly the bytes it came from, and ParseMessage must
// agree with it.
func FuzzDecode(f *testing.F) {
	addVectorSeeds(f)
	f.Add([]byte{})
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, r := range []io.Reader{bytes.NewReader(data), iotest.OneByteReader(bytes.NewReader(data))} {
			d := NewDecoder(r, WithBufferSize(64), WithMaxPayloadLength(1<<16))
			for {
				start := d.InputOffset()
				m, err := d.Decode()
				if limit := max(64, 2*len(data)); len(d.buf) > limit {
					t.Fatalf("buffer of %d bytes for %d bytes of input", len(d.buf), len(data))
				}
				if err == io.EOF {
					if start != int64(len(data)) {
						t.Fatalf("io.EOF at offset %d of %d", start, len(data))
					}
					break
				}
				if err != nil {
					var te *TruncatedError
					if errors.As(err, &te) && te.Offset != int64(len(data)) {
						t.Fatalf("truncated at %d, input is %d bytes", te.Offset, len(data))
					}
					break
				}
				frame := data[start:d.InputOffset()]
				again, err := AppendMessage(nil, m)
				if err != nil {
					t.Fatalf("decoded message does not encode: %v", err)
				}
				if !bytes.Equal(again, frame) {
					t.Fatalf("re-encoded message differs:\n got %x\nwant %x", again, frame)
				}
				pm, n, err := ParseMessage(frame)
				if err != nil || n != len(frame) {
					t.Fatalf("ParseMessage of a decoded frame: n=%d err=%v", n, err)
				}
				if !equalMessages(m, pm) {
					t.Fatalf("ParseMessage disagrees with Decode (-decode +parse):\n%s", cmp.Diff(m, pm, cmpMessages))
				}
			}
		}
	})
}

// FuzzRoundTrip builds a message from the fuzz input's decisions, encodes
// it and decodes it: the result must equal what was built.
func FuzzRoundTrip(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte("\x03\x05:date\x00\x00\x08\x00\x00\x01\x8b\xcf\xe5\x68\x7b"))
	f.Add(bytes.Repeat([]byte{0x07, 0x20, 0x41}, 40))
	f.Add(bytes.Repeat([]byte{0xff, 0x00, 0x10}, 200))
	f.Fuzz(func(t *testing.T, data []byte) {
		want := genMessage(&byteSource{b: data})
		wire, err := AppendMessage(nil, want)
		if err != nil {
			t.Fatalf("AppendMessage: %v", err)
		}
		got, err := NewDecoder(bytes.NewReader(wire), WithBufferSize(64)).Decode()
		if err != nil {
			t.Fatalf("Decode: %v", err)
		}
		if !equalMessages(want, got) {
			t.Fatalf("round trip (-want +got):\n%s", cmp.Diff(want, got, cmpMessages))
		}
		var buf bytes.Buffer
		if err := NewEncoder(&buf).Encode(got); err != nil {
			t.Fatalf("Encode: %v", err)
		}
		if !bytes.Equal(buf.Bytes(), wire) {
			t.Fatalf("Encoder output differs from AppendMessage")
		}
	})
}
