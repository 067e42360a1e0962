package bedrocktest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"
)

// maxBodyBytes bounds a request body: InvokeModel takes up to 25,000,000
// bytes of payload; JSON operations carry base64 images and documents.
const maxBodyBytes = 40 << 20

// call is one request being answered.
type call struct {
	s     *Server
	w     *responseWriter
	r     *http.Request
	rt    route
	rec   *Request
	id    string
	start time.Time
	body  []byte
	fault *Fault
	// sigv4 is the verified signature of a SigV4 request, the seed of the
	// bidirectional operation's frame chain.
	auth *authResult
}

// ServeHTTP answers one Bedrock Runtime request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !s.enter() {
		panic(http.ErrAbortHandler)
	}
	defer s.leave()

	now := s.opts.now()
	s.mu.Lock()
	s.requestN++
	n := s.requestN
	rec := &Request{
		ID:       requestID(n),
		Time:     now,
		Method:   r.Method,
		Path:     r.URL.EscapedPath(),
		RawQuery: r.URL.RawQuery,
		Proto:    r.Proto,
		Header:   r.Header.Clone(),
		Auth:     "none",
	}
	s.records = append(s.records, rec)
	s.mu.Unlock()

	rw := &responseWriter{ResponseWriter: w}
	c := &call{s: s, w: rw, r: r, rec: rec, id: rec.ID, start: now}
	defer c.finish()

	rw.Header().Set("Date", now.UTC().Format(http.TimeFormat))
	rt, ok := parseRoute(r.Method, rec.Path)
	if !ok {
		c.fail(unknownOperation())
		return
	}
	c.rt = rt
	s.update(rec, func(rec *Request) { rec.Operation, rec.ModelID = rt.op, rt.modelID })

	if rt.op != OpInvokeModelWithBidirectionalStream {
		body, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
		if err != nil {
			// The client went away mid-body; nobody reads an answer.
			return
		}
		if len(body) > maxBodyBytes {
			c.fail(ValidationError("Request body is too large."))
			return
		}
		c.body = body
		s.update(rec, func(rec *Request) { rec.Body = body })
	}

	if e := c.authenticate(); e != nil {
		c.fail(e)
		return
	}

	c.fault = s.takeFault(rt.op, rt.modelID)
	delay := s.opts.Latency
	if c.fault != nil {
		delay += c.fault.Delay
	}
	if delay > 0 {
		if s.sleep(r.Context(), delay) != nil {
			return
		}
	}
	if c.fault != nil {
		if c.fault.Abort {
			c.abort()
		}
		if c.fault.Error != nil {
			c.fail(c.fault.Error)
			return
		}
	}

	switch rt.op {
	case OpConverse:
		c.converse(false)
	case OpConverseStream:
		c.converse(true)
	case OpInvokeModel:
		c.invoke(false)
	case OpInvokeModelWithResponseStream:
		c.invoke(true)
	case OpCountTokens:
		c.countTokens()
	case OpApplyGuardrail:
		c.applyGuardrail()
	case OpInvokeGuardrailChecks:
		c.invokeGuardrailChecks()
	case OpStartAsyncInvoke:
		c.startAsyncInvoke()
	case OpGetAsyncInvoke:
		c.getAsyncInvoke()
	case OpListAsyncInvokes:
		c.listAsyncInvokes()
	case OpInvokeModelWithBidirectionalStream:
		c.bidirectional()
	case OpListFoundationModels:
		c.listFoundationModels()
	case OpGetFoundationModel:
		c.getFoundationModel()
	case OpListInferenceProfiles:
		c.listInferenceProfiles()
	case OpGetInferenceProfile:
		c.getInferenceProfile()
	case OpRerank:
		c.rerank()
	case OpCreateModelInvocationJob, OpGetModelInvocationJob, OpListModelInvocationJobs, OpStopModelInvocationJob:
		c.batch(rt.op)
	}
}

// finish records the outcome and logs it.
func (c *call) finish() {
	aborted := c.w.aborted
	if p := recover(); p != nil {
		if p != http.ErrAbortHandler {
			panic(p)
		}
		aborted = true
		defer panic(p)
	}
	c.s.update(c.rec, func(rec *Request) {
		rec.Status = c.w.status
		rec.ErrorType = c.w.errorType
		rec.Aborted = aborted
	})
	if l := c.s.opts.Logger; l != nil {
		l.Info("bedrocktest", "id", c.id, "operation", c.rt.op, "model", c.rt.modelID,
			"auth", c.rec.Auth, "status", c.w.status, "error", c.w.errorType, "aborted", aborted)
	}
}

// fail answers with e.
func (c *call) fail(e *Error) {
	c.w.errorType = e.Type
	e.write(c.w, c.id)
}

// abort cuts the connection (HTTP/1.1) or resets the stream (HTTP/2)
// without finishing the response.
func (c *call) abort() {
	c.w.aborted = true
	panic(http.ErrAbortHandler)
}

// writeJSON answers 200 with body and the headers every answer carries.
func (c *call) writeJSON(body []byte, extra ...string) {
	h := c.w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("X-Amzn-Requestid", c.id)
	for i := 0; i+1 < len(extra); i += 2 {
		h.Set(extra[i], extra[i+1])
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	c.w.WriteHeader(http.StatusOK)
	c.w.Write(body)
}

// latencyMs is the time since the request arrived by the emulator's clock.
func (c *call) latencyMs() int64 {
	d := c.s.opts.now().Sub(c.start)
	if d < 0 {
		return 0
	}
	return d.Milliseconds()
}

// decodeJSON decodes the body into v, reporting a ValidationException as
// the service does for a body that is not the operation's JSON.
func (c *call) decodeJSON(v any) *Error {
	if len(bytes.TrimSpace(c.body)) == 0 {
		return ValidationError("Malformed input request, please reformat your input and try again.")
	}
	d := json.NewDecoder(bytes.NewReader(c.body))
	if err := d.Decode(v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return ValidationError(fmt.Sprintf("1 validation error detected: Value at '%s' failed to satisfy constraint: Member must be of type %s", te.Field, jsonTypeName(te.Type.Kind().String())))
		}
		return ValidationError("Malformed input request, please reformat your input and try again.")
	}
	if d.More() {
		return ValidationError("Malformed input request, please reformat your input and try again.")
	}
	return nil
}

func jsonTypeName(kind string) string {
	switch kind {
	case "string":
		return "string"
	case "slice", "array":
		return "list"
	case "map", "struct", "ptr":
		return "structure"
	case "bool":
		return "boolean"
	default:
		return "number"
	}
}

// requestID makes the n-th request's x-amzn-RequestId: a UUID-shaped value
// that is the same on every run.
func requestID(n uint64) string {
	return fmt.Sprintf("b3d70c4e-0000-4000-8000-%012x", n)
}

// responseWriter remembers what was answered.
type responseWriter struct {
	http.ResponseWriter
	status    int
	errorType string
	aborted   bool
}

func (w *responseWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *responseWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(p)
}

// Unwrap lets http.ResponseController reach the connection.
func (w *responseWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Flush sends buffered data to the client.
func (w *responseWriter) Flush() {
	http.NewResponseController(w.ResponseWriter).Flush()
}
