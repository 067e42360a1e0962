package eventstream

import (
	"encoding/base64"
	"encoding/binary"
	"strconv"
	"time"
)

// HeaderType is the wire type of a header value, the byte that follows the
// header name.
type HeaderType uint8

// The ten header value types of the format. The set is closed: a decoder
// cannot skip a value of an unknown type because it cannot know its width.
const (
	TypeTrue      HeaderType = 0 // boolean true, no value bytes
	TypeFalse     HeaderType = 1 // boolean false, no value bytes
	TypeByte      HeaderType = 2 // int8
	TypeShort     HeaderType = 3 // int16, big-endian
	TypeInt       HeaderType = 4 // int32, big-endian
	TypeLong      HeaderType = 5 // int64, big-endian
	TypeBytes     HeaderType = 6 // uint16 length, then raw bytes
	TypeString    HeaderType = 7 // uint16 length, then UTF-8 bytes
	TypeTimestamp HeaderType = 8 // int64 milliseconds since the Unix epoch
	TypeUUID      HeaderType = 9 // 16 raw bytes
)

// typeCount is the number of defined header types.
const typeCount = 10

var typeNames = [typeCount]string{
	"true", "false", "byte", "short", "int", "long", "bytes", "string", "timestamp", "uuid",
}

// String returns the type's name: true, false, byte, short, int, long,
// bytes, string, timestamp or uuid, and HeaderType(N) for an undefined type.
// These names are part of the output contract of the bedrock decode command.
func (t HeaderType) String() string {
	if t < typeCount {
		return typeNames[t]
	}
	return "HeaderType(" + strconv.Itoa(int(t)) + ")"
}

// Size limits of the format.
const (
	// MaxHeaderNameLength is the longest header name: its length is one byte.
	MaxHeaderNameLength = 255
	// MaxHeaderValueLength is the longest string or byte-array value the
	// specification's grammar allows (2^15-1 bytes).
	MaxHeaderValueLength = 1<<15 - 1
	// MaxHeadersLength is the specification's limit on the encoded header
	// block of one message (128 KiB), the decoder's default cap.
	MaxHeadersLength = 128 << 10
	// MaxPayloadLength is the specification's limit on the payload of one
	// message (24 MiB), the decoder's default cap.
	MaxPayloadLength = 24 << 20
	// PreludeLength is the size of the prelude: total length, headers length
	// and prelude CRC.
	PreludeLength = 12
	// MinMessageLength is the size of a message without headers or payload:
	// the prelude and the message CRC.
	MinMessageLength = PreludeLength + 4
)

// Value is a typed header value. The zero Value holds no value and is
// refused by the encoder; build one with the constructors BoolValue,
// ByteValue, ShortValue, IntValue, LongValue, BytesValue, StringValue,
// TimestampValue and UUIDValue.
//
// Read a value with the getter for its type — Bool, Int, Bytes, Str,
// Time/UnixMilli, UUID — each of which reports whether the value has a type
// it can return, so a header of an unexpected type never causes a panic.
// String formats any value for people.
type Value struct {
	t   uint8  // HeaderType+1; 0 means no value
	num uint64 // integers (sign-extended), timestamp milliseconds, first half of a UUID
	lo  uint64 // second half of a UUID
	str string // TypeString
	b   []byte // TypeBytes
}

// BoolValue returns a boolean value: type true or type false.
func BoolValue(b bool) Value {
	if b {
		return Value{t: uint8(TypeTrue) + 1}
	}
	return Value{t: uint8(TypeFalse) + 1}
}

// ByteValue returns a value of type byte (int8).
func ByteValue(v int8) Value { return Value{t: uint8(TypeByte) + 1, num: uint64(int64(v))} }

// ShortValue returns a value of type short (int16).
func ShortValue(v int16) Value { return Value{t: uint8(TypeShort) + 1, num: uint64(int64(v))} }

// IntValue returns a value of type int (int32).
func IntValue(v int32) Value { return Value{t: uint8(TypeInt) + 1, num: uint64(int64(v))} }

// LongValue returns a value of type long (int64).
func LongValue(v int64) Value { return Value{t: uint8(TypeLong) + 1, num: uint64(v)} }

// BytesValue returns a value of type bytes (a byte array). The Value refers
// to b; it does not copy it.
func BytesValue(b []byte) Value { return Value{t: uint8(TypeBytes) + 1, b: b} }

// StringValue returns a value of type string.
func StringValue(s string) Value { return Value{t: uint8(TypeString) + 1, str: s} }

// TimestampValue returns a value of type timestamp. The wire carries
// milliseconds since the Unix epoch, so t is truncated to the millisecond.
func TimestampValue(t time.Time) Value { return TimestampMillisValue(t.UnixMilli()) }

