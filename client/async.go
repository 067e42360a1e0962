package client

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"strings"
	"time"
)

// Statuses of an asynchronous invocation (AsyncInvoke.Status).
const (
	AsyncInvokeInProgress = "InProgress"
	AsyncInvokeCompleted  = "Completed"
	AsyncInvokeFailed     = "Failed"
)

// Sort keys and orders of the list operations.
const (
	SortBySubmissionTime = "SubmissionTime" // ListAsyncInvokes
	SortByCreationTime   = "CreationTime"   // ListModelInvocationJobs
	SortAscending        = "Ascending"
	SortDescending       = "Descending"
)

// Tag is a key-value pair attached to an asynchronous invocation or a batch
// job.
type Tag struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// AsyncInvokeOutputDataConfig says where an asynchronous invocation writes
// its output. It is a union with one member today.
type AsyncInvokeOutputDataConfig struct {
	S3OutputDataConfig *AsyncInvokeS3OutputDataConfig `json:"s3OutputDataConfig,omitempty"`
}

// AsyncInvokeS3OutputDataConfig is an S3 location for the output of an
// asynchronous invocation.
type AsyncInvokeS3OutputDataConfig struct {
	// S3URI is the output prefix, e.g. "s3://my-bucket/videos/".
	S3URI string `json:"s3Uri"`
	// KMSKeyID is the ARN of the KMS key that encrypts the output, if any.
	KMSKeyID string `json:"kmsKeyId,omitempty"`
	// BucketOwner is the bucket owner's account ID, when it is not the
	// caller's.
	BucketOwner string `json:"bucketOwner,omitempty"`
}

// S3Output returns an output configuration that writes to uri.
func S3Output(uri string) AsyncInvokeOutputDataConfig {
	return AsyncInvokeOutputDataConfig{S3OutputDataConfig: &AsyncInvokeS3OutputDataConfig{S3URI: uri}}
}

// BodyEncoder is a model request that encodes and checks itself, as the
// request types of package modelspec do (modelspec.NovaReelRequest,
// modelspec.NovaEmbedRequest, …).
type BodyEncoder interface {
	Body() ([]byte, error)
}

// StartAsyncInvokeInput is a request to run a model asynchronously.
type StartAsyncInvokeInput struct {
	// ModelID is the model, e.g. "amazon.nova-reel-v1:1".
	ModelID string
	// ModelInput is the model's request document: a json.RawMessage or
	// []byte holding JSON, a BodyEncoder such as a modelspec request (its
	// Body is sent), or any other value, which is marshalled with
	// encoding/json.
	ModelInput any
	// OutputDataConfig says where the output goes; see S3Output.
	OutputDataConfig AsyncInvokeOutputDataConfig
	// ClientRequestToken makes the call idempotent: the service starts one
	// invocation per token. When empty, a random UUID is generated; either
	// way the same token is sent on every retry of the call, and returned in
	// StartAsyncInvokeOutput so that the caller can repeat the call safely.
	ClientRequestToken string
	// Tags are attached to the invocation.
	Tags []Tag
}

// StartAsyncInvokeOutput is the result of StartAsyncInvoke.
type StartAsyncInvokeOutput struct {
	// InvocationARN names the invocation for GetAsyncInvoke and
	// WaitAsyncInvoke.
	InvocationARN string `json:"invocationArn"`
	// ClientRequestToken is the idempotency token that was sent.
	ClientRequestToken string `json:"-"`
}

type startAsyncInvokeWire struct {
	ClientRequestToken string                      `json:"clientRequestToken"`
	ModelID            string                      `json:"modelId"`
	ModelInput         json.RawMessage             `json:"modelInput"`
	OutputDataConfig   AsyncInvokeOutputDataConfig `json:"outputDataConfig"`
	Tags               []Tag                       `json:"tags,omitempty"`
}

// AsyncInvoke is the state of an asynchronous invocation, as GetAsyncInvoke
// and ListAsyncInvokes report it.
type AsyncInvoke struct {
	InvocationARN      string `json:"invocationArn"`
	ModelARN           string `json:"modelArn"`
	ClientRequestToken string `json:"clientRequestToken,omitempty"`
	// Status is AsyncInvokeInProgress, AsyncInvokeCompleted or
	// AsyncInvokeFailed.
	Status string `json:"status,omitempty"`
	// FailureMessage says why a failed invocation failed.
	FailureMessage   string                      `json:"failureMessage,omitempty"`
	SubmitTime       time.Time                   `json:"submitTime"`
	LastModifiedTime time.Time                   `json:"lastModifiedTime,omitzero"`
	EndTime          time.Time                   `json:"endTime,omitzero"`
	OutputDataConfig AsyncInvokeOutputDataConfig `json:"outputDataConfig"`
}

