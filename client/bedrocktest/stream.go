package bedrocktest

import (
	"encoding/base64"
	"net/http"

	"github.com/bedrockwire/bedrockwire/eventstream"
)

// streamWriter sends the events of a response stream, applying the call's
// fault, the server's pacing and Bedrock's "p" padding.
type streamWriter struct {
	c      *call
	buf    []byte // the encoded message, reused
	padBuf []byte // the padded payload, reused
	msg    eventstream.Message
	n      int // events sent
	done   bool
}

// openStream answers 200 with an event-stream body and sends the headers.
func (c *call) openStream(extra ...string) *streamWriter {
	h := c.w.Header()
	h.Set("Content-Type", "application/vnd.amazon.eventstream")
	h.Set("X-Amzn-Requestid", c.id)
	for i := 0; i+1 < len(extra); i += 2 {
		h.Set(extra[i], extra[i+1])
	}
	c.w.WriteHeader(http.StatusOK)
	c.w.Flush()
	return &streamWriter{c: c}
}

// eventMessage is an event as the service frames it: headers :event-type,
// :content-type, :message-type, in that order.
func eventMessage(eventType string, payload []byte) *eventstream.Message {
	return &eventstream.Message{
		Headers: []eventstream.Header{
			{Name: eventstream.HeaderEventType, Value: eventstream.StringValue(eventType)},
			{Name: eventstream.HeaderContentType, Value: eventstream.StringValue("application/json")},
			{Name: eventstream.HeaderMessageType, Value: eventstream.StringValue("event")},
		},
		Payload: payload,
	}
}

// exceptionMessage is a modelled error inside a stream.
func exceptionMessage(e *Error) *eventstream.Message {
	return &eventstream.Message{
		Headers: []eventstream.Header{
			{Name: eventstream.HeaderExceptionType, Value: eventstream.StringValue(e.ExceptionType())},
			{Name: eventstream.HeaderContentType, Value: eventstream.StringValue("application/json")},
			{Name: eventstream.HeaderMessageType, Value: eventstream.StringValue("exception")},
		},
		Payload: e.body(),
	}
}

// chunkPayload is the {"bytes":…} body of a chunk event.
func chunkPayload(b []byte) []byte {
	out := make([]byte, 0, 12+base64.StdEncoding.EncodedLen(len(b)))
	out = append(out, `{"bytes":"`...)
	out = base64.StdEncoding.AppendEncode(out, b)
	return append(out, `"}`...)
}

// paddingAlphabet is what Bedrock's "p" values are prefixes of.
const paddingAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// pad adds the "p" member to a JSON object payload; its length varies with
// the event's position, deterministically.
func pad(payload []byte, n int) []byte { return appendPadded(nil, payload, n) }

// appendPadded appends payload with its "p" member to dst.
func appendPadded(dst, payload []byte, n int) []byte {
	if len(payload) < 2 || payload[len(payload)-1] != '}' {
		return append(dst, payload...)
	}
	p := paddingAlphabet[:1+(n*17+5)%len(paddingAlphabet)]
	out := append(dst, payload[:len(payload)-1]...)
	if len(payload) > 2 {
		out = append(out, ',')
	}
	out = append(out, `"p":"`...)
	out = append(out, p...)
	return append(out, `"}`...)
}

// event sends one event. It reports false once the stream has ended: a
// fault fired, or the client went away.
func (sw *streamWriter) event(eventType string, payload []byte) bool {
	if sw.done {
		return false
	}
	if sw.faultDue() {
		sw.fire(eventType, payload)
		return false
	}
	if sw.n > 0 && sw.c.s.opts.StreamPacing > 0 {
		if sw.c.s.sleep(sw.c.r.Context(), sw.c.s.opts.StreamPacing) != nil {
			sw.done = true
			return false
		}
	}
	if !sw.c.s.opts.NoPadding {
		sw.padBuf = appendPadded(sw.padBuf[:0], payload, sw.n)
		payload = sw.padBuf
	}
	sw.msg.Headers = append(sw.msg.Headers[:0],
		eventstream.Header{Name: eventstream.HeaderEventType, Value: eventstream.StringValue(eventType)},
		eventstream.Header{Name: eventstream.HeaderContentType, Value: eventstream.StringValue("application/json")},
		eventstream.Header{Name: eventstream.HeaderMessageType, Value: eventstream.StringValue("event")})
	sw.msg.Payload = payload
	if !sw.write(&sw.msg) {
		return false
	}
	sw.n++
	return true
}

// exception sends e as the stream's last message.
func (sw *streamWriter) exception(e *Error) {
	if sw.done {
		return
	}
	sw.c.w.errorType = e.Type
	sw.write(exceptionMessage(e))
	sw.done = true
}

// end finishes the stream; a fault whose AfterEvents was not reached fires
// now.
func (sw *streamWriter) end() {
	if sw.done {
		return
	}
	if f := sw.c.fault; f != nil && (f.CutStream || f.Exception != nil) {
		sw.fire("", nil)
	}
	sw.done = true
}

func (sw *streamWriter) faultDue() bool {
	f := sw.c.fault
	return f != nil && (f.CutStream || f.Exception != nil) && sw.n >= f.AfterEvents
}

// fire applies the stream fault. A cut sends the first half of the event
// that was due (if any) and cuts the connection.
func (sw *streamWriter) fire(eventType string, payload []byte) {
	f := sw.c.fault
	sw.done = true
	if f.CutStream {
		if eventType != "" {
			b, err := eventstream.AppendMessage(sw.buf[:0], eventMessage(eventType, payload))
			if err == nil {
				sw.c.w.Write(b[:len(b)/2])
				sw.c.w.Flush()
			}
		}
		sw.c.abort()
	}
	sw.done = false
	sw.exception(f.Exception)
}

func (sw *streamWriter) write(m *eventstream.Message) bool {
	b, err := eventstream.AppendMessage(sw.buf[:0], m)
	if err != nil {
		sw.done = true
		return false
	}
	sw.buf = b
	if _, err := sw.c.w.Write(b); err != nil {
		sw.done = true
		return false
	}
	sw.c.w.Flush()
	return true
}
