package client

import (
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/bedrockwire/bedrockwire/eventstream"
	"github.com/bedrockwire/bedrockwire/sigv4"
)

// MaxBidiEventBytes is the largest model event Send accepts: the service's
// limit on the decoded "bytes" of one input chunk.
const MaxBidiEventBytes = 1_000_000

// chunkHeaders are the headers of the inner message of every input event.
var chunkHeaders = []eventstream.Header{
	{Name: eventstream.HeaderEventType, Value: eventstream.StringValue("chunk")},
	{Name: eventstream.HeaderMessageType, Value: eventstream.StringValue("event")},
	{Name: eventstream.HeaderContentType, Value: eventstream.StringValue("application/json")},
}

// frameSigner builds the signed envelopes of one bidirectional stream. Each
// frame's :chunk-signature is chained from the previous one, starting from
// the seed, the signature of the request that opened the stream. It reuses
// its buffers: building a frame allocates nothing once they have grown to
// the size of the largest event. It is not safe for concurrent use.
type frameSigner struct {
	signer  *sigv4.Signer
	creds   sigv4.Credentials
	region  string
	service string
	prev    [sha256.Size]byte // the previous signature (the seed at first)

	payload []byte // {"bytes":"<base64>"}
	inner   []byte // the inner message
	dateHdr []byte // the encoded :date header block
	frame   []byte // the envelope
	sig     [sha256.Size]byte
	hdrs    [2]eventstream.Header
	msg     eventstream.Message
}

// newFrameSigner returns a frameSigner whose chain starts at seed (32
// bytes).
func newFrameSigner(signer *sigv4.Signer, creds sigv4.Credentials, region, service string, seed []byte) (*frameSigner, error) {
	if len(seed) != sha256.Size {
		return nil, fmt.Errorf("seed signature is %d bytes, want %d", len(seed), sha256.Size)
	}
	fs := &frameSigner{signer: signer, creds: creds, region: region, service: service}
	copy(fs.prev[:], seed)
	return fs, nil
}

// event returns the signed envelope of the model event js, dated t. The
// result is valid until the next call.
func (fs *frameSigner) event(t time.Time, js []byte) ([]byte, error) {
	if len(js) > MaxBidiEventBytes {
		return nil, fmt.Errorf("event is %d bytes, more than the %d the service accepts", len(js), MaxBidiEventBytes)
	}
	p := append(fs.payload[:0], `{"bytes":"`...)
	p = base64.StdEncoding.AppendEncode(p, js)
	fs.payload = append(p, `"}`...)
	fs.msg = eventstream.Message{Headers: chunkHeaders, Payload: fs.payload}
	inner, err := eventstream.AppendMessage(fs.inner[:0], &fs.msg)
	if err != nil {
		return nil, err
	}
	fs.inner = inner
	return fs.envelope(t, fs.inner)
}

// end returns the signed empty envelope that ends the input, dated t.
func (fs *frameSigner) end(t time.Time) ([]byte, error) {
	return fs.envelope(t, nil)
}

// envelope signs payload (an encoded inner message, or empty) at t and
// returns the envelope: headers :date and :chunk-signature, then payload.
// The chain advances only at commit.
func (fs *frameSigner) envelope(t time.Time, payload []byte) ([]byte, error) {
	date := eventstream.TimestampValue(t)
	fs.hdrs[0] = eventstream.Header{Name: eventstream.HeaderDate, Value: date}
	dh, err := eventstream.AppendHeaders(fs.dateHdr[:0], fs.hdrs[:1])
	if err != nil {
		return nil, err
	}
	fs.dateHdr = dh
	// the signature is over the millisecond time the :date header carries
	ts, _ := date.Time()
	sig, err := fs.signer.AppendEventChunkSignature(fs.sig[:0], fs.creds, fs.region, fs.service, ts, fs.prev[:], fs.dateHdr, payload)
	if err != nil {
		return nil, err
	}
	if len(sig) != sha256.Size {
		return nil, errors.New("chunk signature has the wrong length")
	}
	fs.hdrs[1] = eventstream.Header{Name: eventstream.HeaderChunkSignature, Value: eventstream.BytesValue(fs.sig[:])}
	fs.msg = eventstream.Message{Headers: fs.hdrs[:], Payload: payload}
	frame, err := eventstream.AppendMessage(fs.frame[:0], &fs.msg)
	if err != nil {
		return nil, err
	}
	fs.frame = frame
	return fs.frame, nil
}

// commit makes the signature of the frame built last the previous
// signature of the next frame. It is called once the frame went out, so
// that a frame withdrawn before any of its bytes were sent leaves the chain
// as it was.
func (fs *frameSigner) commit() { fs.prev = fs.sig }
