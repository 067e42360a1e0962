package eventstream

import (
	"encoding/binary"
	"errors"
	"hash/crc32"
	"io"
	"strconv"
)

// DefaultBufferSize is the size of a Decoder's read buffer before any
// message needs more.
const DefaultBufferSize = 32 << 10

// maxEmptyReads is how many reads in a row may return no data and no error
// before the decoder gives up with io.ErrNoProgress (as bufio does).
const maxEmptyReads = 100

// limits are the size caps a decoder enforces.
type limits struct {
	maxHeaders int64
	maxPayload int64
}

var defaultLimits = limits{maxHeaders: MaxHeadersLength, maxPayload: MaxPayloadLength}

// Decoder reads event-stream messages from an io.Reader. See the package
// documentation for what it checks and how it uses memory. A Decoder is not
// safe for concurrent use.
type Decoder struct {
	r       io.Reader
	buf     []byte // read buffer; unconsumed data is buf[start:end]
	start   int
	end     int
	off     int64 // stream offset of buf[start]
	bufSize int   // initial size of buf
	lim     limits
	rerr    error // error from r, acted on once the buffered bytes are used
	err     error // sticky result after the first failure or the end
	msg     Message
	headers []Header
	strs    internTable
}

// DecoderOption configures a Decoder.
type DecoderOption func(*Decoder)

// maxCap bounds the caps a caller may set, so that a message always fits
// in an int, even on 32-bit platforms.
const maxCap = 1 << 30

// WithMaxPayloadLength sets the largest payload the decoder accepts
// (default MaxPayloadLength, 24 MiB; at most 1 GiB). A message declaring
// more fails with a *LengthError before any of its payload is read.
func WithMaxPayloadLength(n int) DecoderOption {
	return func(d *Decoder) { d.lim.maxPayload = int64(min(max(n, 0), maxCap)) }
}

// WithMaxHeadersLength sets the largest header block the decoder accepts
// (default MaxHeadersLength, 128 KiB; at most 1 GiB).
func WithMaxHeadersLength(n int) DecoderOption {
	return func(d *Decoder) { d.lim.maxHeaders = int64(min(max(n, 0), maxCap)) }
}

// WithBufferSize sets the size of the decoder's read buffer (default
// DefaultBufferSize, minimum 64 bytes). The decoder reads in chunks of up to
// this size; the buffer grows, by doubling, only when a message larger than
// it has filled it.
func WithBufferSize(n int) DecoderOption {
	return func(d *Decoder) { d.bufSize = min(max(n, 64), maxCap) }
}

// NewDecoder returns a Decoder reading from r.
func NewDecoder(r io.Reader, opts ...DecoderOption) *Decoder {
	d := &Decoder{r: r, bufSize: DefaultBufferSize, lim: defaultLimits}
	for _, o := range opts {
		o(d)
	}
	return d
}

// Reset makes d read a new stream from r, keeping its options and buffers.
func (d *Decoder) Reset(r io.Reader) {
	d.r = r
	d.start, d.end, d.off = 0, 0, 0
	d.rerr, d.err = nil, nil
	d.msg = Message{}
}

// InputOffset returns the stream offset just past the last message Decode
// returned: the offset of the next message.
func (d *Decoder) InputOffset() int64 { return d.off }

// Decode reads and validates the next message. The message and the slices
// in it (payload, byte-array values) are owned by the decoder and valid
// only until the next call to Decode or Reset; use [Message.Clone] to keep
// one. Strings in it stay valid.
//
// At the end of a stream that ends between two messages Decode returns
// io.EOF. A stream cut inside a message gives a *TruncatedError (which wraps
// io.ErrUnexpectedEOF); a bad message gives a *ChecksumError, *LengthError
// or *HeaderError; an error from the reader is returned wrapped, with the
// offset. Once Decode has failed, it returns the same error on every call.
func (d *Decoder) Decode() (*Message, error) {
	if d.err != nil {
		return nil, d.err
	}
	m, err := d.decode()
	if err != nil {
		d.err = err
		d.msg = Message{}
		return nil, err
	}
	return m, nil
}

