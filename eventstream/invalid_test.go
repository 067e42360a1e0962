package eventstream

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"
)

// invalidVectors pairs each file of testdata/invalid with the error
// decoding it must give, and that error's text.
var invalidVectors = []struct {
	file    string
	want    error
	wantMsg string
}{
	{
		"invalid/prelude-crc.hex",
		&ChecksumError{Offset: 0, Checksum: PreludeCRC, Stored: 0x07fd8397, Computed: 0x07fd8396},
		"eventstream: message at offset 0: prelude CRC mismatch: stored 0x07fd8397, computed 0x07fd8396",
	},
	{
		"invalid/message-crc.hex",
		&ChecksumError{Offset: 0, Checksum: MessageCRC, Stored: 0x0d9c08b1, Computed: 0x8d9c08b1},
		"eventstream: message at offset 0: message CRC mismatch: stored 0x0d9c08b1, computed 0x8d9c08b1",
	},
	{
		"invalid/payload-corrupt.hex",
		&ChecksumError{Offset: 0, Checksum: MessageCRC, Stored: 0x8d9c08b1, Computed: 0x838f5909},
		"eventstream: message at offset 0: message CRC mismatch: stored 0x8d9c08b1, computed 0x838f5909",
	},
	{
		"invalid/total-too-small.hex",
		&LengthError{Offset: 0, Field: TotalLength, Length: 15, Bound: 16, Limit: "the minimum message size"},
		"eventstream: message at offset 0: total length 15 is below the minimum message size (16) by 1",
	},
	{
		"invalid/total-too-large.hex",
		&LengthError{Offset: 0, Field: TotalLength, Length: 0xffffffff, Bound: 16 + MaxHeadersLength + MaxPayloadLength, Limit: "the decoder's limit"},
		"eventstream: message at offset 0: total length 4294967295 exceeds the decoder's limit (25296912) by 4269670383",
	},
	{
		"invalid/headers-beyond-total.hex",
		&LengthError{Offset: 0, Field: HeadersLength, Length: 32, Bound: 13, Limit: "the room the total length leaves"},
		"eventstream: message at offset 0: headers length 32 exceeds the room the total length leaves (13) by 19",
	},
	{
		"invalid/header-name-length-zero.hex",
		&HeaderError{Offset: 12, Index: 0, Problem: NameLengthZero},
		"eventstream: header at offset 12: name length 0",
	},
	{
		"invalid/header-name-past-end.hex",
		&HeaderError{Offset: 12, Index: 0, Problem: NamePastEnd},
		"eventstream: header at offset 12: name past end of header block",
	},
	{
		"invalid/header-unknown-type.hex",
		&HeaderError{Offset: 18, Index: 1, Name: "x", Problem: UnknownType, Type: 10},
		`eventstream: header at offset 18 ("x"): unknown value type 10`,
	},
	{
		"invalid/header-string-past-end.hex",
		&HeaderError{Offset: 12, Index: 0, Name: "content-type", Problem: ValuePastEnd, Type: TypeString, Length: 32},
		`eventstream: header at offset 12 ("content-type"): value past end of header block (type string, length 32)`,
	},
	{
		"invalid/header-long-past-end.hex",
		&HeaderError{Offset: 12, Index: 0, Name: "n", Problem: ValuePastEnd, Type: TypeLong},
		`eventstream: header at offset 12 ("n"): value past end of header block (type long)`,
	},
	{
		"invalid/header-value-too-long.hex",
		&HeaderError{Offset: 12, Index: 0, Name: "b", Problem: ValueTooLong, Type: TypeBytes, Length: 32768},
		`eventstream: header at offset 12 ("b"): value longer than 32767 bytes (type bytes, length 32768)`,
	},
}

func TestInvalidVectors(t *testing.T) {
	for _, tc := range invalidVectors {
		t.Run(tc.file, func(t *testing.T) {
			wire := readHex(t, tc.file)
			d := NewDecoder(bytes.NewReader(wire))
			m, err := d.Decode()
			if m != nil {
				t.Errorf("Decode returned a message with the error")
			}
			if diff := cmp.Diff(tc.want, err); diff != "" {
				t.Errorf("Decode error (-want +got):\n%s", diff)
			}
			if err != nil {
				if diff := cmp.Diff(tc.wantMsg, err.Error()); diff != "" {
					t.Errorf("error text (-want +got):\n%s", diff)
				}
			}
			// The error is sticky: the stream must not be read on.
			if _, err2 := d.Decode(); err2 != err {
				t.Errorf("second Decode = %v, want the same error %v", err2, err)
			}
			// ParseMessage finds the same fault, except that a short input
			// is a truncation there only after the lengths pass.
			_, _, perr := ParseMessage(wire)
			if diff := cmp.Diff(tc.want, perr); diff != "" {
				t.Errorf("ParseMessage error (-want +got):\n%s", diff)
			}
		})
	}
}

