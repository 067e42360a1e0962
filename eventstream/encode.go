package eventstream

import (
	"encoding/binary"
	"hash/crc32"
	"io"
)

// AppendHeaders appends the wire encoding of the header block hs to dst, in
// the order given, and returns the extended slice. This is the exact byte
// sequence a message carries between its prelude and its payload (the
// event-stream signer hashes the encoded ":date" header this way).
//
// It refuses, with a *HeaderError and dst unchanged, a name that is empty or
// longer than 255 bytes, the zero Value, and a string or byte-array value
// longer than 32,767 bytes. It does not check the block's total size; see
// AppendMessage.
func AppendHeaders(dst []byte, hs []Header) ([]byte, error) {
	start := len(dst)
	for i := range hs {
		h := &hs[i]
		if err := checkHeader(i, h); err != nil {
			return dst[:start], err
		}
		dst = append(dst, byte(len(h.Name)))
		dst = append(dst, h.Name...)
		t := h.Value.Type()
		dst = append(dst, byte(t))
		switch t {
		case TypeTrue, TypeFalse:
		case TypeByte:
			dst = append(dst, byte(h.Value.num))
		case TypeShort:
			dst = binary.BigEndian.AppendUint16(dst, uint16(h.Value.num))
		case TypeInt:
			dst = binary.BigEndian.AppendUint32(dst, uint32(h.Value.num))
		case TypeLong, TypeTimestamp:
			dst = binary.BigEndian.AppendUint64(dst, h.Value.num)
		case TypeBytes:
			dst = binary.BigEndian.AppendUint16(dst, uint16(len(h.Value.b)))
			dst = append(dst, h.Value.b...)
		case TypeString:
			dst = binary.BigEndian.AppendUint16(dst, uint16(len(h.Value.str)))
			dst = append(dst, h.Value.str...)
		case TypeUUID:
			dst = binary.BigEndian.AppendUint64(dst, h.Value.num)
			dst = binary.BigEndian.AppendUint64(dst, h.Value.lo)
		}
	}
	return dst, nil
}

// checkHeader returns the error that stops h, the i-th header, from being
// encoded, or nil.
func checkHeader(i int, h *Header) error {
	var p HeaderProblem
	n := 0
	switch {
	case len(h.Name) == 0:
		p = NameLengthZero
	case len(h.Name) > MaxHeaderNameLength:
		p = NameTooLong
	case !h.Value.IsValid() || h.Value.Type() >= typeCount:
		p = UnknownType
	case len(h.Value.b) > MaxHeaderValueLength:
		p, n = ValueTooLong, len(h.Value.b)
	case len(h.Value.str) > MaxHeaderValueLength:
		p, n = ValueTooLong, len(h.Value.str)
	default:
		return nil
	}
	name := h.Name
	if len(name) > MaxHeaderNameLength {
		name = name[:MaxHeaderNameLength] + "…"
	}
	return &HeaderError{Offset: -1, Index: i, Name: name, Problem: p, Type: h.Value.Type(), Length: n}
}

// AppendMessage appends the complete wire encoding of m to dst — prelude,
// prelude CRC, headers in order, payload, message CRC — and returns the
// extended slice.
//
// It refuses what the decoder would refuse with its default limits: besides
// the header checks of AppendHeaders (a *HeaderError), a header block over
// 128 KiB or a payload over 24 MiB (an *EncodeError). On error dst is
// returned unchanged.
func AppendMessage(dst []byte, m *Message) ([]byte, error) {
	start := len(dst)
	if len(m.Payload) > MaxPayloadLength {
		return dst, &EncodeError{Field: PayloadLength, Length: int64(len(m.Payload)), Max: MaxPayloadLength}
	}
	dst = append(dst, make([]byte, PreludeLength)...)
	dst, err := AppendHeaders(dst, m.Headers)
	if err != nil {
		return dst[:start], err
	}
	hlen := len(dst) - start - PreludeLength
	if hlen > MaxHeadersLength {
		return dst[:start], &EncodeError{Field: HeadersLength, Length: int64(hlen), Max: MaxHeadersLength}
	}
	dst = append(dst, m.Payload...)
	total := len(dst) - start + 4
	p := dst[start:]
	binary.BigEndian.PutUint32(p[0:], uint32(total))
	binary.BigEndian.PutUint32(p[4:], uint32(hlen))
	crc := preludeCRC(p)
	binary.BigEndian.PutUint32(p[8:], crc)
	crc = crc32.Update(crc, crc32.IEEETable, p[8:])
	return binary.BigEndian.AppendUint32(dst, crc), nil
}

// Encoder writes messages to an io.Writer, each with a single Write call.
// It reuses one buffer, so encoding a steady stream allocates nothing per
// message. An Encoder is not safe for concurrent use.
type Encoder struct {
	w   io.Writer
	buf []byte
}

// NewEncoder returns an Encoder that writes to w.
func NewEncoder(w io.Writer) *Encoder { return &Encoder{w: w} }

// keepBuffer is the largest buffer an Encoder keeps between messages.
const keepBuffer = 1 << 20

// Encode writes the wire encoding of m. It returns the error of
// AppendMessage for a message it refuses (writing nothing), or the error of
// the Write.
func (e *Encoder) Encode(m *Message) error {
	buf, err := AppendMessage(e.buf[:0], m)
	if err != nil {
		return err
	}
	_, err = e.w.Write(buf)
	if cap(buf) <= keepBuffer {
		e.buf = buf
	}
	return err
}
