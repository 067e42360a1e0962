package sigv4

import (
	"crypto/sha256"
	"encoding/hex"
)

// Payload hash values accepted by the signer besides the hex SHA-256 of a
// body.
const (
	// EmptyPayloadHash is the hex SHA-256 of an empty body.
	EmptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	// UnsignedPayload leaves the body out of the signature (S3, presigned
	// URLs).
	UnsignedPayload = "UNSIGNED-PAYLOAD"
	// StreamingEventsPayload is the payload hash of a request whose body is
	// a stream of signed event-stream chunks (InvokeModelWithBidirectionalStream).
	StreamingEventsPayload = "STREAMING-AWS4-HMAC-SHA256-EVENTS"
)

// Algorithm is the name of the signing algorithm, the first word of the
// Authorization header and of the string to sign.
const Algorithm = "AWS4-HMAC-SHA256"

// chunkAlgorithm opens the string to sign of an event-stream chunk.
const chunkAlgorithm = "AWS4-HMAC-SHA256-PAYLOAD"

// HashHex returns the lower-case hex SHA-256 of b, the payload hash of a
// body b.
func HashHex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

const hexDigits = "0123456789abcdef"

// appendHex appends the lower-case hex form of b to dst.
func appendHex(dst, b []byte) []byte {
	for _, c := range b {
		dst = append(dst, hexDigits[c>>4], hexDigits[c&0x0f])
	}
	return dst
}

// validPayloadHash reports whether h may stand on the last line of a
// canonical request: one of the literals or 64 hex digits.
func validPayloadHash(h string) bool {
	switch h {
	case UnsignedPayload, StreamingEventsPayload:
		return true
	}
	if len(h) != 64 {
		// Other literals (such as STREAMING-UNSIGNED-PAYLOAD-TRAILER) are
		// allowed as long as they cannot break the canonical request.
		for i := 0; i < len(h); i++ {
			c := h[i]
			if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
		}
		return h != ""
	}
	return classRun(h, classLowerHex) == 64
}