// TestInvalidAfterValid puts each bad message after two good ones: the good
// ones decode, and the error's offsets are those of the stream.
func TestInvalidAfterValid(t *testing.T) {
	good := readHex(t, "vectors/aws-c-header.hex")
	prefix := append(append([]byte{}, good...), good...)
	base := int64(len(prefix))
	for _, tc := range invalidVectors {
		t.Run(tc.file, func(t *testing.T) {
			d := NewDecoder(bytes.NewReader(append(append([]byte{}, prefix...), readHex(t, tc.file)...)))
			for range 2 {
				if _, err := d.Decode(); err != nil {
					t.Fatalf("good message: %v", err)
				}
			}
			if d.InputOffset() != base {
				t.Fatalf("InputOffset = %d, want %d", d.InputOffset(), base)
			}
			_, err := d.Decode()
			var got, want int64 = -1, base
			var ce *ChecksumError
			var le *LengthError
			var he *HeaderError
			switch {
			case errors.As(err, &ce):
				got = ce.Offset
			case errors.As(err, &le):
				got = le.Offset
			case errors.As(err, &he):
				got, want = he.Offset, base+tc.want.(*HeaderError).Offset
			}
			if got != want {
				t.Errorf("error %v: offset %d, want %d", err, got, want)
			}
		})
	}
}

// TestTruncatedEveryOffset cuts a stream of several messages at every
// offset: messages wholly before the cut decode, a cut on a boundary ends
// with io.EOF, and a cut inside a message gives a *TruncatedError that
// says where, and wraps io.ErrUnexpectedEOF.
func TestTruncatedEveryOffset(t *testing.T) {
	var wire []byte
	var starts []int // offsets where messages start
	for _, f := range []string{"vectors/aws-c-empty.hex", "vectors/every-type.hex", "vectors/back-to-back.hex", "vectors/aws-c-header.hex"} {
		b := readHex(t, f)
		for p := b; len(p) > 0; {
			_, n, err := ParseMessage(p)
			if err != nil {
				t.Fatal(err)
			}
			starts = append(starts, len(wire)+len(b)-len(p))
			p = p[n:]
		}
		wire = append(wire, b...)
	}
	starts = append(starts, len(wire))
	readers := map[string]func([]byte) io.Reader{
		"bytes":   func(b []byte) io.Reader { return bytes.NewReader(b) },
		"onebyte": func(b []byte) io.Reader { return iotest.OneByteReader(bytes.NewReader(b)) },
		"dataerr": func(b []byte) io.Reader { return iotest.DataErrReader(bytes.NewReader(b)) },
	}
	for name, newReader := range readers {
		t.Run(name, func(t *testing.T) {
			for cut := 0; cut < len(wire); cut++ {
				d := NewDecoder(newReader(wire[:cut]), WithBufferSize(64))
				whole := 0 // messages that end at or before the cut
				for whole+1 < len(starts) && starts[whole+1] <= cut {
					whole++
				}
				for i := range whole {
					if _, err := d.Decode(); err != nil {
						t.Fatalf("cut %d: message %d: %v", cut, i, err)
					}
				}
				_, err := d.Decode()
				if cut == starts[whole] {
					if err != io.EOF {
						t.Fatalf("cut %d on a boundary: err = %v, want io.EOF", cut, err)
					}
					continue
				}
				need := int64(PreludeLength)
				if cut-starts[whole] >= PreludeLength {
					need = int64(starts[whole+1] - starts[whole])
				}
				want := &TruncatedError{Offset: int64(cut), MessageOffset: int64(starts[whole]), Need: need}
				if diff := cmp.Diff(want, err); diff != "" {
					t.Fatalf("cut %d: error (-want +got):\n%s", cut, diff)
				}
				if !errors.Is(err, io.ErrUnexpectedEOF) {
					t.Fatalf("cut %d: %v does not wrap io.ErrUnexpectedEOF", cut, err)
				}
			}
		})
	}
}

// TestCorruptEveryBit flips every bit of a message: the prelude CRC catches
// the flips in the first 12 bytes, the message CRC those after.
func TestCorruptEveryBit(t *testing.T) {
	good := readHex(t, "vectors/every-type.hex")
	for i := range good {
		for bit := range 8 {
			bad := append([]byte{}, good...)
			bad[i] ^= 1 << bit
			_, err := NewDecoder(bytes.NewReader(bad)).Decode()
			var ce *ChecksumError
			if !errors.As(err, &ce) {
				t.Fatalf("byte %d bit %d: err = %v, want a *ChecksumError", i, bit, err)
			}
			want := MessageCRC
			if i < PreludeLength {
				want = PreludeCRC
			}
			if ce.Checksum != want {
				t.Fatalf("byte %d bit %d: %v, want a %v error", i, bit, err, want)
			}
		}
	}
}

