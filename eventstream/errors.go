package eventstream

import (
	"io"
	"strconv"
)

// Checksum names one of the two CRCs of a message.
type Checksum uint8

// The two checksums of a message.
const (
	// PreludeCRC covers the first 8 bytes: total length and headers length.
	PreludeCRC Checksum = iota + 1
	// MessageCRC covers everything before the last 4 bytes.
	MessageCRC
)

// String returns "prelude CRC" or "message CRC".
func (c Checksum) String() string {
	switch c {
	case PreludeCRC:
		return "prelude CRC"
	case MessageCRC:
		return "message CRC"
	}
	return "Checksum(" + strconv.Itoa(int(c)) + ")"
}

// ChecksumError reports a CRC that does not match the bytes it covers.
type ChecksumError struct {
	Offset   int64    // stream offset of the first byte of the message
	Checksum Checksum // which CRC failed
	Stored   uint32   // the CRC in the message
	Computed uint32   // the CRC of the bytes received
}

// Error describes the failure with its stream offset.
func (e *ChecksumError) Error() string {
	return "eventstream: message at offset " + strconv.FormatInt(e.Offset, 10) + ": " +
		e.Checksum.String() + " mismatch: stored 0x" + hex32(e.Stored) + ", computed 0x" + hex32(e.Computed)
}

func hex32(v uint32) string {
	s := strconv.FormatUint(uint64(v), 16)
	for len(s) < 8 {
		s = "0" + s
	}
	return s
}

// LengthField names a length of a message.
type LengthField uint8

// The lengths of a message: two are declared in the prelude, the payload
// length follows from them.
const (
	TotalLength   LengthField = iota + 1 // the first prelude field: the whole message
	HeadersLength                        // the second prelude field: the header block
	PayloadLength                        // what remains: total - headers - 16
)

// String returns "total length", "headers length" or "payload length".
func (f LengthField) String() string {
	switch f {
	case TotalLength:
		return "total length"
	case HeadersLength:
		return "headers length"
	case PayloadLength:
		return "payload length"
	}
	return "LengthField(" + strconv.Itoa(int(f)) + ")"
}

// LengthError reports a length in a prelude that is impossible or over the
// decoder's limit. The decoder checks lengths before reading the rest of
// the message, so it never waits for, or allocates for, bytes a bad length
// announces.
type LengthError struct {
	Offset int64       // stream offset of the first byte of the message
	Field  LengthField // which length is wrong
	Length int64       // the length declared (or, for PayloadLength, implied)
	// Bound is the limit Length broke: a minimum when Length < Bound,
	// otherwise a maximum.
	Bound int64
	// Limit says what Bound is, for example "the minimum message size" or
	// "the decoder's limit".
	Limit string
}

// By returns how far Length is past Bound, in bytes.
func (e *LengthError) By() int64 {
	if e.Length < e.Bound {
		return e.Bound - e.Length
	}
	return e.Length - e.Bound
}

// Error describes the failure with its stream offset.
func (e *LengthError) Error() string {
	s := "eventstream: message at offset " + strconv.FormatInt(e.Offset, 10) + ": " +
		e.Field.String() + " " + strconv.FormatInt(e.Length, 10)
	if e.Length < e.Bound {
		s += " is below "
	} else {
		s += " exceeds "
	}
	return s + e.Limit + " (" + strconv.FormatInt(e.Bound, 10) + ") by " + strconv.FormatInt(e.By(), 10)
}

// HeaderProblem names what is wrong with a header.
type HeaderProblem uint8

// The ways a header can be malformed, on the wire or in a message to encode.
const (
	// NameLengthZero: the name length byte is 0 (or the name is empty).
	NameLengthZero HeaderProblem = iota + 1
	// NameTooLong: a name to encode is longer than 255 bytes.
	NameTooLong
	// NamePastEnd: the name, or the type byte after it, runs past the end
	// of the header block.
	NamePastEnd
	// UnknownType: the type byte is not one of the ten types (or a value to
	// encode is the zero Value).
	UnknownType
	// ValuePastEnd: the value runs past the end of the header block.
	ValuePastEnd
	// ValueTooLong: a string or byte-array value is longer than 32,767 bytes.
	ValueTooLong
)

// String describes the problem.
func (p HeaderProblem) String() string {
	switch p {
	case NameLengthZero:
		return "name length 0"
	case NameTooLong:
		return "name longer than 255 bytes"
	case NamePastEnd:
		return "name past end of header block"
	case UnknownType:
		return "unknown value type"
	case ValuePastEnd:
		return "value past end of header block"
	case ValueTooLong:
		return "value longer than 32767 bytes"
	}
	return "HeaderProblem(" + strconv.Itoa(int(p)) + ")"
}

// HeaderError reports a malformed header, found while decoding or refused
// while encoding.
type HeaderError struct {
	// Offset is the stream offset of the header's first byte (its name
	// length) when decoding, and -1 when encoding.
	Offset  int64
	Index   int           // position of the header in the block, from 0
	Name    string        // the header name, when it could be read
	Problem HeaderProblem // what is wrong
	Type    HeaderType    // the type byte, for UnknownType, ValuePastEnd and ValueTooLong
	Length  int           // the value length, for ValueTooLong and ValuePastEnd of strings and bytes
}

// Error names the header, by stream offset when decoding and by index
// when encoding, and the problem.
func (e *HeaderError) Error() string {
	s := "eventstream: "
	if e.Offset >= 0 {
		s += "header at offset " + strconv.FormatInt(e.Offset, 10)
	} else {
		s += "header " + strconv.Itoa(e.Index)
	}
	if e.Name != "" {
		s += " (" + strconv.Quote(e.Name) + ")"
	}
	s += ": " + e.Problem.String()
	switch e.Problem {
	case UnknownType:
		if e.Offset >= 0 {
			s += " " + strconv.Itoa(int(e.Type))
		}
	case ValuePastEnd, ValueTooLong:
		s += " (type " + e.Type.String()
		if e.Type == TypeString || e.Type == TypeBytes {
			s += ", length " + strconv.Itoa(e.Length)
		}
		s += ")"
	}
	return s
}

// TruncatedError reports a stream that ends inside a message. It wraps
// io.ErrUnexpectedEOF.
type TruncatedError struct {
	Offset        int64 // stream offset where the input ended
	MessageOffset int64 // stream offset of the first byte of the cut message
	// Need is how many bytes the message needs from MessageOffset: the
	// prelude length while the prelude is incomplete, then the total length.
	Need int64
}

// Error describes the failure with its stream offset.
func (e *TruncatedError) Error() string {
	return "eventstream: truncated at offset " + strconv.FormatInt(e.Offset, 10) +
		": message at offset " + strconv.FormatInt(e.MessageOffset, 10) + " needs " +
		strconv.FormatInt(e.Need, 10) + " bytes, got " + strconv.FormatInt(e.Offset-e.MessageOffset, 10) +
		": " + io.ErrUnexpectedEOF.Error()
}

// Unwrap returns io.ErrUnexpectedEOF.
func (e *TruncatedError) Unwrap() error { return io.ErrUnexpectedEOF }

// EncodeError reports a message the encoder refuses as a whole: a header
// block or payload over the specification's limits.
type EncodeError struct {
	Field  LengthField // HeadersLength or PayloadLength
	Length int64       // the length of the part
	Max    int64       // the limit
}

// Error names the part that is too long and the limit.
func (e *EncodeError) Error() string {
	return "eventstream: cannot encode message: " + e.Field.String() + " " +
		strconv.FormatInt(e.Length, 10) + " exceeds the limit of " + strconv.FormatInt(e.Max, 10)
}
