package client

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// request is one operation call as the transport sees it.
type request struct {
	op          string      // operation name for errors/logs, e.g. "Converse"
	method      string      // "POST", "GET"
	path        string      // already-escaped path, e.g. modelPath(id, "converse")
	query       url.Values  // may be nil
	header      http.Header // extra request headers; may be nil
	body        []byte      // replayable body; nil for none
	eventStream bool        // the response is application/vnd.amazon.eventstream
	service     service     // the service it goes to; zero is Bedrock Runtime
}

// maxResponseBody bounds a unary response body.
const maxResponseBody = 256 << 20

// eventStreamContentType is the media type of event-stream responses.
const eventStreamContentType = "application/vnd.amazon.eventstream"

// url returns the full URL of r: the endpoint's base path, then r.path kept
// exactly as escaped (URL.RawPath), then the query.
func (c *Client) url(r *request) *url.URL {
	base, _ := c.endpointFor(r.service) // send checks the error first
	u := *base
	raw := base.EscapedPath() + r.path
	u.RawPath = raw
	if p, err := url.PathUnescape(raw); err == nil {
		u.Path = p
	} else {
		u.Path = raw
	}
	if len(r.query) > 0 {
		u.RawQuery = strings.ReplaceAll(r.query.Encode(), "+", "%20")
	}
	return &u
}

// send authorizes (bearer or SigV4), retries per policy, turns status >= 300
// into *Error, and returns the open response; the caller closes resp.Body.
func (c *Client) send(ctx context.Context, r *request) (*http.Response, error) {
	if _, err := c.endpointFor(r.service); err != nil {
		return nil, fmt.Errorf("bedrock %s: %w", r.op, err)
	}
	u := c.url(r)
	var hash string
	if c.bearer == "" {
		hash = payloadHash(r.body)
	}
	policy := c.retry
	var (
		lastCost    int   // quota tokens the last retry took
		skewRetried bool  // the clock-skew retry is spent
		lastErr     error // of the previous attempt
	)
	for attempt := 1; ; attempt++ {
		if c.limiter != nil {
			if err := c.waitSendToken(ctx, r, attempt, lastErr); err != nil {
				return nil, err
			}
		}
		resp, err := c.attempt(ctx, r, u, hash, attempt)
		if c.limiter != nil {
			c.recordAttempt(ctx, err)
		}
		if err == nil {
			if lastCost > 0 {
				c.quota.release(lastCost)
			} else {
				c.quota.release(quotaSuccess)
			}
			return resp, nil
		}
		if ctx.Err() != nil {
			return nil, opError(r.op, err)
		}
		lastErr = err
		var (
			apiErr *Error
			cost   = quotaRetryCost
			wait   time.Duration
			hinted bool
		)
		switch {
		case errors.As(err, &apiErr):
			if !skewRetried && c.bearer == "" && c.correctSkew(apiErr, resp) {
				skewRetried = true
				attempt-- // the skew retry is not one of the policy's attempts
				continue
			}
			if !apiErr.Retryable {
				return nil, err
			}
			if resp != nil {
				wait, hinted = retryAfter(resp.Header, c.now())
			}
		case isRetryableTransportError(err):
			cost = quotaTimeoutCost
		default:
			return nil, opError(r.op, err)
		}
		if attempt >= policy.MaxAttempts {
			return nil, opError(r.op, err)
		}
		if !policy.DisableQuota {
			if !c.quota.acquire(cost) {
				return nil, opError(r.op, err)
			}
			lastCost = cost
		}
		if !hinted {
			wait = backoff(attempt, policy.MaxBackoff, c.rand())
		}
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < wait {
			// the retry could not finish in time: fail now with the real cause
			return nil, opError(r.op, err)
		}
		c.debugRetry(ctx, r, attempt, wait, err)
		if serr := c.sleep(ctx, wait); serr != nil {
			return nil, opError(r.op, err)
		}
	}
}

// opError prefixes a transport error with the operation; *Error is returned
// as is.
func opError(op string, err error) error {
	var apiErr *Error
	if errors.As(err, &apiErr) {
		return err
	}
	return fmt.Errorf("bedrock %s: %w", op, err)
}

