package sigv4

import (
	"crypto/sha256"
	"errors"
	"time"
)

// SignEventChunk returns the signature of one event-stream chunk (the 32
// raw bytes of its :chunk-signature header), chained from prevSignature:
// the previous chunk's signature, or for the first chunk the seed, the raw
// signature of the request that opened the stream (see
// [SignatureFromAuthorization]).
//
// headers is the encoded header block of the chunk's :date header and
// payload the chunk's payload, the complete encoded inner message (empty
// for the frame that ends the stream). The string to sign is
//
//	AWS4-HMAC-SHA256-PAYLOAD
//	<t as YYYYMMDDTHHMMSSZ>
//	<YYYYMMDD>/<region>/<service>/aws4_request
//	hex(prevSignature)
//	hex(SHA-256(headers))
//	hex(SHA-256(payload))
//
// and the key is derived from t's own date, so a stream that crosses
// midnight UTC keeps signing correctly. t is truncated to the second in the
// string to sign; the :date header carries milliseconds.
func (sg *Signer) SignEventChunk(creds Credentials, region, service string, t time.Time, prevSignature, headers, payload []byte) ([]byte, error) {
	return sg.AppendEventChunkSignature(make([]byte, 0, sha256.Size), creds, region, service, t, prevSignature, headers, payload)
}

// AppendEventChunkSignature is [Signer.SignEventChunk] appending the 32
// signature bytes to dst, for callers that reuse a buffer. It does not
// allocate when dst has room and region and service are of usual length.
func (sg *Signer) AppendEventChunkSignature(dst []byte, creds Credentials, region, service string, t time.Time, prevSignature, headers, payload []byte) ([]byte, error) {
	if err := checkScope(&creds, region, service); err != nil {
		return dst, err
	}
	if len(prevSignature) == 0 {
		return dst, errors.New("sigv4: event chunk: empty previous signature")
	}
	if len(prevSignature) > 64 {
		return dst, errors.New("sigv4: event chunk: previous signature longer than 64 bytes")
	}
	at := newAmzTime(t)
	hh := sha256.Sum256(headers)
	ph := sha256.Sum256(payload)
	key, err := sg.signingKey(&creds, &at, region, service)
	if err != nil {
		return dst, err
	}
	// A pad block, then the string to sign, in the pooled scratch buffer:
	// handing a stack array to the hash would move it to the heap.
	s := getScratch()
	defer putScratch(s)
	b := append(s.buf[:0], make([]byte, sha256.BlockSize)...)
	b = append(b, chunkAlgorithm+"\n"...)
	b = append(b, at[:]...)
	b = append(b, '\n')
	b = appendScope(b, &at, region, service)
	b = append(b, '\n')
	b = appendHex(b, prevSignature)
	b = append(b, '\n')
	b = appendHex(b, hh[:])
	b = append(b, '\n')
	b = appendHex(b, ph[:])
	s.buf = b
	sig := key.sum(&s.hash, b)
	return append(dst, sig[:]...), nil
}

// EventChunkStringToSign returns the string to sign of an event-stream
// chunk, for tests and debugging.
func EventChunkStringToSign(region, service string, t time.Time, prevSignature, headers, payload []byte) string {
	at := newAmzTime(t)
	hh := sha256.Sum256(headers)
	ph := sha256.Sum256(payload)
	b := append([]byte(nil), chunkAlgorithm+"\n"...)
	b = append(b, at[:]...)
	b = append(b, '\n')
	b = appendScope(b, &at, region, service)
	b = append(b, '\n')
	b = appendHex(b, prevSignature)
	b = append(b, '\n')
	b = appendHex(b, hh[:])
	b = append(b, '\n')
	b = appendHex(b, ph[:])
	return string(b)
}
