package bedrocktest

import (
	"bytes"
	"crypto/hmac"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync/atomic"
	"time"

	"github.com/bedrockwire/bedrockwire/eventstream"
	"github.com/bedrockwire/bedrockwire/modelspec"
	"github.com/bedrockwire/bedrockwire/sigv4"
)

// bidirectional answers InvokeModelWithBidirectionalStream: it reads signed
// envelopes one by one, checks each :chunk-signature against the chain
// seeded by the request's own signature, hands the model events to the
// built-in speech model, and streams its output. Response headers are held
// back until the first event arrives, as the service does.
func (c *call) bidirectional() {
	if c.r.ProtoMajor < 2 {
		c.fail(ValidationError("InvokeModelWithBidirectionalStream requires HTTP/2."))
		return
	}
	m, e := c.s.resolveModel(c.rt.modelID, modelspec.InvokeModelWithBidirectionalStream)
	if e != nil {
		c.fail(e)
		return
	}
	var scripted *Reply
	if sr := c.s.takeReply(m.id); sr != nil {
		if sr.Error != nil {
			c.fail(sr.Error)
			return
		}
		scripted = sr
	}
	sess := newSonicSession(c)
	dec := eventstream.NewDecoder(c.r.Body)

	// The session cap: when it passes, the body is closed so that the read
	// below fails, and the session ends with a modelTimeoutException.
	var expired atomic.Bool
	if limit := c.s.opts.sessionLimit(); limit > 0 {
		t := time.AfterFunc(limit, func() {
			expired.Store(true)
			c.r.Body.Close()
		})
		defer t.Stop()
	}
	chain := frameChain{s: c.s, creds: c.auth.creds, prev: c.auth.seed}
	var sw *streamWriter

	// refuse ends the call: an HTTP error before the headers, an exception
	// (or, for signature failures, an unmodelled error message) after.
	refuse := func(e *Error) {
		if sw == nil {
			c.fail(e)
			return
		}
		if e.auth {
			c.w.errorType = e.Type
			sw.write(eventstream.NewError(e.Type, e.Message))
			sw.done = true
			return
		}
		sw.exception(e)
	}
	send := func(events [][]byte) bool {
		for _, ev := range events {
			if !sw.event("chunk", chunkPayload(ev)) {
				return false
			}
		}
		return true
	}

	for {
		msg, err := dec.Decode()
		if expired.Load() {
			refuse(ModelTimeoutError())
			return
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			if errors.Is(err, io.ErrUnexpectedEOF) && c.r.Context().Err() != nil {
				return // the client went away
			}
			refuse(ValidationError("The input event stream is malformed: " + err.Error()))
			return
		}
		payload, e := chain.verify(msg)
		if e != nil {
			refuse(e)
			return
		}
		if len(payload) == 0 {
			c.s.update(c.rec, func(rec *Request) { rec.InputClosed = true })
			break
		}
		event, e := innerEvent(payload)
		if e != nil {
			refuse(e)
			return
		}
		c.s.update(c.rec, func(rec *Request) { rec.Events = append(rec.Events, event) })
		if sw == nil {
			sw = c.openStream()
			if scripted != nil && !send(scripted.Events) {
				return
			}
		}
		if scripted != nil {
			continue
		}
		out, e := sess.handle(event)
		if e != nil {
			refuse(e)
			return
		}
		if !send(out) {
			return
		}
	}
	if sw == nil {
		// Input ended before any event: nothing to answer but headers.
		sw = c.openStream()
		if scripted != nil && !send(scripted.Events) {
			return
		}
	}
	if scripted == nil && !send(sess.finish()) {
		return
	}
	sw.end()
}

// frameChain checks the chained signatures of the signed envelopes.
type frameChain struct {
	s     *Server
	creds sigv4.Credentials
	prev  []byte // the previous signature; the request's for the first frame
	n     int    // frames checked
}

// verify checks one envelope and returns its payload (the inner message, or
// empty for the end-of-input frame).
func (fc *frameChain) verify(msg *eventstream.Message) ([]byte, *Error) {
	fc.n++
	date, ok := msg.Header(eventstream.HeaderDate)
	if !ok || date.Type() != eventstream.TypeTimestamp {
		return nil, authError(403, sigv4.CodeIncompleteSignature, fmt.Sprintf("Event frame %d has no :date timestamp header.", fc.n))
	}
	sigv, ok := msg.Header(eventstream.HeaderChunkSignature)
	sig, isBytes := sigv.Bytes()
	if !ok || !isBytes || len(sig) != 32 {
		return nil, authError(403, sigv4.CodeIncompleteSignature, fmt.Sprintf("Event frame %d has no 32-byte :chunk-signature header.", fc.n))
	}
	payload := msg.Payload
	if fc.prev == nil {
		// Anonymous request (Options.Anonymous): no chain to check.
		return payload, nil
	}
	t, _ := date.Time()
	now := fc.s.opts.now()
	if d := now.Sub(t); d > MaxClockSkew || -d > MaxClockSkew {
		return nil, authError(403, sigv4.CodeInvalidSignature, fmt.Sprintf("Signature expired: event frame %d is dated %s, more than 15 min. from %s.",
			fc.n, t.UTC().Format(sigv4.TimeFormat), now.UTC().Format(sigv4.TimeFormat)))
	}
	hdr, err := eventstream.AppendHeaders(nil, []eventstream.Header{{Name: eventstream.HeaderDate, Value: date}})
	if err != nil {
		return nil, authError(403, sigv4.CodeIncompleteSignature, "Bad :date header.")
	}
	want, err := fc.s.verifier.Signer.SignEventChunk(fc.creds, fc.s.opts.region(), signingService, t, fc.prev, hdr, payload)
	if err != nil {
		return nil, InternalServerError()
	}
	if !hmac.Equal(want, sig) {
		return nil, authError(403, sigv4.CodeInvalidSignature, fmt.Sprintf(
			"The event frame signature we calculated does not match the signature you provided (frame %d). The String-to-Sign should have been\n'%s'\n",
			fc.n, sigv4.EventChunkStringToSign(fc.s.opts.region(), signingService, t, fc.prev, hdr, payload)))
	}
	fc.prev = append(fc.prev[:0:0], sig...)
	return payload, nil
}

// innerEvent decodes the inner chunk message of an envelope and returns the
// model event JSON its "bytes" member carries.
func innerEvent(payload []byte) ([]byte, *Error) {
	msg, err := eventstream.NewDecoder(bytes.NewReader(payload)).Decode()
	if err != nil {
		return nil, ValidationError("The event frame does not hold a valid event-stream message: " + err.Error())
	}
	if mt := msg.Type(); mt != eventstream.EventMessage || msg.EventType() != "chunk" {
		return nil, ValidationError(fmt.Sprintf("Unexpected input event: :message-type %q, :event-type %q; only chunk events are accepted.", mt, msg.EventType()))
	}
	var part struct {
		Bytes []byte `json:"bytes"`
	}
	if err := json.Unmarshal(msg.Payload, &part); err != nil || part.Bytes == nil {
		return nil, ValidationError("The chunk event payload must be {\"bytes\":\"<base64>\"}.")
	}
	if len(part.Bytes) > 1_000_000 {
		return nil, ValidationError("1 validation error detected: Value at 'body.chunk.bytes' failed to satisfy constraint: Member must have length less than or equal to 1000000")
	}
	return part.Bytes, nil
}