// attempt makes one HTTP exchange. On a service error it returns the *Error
// together with the (closed) response, for its headers.
func (c *Client) attempt(ctx context.Context, r *request, u *url.URL, hash string, attempt int) (*http.Response, error) {
	actx, cancel := ctx, context.CancelFunc(nil)
	if r.eventStream {
		// Close of a stream cancels its request, which unblocks a read in
		// progress whatever the transport.
		actx, cancel = context.WithCancel(ctx)
	}
	fail := func(err error) (*http.Response, error) {
		if cancel != nil {
			cancel()
		}
		return nil, err
	}
	var body io.Reader
	if r.body != nil {
		body = bytes.NewReader(r.body)
	}
	req, err := http.NewRequestWithContext(actx, r.method, "", body)
	if err != nil {
		return fail(err)
	}
	req.URL = u // shared by the attempts: neither net/http nor the signer change it
	req.Host = u.Host
	for k, vs := range r.header {
		req.Header[k] = vs
	}
	// Values with cap == len, so that an append by anyone copies them.
	req.Header["User-Agent"] = c.userAgentValue[:1:1]
	req.Header["Amz-Sdk-Request"] = c.sdkRequestValue(attempt)
	if err := c.authorize(actx, req, hash); err != nil {
		return fail(fmt.Errorf("authorizing request: %w", err))
	}
	start := c.now()
	c.debugRequest(actx, r, req)
	resp, err := c.http.Do(req)
	if err != nil {
		c.debugFailure(actx, r, err)
		return fail(err)
	}
	c.debugResponse(actx, r, resp, c.now().Sub(start))
	if resp.StatusCode >= 300 {
		apiErr := responseError(r.op, resp)
		if cancel != nil {
			cancel()
		}
		return resp, apiErr
	}
	if r.eventStream {
		if ct := resp.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, eventStreamContentType) {
			resp.Body.Close()
			cancel()
			return nil, &Error{Op: r.op, StatusCode: resp.StatusCode, RequestID: requestID(resp.Header),
				Message: "response Content-Type is " + strconv.Quote(ct) + ", want " + eventStreamContentType}
		}
		b := &cancelBody{ReadCloser: resp.Body, cancel: cancel}
		// A cancelled context alone does not always end the request: under
		// HTTP/2 a body writer waiting for flow control does not see it, and
		// neither does a read blocked for response data. Closing the body
		// does both.
		b.stop = context.AfterFunc(actx, func() { b.ReadCloser.Close() })
		resp.Body = b
	}
	return resp, nil
}

// sdkRequestValue returns the Amz-Sdk-Request header value for an attempt,
// "attempt=N; max=M".
func (c *Client) sdkRequestValue(attempt int) []string {
	if attempt-1 < len(c.sdkRequest) {
		return c.sdkRequest[attempt-1 : attempt : attempt]
	}
	return []string{"attempt=" + strconv.Itoa(attempt) + "; max=" + strconv.Itoa(c.retry.MaxAttempts)}
}

// cancelBody cancels the request's context when the body is closed, and
// closes the body when the context is done first.
type cancelBody struct {
	io.ReadCloser
	cancel context.CancelFunc
	stop   func() bool // stops the close on the context's end; false if it ran
}

func (b *cancelBody) Close() error {
	ours := b.stop()
	b.cancel()
	if !ours {
		return nil // the context ended first and its close ran, or runs
	}
	return b.ReadCloser.Close()
}

// isRetryableTransportError reports whether a failure to get a response is
// worth retrying: connection errors are, certificate errors are not.
func isRetryableTransportError(err error) bool {
	var (
		certErr     *tls.CertificateVerificationError
		unknownAuth x509.UnknownAuthorityError
		hostErr     x509.HostnameError
		invalidErr  x509.CertificateInvalidError
	)
	if errors.As(err, &certErr) || errors.As(err, &unknownAuth) || errors.As(err, &hostErr) || errors.As(err, &invalidErr) {
		return false
	}
	var urlErr *url.Error
	return errors.As(err, &urlErr)
}

// correctSkew looks at a service error that may mean the signing clock is off
// and, if the response's Date header shows it is, records the correction and
// reports true.
func (c *Client) correctSkew(e *Error, resp *http.Response) bool {
	if resp == nil {
		return false
	}
	msg := strings.ToLower(e.Message)
	if !clockSkewCodes[e.Code] && !strings.Contains(msg, "signature expired") && !strings.Contains(msg, "skew") {
		return false
	}
	serverTime, err := http.ParseTime(resp.Header.Get("Date"))
	if err != nil {
		return false
	}
	skew := serverTime.Sub(c.now())
	current := time.Duration(c.skew.Load())
	if d := skew - current; d > -time.Minute && d < time.Minute {
		return false // the clock was not the problem
	}
	c.skew.Store(int64(skew))
	return true
}

// sendJSON marshals in (nil: no body) as r.body with Content-Type
// application/json (no Accept header, as the AWS SDKs send), calls send, decodes the
// response body into out (nil: discard), and returns the response header.
func (c *Client) sendJSON(ctx context.Context, r *request, in, out any) (http.Header, error) {
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return nil, fmt.Errorf("bedrock %s: encoding request: %w", r.op, err)
		}
		r.body = b
	}
	h := make(http.Header, len(r.header)+2)
	for k, vs := range r.header {
		h[k] = vs
	}
	if r.body != nil {
		h.Set("Content-Type", "application/json")
	}
	r.header = h
	resp, err := c.send(ctx, r)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := readBody(resp, maxResponseBody)
	if err != nil {
		return resp.Header, fmt.Errorf("bedrock %s: reading response: %w", r.op, err)
	}
	if out != nil {
		if err := json.Unmarshal(body, out); err != nil {
			return resp.Header, fmt.Errorf("bedrock %s: decoding response (request ID %s): %w", r.op, requestID(resp.Header), err)
		}
	}
	return resp.Header, nil
}

// readBody reads a response body of at most max bytes, in one allocation
// when the length is known. A zero ContentLength is not trusted (a custom
// RoundTripper may leave it unset).
func readBody(resp *http.Response, max int64) ([]byte, error) {
	if n := resp.ContentLength; n > 0 && n <= max {
		b := make([]byte, n)
		if _, err := io.ReadFull(resp.Body, b); err != nil {
			return nil, err
		}
		return b, nil
	}
	return readBounded(resp.Body, max)
}

// readBounded reads r to the end, failing when it holds more than max bytes.
func readBounded(r io.Reader, max int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("body exceeds %d bytes", max)
	}
	return b, nil
}
