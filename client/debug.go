package client

import (
	"context"
	"net/http"
	"reflect"
	"sort"
	"strings"
	"time"
)

// Logger receives the client's wire debug records. A *slog.Logger satisfies
// it, so does any type with this method; the client does not import
// log/slog, so a program that logs nothing does not link it.
//
// Each record is a message ("bedrock request", "bedrock response", "bedrock
// retry", "bedrock transport error") followed by key-value pairs in the
// manner of slog: op, method, url, body_bytes, status, elapsed, attempt,
// wait, error and header. The header value is computed only when the record
// is formatted, so a logger that discards debug records costs no masking:
// it marshals (MarshalJSON) to an object of header names and values and
// renders (MarshalText, String) as one "Name: value" line per header, both
// sorted by name, with several values joined by ", ", and with signatures,
// session tokens, bearer tokens, cookies and API keys masked. The value is
// read when formatted: a logger that keeps records must format them before
// the call that logged them returns.
type Logger interface {
	DebugContext(ctx context.Context, msg string, args ...any)
}

// nilLogger reports whether l is nil or holds a nil pointer, such as a nil
// *slog.Logger assigned to Options.Logger, which would panic if called.
func nilLogger(l Logger) bool {
	if l == nil {
		return true
	}
	v := reflect.ValueOf(l)
	return v.Kind() == reflect.Pointer && v.IsNil()
}

func (c *Client) debugRequest(ctx context.Context, r *request, req *http.Request) {
	if c.logger == nil {
		return
	}
	c.debug(ctx, "bedrock request", "op", r.op, "method", req.Method, "url", (*debugURL)(req),
		"body_bytes", len(r.body), "header", debugHeader(req.Header))
}

func (c *Client) debugResponse(ctx context.Context, r *request, resp *http.Response, elapsed time.Duration) {
	if c.logger == nil {
		return
	}
	c.debug(ctx, "bedrock response", "op", r.op, "status", resp.StatusCode, "elapsed", elapsed,
		"header", debugHeader(resp.Header))
}

func (c *Client) debugFailure(ctx context.Context, r *request, err error) {
	if c.logger == nil {
		return
	}
	c.debug(ctx, "bedrock transport error", "op", r.op, "error", err.Error())
}

func (c *Client) debugRetry(ctx context.Context, r *request, attempt int, wait time.Duration, err error) {
	if c.logger == nil {
		return
	}
	c.debug(ctx, "bedrock retry", "op", r.op, "attempt", attempt, "wait", wait, "error", err.Error())
}

// debug passes a record to the logger. The pairs are copied into a slice
// made here, so that the callers' argument lists stay on the stack: passed
// on as they are, each would escape as a heap array type of its own length,
// with an equality function, in every binary.
func (c *Client) debug(ctx context.Context, msg string, k1 string, v1 any, more ...any) {
	args := make([]any, 0, 2+len(more))
	args = append(args, k1, v1)
	args = append(args, more...)
	c.logger.DebugContext(ctx, msg, args...)
}

// debugURL is a request's URL, spelled out only when a record is formatted.
type debugURL http.Request

// MarshalText returns the URL.
func (u *debugURL) MarshalText() ([]byte, error) { return []byte(u.String()), nil }

// String returns the URL.
func (u *debugURL) String() string { return u.URL.String() }

// debugHeader is a header to log: masked and sorted only when a record is
// formatted.
type debugHeader http.Header

// MarshalText renders one masked "Name: value" line per header, sorted.
func (h debugHeader) MarshalText() ([]byte, error) { return h.appendText(nil), nil }

// String is MarshalText.
func (h debugHeader) String() string { return string(h.appendText(nil)) }

func (h debugHeader) appendText(b []byte) []byte {
	for i, k := range h.names() {
		if i > 0 {
			b = append(b, '\n')
		}
		b = append(b, k...)
		b = append(b, ": "...)
		b = append(b, h.masked(k)...)
	}
	return b
}

// MarshalJSON writes the masked header as an object, names sorted.
func (h debugHeader) MarshalJSON() ([]byte, error) {
	b := []byte{'{'}
	for i, k := range h.names() {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, k)
		b = append(b, ':')
		b = appendJSONString(b, h.masked(k))
	}
	return append(b, '}'), nil
}

// names returns the header's names, sorted.
func (h debugHeader) names() []string {
	names := make([]string, 0, len(h))
	for k := range h {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// masked returns the values of header k joined by ", ", with the
// Authorization signature or bearer token, the session token and any other
// credential header masked.
func (h debugHeader) masked(k string) string {
	return maskHeaderValue(k, strings.Join(h[k], ", "))
}

// maskHeaderValue hides the secret part of a header value.
func maskHeaderValue(name, value string) string {
	switch strings.ToLower(name) {
	case "authorization", "proxy-authorization":
		return maskAuthorization(value)
	case "x-amz-security-token", "cookie", "set-cookie", "x-api-key":
		return mask(value)
	}
	return value
}

// maskAuthorization keeps a SigV4 header's credential scope and signed
// headers but masks its signature; it masks a bearer token whole.
func maskAuthorization(v string) string {
	if strings.HasPrefix(v, "AWS4-HMAC-SHA256 ") {
		if i := strings.Index(v, "Signature="); i >= 0 {
			return v[:i+len("Signature=")] + "****"
		}
		return "AWS4-HMAC-SHA256 ****"
	}
	if scheme, token, ok := strings.Cut(v, " "); ok {
		return scheme + " " + mask(token)
	}
	return mask(v)
}

// mask stands in for a secret; it says only how long it was.
func mask(s string) string {
	if s == "" {
		return ""
	}
	return "**** (" + itoa(len(s)) + " bytes)"
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}
