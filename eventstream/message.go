package eventstream

// Message is one event-stream message: headers in wire order and a payload.
//
// A Message returned by [Decoder.Decode] shares memory with the decoder and
// is valid only until the next call to Decode; [Message.Clone] makes a copy
// that can be kept.
type Message struct {
	Headers []Header
	Payload []byte
}

// Header returns the value of the first header called name, and whether
// there is one. It compares names exactly (they are case-sensitive) and does
// not allocate.
func (m *Message) Header(name string) (Value, bool) {
	for i := range m.Headers {
		if m.Headers[i].Name == name {
			return m.Headers[i].Value, true
		}
	}
	return Value{}, false
}

// Clone returns a deep copy of m that shares no memory with it: use it to
// keep a decoded message past the next call to Decode. Strings are
// immutable and are shared.
func (m *Message) Clone() *Message {
	if m == nil {
		return nil
	}
	size := len(m.Payload)
	for i := range m.Headers {
		size += len(m.Headers[i].Value.b)
	}
	mem := make([]byte, 0, size)
	c := &Message{}
	if m.Headers != nil {
		c.Headers = make([]Header, len(m.Headers))
		copy(c.Headers, m.Headers)
		for i := range c.Headers {
			if b := c.Headers[i].Value.b; b != nil {
				n := len(mem)
				mem = append(mem, b...)
				c.Headers[i].Value.b = mem[n:len(mem):len(mem)]
			}
		}
	}
	if m.Payload != nil {
		n := len(mem)
		mem = append(mem, m.Payload...)
		c.Payload = mem[n:len(mem):len(mem)]
	}
	return c
}

// Names of the protocol headers AWS defines over the format.
const (
	// HeaderMessageType classifies a message: event, exception or error.
	HeaderMessageType = ":message-type"
	// HeaderEventType names the event (the member of the stream union) of an
	// event message, for example "contentBlockDelta" or "chunk".
	HeaderEventType = ":event-type"
	// HeaderExceptionType names the modelled error of an exception message,
	// for example "throttlingException".
	HeaderExceptionType = ":exception-type"
	// HeaderErrorCode is the code of an unmodelled error message.
	HeaderErrorCode = ":error-code"
	// HeaderErrorMessage is the human-readable text of an unmodelled error.
	HeaderErrorMessage = ":error-message"
	// HeaderContentType is the media type of the payload.
	HeaderContentType = ":content-type"
	// HeaderDate is the signing time (a timestamp) of a signed envelope.
	HeaderDate = ":date"
	// HeaderChunkSignature is the chained signature (32 bytes) of a signed
	// envelope.
	HeaderChunkSignature = ":chunk-signature"
)

// MessageType is the kind of a message, from its ":message-type" header.
type MessageType uint8

// The kinds of message AWS event semantics define.
const (
	// UnknownMessage has no ":message-type" string header, or one with
	// another value.
	UnknownMessage MessageType = iota
	// EventMessage carries an event: ":message-type" is "event".
	EventMessage
	// ExceptionMessage carries a modelled error: ":message-type" is
	// "exception".
	ExceptionMessage
	// ErrorMessage carries an unmodelled error: ":message-type" is "error".
	ErrorMessage
)

// String returns event, exception, error or unknown.
func (t MessageType) String() string {
	switch t {
	case EventMessage:
		return "event"
	case ExceptionMessage:
		return "exception"
	case ErrorMessage:
		return "error"
	}
	return "unknown"
}

// Type classifies m by its ":message-type" header. It does not allocate.
func (m *Message) Type() MessageType {
	switch m.headerString(HeaderMessageType) {
	case "event":
		return EventMessage
	case "exception":
		return ExceptionMessage
	case "error":
		return ErrorMessage
	}
	return UnknownMessage
}

// EventType returns the ":event-type" string header, or "" if there is none.
func (m *Message) EventType() string { return m.headerString(HeaderEventType) }

// ExceptionType returns the ":exception-type" string header, or "".
func (m *Message) ExceptionType() string { return m.headerString(HeaderExceptionType) }

// ErrorCode returns the ":error-code" string header, or "".
func (m *Message) ErrorCode() string { return m.headerString(HeaderErrorCode) }

// ErrorMessage returns the ":error-message" string header, or "".
func (m *Message) ErrorMessage() string { return m.headerString(HeaderErrorMessage) }

// ContentType returns the ":content-type" string header, or "".
func (m *Message) ContentType() string { return m.headerString(HeaderContentType) }

// headerString returns the first header called name if it is a string, or "".
func (m *Message) headerString(name string) string {
	for i := range m.Headers {
		h := &m.Headers[i]
		if h.Name == name {
			if h.Value.Type() == TypeString {
				return h.Value.str
			}
			return ""
		}
	}
	return ""
}

// NewEvent returns an event message: ":message-type" event, ":event-type"
// eventType and, when contentType is not empty, ":content-type".
func NewEvent(eventType, contentType string, payload []byte) *Message {
	m := &Message{Payload: payload}
	m.Headers = append(make([]Header, 0, 3),
		Header{HeaderMessageType, StringValue("event")},
		Header{HeaderEventType, StringValue(eventType)})
	if contentType != "" {
		m.Headers = append(m.Headers, Header{HeaderContentType, StringValue(contentType)})
	}
	return m
}

// NewException returns a modelled-error message: ":message-type" exception,
// ":exception-type" exceptionType and, when contentType is not empty,
// ":content-type". The payload is the serialized error structure, for
// example {"message":"..."}.
func NewException(exceptionType, contentType string, payload []byte) *Message {
	m := &Message{Payload: payload}
	m.Headers = append(make([]Header, 0, 3),
		Header{HeaderMessageType, StringValue("exception")},
		Header{HeaderExceptionType, StringValue(exceptionType)})
	if contentType != "" {
		m.Headers = append(m.Headers, Header{HeaderContentType, StringValue(contentType)})
	}
	return m
}

// NewError returns an unmodelled-error message: ":message-type" error with
// ":error-code" and ":error-message", and no payload.
func NewError(code, message string) *Message {
	return &Message{Headers: []Header{
		{HeaderMessageType, StringValue("error")},
		{HeaderErrorCode, StringValue(code)},
		{HeaderErrorMessage, StringValue(message)},
	}}
}