func (d *Decoder) decode() (*Message, error) {
	if d.end-d.start < PreludeLength {
		if err := d.fill(PreludeLength); err != nil {
			return nil, err
		}
	}
	total, hlen, crc, err := checkPrelude(d.buf[d.start:d.end], d.off, d.lim)
	if err != nil {
		return nil, err
	}
	if d.end-d.start < total {
		if err := d.fill(total); err != nil {
			return nil, err
		}
	}
	p := d.buf[d.start : d.start+total]
	if err := checkMessageCRC(p, crc, d.off); err != nil {
		return nil, err
	}
	hs, err := parseHeaders(p[PreludeLength:PreludeLength+hlen], d.off+PreludeLength, d.headers[:0], &d.strs)
	d.headers = hs[:0]
	if err != nil {
		return nil, err
	}
	d.msg.Headers = nil
	if len(hs) > 0 {
		d.msg.Headers = hs
	}
	d.msg.Payload = nil
	if pl := total - MinMessageLength - hlen; pl > 0 {
		d.msg.Payload = p[PreludeLength+hlen : total-4 : total-4]
	}
	d.start += total
	d.off += int64(total)
	return &d.msg, nil
}

// fill reads until buf holds at least n unconsumed bytes, moving the data
// to the front or growing the buffer when the message would not fit. The
// buffer grows only when it is full of data that arrived, so memory follows
// the bytes received, not the lengths declared.
func (d *Decoder) fill(n int) error {
	if d.start == d.end {
		d.start, d.end = 0, 0
	}
	if d.buf == nil {
		size := d.bufSize
		// A reader over memory (bytes.Reader, bytes.Buffer,
		// strings.Reader) says how much it holds: a small one gets a
		// small buffer.
		if l, ok := d.r.(interface{ Len() int }); ok {
			size = min(size, max(l.Len(), 64))
		}
		d.buf = make([]byte, size)
	}
	empty := 0
	for d.end-d.start < n {
		if d.rerr != nil {
			return d.readFailure(n)
		}
		if len(d.buf)-d.start < n {
			switch {
			case d.start > 0:
				d.end = copy(d.buf, d.buf[d.start:d.end])
				d.start = 0
			case d.end == len(d.buf):
				nb := make([]byte, min(2*len(d.buf), n))
				d.end = copy(nb, d.buf[:d.end])
				d.buf = nb
			}
		}
		k, err := d.r.Read(d.buf[d.end:])
		if k < 0 || k > len(d.buf)-d.end {
			d.rerr = errors.New("eventstream: reader returned an invalid count")
			continue
		}
		d.end += k
		switch {
		case err != nil:
			d.rerr = err
		case k == 0:
			if empty++; empty >= maxEmptyReads {
				d.rerr = io.ErrNoProgress
			}
		default:
			empty = 0
		}
	}
	return nil
}

// readFailure turns the reader's error into the decoder's, for a message
// that needs n bytes of which fewer have arrived.
func (d *Decoder) readFailure(n int) error {
	have := int64(d.end - d.start)
	if d.rerr == io.EOF {
		if have == 0 {
			return io.EOF
		}
		return &TruncatedError{Offset: d.off + have, MessageOffset: d.off, Need: int64(n)}
	}
	return &ReadError{Offset: d.off + have, Err: d.rerr}
}

// ReadError is an error from the underlying reader, with the stream offset
// at which it happened.
type ReadError struct {
	Offset int64
	Err    error
}

// Error describes the failure with its stream offset.
func (e *ReadError) Error() string {
	return "eventstream: read error at offset " + strconv.FormatInt(e.Offset, 10) + ": " + e.Err.Error()
}

// Unwrap returns the reader's error.
func (e *ReadError) Unwrap() error { return e.Err }

