package bedrocktest

import (
	"bytes"
	"net/http"
	"strconv"

	"github.com/bedrockwire/bedrockwire/modelspec"
)

// An Error is an error answer of the emulator, shaped as the service sends
// it: HTTP status, the error name in x-amzn-ErrorType (with the Coral
// namespace suffix the service appends) and a JSON body with "message".
// Inside a response stream the same error travels as an exception message
// whose :exception-type is the name with a lower-case first letter.
type Error struct {
	Status  int    // HTTP status, e.g. 429
	Type    string // error name, e.g. "ThrottlingException"
	Message string

	// OriginalStatusCode and OriginalMessage accompany
	// ModelStreamErrorException and ModelErrorException; ResourceName
	// accompanies ModelErrorException.
	OriginalStatusCode int
	OriginalMessage    string
	ResourceName       string

	// auth marks errors raised by the authentication layer, which use the
	// generic Coral namespace in x-amzn-ErrorType.
	auth bool
	// upperMessage writes "Message" instead of "message", as the API-key
	// layer does.
	upperMessage bool
}

// Error returns "Type: Message".
func (e *Error) Error() string { return e.Type + ": " + e.Message }

// ExceptionType is the :exception-type of the error inside an event stream
// (the error name with its first letter lower-cased).
func (e *Error) ExceptionType() string {
	if e.Type == "" {
		return ""
	}
	b := []byte(e.Type)
	if b[0] >= 'A' && b[0] <= 'Z' {
		b[0] += 'a' - 'A'
	}
	return string(b)
}

// headerValue is the x-amzn-ErrorType value.
func (e *Error) headerValue() string {
	if e.auth {
		return e.Type + ":http://internal.amazon.com/coral/com.amazon.coral.service/"
	}
	return e.Type + ":http://internal.amazon.com/coral/com.amazon.bedrock/"
}

// body is the JSON error document, members in the service's order.
func (e *Error) body() []byte {
	var b bytes.Buffer
	key := "message"
	if e.upperMessage {
		key = "Message"
	}
	b.WriteString(`{"` + key + `":`)
	writeJSONString(&b, e.Message)
	if e.OriginalStatusCode != 0 {
		b.WriteString(`,"originalStatusCode":` + strconv.Itoa(e.OriginalStatusCode))
	}
	if e.OriginalMessage != "" {
		b.WriteString(`,"originalMessage":`)
		writeJSONString(&b, e.OriginalMessage)
	}
	if e.ResourceName != "" {
		b.WriteString(`,"resourceName":`)
		writeJSONString(&b, e.ResourceName)
	}
	b.WriteByte('}')
	return b.Bytes()
}

// writeJSONString writes s as a JSON string without HTML escaping.
func writeJSONString(b *bytes.Buffer, s string) {
	b.Write(modelspec.AppendJSONString(b.AvailableBuffer(), s))
}

// write sends the error as an HTTP response.
func (e *Error) write(w http.ResponseWriter, requestID string) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("X-Amzn-Errortype", e.headerValue())
	h.Set("X-Amzn-Requestid", requestID)
	body := e.body()
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(e.Status)
	w.Write(body)
}

// Errors the service sends, with its own default messages. Each returns a
// new value the caller may change.

// ThrottlingError is 429 ThrottlingException.
func ThrottlingError() *Error {
	return &Error{Status: 429, Type: "ThrottlingException", Message: "Too many requests, please wait before trying again."}
}

// ServiceUnavailableError is 503 ServiceUnavailableException.
func ServiceUnavailableError() *Error {
	return &Error{Status: 503, Type: "ServiceUnavailableException", Message: "Bedrock is unable to process your request."}
}

// InternalServerError is 500 InternalServerException.
func InternalServerError() *Error {
	return &Error{Status: 500, Type: "InternalServerException", Message: "The server encountered an internal error while processing the request."}
}

// ModelTimeoutError is 408 ModelTimeoutException.
func ModelTimeoutError() *Error {
	return &Error{Status: 408, Type: "ModelTimeoutException", Message: "Model has timed out in processing the request. Try your request again."}
}

// ModelNotReadyError is 429 ModelNotReadyException.
func ModelNotReadyError() *Error {
	return &Error{Status: 429, Type: "ModelNotReadyException", Message: "Model is not ready to serve inference requests. Try your request again later."}
}

// ModelStreamError is 424 ModelStreamErrorException with the model's own
// status and message.
func ModelStreamError(originalStatus int, originalMessage string) *Error {
	return &Error{Status: 424, Type: "ModelStreamErrorException", Message: "The model encountered an error while streaming the response.",
		OriginalStatusCode: originalStatus, OriginalMessage: originalMessage}
}

// ModelError is 424 ModelErrorException: the model itself failed with
// originalStatus and originalMessage.
func ModelError(originalStatus int, originalMessage, resourceName string) *Error {
	return &Error{Status: 424, Type: "ModelErrorException", Message: "Received error from the model: " + originalMessage,
		OriginalStatusCode: originalStatus, OriginalMessage: originalMessage, ResourceName: resourceName}
}

// ValidationError is 400 ValidationException with message.
func ValidationError(message string) *Error {
	return &Error{Status: 400, Type: "ValidationException", Message: message}
}

// AccessDeniedError is 403 AccessDeniedException with message.
func AccessDeniedError(message string) *Error {
	return &Error{Status: 403, Type: "AccessDeniedException", Message: message}
}

// ResourceNotFoundError is 404 ResourceNotFoundException with message.
func ResourceNotFoundError(message string) *Error {
	return &Error{Status: 404, Type: "ResourceNotFoundException", Message: message}
}

// ServiceQuotaExceededError is 400 ServiceQuotaExceededException.
func ServiceQuotaExceededError() *Error {
	return &Error{Status: 400, Type: "ServiceQuotaExceededException", Message: "Your request exceeds the service quota for your account. You can view your quotas at Viewing service quotas. You can resubmit your request later."}
}

func authError(status int, typ, message string) *Error {
	return &Error{Status: status, Type: typ, Message: message, auth: true}
}

func unknownOperation() *Error {
	return &Error{Status: 404, Type: "UnknownOperationException", Message: "Unable to determine service/operation name to be authorized", auth: true}
}
