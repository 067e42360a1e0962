package modelspec

// Conventions shared by the per-family body codecs (titan*.go, nova*.go,
// sonic.go, anthropic.go, llama.go, mistral.go, cohere*.go, deepseek.go,
// openai.go, stability.go, textdelta.go):
//
//   - A request is a plain struct whose JSON tags are the wire names. Its
//     Body method checks what the service would reject and returns compact
//     JSON (no HTML escaping), or a *ValidationError naming the field.
//   - ParseXxx turns a response body or stream chunk payload into a typed
//     value, or a *FormatError; it never panics on any input (fuzzed).
//   - Optional numbers are pointers (Ptr(0.0) sends an explicit zero).
//   - Response types marshal back to the wire shape, so an emulator can
//     build bodies and chunks with encoding/json.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// InvocationMetrics is the "amazon-bedrock-invocationMetrics" object Bedrock
// adds to the last chunk of an InvokeModelWithResponseStream response (and to
// some final events such as Anthropic's message_stop).
type InvocationMetrics struct {
	InputTokenCount   int `json:"inputTokenCount"`
	OutputTokenCount  int `json:"outputTokenCount"`
	InvocationLatency int `json:"invocationLatency"` // milliseconds
	FirstByteLatency  int `json:"firstByteLatency"`  // milliseconds
	// CacheReadInputTokenCount and CacheWriteInputTokenCount are present for
	// models with prompt caching.
	CacheReadInputTokenCount  int `json:"cacheReadInputTokenCount,omitempty"`
	CacheWriteInputTokenCount int `json:"cacheWriteInputTokenCount,omitempty"`
}

// MetricsKey is the JSON key Bedrock uses for InvocationMetrics in stream chunks.
const MetricsKey = "amazon-bedrock-invocationMetrics"

// Ptr returns a pointer to v. Request types use pointers for optional numeric
// parameters so that an explicit zero (temperature 0) is sent and an unset one
// is left out.
func Ptr[T any](v T) *T { return &v }

// marshalBody encodes v as compact JSON without HTML escaping (so prompt
// templates such as "<|eot_id|>" stay readable on the wire) and without a
// trailing newline.
func marshalBody(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// FormatError reports a body or chunk that does not have the shape of the
// named format.
type FormatError struct {
	Format string // e.g. "anthropic stream event"
	Err    error
}

func (e *FormatError) Error() string { return "modelspec: " + e.Format + ": " + e.Err.Error() }

// Unwrap returns the underlying error.
func (e *FormatError) Unwrap() error { return e.Err }

// errEmpty is returned for empty bodies and chunks.
var errEmpty = errors.New("empty input")

// parseObject decodes data, which must be one JSON object, into v.
func parseObject(format string, data []byte, v any) error {
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return &FormatError{Format: format, Err: errEmpty}
	}
	if trimmed[0] != '{' {
		return &FormatError{Format: format, Err: fmt.Errorf("not a JSON object (starts with %q)", trimmed[0])}
	}
	if err := json.Unmarshal(trimmed, v); err != nil { // also rejects data after the object
		return &FormatError{Format: format, Err: err}
	}
	return nil
}

// ValidationError reports a request value that the service would reject,
// found before anything is sent.
type ValidationError struct {
	Field  string // JSON path of the offending field, e.g. "imageGenerationConfig.width"
	Reason string
}

func (e *ValidationError) Error() string { return "modelspec: " + e.Field + ": " + e.Reason }

func invalid(field, format string, args ...any) error {
	return &ValidationError{Field: field, Reason: fmt.Sprintf(format, args...)}
}

// providerOf returns the provider segment of a Bedrock model ID, profile ID
// or foundation-model ARN ("anthropic" for
// "us.anthropic.claude-3-5-sonnet-20241022-v2:0"), or "" when the ID names no
// provider (application inference profile and provisioned model ARNs).
func providerOf(modelID string) string {
	id := modelID
	if strings.HasPrefix(id, "arn:") {
		i := strings.LastIndexByte(id, '/')
		if i < 0 {
			return ""
		}
		id = id[i+1:]
	}
	parts := strings.Split(id, ".")
	for i, p := range parts {
		if i == len(parts)-1 {
			break // the model name itself, never the provider
		}
		switch p {
		case "amazon", "anthropic", "meta", "mistral", "cohere", "deepseek", "openai",
			"stability", "ai21", "qwen", "writer", "twelvelabs", "luma", "moonshot", "moonshotai", "minimax", "google", "nvidia", "zai":
			return p
		}
		if i >= 1 {
			break
		}
	}
	return ""
}

// baseNameOf returns the part of a model ID after its provider segment
// ("claude-3-5-sonnet-20241022-v2:0"), or "" when providerOf finds none.
func baseNameOf(modelID string) string {
	p := providerOf(modelID)
	if p == "" {
		return ""
	}
	i := strings.Index(modelID, p+".")
	return modelID[i+len(p)+1:]
}

// checkRange reports a *ValidationError when v is set and outside [lo, hi].
func checkRange(field string, v *float64, lo, hi float64) error {
	if v != nil && !(*v >= lo && *v <= hi) {
		return invalid(field, "%v is outside [%v, %v]", *v, lo, hi)
	}
	return nil
}

// checkIntRange reports a *ValidationError when v is set and outside [lo, hi].
func checkIntRange(field string, v *int, lo, hi int) error {
	if v != nil && (*v < lo || *v > hi) {
		return invalid(field, "%d is outside [%d, %d]", *v, lo, hi)
	}
	return nil
}

// ParseRequest decodes an InvokeModel request body into v (a pointer to one
// of this package's request types) the way the service reads it: one JSON
// object, and a member v does not know is an error, as Bedrock answers
// "extraneous key [name] is not permitted". An emulator can then call the
// value's Body method to apply the model's validation.
func ParseRequest(body []byte, v any) error {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return &FormatError{Format: "request body", Err: errors.New("not a JSON object")}
	}
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
			err = fmt.Errorf("extraneous key [%s] is not permitted", strings.Trim(name, `"`))
		}
		return &FormatError{Format: "request body", Err: err}
	}
	if dec.More() {
		return &FormatError{Format: "request body", Err: errors.New("trailing data after JSON object")}
	}
	return nil
}