// checkPrelude validates the prelude at the start of p (at least
// PreludeLength bytes) of the message at stream offset off, and returns the
// total and headers lengths and the prelude CRC.
func checkPrelude(p []byte, off int64, lim limits) (total, hlen int, crc uint32, err error) {
	p = p[:PreludeLength]
	t := int64(binary.BigEndian.Uint32(p[0:4]))
	h := int64(binary.BigEndian.Uint32(p[4:8]))
	stored := binary.BigEndian.Uint32(p[8:12])
	crc = preludeCRC(p)
	if crc != stored {
		return 0, 0, 0, &ChecksumError{Offset: off, Checksum: PreludeCRC, Stored: stored, Computed: crc}
	}
	switch {
	case t < MinMessageLength:
		err = &LengthError{Offset: off, Field: TotalLength, Length: t, Bound: MinMessageLength, Limit: "the minimum message size"}
	case t > MinMessageLength+lim.maxHeaders+lim.maxPayload:
		err = &LengthError{Offset: off, Field: TotalLength, Length: t, Bound: MinMessageLength + lim.maxHeaders + lim.maxPayload, Limit: "the decoder's limit"}
	case h > t-MinMessageLength:
		err = &LengthError{Offset: off, Field: HeadersLength, Length: h, Bound: t - MinMessageLength, Limit: "the room the total length leaves"}
	case h > lim.maxHeaders:
		err = &LengthError{Offset: off, Field: HeadersLength, Length: h, Bound: lim.maxHeaders, Limit: "the decoder's limit"}
	case t-MinMessageLength-h > lim.maxPayload:
		err = &LengthError{Offset: off, Field: PayloadLength, Length: t - MinMessageLength - h, Bound: lim.maxPayload, Limit: "the decoder's limit"}
	}
	if err != nil {
		return 0, 0, 0, err
	}
	return int(t), int(h), crc, nil
}

// checkMessageCRC checks the message CRC of the complete message p, given
// the CRC of its first 8 bytes (the prelude CRC).
func checkMessageCRC(p []byte, prelude uint32, off int64) error {
	n := len(p) - 4
	crc := crc32.Update(prelude, crc32.IEEETable, p[8:n])
	if stored := binary.BigEndian.Uint32(p[n:]); crc != stored {
		return &ChecksumError{Offset: off, Checksum: MessageCRC, Stored: stored, Computed: crc}
	}
	return nil
}

// valueWidth is the size of the fixed-width values, by type.
var valueWidth = [typeCount]int{TypeByte: 1, TypeShort: 2, TypeInt: 4, TypeLong: 8, TypeTimestamp: 8, TypeUUID: 16}