// TestDecoderLimits checks the configurable caps: each part is refused
// before its bytes are read.
func TestDecoderLimits(t *testing.T) {
	msg := mustAppend(nil, &Message{
		Headers: []Header{{"name", StringValue("value")}}, // 13 bytes
		Payload: make([]byte, 100),
	})
	tests := []struct {
		name string
		opts []DecoderOption
		want error
	}{
		{"defaults", nil, nil},
		{"exact caps", []DecoderOption{WithMaxHeadersLength(13), WithMaxPayloadLength(100)}, nil},
		{"payload cap", []DecoderOption{WithMaxPayloadLength(99)},
			&LengthError{Field: PayloadLength, Length: 100, Bound: 99, Limit: "the decoder's limit"}},
		{"headers cap", []DecoderOption{WithMaxHeadersLength(12), WithMaxPayloadLength(1000)},
			&LengthError{Field: HeadersLength, Length: 13, Bound: 12, Limit: "the decoder's limit"}},
		{"total over both caps", []DecoderOption{WithMaxHeadersLength(10), WithMaxPayloadLength(10)},
			&LengthError{Field: TotalLength, Length: 129, Bound: 36, Limit: "the decoder's limit"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// Only the prelude is available: a refusal must come before
			// the decoder waits for the rest.
			r := io.MultiReader(bytes.NewReader(msg[:PreludeLength]), iotest.ErrReader(errors.New("read past the prelude")))
			if tc.want == nil {
				r = bytes.NewReader(msg)
			}
			_, err := NewDecoder(r, tc.opts...).Decode()
			if diff := cmp.Diff(tc.want, err); diff != "" {
				t.Errorf("Decode error (-want +got):\n%s", diff)
			}
		})
	}
}

// TestHugeLengthAllocatesNothing declares the largest acceptable message on
// a 20-byte input: the decoder must not allocate for it.
func TestHugeLengthAllocatesNothing(t *testing.T) {
	prelude := mustAppend(nil, &Message{Payload: make([]byte, MaxPayloadLength)})[:PreludeLength]
	input := append(prelude, make([]byte, 8)...)
	var r bytes.Reader
	stream := &plainReader{&r} // a reader that does not tell its length, like a network body
	d := NewDecoder(stream)
	allocs := testing.AllocsPerRun(10, func() {
		r.Reset(input)
		d.Reset(stream)
		if _, err := d.Decode(); !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Fatalf("err = %v, want a truncation", err)
		}
	})
	if allocs > 1 { // the *TruncatedError
		t.Errorf("%v allocations per truncated 24 MiB message, want at most 1", allocs)
	}
	if len(d.buf) != DefaultBufferSize {
		t.Errorf("buffer of %d bytes for 20 bytes of input, want the default %d", len(d.buf), DefaultBufferSize)
	}
}

// plainReader hides every method of its reader but Read.
type plainReader struct{ r io.Reader }

func (p *plainReader) Read(b []byte) (int, error) { return p.r.Read(b) }

// TestReaderErrors: an error from the reader is returned with the offset
// and can be unwrapped; a reader making no progress is given up on.
func TestReaderErrors(t *testing.T) {
	good := readHex(t, "vectors/aws-c-payload.hex")
	boom := errors.New("connection reset")
	d := NewDecoder(io.MultiReader(bytes.NewReader(good), bytes.NewReader(good[:5]), iotest.ErrReader(boom)))
	if _, err := d.Decode(); err != nil {
		t.Fatal(err)
	}
	_, err := d.Decode()
	var re *ReadError
	if !errors.As(err, &re) || re.Offset != int64(len(good))+5 || re.Err != boom {
		t.Errorf("err = %#v, want a *ReadError at offset %d wrapping %v", err, len(good)+5, boom)
	}
	if !errors.Is(err, boom) {
		t.Errorf("%v does not wrap the reader's error", err)
	}
	if got, want := err.Error(), "eventstream: read error at offset 34: connection reset"; got != want {
		t.Errorf("error text = %q, want %q", got, want)
	}

	_, err = NewDecoder(emptyReader{}).Decode()
	if !errors.Is(err, io.ErrNoProgress) {
		t.Errorf("reader that returns 0, nil forever: err = %v, want io.ErrNoProgress", err)
	}
}

type emptyReader struct{}

func (emptyReader) Read([]byte) (int, error) { return 0, nil }

// TestParseMessageTruncated: ParseMessage reports a short slice as a
// truncation too.
func TestParseMessageTruncated(t *testing.T) {
	good := readHex(t, "vectors/aws-c-header.hex")
	for cut := range len(good) {
		_, _, err := ParseMessage(good[:cut])
		need := int64(PreludeLength)
		if cut >= PreludeLength {
			need = int64(len(good))
		}
		want := &TruncatedError{Offset: int64(cut), Need: need}
		if diff := cmp.Diff(want, err); diff != "" {
			t.Fatalf("cut %d (-want +got):\n%s", cut, diff)
		}
	}
}