// MarshalJSON writes the invocation in the service's shape, times as ISO
// 8601 strings.
func (a AsyncInvoke) MarshalJSON() ([]byte, error) {
	type plain AsyncInvoke
	return json.Marshal(struct {
		plain
		SubmitTime       isoTime `json:"submitTime"`
		LastModifiedTime isoTime `json:"lastModifiedTime,omitzero"`
		EndTime          isoTime `json:"endTime,omitzero"`
	}{plain(a), isoTime{a.SubmitTime}, isoTime{a.LastModifiedTime}, isoTime{a.EndTime}})
}

// UnmarshalJSON reads the invocation from the service's shape.
func (a *AsyncInvoke) UnmarshalJSON(b []byte) error {
	type plain AsyncInvoke
	w := struct {
		*plain
		SubmitTime       isoTime `json:"submitTime"`
		LastModifiedTime isoTime `json:"lastModifiedTime"`
		EndTime          isoTime `json:"endTime"`
	}{plain: (*plain)(a)}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	a.SubmitTime, a.LastModifiedTime, a.EndTime = w.SubmitTime.t, w.LastModifiedTime.t, w.EndTime.t
	return nil
}

// Done reports whether the invocation has ended (completed or failed).
func (a *AsyncInvoke) Done() bool {
	return a.Status == AsyncInvokeCompleted || a.Status == AsyncInvokeFailed
}

// OutputURI returns the S3 URI the invocation writes to, "" if none.
func (a *AsyncInvoke) OutputURI() string {
	if a.OutputDataConfig.S3OutputDataConfig == nil {
		return ""
	}
	return a.OutputDataConfig.S3OutputDataConfig.S3URI
}

// ListAsyncInvokesInput filters, sorts and pages ListAsyncInvokes. The zero
// value lists every invocation, newest first, in pages of the service's
// default size.
type ListAsyncInvokesInput struct {
	// SubmitTimeAfter and SubmitTimeBefore keep invocations submitted in
	// that window; zero times are not sent.
	SubmitTimeAfter  time.Time
	SubmitTimeBefore time.Time
	// StatusEquals keeps invocations with that status.
	StatusEquals string
	// SortBy is SortBySubmissionTime; SortOrder SortAscending or
	// SortDescending.
	SortBy    string
	SortOrder string
	// MaxResults is the page size, 1 to 1000; 0 leaves it to the service.
	MaxResults int
	// NextToken continues a listing where a previous page ended.
	NextToken string
}

// ListAsyncInvokesOutput is one page of ListAsyncInvokes.
type ListAsyncInvokesOutput struct {
	AsyncInvokeSummaries []AsyncInvoke `json:"asyncInvokeSummaries"`
	// NextToken names the next page; "" after the last.
	NextToken string `json:"nextToken,omitempty"`
}

// StartAsyncInvoke starts an asynchronous invocation of a model (such as a
// Nova Reel video) and returns its ARN at once; the output appears in S3 when
// the invocation completes (see WaitAsyncInvoke).
func (c *Client) StartAsyncInvoke(ctx context.Context, in *StartAsyncInvokeInput) (*StartAsyncInvokeOutput, error) {
	const op = "StartAsyncInvoke"
	if in == nil {
		return nil, fmt.Errorf("bedrock %s: nil input", op)
	}
	if in.ModelID == "" {
		return nil, fmt.Errorf("bedrock %s: model ID is empty", op)
	}
	s3 := in.OutputDataConfig.S3OutputDataConfig
	if s3 == nil || s3.S3URI == "" {
		return nil, fmt.Errorf("bedrock %s: OutputDataConfig needs an S3 URI (see S3Output)", op)
	}
	if !strings.HasPrefix(s3.S3URI, "s3://") {
		return nil, fmt.Errorf("bedrock %s: output URI %q is not an s3:// URI", op, s3.S3URI)
	}
	input, err := modelInputJSON(in.ModelInput)
	if err != nil {
		return nil, fmt.Errorf("bedrock %s: model input: %w", op, err)
	}
	token, err := idempotencyToken(in.ClientRequestToken)
	if err != nil {
		return nil, fmt.Errorf("bedrock %s: %w", op, err)
	}
	// The body, with its token, is encoded once: every retry sends the same.
	body, err := encodeBody(startAsyncInvokeWire{token, in.ModelID, input, in.OutputDataConfig, in.Tags})
	if err != nil {
		return nil, fmt.Errorf("bedrock %s: encoding request: %w", op, err)
	}
	out := new(StartAsyncInvokeOutput)
	if _, err := c.sendJSON(ctx, &request{op: op, method: "POST", path: "/async-invoke", body: body}, nil, out); err != nil {
		return nil, err
	}
	if out.InvocationARN == "" {
		return nil, fmt.Errorf("bedrock %s: response has no invocationArn", op)
	}
	out.ClientRequestToken = token
	return out, nil
}

