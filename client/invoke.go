package client

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"
)

// MaxInvokeBody is the largest request body InvokeModel accepts (the service
// model's limit for the blob).
const MaxInvokeBody = 25_000_000

// Trace values for InvokeModelInput.Trace.
const (
	TraceEnabled     = "ENABLED"
	TraceDisabled    = "DISABLED"
	TraceEnabledFull = "ENABLED_FULL"
)

// InvokeModelInput is a model-native request: the body is sent as is.
type InvokeModelInput struct {
	// ModelID is a model ID, inference profile ID, or an ARN (model,
	// inference profile, provisioned throughput, imported or custom model,
	// prompt). It is escaped into the path.
	ModelID string

	// Body is the request body in the model family's own format.
	Body []byte
	// BodyReader, used when Body is nil, is read to the end (at most
	// MaxInvokeBody bytes) before the call, so the body can be replayed on
	// retries.
	BodyReader io.Reader

	// ContentType of the body; "" means "application/json".
	ContentType string
	// Accept is the wanted MIME type of the response body; "" sends none
	// (the service answers application/json).
	Accept string

	// Trace is TraceEnabled, TraceEnabledFull or TraceDisabled; "" omits it.
	Trace string
	// GuardrailIdentifier and GuardrailVersion apply a guardrail.
	GuardrailIdentifier string
	GuardrailVersion    string
	// PerformanceConfigLatency is "standard" or "optimized"; "" omits it.
	PerformanceConfigLatency string
	// ServiceTier is "priority", "default", "flex" or "reserved"; "" omits it.
	ServiceTier string
	// RequestMetadata are key-value pairs for invocation logs; sent as the
	// JSON header X-Amzn-Bedrock-Request-Metadata.
	RequestMetadata map[string]string
}

// InvokeModelOutput is the model-native response and what the service says
// about it in headers.
type InvokeModelOutput struct {
	Body        []byte // the response body in the model family's format
	ContentType string // MIME type of Body

	// InputTokens and OutputTokens are the counts Bedrock reports in the
	// x-amzn-bedrock-input-token-count and -output-token-count headers;
	// -1 when the header was absent.
	InputTokens  int
	OutputTokens int
	// InvocationLatency is the x-amzn-bedrock-invocation-latency header;
	// -1 when absent.
	InvocationLatency time.Duration

	PerformanceConfigLatency string // as applied by the service
	ServiceTier              string // as applied by the service
	RequestID                string
	Header                   http.Header // the whole response header
}

// invokeRequest builds the request of InvokeModel and
// InvokeModelWithResponseStream; acceptHeader is where Accept goes.
func invokeRequest(op string, in *InvokeModelInput, suffix, acceptHeader string) (*request, error) {
	if in == nil {
		return nil, fmt.Errorf("bedrock %s: nil input", op)
	}
	if in.ModelID == "" {
		return nil, fmt.Errorf("bedrock %s: ModelID is required", op)
	}
	body := in.Body
	if body == nil && in.BodyReader != nil {
		var err error
		body, err = readBounded(in.BodyReader, MaxInvokeBody)
		if err != nil {
			return nil, fmt.Errorf("bedrock %s: reading BodyReader: %w", op, err)
		}
	}
	if len(body) > MaxInvokeBody {
		return nil, fmt.Errorf("bedrock %s: body of %d bytes exceeds the service limit of %d", op, len(body), MaxInvokeBody)
	}
	if body == nil {
		body = []byte{}
	}
	h := make(http.Header, 8)
	ct := in.ContentType
	if ct == "" {
		ct = "application/json"
	}
	h.Set("Content-Type", ct)
	set := func(name, v string) {
		if v != "" {
			h.Set(name, v)
		}
	}
	set(acceptHeader, in.Accept)
	set("X-Amzn-Bedrock-Trace", in.Trace)
	set("X-Amzn-Bedrock-GuardrailIdentifier", in.GuardrailIdentifier)
	set("X-Amzn-Bedrock-GuardrailVersion", in.GuardrailVersion)
	set("X-Amzn-Bedrock-PerformanceConfig-Latency", in.PerformanceConfigLatency)
	set("X-Amzn-Bedrock-Service-Tier", in.ServiceTier)
	if len(in.RequestMetadata) > 0 {
		b, err := json.Marshal(in.RequestMetadata)
		if err != nil {
			return nil, fmt.Errorf("bedrock %s: encoding RequestMetadata: %w", op, err)
		}
		h.Set("X-Amzn-Bedrock-Request-Metadata", string(b))
	}
	for k, vs := range h {
		for _, v := range vs {
			if !validHeaderValue(v) {
				return nil, fmt.Errorf("bedrock %s: header %s: value contains a control character", op, k)
			}
		}
	}
	return &request{
		op:     op,
		method: http.MethodPost,
		path:   modelPath(in.ModelID, suffix),
		header: h,
		body:   body,
	}, nil
}

func validHeaderValue(v string) bool {
	for i := 0; i < len(v); i++ {
		if c := v[i]; c < 0x20 && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}

// InvokeModel sends a model-native request body and returns the model's
// response body with the token counts and latency Bedrock reports.
func (c *Client) InvokeModel(ctx context.Context, in *InvokeModelInput) (*InvokeModelOutput, error) {
	const op = "InvokeModel"
	r, err := invokeRequest(op, in, "invoke", "Accept")
	if err != nil {
		return nil, err
	}
	resp, err := c.send(ctx, r)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := readBody(resp, maxResponseBody)
	if err != nil {
		return nil, fmt.Errorf("bedrock %s: reading response (request ID %s): %w", op, requestID(resp.Header), err)
	}
	h := resp.Header
	return &InvokeModelOutput{
		Body:                     body,
		ContentType:              h.Get("Content-Type"),
		InputTokens:              headerInt(h, "X-Amzn-Bedrock-Input-Token-Count"),
		OutputTokens:             headerInt(h, "X-Amzn-Bedrock-Output-Token-Count"),
		InvocationLatency:        headerMillis(h, "X-Amzn-Bedrock-Invocation-Latency"),
		PerformanceConfigLatency: h.Get("X-Amzn-Bedrock-PerformanceConfig-Latency"),
		ServiceTier:              h.Get("X-Amzn-Bedrock-Service-Tier"),
		RequestID:                requestID(h),
		Header:                   h,
	}, nil
}

// headerInt returns a non-negative integer header, or -1 when it is absent
// or malformed.
func headerInt(h http.Header, name string) int {
	v := h.Get(name)
	if v == "" {
		return -1
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return -1
	}
	return n
}

func headerMillis(h http.Header, name string) time.Duration {
	n := headerInt(h, name)
	if n < 0 {
		return -1
	}
	return time.Duration(n) * time.Millisecond
}