// parseHeaders appends the headers of the block h, which starts at stream
// offset base, to hs. strs may be nil (no per-decoder interning). Byte-array
// values refer to h. Entries of hs's backing array past its length, if any,
// must hold valid headers or zero values: they are used as guesses.
func parseHeaders(h []byte, base int64, hs []Header, strs *internTable) ([]Header, error) {
	i := 0
	for i < len(h) {
		at := i
		nl := int(h[i])
		i++
		if nl == 0 {
			return hs, &HeaderError{Offset: base + int64(at), Index: len(hs), Problem: NameLengthZero}
		}
		if len(h)-i < nl+1 {
			return hs, &HeaderError{Offset: base + int64(at), Index: len(hs), Problem: NamePastEnd}
		}
		// A stream repeats its header layout: the entry of the previous
		// message at this position, still in hs's backing array, is the
		// first guess for the name and a string value.
		var prev *Header
		if len(hs) < cap(hs) {
			prev = &hs[:len(hs)+1][len(hs)]
		}
		var name string
		if prev != nil && prev.Name == string(h[i:i+nl]) {
			name = prev.Name
		} else {
			name = strs.str(h[i : i+nl])
		}
		i += nl
		t := HeaderType(h[i])
		i++
		v := Value{t: uint8(t) + 1}
		switch t {
		case TypeTrue, TypeFalse:
		case TypeByte:
			if i >= len(h) {
				return hs, valuePastEnd(base, at, len(hs), name, t, 0)
			}
			v.num = uint64(int64(int8(h[i])))
			i++
		case TypeShort:
			if len(h)-i < 2 {
				return hs, valuePastEnd(base, at, len(hs), name, t, 0)
			}
			v.num = uint64(int64(int16(binary.BigEndian.Uint16(h[i:]))))
			i += 2
		case TypeInt:
			if len(h)-i < 4 {
				return hs, valuePastEnd(base, at, len(hs), name, t, 0)
			}
			v.num = uint64(int64(int32(binary.BigEndian.Uint32(h[i:]))))
			i += 4
		case TypeLong, TypeTimestamp:
			if len(h)-i < 8 {
				return hs, valuePastEnd(base, at, len(hs), name, t, 0)
			}
			v.num = binary.BigEndian.Uint64(h[i:])
			i += 8
		case TypeUUID:
			if len(h)-i < 16 {
				return hs, valuePastEnd(base, at, len(hs), name, t, 0)
			}
			v.num = binary.BigEndian.Uint64(h[i:])
			v.lo = binary.BigEndian.Uint64(h[i+8:])
			i += 16
		case TypeBytes, TypeString:
			if len(h)-i < 2 {
				return hs, valuePastEnd(base, at, len(hs), name, t, -1)
			}
			n := int(binary.BigEndian.Uint16(h[i:]))
			i += 2
			if n > MaxHeaderValueLength {
				return hs, &HeaderError{Offset: base + int64(at), Index: len(hs), Name: name, Problem: ValueTooLong, Type: t, Length: n}
			}
			if len(h)-i < n {
				return hs, valuePastEnd(base, at, len(hs), name, t, n)
			}
			if t == TypeString {
				if prev != nil && prev.Value.t == v.t && prev.Value.str == string(h[i:i+n]) {
					v.str = prev.Value.str
				} else {
					v.str = strs.str(h[i : i+n])
				}
			} else if n > 0 {
				v.b = h[i : i+n : i+n]
			}
			i += n
		default:
			return hs, &HeaderError{Offset: base + int64(at), Index: len(hs), Name: name, Problem: UnknownType, Type: t}
		}
		hs = append(hs, Header{Name: name, Value: v})
	}
	return hs, nil
}

func valuePastEnd(base int64, at, index int, name string, t HeaderType, n int) error {
	return &HeaderError{Offset: base + int64(at), Index: index, Name: name, Problem: ValuePastEnd, Type: t, Length: n}
}

// ParseMessage decodes the message at the start of b, with the decoder's
// default limits, and returns it with its length in bytes. The message's
// payload and byte-array values refer to b. Use it for a message nested in
// another's payload, such as the event inside a signed envelope; check that
// n == len(b) when b must hold exactly one message. A b shorter than the
// message gives a *TruncatedError.
func ParseMessage(b []byte) (m *Message, n int, err error) {
	if len(b) < PreludeLength {
		return nil, 0, &TruncatedError{Offset: int64(len(b)), Need: PreludeLength}
	}
	total, hlen, crc, err := checkPrelude(b, 0, defaultLimits)
	if err != nil {
		return nil, 0, err
	}
	if len(b) < total {
		return nil, 0, &TruncatedError{Offset: int64(len(b)), Need: int64(total)}
	}
	p := b[:total]
	if err := checkMessageCRC(p, crc, 0); err != nil {
		return nil, 0, err
	}
	// One allocation holds the message and room for its usual headers.
	mem := &struct {
		m  Message
		hs [4]Header
	}{}
	hs, err := parseHeaders(p[PreludeLength:PreludeLength+hlen], PreludeLength, mem.hs[:0], nil)
	if err != nil {
		return nil, 0, err
	}
	m = &mem.m
	if len(hs) > 0 {
		m.Headers = hs
	}
	if total-MinMessageLength-hlen > 0 {
		m.Payload = p[PreludeLength+hlen : total-4 : total-4]
	}
	return m, total, nil
}
