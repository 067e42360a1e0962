package eventstream

// Decoded header names and string values become Go strings. Converting each
// one would cost an allocation per header, so the decoder looks them up
// first in a fixed table of the strings AWS streams carry all the time and
// then in a small per-decoder table of strings it has already seen.

// knownString returns the constant equal to b when b is one of the strings
// of AWS event semantics and Bedrock's event streams. The switch compares
// bytes with constants and does not allocate.
func knownString(b []byte) (string, bool) {
	switch string(b) {
	// Protocol header names.
	case HeaderMessageType:
		return HeaderMessageType, true
	case HeaderEventType:
		return HeaderEventType, true
	case HeaderContentType:
		return HeaderContentType, true
	case HeaderExceptionType:
		return HeaderExceptionType, true
	case HeaderErrorCode:
		return HeaderErrorCode, true
	case HeaderErrorMessage:
		return HeaderErrorMessage, true
	case HeaderDate:
		return HeaderDate, true
	case HeaderChunkSignature:
		return HeaderChunkSignature, true
	// Message types and content types.
	case "event":
		return "event", true
	case "exception":
		return "exception", true
	case "error":
		return "error", true
	case "application/json":
		return "application/json", true
	case "application/octet-stream":
		return "application/octet-stream", true
	case "text/plain":
		return "text/plain", true
	// Bedrock Runtime stream members (ConverseStreamOutput, ResponseStream,
	// InvokeModelWithBidirectionalStreamInput/Output).
	case "messageStart":
		return "messageStart", true
	case "contentBlockStart":
		return "contentBlockStart", true
	case "contentBlockDelta":
		return "contentBlockDelta", true
	case "contentBlockStop":
		return "contentBlockStop", true
	case "messageStop":
		return "messageStop", true
	case "metadata":
		return "metadata", true
	case "chunk":
		return "chunk", true
	case "internalServerException":
		return "internalServerException", true
	case "modelStreamErrorException":
		return "modelStreamErrorException", true
	case "validationException":
		return "validationException", true
	case "throttlingException":
		return "throttlingException", true
	case "serviceUnavailableException":
		return "serviceUnavailableException", true
	case "modelTimeoutException":
		return "modelTimeoutException", true
	// RPC protocols' initial messages.
	case "initial-request":
		return "initial-request", true
	case "initial-response":
		return "initial-response", true
	}
	return "", false
}

// Bounds of a decoder's intern table: strings longer than internMaxLen are
// not kept (they are rarely repeated), and the table is emptied when it holds
// internMaxEntries strings, so a stream of ever-new values costs one
// allocation per value and bounded memory.
const (
	internMaxLen     = 128
	internMaxEntries = 512
)

// internTable maps the bytes of strings a decoder has seen to one copy.
type internTable struct {
	m map[string]string
}

// str returns b as a string, without allocating when b is a known string or
// one seen recently. A nil table only knows the fixed strings.
func (t *internTable) str(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if s, ok := knownString(b); ok {
		return s
	}
	if t == nil || len(b) > internMaxLen {
		return string(b)
	}
	if s, ok := t.m[string(b)]; ok {
		return s
	}
	if t.m == nil {
		t.m = make(map[string]string)
	} else if len(t.m) >= internMaxEntries {
		clear(t.m)
	}
	s := string(b)
	t.m[s] = s
	return s
}