// GetAsyncInvoke returns the state of the asynchronous invocation named by
// its ARN.
func (c *Client) GetAsyncInvoke(ctx context.Context, invocationARN string) (*AsyncInvoke, error) {
	const op = "GetAsyncInvoke"
	if invocationARN == "" {
		return nil, fmt.Errorf("bedrock %s: invocation ARN is empty", op)
	}
	out := new(AsyncInvoke)
	r := &request{op: op, method: "GET", path: "/async-invoke/" + escapeLabel(invocationARN)}
	if _, err := c.sendJSON(ctx, r, nil, out); err != nil {
		return nil, err
	}
	return out, nil
}

// ListAsyncInvokes returns one page of asynchronous invocations. To read
// them all, range over AllAsyncInvokes.
func (c *Client) ListAsyncInvokes(ctx context.Context, in *ListAsyncInvokesInput) (*ListAsyncInvokesOutput, error) {
	const op = "ListAsyncInvokes"
	if in == nil {
		in = &ListAsyncInvokesInput{}
	}
	var q listQuery
	q.time("submitTimeAfter", in.SubmitTimeAfter)
	q.time("submitTimeBefore", in.SubmitTimeBefore)
	q.str("statusEquals", in.StatusEquals)
	q.maxResults(in.MaxResults)
	q.str("nextToken", in.NextToken)
	q.str("sortBy", in.SortBy)
	q.str("sortOrder", in.SortOrder)
	if q.err != nil {
		return nil, fmt.Errorf("bedrock %s: %w", op, q.err)
	}
	out := new(ListAsyncInvokesOutput)
	if _, err := c.sendJSON(ctx, &request{op: op, method: "GET", path: "/async-invoke", query: q.q}, nil, out); err != nil {
		return nil, err
	}
	return out, nil
}

// AllAsyncInvokes returns an iterator over every invocation that in selects,
// reading page after page (from in.NextToken, if set) as the loop goes on.
// A failed call ends the loop with its error, as does a page token the
// service repeats (ErrRepeatedPageToken).
func (c *Client) AllAsyncInvokes(ctx context.Context, in *ListAsyncInvokesInput) iter.Seq2[AsyncInvoke, error] {
	var base ListAsyncInvokesInput
	if in != nil {
		base = *in
	}
	return paginate(ctx, "ListAsyncInvokes", base.NextToken, func(ctx context.Context, token string) ([]AsyncInvoke, string, error) {
		page := base
		page.NextToken = token
		out, err := c.ListAsyncInvokes(ctx, &page)
		if err != nil {
			return nil, "", err
		}
		return out.AsyncInvokeSummaries, out.NextToken, nil
	})
}

// modelInputJSON returns the JSON document of a model input.
func modelInputJSON(v any) (json.RawMessage, error) {
	var (
		b   []byte
		err error
	)
	switch x := v.(type) {
	case nil:
		return nil, errors.New("nil")
	case BodyEncoder:
		if b, err = x.Body(); err != nil {
			return nil, err
		}
	case json.RawMessage:
		b = x
	case []byte:
		b = x
	default:
		if b, err = encodeBody(v); err != nil {
			return nil, err
		}
	}
	trimmed := strings.TrimSpace(string(b))
	if trimmed == "" || trimmed == "null" {
		return nil, errors.New("empty")
	}
	if !json.Valid(b) {
		return nil, errors.New("not valid JSON")
	}
	return json.RawMessage(b), nil
}

// encodeBody marshals a request body as compact JSON without escaping
// HTML characters, so that "<" in a prompt reaches the service (and a debug
// log) as it was written.
func encodeBody(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// idempotencyToken checks a caller's client request token, or generates
// one: a random (version 4) UUID.
func idempotencyToken(token string) (string, error) {
	if token == "" {
		return newUUID(), nil
	}
	if len(token) > 256 {
		return "", fmt.Errorf("ClientRequestToken is %d bytes long, want at most 256", len(token))
	}
	for i := 0; i < len(token); i++ {
		if token[i] < '!' || token[i] > '~' {
			return "", fmt.Errorf("ClientRequestToken has byte %#x at %d; want printable ASCII without spaces", token[i], i)
		}
	}
	return token, nil
}

// newUUID returns a random UUID (version 4, RFC 9562) from crypto/rand.
func newUUID() string {
	var u [16]byte
	rand.Read(u[:]) // never fails (it aborts the program instead)
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	var s [36]byte
	hex.Encode(s[0:8], u[0:4])
	s[8] = '-'
	hex.Encode(s[9:13], u[4:6])
	s[13] = '-'
	hex.Encode(s[14:18], u[6:8])
	s[18] = '-'
	hex.Encode(s[19:23], u[8:10])
	s[23] = '-'
	hex.Encode(s[24:], u[10:])
	return string(s[:])
}