// TimestampMillisValue returns a value of type timestamp from milliseconds
// since the Unix epoch, the wire representation.
func TimestampMillisValue(ms int64) Value {
	return Value{t: uint8(TypeTimestamp) + 1, num: uint64(ms)}
}

// UUIDValue returns a value of type uuid.
func UUIDValue(u [16]byte) Value {
	return Value{
		t:   uint8(TypeUUID) + 1,
		num: binary.BigEndian.Uint64(u[:8]),
		lo:  binary.BigEndian.Uint64(u[8:]),
	}
}

// IsValid reports whether v holds a value; the zero Value does not.
func (v Value) IsValid() bool { return v.t != 0 }

// Type returns the wire type of v. For the zero Value it returns
// HeaderType(255), which is not a valid type.
func (v Value) Type() HeaderType { return HeaderType(v.t - 1) }

// Bool returns the value of a boolean (type true or false); ok is false for
// other types.
func (v Value) Bool() (b, ok bool) {
	switch v.Type() {
	case TypeTrue:
		return true, true
	case TypeFalse:
		return false, true
	}
	return false, false
}

// Int returns the value of an integer of any width (byte, short, int or
// long), widened to int64; ok is false for other types, timestamps included.
func (v Value) Int() (n int64, ok bool) {
	switch v.Type() {
	case TypeByte, TypeShort, TypeInt, TypeLong:
		return int64(v.num), true
	}
	return 0, false
}

// Bytes returns the bytes of a byte-array value; ok is false for other
// types. The slice is shared, not copied: for a decoded message it is valid
// until the next Decode.
func (v Value) Bytes() (b []byte, ok bool) {
	if v.Type() == TypeBytes {
		return v.b, true
	}
	return nil, false
}

// Str returns the text of a string value; ok is false for other types.
func (v Value) Str() (s string, ok bool) {
	if v.Type() == TypeString {
		return v.str, true
	}
	return "", false
}

// UnixMilli returns a timestamp value as milliseconds since the Unix epoch,
// exactly as on the wire; ok is false for other types.
func (v Value) UnixMilli() (ms int64, ok bool) {
	if v.Type() == TypeTimestamp {
		return int64(v.num), true
	}
	return 0, false
}

// Time returns a timestamp value as a time in UTC; ok is false for other
// types.
func (v Value) Time() (t time.Time, ok bool) {
	if v.Type() == TypeTimestamp {
		return time.UnixMilli(int64(v.num)).UTC(), true
	}
	return time.Time{}, false
}

// UUID returns the 16 bytes of a uuid value; ok is false for other types.
func (v Value) UUID() (u [16]byte, ok bool) {
	if v.Type() == TypeUUID {
		binary.BigEndian.PutUint64(u[:8], v.num)
		binary.BigEndian.PutUint64(u[8:], v.lo)
		return u, true
	}
	return u, false
}

// Equal reports whether v and w have the same type and value. A nil and an
// empty byte array are equal: they encode the same.
func (v Value) Equal(w Value) bool {
	if v.t != w.t || v.num != w.num || v.lo != w.lo || v.str != w.str {
		return false
	}
	return string(v.b) == string(w.b)
}

// String formats v for people: the text of a string, true or false,
// integers and timestamp milliseconds in decimal (a timestamp also in
// RFC 3339 form), byte arrays in standard base64, a UUID in its canonical
// lower-case 8-4-4-4-12 form. The zero Value formats as "<invalid>".
func (v Value) String() string {
	switch v.Type() {
	case TypeTrue:
		return "true"
	case TypeFalse:
		return "false"
	case TypeByte, TypeShort, TypeInt, TypeLong:
		return strconv.FormatInt(int64(v.num), 10)
	case TypeBytes:
		return base64.StdEncoding.EncodeToString(v.b)
	case TypeString:
		return v.str
	case TypeTimestamp:
		ms := int64(v.num)
		return strconv.FormatInt(ms, 10) + " (" + time.UnixMilli(ms).UTC().Format("2006-01-02T15:04:05.000Z07:00") + ")"
	case TypeUUID:
		u, _ := v.UUID()
		return FormatUUID(u)
	}
	return "<invalid>"
}

// FormatUUID returns u in the canonical lower-case 8-4-4-4-12 form,
// for example 0f8fad5b-d9cb-469f-a165-70867728950e.
func FormatUUID(u [16]byte) string {
	const hexdigits = "0123456789abcdef"
	var out [36]byte
	j := 0
	for i, c := range u {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			out[j] = '-'
			j++
		}
		out[j] = hexdigits[c>>4]
		out[j+1] = hexdigits[c&0xf]
		j += 2
	}
	return string(out[:])
}

// Header is one named, typed header of a message.
type Header struct {
	Name  string
	Value Value
}

// String formats h as name:type=value, for logs and test failures.
func (h Header) String() string {
	return h.Name + ":" + h.Value.Type().String() + "=" + h.Value.String()
}
