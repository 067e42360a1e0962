package client

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Error is the error returned for a request the service refused, either as an
// HTTP status of 300 or more or as an exception message inside an event
// stream. Match it with errors.As, or use IsThrottling and its siblings.
type Error struct {
	Op         string // operation, e.g. "InvokeModel"
	StatusCode int    // HTTP status; for an in-stream exception, the status the exception is modelled with
	Code       string // error code, e.g. "ThrottlingException"; empty when the service gave none
	Message    string // the service's message
	RequestID  string // x-amzn-RequestId of the response
	// Retryable reports whether the error is of a kind a retry may cure
	// (throttling, model not ready, 5xx, …). It does not say that the client
	// retried: errors inside a stream are never retried.
	Retryable bool
	// InStream is true when the error arrived as an exception message inside
	// an event stream, after the events before it were delivered.
	InStream bool

	// OriginalStatusCode and OriginalMessage come with ModelErrorException and
	// ModelStreamErrorException: the status and message of the model itself.
	OriginalStatusCode int
	OriginalMessage    string
	// ResourceName comes with ModelErrorException.
	ResourceName string
}

// Error describes the failure on one line, e.g.
// "bedrock InvokeModel: ThrottlingException (HTTP 429): Too many requests (request ID 1234)".
func (e *Error) Error() string {
	op := e.Op
	if op == "" {
		op = "request"
	}
	s := "bedrock " + op + ": "
	switch {
	case e.Code != "" && e.InStream:
		s += e.Code + " (in stream)"
	case e.Code != "":
		s += e.Code + " (HTTP " + strconv.Itoa(e.StatusCode) + ")"
	case e.InStream:
		s += "error in stream"
	default:
		s += "HTTP " + strconv.Itoa(e.StatusCode)
		if t := http.StatusText(e.StatusCode); t != "" {
			s += " " + t
		}
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	if e.OriginalStatusCode != 0 || e.OriginalMessage != "" {
		s += " (model said "
		if e.OriginalStatusCode != 0 {
			s += strconv.Itoa(e.OriginalStatusCode)
			if e.OriginalMessage != "" {
				s += ": "
			}
		}
		s += e.OriginalMessage + ")"
	}
	if e.RequestID != "" {
		s += " (request ID " + e.RequestID + ")"
	}
	return s
}

// Error codes Bedrock Runtime returns, as they appear in Error.Code.
const (
	CodeAccessDenied         = "AccessDeniedException"
	CodeConflict             = "ConflictException"
	CodeInternalServer       = "InternalServerException"
	CodeModelError           = "ModelErrorException"
	CodeModelNotReady        = "ModelNotReadyException"
	CodeModelStreamError     = "ModelStreamErrorException"
	CodeModelTimeout         = "ModelTimeoutException"
	CodeResourceNotFound     = "ResourceNotFoundException"
	CodeServiceQuotaExceeded = "ServiceQuotaExceededException"
	CodeServiceUnavailable   = "ServiceUnavailableException"
	CodeThrottling           = "ThrottlingException"
	CodeValidation           = "ValidationException"
)

// throttlingCodes are the codes the AWS standard retry mode treats as
// throttling.
var throttlingCodes = map[string]bool{
	"Throttling":                             true,
	"ThrottlingException":                    true,
	"ThrottledException":                     true,
	"RequestThrottledException":              true,
	"TooManyRequestsException":               true,
	"ProvisionedThroughputExceededException": true,
	"TransactionInProgressException":         true,
	"RequestLimitExceeded":                   true,
	"BandwidthLimitExceeded":                 true,
	"LimitExceededException":                 true,
	"RequestThrottled":                       true,
	"SlowDown":                               true,
	"PriorRequestNotComplete":                true,
	"EC2ThrottledException":                  true,
}

// transientCodes are the non-throttling codes the standard retry mode retries.
var transientCodes = map[string]bool{
	"RequestTimeout":          true,
	"RequestTimeoutException": true,
	CodeModelNotReady:         true,
	CodeInternalServer:        true,
	CodeServiceUnavailable:    true,
}

// clockSkewCodes are the codes that may mean the signing time was off.
var clockSkewCodes = map[string]bool{
	"RequestTimeTooSkewed":      true,
	"RequestExpired":            true,
	"RequestInTheFuture":        true,
	"InvalidSignatureException": true,
	"SignatureDoesNotMatch":     true,
	"AuthFailure":               true,
}

func isThrottlingCode(code string) bool { return throttlingCodes[code] }

// retryableError reports whether a service error is one the standard retry
// mode retries.
func retryableError(status int, code string) bool {
	if throttlingCodes[code] || transientCodes[code] {
		return true
	}
	switch status {
	case http.StatusTooManyRequests:
		return code == ""
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

func asError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

func hasCode(err error, code string, status int) bool {
	e := asError(err)
	if e == nil {
		return false
	}
	if e.Code != "" {
		return e.Code == code
	}
	return status != 0 && e.StatusCode == status
}

// IsThrottling reports whether err is a *Error saying the caller is sending
// too fast (ThrottlingException or another throttling code; HTTP 429 without a
// code). ModelNotReadyException, also a 429, is not throttling.
func IsThrottling(err error) bool {
	e := asError(err)
	if e == nil {
		return false
	}
	if e.Code != "" {
		return isThrottlingCode(e.Code)
	}
	return e.StatusCode == http.StatusTooManyRequests
}

// IsValidation reports whether err is a *Error with code ValidationException.
func IsValidation(err error) bool { return hasCode(err, CodeValidation, 0) }

// IsAccessDenied reports whether err is a *Error with code
// AccessDeniedException (or HTTP 403 without a code).
func IsAccessDenied(err error) bool { return hasCode(err, CodeAccessDenied, http.StatusForbidden) }

// IsModelNotReady reports whether err is a *Error with code
// ModelNotReadyException: the model is loading; the call may be retried.
func IsModelNotReady(err error) bool { return hasCode(err, CodeModelNotReady, 0) }

// IsModelTimeout reports whether err is a *Error with code
// ModelTimeoutException (or HTTP 408 without a code).
func IsModelTimeout(err error) bool {
	return hasCode(err, CodeModelTimeout, http.StatusRequestTimeout)
}

// IsServiceUnavailable reports whether err is a *Error with code
// ServiceUnavailableException (or HTTP 503 without a code).
func IsServiceUnavailable(err error) bool {
	return hasCode(err, CodeServiceUnavailable, http.StatusServiceUnavailable)
}

// IsModelError reports whether err is a *Error with code ModelErrorException
// or ModelStreamErrorException: the model itself failed; OriginalStatusCode
// and OriginalMessage say how.
func IsModelError(err error) bool {
	e := asError(err)
	return e != nil && (e.Code == CodeModelError || e.Code == CodeModelStreamError)
}

// IsResourceNotFound reports whether err is a *Error with code
// ResourceNotFoundException (or HTTP 404 without a code).
func IsResourceNotFound(err error) bool {
	return hasCode(err, CodeResourceNotFound, http.StatusNotFound)
}

// IsQuotaExceeded reports whether err is a *Error with code
// ServiceQuotaExceededException.
func IsQuotaExceeded(err error) bool { return hasCode(err, CodeServiceQuotaExceeded, 0) }

// maxErrorBody bounds how much of an error response body is read.
const maxErrorBody = 64 << 10

// sanitizeCode reduces an error type as restJson1 sends it to the bare code:
// the text before the first ':' and after the last '#'.
// "aws.protocoltests#FooError:http://internal.amazon.com/" becomes "FooError".
func sanitizeCode(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, ':'); i >= 0 {
		s = s[:i]
	}
	if i := strings.LastIndexByte(s, '#'); i >= 0 {
		s = s[i+1:]
	}
	return strings.TrimSpace(s)
}

// errorBody is the JSON of an error response. Both spellings of message occur.
type errorBody struct {
	Type               string          `json:"__type"`
	Code               string          `json:"code"`
	Message            *string         `json:"message"`
	MessageUpper       *string         `json:"Message"`
	OriginalStatusCode json.RawMessage `json:"originalStatusCode"`
	OriginalMessage    string          `json:"originalMessage"`
	ResourceName       string          `json:"resourceName"`
}

// decodeErrorBody fills e from an error response's header and body. It never
// fails: a body that is not the expected JSON becomes the message, cut to a
// readable length.
func decodeErrorBody(e *Error, header http.Header, body []byte) {
	if header != nil {
		if id := requestID(header); id != "" {
			e.RequestID = id
		}
		if t := header.Get("X-Amzn-ErrorType"); t != "" {
			e.Code = sanitizeCode(t)
		}
	}
	trimmed := bytes.TrimSpace(body)
	var eb errorBody
	if len(trimmed) > 0 && trimmed[0] == '{' && json.Unmarshal(trimmed, &eb) == nil {
		if e.Code == "" {
			if eb.Type != "" {
				e.Code = sanitizeCode(eb.Type)
			} else if eb.Code != "" {
				e.Code = sanitizeCode(eb.Code)
			}
		}
		switch {
		case eb.Message != nil:
			e.Message = *eb.Message
		case eb.MessageUpper != nil:
			e.Message = *eb.MessageUpper
		}
		if n, err := strconv.Atoi(strings.Trim(string(eb.OriginalStatusCode), `"`)); err == nil {
			e.OriginalStatusCode = n
		}
		e.OriginalMessage = eb.OriginalMessage
		e.ResourceName = eb.ResourceName
		return
	}
	if len(trimmed) > 0 {
		e.Message = printable(trimmed, 512)
	}
}

// printable returns up to max bytes of b as valid UTF-8 text on one line.
func printable(b []byte, max int) string {
	cut := false
	if len(b) > max {
		for max > 0 && !utf8.RuneStart(b[max]) {
			max-- // do not cut a multi-byte sequence in two
		}
		b = b[:max]
		cut = true
	}
	s := strings.ToValidUTF8(string(b), "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || r == '\t' {
			return ' '
		}
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, s)
	if cut {
		s += "…"
	}
	return s
}

// responseError builds the *Error for a response with status >= 300, reading
// (a bounded prefix of) and closing its body.
func responseError(op string, resp *http.Response) *Error {
	e := &Error{Op: op, StatusCode: resp.StatusCode}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	resp.Body.Close()
	decodeErrorBody(e, resp.Header, body)
	e.Retryable = retryableError(e.StatusCode, e.Code)
	return e
}

// requestID returns the request ID a response carries.
func requestID(h http.Header) string {
	if id := h.Get("X-Amzn-Requestid"); id != "" {
		return id
	}
	return h.Get("X-Amz-Request-Id")
}

// exceptionStatus maps an in-stream exception type to the HTTP status its
// error shape is modelled with.
var exceptionStatus = map[string]int{
	"internalServerException":       500,
	"modelStreamErrorException":     424,
	"validationException":           400,
	"throttlingException":           429,
	"modelTimeoutException":         408,
	"serviceUnavailableException":   503,
	"accessDeniedException":         403,
	"resourceNotFoundException":     404,
	"serviceQuotaExceededException": 400,
	"modelNotReadyException":        429,
	"modelErrorException":           424,
}

// exceptionError builds the *Error for an in-stream exception message of the
// given :exception-type with a JSON payload.
func exceptionError(op, exceptionType string, payload []byte, header http.Header) *Error {
	e := &Error{Op: op, InStream: true, StatusCode: exceptionStatus[exceptionType]}
	decodeErrorBody(e, nil, payload)
	// the exception type names the error; a __type in the payload is only a fallback
	if exceptionType != "" {
		e.Code = strings.ToUpper(exceptionType[:1]) + exceptionType[1:]
	}
	if header != nil {
		e.RequestID = requestID(header)
	}
	e.Retryable = retryableError(e.StatusCode, e.Code)
	return e
}
