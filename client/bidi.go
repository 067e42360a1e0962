package client

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bedrockwire/bedrockwire/eventstream"
	"github.com/bedrockwire/bedrockwire/sigv4"
)

// opBidi is the operation name of the bidirectional stream.
const opBidi = "InvokeModelWithBidirectionalStream"

// BidiSessionLimit is how long the service keeps a bidirectional stream
// open. A conversation that must go on longer opens a new stream (and
// replays its context) before the limit.
const BidiSessionLimit = 8 * time.Minute

// bidiExpirySlack is how close to BidiSessionLimit a stream that the service
// ended counts as expired: the client's clock and the service's need not
// agree to the second.
const bidiExpirySlack = 30 * time.Second

// Errors of the bidirectional stream. Match them with errors.Is.
var (
	// ErrSessionExpired marks the end of a stream the service closed at its
	// session limit (BidiSessionLimit): the error also wraps what the
	// service sent, usually a ModelTimeoutException.
	ErrSessionExpired = errors.New("session reached the service's limit of 8 minutes")
	// ErrFirstByteTimeout ends a stream whose response did not begin within
	// the time set by WithFirstByteTimeout.
	ErrFirstByteTimeout = errors.New("no response from the service within the first-byte timeout")
	// ErrIdleTimeout ends a stream on which Next waited longer than the time
	// set by WithIdleTimeout for the next event.
	ErrIdleTimeout = errors.New("no event from the service within the idle timeout")
	// ErrStreamClosed is what Send and CloseSend return after Close.
	ErrStreamClosed = errors.New("stream closed")
	// ErrSendClosed is what Send returns after CloseSend.
	ErrSendClosed = errors.New("input already closed by CloseSend")
)

// errBodyClosed is the cause a request body closed by the transport gives:
// the exchange ended, usually because the response did.
var errBodyClosed = errors.New("the service ended the stream")

// errResponseEnded is why Send fails once the response ended cleanly.
var errResponseEnded = errors.New("the service ended the stream")

// BidiOption configures InvokeModelWithBidirectionalStream.
type BidiOption func(*bidiConfig)

type bidiConfig struct {
	firstByte time.Duration
	idle      time.Duration
}

// WithFirstByteTimeout ends the stream with ErrFirstByteTimeout when the
// response has not begun d after the stream was opened. The service sends
// its response headers only after it received input, so the time includes
// the caller's first Send. Zero (the default) means no limit beyond the
// context's.
func WithFirstByteTimeout(d time.Duration) BidiOption {
	return func(c *bidiConfig) { c.firstByte = d }
}

// stopTimer is what the stream needs of a *time.Timer made by
// time.AfterFunc; tests give the client a fake one.
type stopTimer interface {
	Stop() bool
	Reset(d time.Duration) bool
}

// WithIdleTimeout ends the stream with ErrIdleTimeout when Next has waited
// d for the next event. Time the caller spends between calls to Next does
// not count. Zero (the default) means no limit.
func WithIdleTimeout(d time.Duration) BidiOption {
	return func(c *bidiConfig) { c.idle = d }
}

// BidiStream is a bidirectional event stream with a model, the result of
// InvokeModelWithBidirectionalStream: the caller sends model events with
// Send and receives the model's events with Next and Event (or All).
//
// Each direction has its own goroutine contract:
//
//   - Send and CloseSend may be called from any goroutine, also while
//     another goroutine receives. Concurrent calls are serialised: each
//     frame goes out whole, in the order the calls acquired the stream, and
//     the signature chain follows that order.
//   - Next, Event, Err and All belong to one goroutine, as on a Stream.
//   - Close may be called from any goroutine, at any time, more than once.
//
// The stream ends, in both directions, when the caller closes it, when the
// context it was opened with is done, when the service sends an exception or
// ends its response, when a timeout set with WithFirstByteTimeout or
// WithIdleTimeout expires, or when the connection fails. Once it has ended,
// Send returns the error that ended it, Next returns false and Err says why
// (nil after Close or a clean end). Always call Close, or read until Next
// returns false: either releases the connection and every goroutine the
// stream started.
type BidiStream struct {
	c     *Client
	cfg   bidiConfig
	ctx   context.Context // the request's; cancelled when the stream ends
	start time.Time       // when the stream was opened, on the client's clock

	cancel    context.CancelCauseFunc
	stopAfter func() bool // stops the context watcher

	failMu  sync.Mutex
	failErr error // the first cause the stream was ended with

	// Send side. sendSem serialises senders; what it guards is below it.
	sendSem    chan struct{}
	pipe       *framePipe
	fs         *frameSigner
	sendClosed bool
	inputDone  atomic.Bool // CloseSend was called

	// Response, set once before respDone is closed.
	respDone   chan struct{}
	resp       *http.Response
	respErr    error
	firstTimer *time.Timer

	// Receive side, owned by the goroutine that calls Next.
	idleTimer stopTimer // made stopped at open; runs while Next waits
	dec       *eventstream.Decoder
	ev        []byte
	err       error
	done      bool

	closed    atomic.Bool
	closeOnce sync.Once
}

// InvokeModelWithBidirectionalStream opens a bidirectional stream with
// modelID, such as "amazon.nova-2-sonic-v1:0", over HTTP/2.
//
// It returns as soon as the request is on its way: the service answers only
// once it has received input, so the caller sends its first events (Send)
// before expecting any (Next). Each event is one model event as JSON, such
// as {"event":{"sessionStart":{…}}}; see modelspec for Nova Sonic's.
//
// The operation needs SigV4 credentials: a client with only a bearer token
// (Bedrock API key) gets an error at once. It needs HTTP/2 too: an https
// endpoint negotiates it with the client's transport (http.Transport does
// unless its HTTP/2 support was switched off), an http endpoint needs a
// transport configured for HTTP/2 with prior knowledge (Protocols with
// UnencryptedHTTP2 only); a response over HTTP/1.x ends the stream with an
// error.
func (c *Client) InvokeModelWithBidirectionalStream(ctx context.Context, modelID string, opts ...BidiOption) (*BidiStream, error) {
	if c.bearer != "" {
		return nil, fmt.Errorf("bedrock %s: this operation needs SigV4 credentials (an AWS access key); "+
			"the client is configured with a bearer token (Bedrock API key), which the service does not accept for bidirectional streams", opBidi)
	}
	if strings.TrimSpace(modelID) == "" {
		return nil, fmt.Errorf("bedrock %s: missing model ID", opBidi)
	}
	var cfg bidiConfig
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	if cfg.firstByte < 0 || cfg.idle < 0 {
		return nil, fmt.Errorf("bedrock %s: negative timeout", opBidi)
	}
	if err := checkHTTP2Transport(c.http, c.endpoint.Scheme); err != nil {
		return nil, fmt.Errorf("bedrock %s: %w", opBidi, err)
	}
	creds, err := c.creds.Retrieve(ctx)
	if err != nil {
		return nil, fmt.Errorf("bedrock %s: retrieving credentials: %w", opBidi, err)
	}
	if !creds.HasKeys() {
		return nil, fmt.Errorf("bedrock %s: credentials provider returned no access key", opBidi)
	}

	r := &request{op: opBidi, method: http.MethodPost, path: modelPath(modelID, "invoke-with-bidirectional-stream"), eventStream: true}
	u := c.url(r)
	rctx, cancel := context.WithCancelCause(ctx)
	pipe := newFramePipe()
	req, err := http.NewRequestWithContext(rctx, http.MethodPost, "", nil)
	if err != nil {
		cancel(err)
		return nil, fmt.Errorf("bedrock %s: %w", opBidi, err)
	}
	req.URL = u
	req.Host = u.Host
	req.Body = pipeBody{pipe}
	req.ContentLength = -1
	req.Header["Content-Type"] = []string{eventStreamContentType}
	req.Header[sigv4.HeaderContentSHA256] = []string{sigv4.StreamingEventsPayload}
	req.Header["User-Agent"] = c.userAgentValue[:1:1]
	req.Header["Amz-Sdk-Request"] = c.sdkRequestValue(1)
	start := c.now()
	if err := c.signer.SignHTTP(req, creds, c.region, SigningName, c.signingTime(), sigv4.StreamingEventsPayload); err != nil {
		cancel(err)
		return nil, fmt.Errorf("bedrock %s: signing request: %w", opBidi, err)
	}
	seed, err := sigv4.SignatureFromAuthorization(req.Header.Get(sigv4.HeaderAuthorization))
	if err != nil {
		cancel(err)
		return nil, fmt.Errorf("bedrock %s: %w", opBidi, err)
	}
	fs, err := newFrameSigner(&c.signer, creds, c.region, SigningName, seed)
	if err != nil {
		cancel(err)
		return nil, fmt.Errorf("bedrock %s: %w", opBidi, err)
	}

	s := &BidiStream{
		c: c, cfg: cfg, ctx: rctx, start: start, cancel: cancel,
		sendSem: make(chan struct{}, 1), pipe: pipe, fs: fs,
		respDone: make(chan struct{}),
	}
	// A context that ends (the caller's, or ours at abort) breaks the pipe,
	// so that a Send blocked on a stalled connection returns.
	s.stopAfter = context.AfterFunc(rctx, func() { pipe.close(s.causeOr(context.Cause(rctx))) })
	if cfg.idle > 0 {
		d := cfg.idle
		s.idleTimer = c.afterFunc(d, func() {
			s.abort(fmt.Errorf("bedrock %s stream: %w (%s)", opBidi, ErrIdleTimeout, d))
		})
		s.idleTimer.Stop()
	}
	if cfg.firstByte > 0 {
		s.firstTimer = time.AfterFunc(cfg.firstByte, func() {
			s.abort(fmt.Errorf("bedrock %s: %w (%s)", opBidi, ErrFirstByteTimeout, cfg.firstByte))
		})
	}
	c.debugRequest(rctx, r, req)
	go s.roundTrip(req, r)
	return s, nil
}

// checkHTTP2Transport refuses an HTTP client whose transport cannot speak
// HTTP/2 to the endpoint. Only *http.Transport can be inspected; for other
// round trippers the protocol of the response is checked.
func checkHTTP2Transport(hc *http.Client, scheme string) error {
	rt := hc.Transport
	if rt == nil {
		rt = http.DefaultTransport
	}
	tr, ok := rt.(*http.Transport)
	if !ok {
		return nil
	}
	p := tr.Protocols
	if scheme == "http" {
		if p == nil || !p.UnencryptedHTTP2() || p.HTTP1() {
			return errors.New("this operation needs HTTP/2, and the endpoint is http:// but the HTTP client's transport " +
				"is not set up for HTTP/2 over cleartext: set its Protocols to UnencryptedHTTP2 alone (h2c with prior knowledge), or use an https endpoint")
		}
		return nil
	}
	if (p != nil && !p.HTTP2()) || (p == nil && tr.TLSNextProto != nil && len(tr.TLSNextProto) == 0) {
		return errors.New("this operation needs HTTP/2, and the HTTP client's transport has HTTP/2 switched off")
	}
	return nil
}

// roundTrip sends the request and waits for the response headers, while
// Send writes the body. It publishes the outcome and closes respDone.
func (s *BidiStream) roundTrip(req *http.Request, r *request) {
	defer func() {
		close(s.respDone)
		if s.resp != nil && s.cause() != nil {
			s.resp.Body.Close() // ended while the response was on its way
		}
	}()
	resp, err := s.c.http.Do(req)
	if s.firstTimer != nil {
		s.firstTimer.Stop()
	}
	if err != nil {
		s.c.debugFailure(s.ctx, r, err)
		err = s.causeOr(fmt.Errorf("bedrock %s: %w", opBidi, err))
		s.abort(err)
		s.respErr = err
		return
	}
	s.c.debugResponse(s.ctx, r, resp, s.c.now().Sub(s.start))
	switch {
	case resp.StatusCode >= 300:
		err = responseError(opBidi, resp)
	case resp.ProtoMajor < 2:
		resp.Body.Close()
		err = &Error{Op: opBidi, StatusCode: resp.StatusCode, RequestID: requestID(resp.Header),
			Message: "the response came over " + resp.Proto + "; this operation needs HTTP/2 (full duplex)"}
	default:
		if ct := resp.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, eventStreamContentType) {
			resp.Body.Close()
			err = &Error{Op: opBidi, StatusCode: resp.StatusCode, RequestID: requestID(resp.Header),
				Message: "response Content-Type is " + fmt.Sprintf("%q", ct) + ", want " + eventStreamContentType}
		}
	}
	if err != nil {
		s.abort(err)
		s.respErr = s.causeOr(err)
		return
	}
	s.resp = resp
}

// abort ends the stream in both directions with cause, unless it has ended
// already: later Sends return the cause, the request is cancelled.
func (s *BidiStream) abort(cause error) {
	s.failMu.Lock()
	if s.failErr == nil {
		s.failErr = cause
	}
	s.failMu.Unlock()
	s.pipe.close(cause)
	s.cancel(cause)
	// Cancelling alone does not end an HTTP/2 stream whose body writer waits
	// for flow control; closing the response body resets it.
	select {
	case <-s.respDone:
		if s.resp != nil {
			s.resp.Body.Close()
		}
	default:
		// roundTrip closes the body when it sees the cause
	}
}

// cause returns the cause the stream was ended with, or nil.
func (s *BidiStream) cause() error {
	s.failMu.Lock()
	defer s.failMu.Unlock()
	return s.failErr
}

// causeOr returns the cause the stream was ended with, or err when it was
// not ended.
func (s *BidiStream) causeOr(err error) error {
	if c := s.cause(); c != nil {
		return c
	}
	return err
}

// Send sends one model event, the JSON of {"event":{…}}, wrapped as the
// service expects ({"bytes":"<base64>"} in a chunk event, signed and dated
// in an envelope). It returns once the connection has taken the whole frame:
// when the connection cannot take more (HTTP/2 flow control), Send blocks.
//
// When ctx is done before any byte of the frame was taken, Send returns the
// context's error and the stream stays usable; when it is done halfway, the
// stream cannot go on and ends. After the stream ended Send returns the
// error that ended it, after CloseSend ErrSendClosed, after Close
// ErrStreamClosed.
//
// Send is safe to call from one goroutine while another receives; concurrent
// Sends are serialised. The event is not kept after Send returns.
func (s *BidiStream) Send(ctx context.Context, event []byte) error {
	if err := s.lockSend(ctx); err != nil {
		return err
	}
	defer s.unlockSend()
	if s.sendClosed {
		return fmt.Errorf("bedrock %s: send: %w", opBidi, ErrSendClosed)
	}
	if err := s.pipe.closeErr(); err != nil {
		return s.sendError(err)
	}
	frame, err := s.fs.event(s.c.signingTime(), event)
	if err != nil {
		return fmt.Errorf("bedrock %s: send: %w", opBidi, err)
	}
	return s.write(ctx, frame)
}

// CloseSend ends the input: it sends the signed empty frame that tells the
// service no more events follow, then ends the request body. The stream
// stays open for receiving; read on until Next returns false. CloseSend is
// serialised with Send, and calling it again does nothing.
func (s *BidiStream) CloseSend() error {
	if s.inputDone.Load() {
		return nil
	}
	if err := s.lockSend(context.Background()); err != nil {
		return err
	}
	defer s.unlockSend()
	if s.sendClosed {
		return nil
	}
	if err := s.pipe.closeErr(); err != nil {
		return s.sendError(err)
	}
	s.sendClosed = true
	s.inputDone.Store(true)
	frame, err := s.fs.end(s.c.signingTime())
	if err != nil {
		return fmt.Errorf("bedrock %s: close send: %w", opBidi, err)
	}
	if err := s.write(context.Background(), frame); err != nil {
		return err
	}
	s.pipe.closeWrite()
	return nil
}

// lockSend takes the send side, waiting for another Send to finish.
func (s *BidiStream) lockSend(ctx context.Context) error {
	select {
	case s.sendSem <- struct{}{}:
	default:
		select {
		case s.sendSem <- struct{}{}:
		case <-ctx.Done():
			return fmt.Errorf("bedrock %s: send: %w", opBidi, context.Cause(ctx))
		case <-s.pipe.done:
			return s.sendError(s.pipe.err)
		}
	}
	return nil
}

func (s *BidiStream) unlockSend() { <-s.sendSem }

// write puts one frame on the pipe and advances the signature chain.
func (s *BidiStream) write(ctx context.Context, frame []byte) error {
	n, err := s.pipe.write(ctx, frame)
	if err == nil {
		s.fs.commit()
		return nil
	}
	if s.pipe.closeErr() == nil && ctx.Err() != nil {
		if n == 0 {
			// nothing of the frame went out: the stream is intact
			return fmt.Errorf("bedrock %s: send: %w", opBidi, err)
		}
		err = fmt.Errorf("bedrock %s: send interrupted after %d of %d bytes of a frame: %w", opBidi, n, len(frame), err)
		s.abort(err)
		return err
	}
	return s.sendError(err)
}

// sendError turns the cause the pipe was closed with into Send's error.
// Causes the stream was ended with (abort) are complete errors already.
func (s *BidiStream) sendError(err error) error {
	cause := s.cause()
	switch {
	case err == io.EOF:
		err = ErrSendClosed
	case err == errBodyClosed || err == errResponseEnded:
		if cause != nil && cause != err && cause != ErrStreamClosed {
			return cause
		}
	case err == ErrStreamClosed:
	case err == cause:
		return err
	}
	return fmt.Errorf("bedrock %s: send: %w", opBidi, err)
}

// Next waits for the next event from the model and reports whether there is
// one. It returns false at the end of the stream, on an error (see Err), and
// after Close. The first call waits for the response to begin.
func (s *BidiStream) Next() bool {
	if s.done {
		return false
	}
	s.ev = nil
	if s.dec == nil {
		<-s.respDone
		if s.respErr != nil {
			return s.finish(s.localOr(s.respErr), false)
		}
		s.dec = eventstream.NewDecoder(s.resp.Body)
	}
	for {
		if s.closed.Load() {
			return s.finish(nil, false)
		}
		s.armIdle()
		m, err := s.dec.Decode()
		s.disarmIdle()
		if err != nil {
			if c := s.localEnd(); c != nil || s.closed.Load() {
				return s.finish(c, false)
			}
			if err == io.EOF {
				return s.finish(nil, true)
			}
			return s.finish(fmt.Errorf("bedrock %s stream: %w", opBidi, err), true)
		}
		switch m.Type() {
		case eventstream.EventMessage:
			chunk, skip, err := decodeResponseChunk(m.EventType(), m.Payload)
			if err != nil {
				return s.finish(fmt.Errorf("bedrock %s stream: event %q: %w", opBidi, m.EventType(), err), false)
			}
			if skip {
				continue
			}
			s.ev = chunk.Bytes
			return true
		case eventstream.ExceptionMessage:
			return s.finish(exceptionError(opBidi, m.ExceptionType(), m.Payload, s.resp.Header), true)
		case eventstream.ErrorMessage:
			e := &Error{Op: opBidi, InStream: true, Code: m.ErrorCode(), Message: m.ErrorMessage(),
				RequestID: requestID(s.resp.Header)}
			e.Retryable = retryableError(0, e.Code)
			return s.finish(e, true)
		default:
			// a message type from a newer protocol: skip it
		}
	}
}

// localEnd returns why the stream was ended on this side (a timeout, the
// caller's context, a failed Send), or nil when it was not, or was closed
// by Close.
func (s *BidiStream) localEnd() error {
	if c := s.cause(); c != nil {
		if c == ErrStreamClosed {
			return nil
		}
		return c
	}
	if s.ctx.Err() != nil {
		return fmt.Errorf("bedrock %s stream: %w", opBidi, context.Cause(s.ctx))
	}
	return nil
}

// localOr is localEnd, or err when the stream was not ended on this side.
func (s *BidiStream) localOr(err error) error {
	if s.closed.Load() {
		return nil
	}
	if c := s.localEnd(); c != nil {
		return c
	}
	return err
}

// finish ends the stream with err (nil: a clean end), releases everything
// and returns false. byService says the service ended it, so that an end at
// the session limit is reported as ErrSessionExpired.
func (s *BidiStream) finish(err error, byService bool) bool {
	s.done = true
	if byService && (err != nil || !s.inputDone.Load()) {
		if elapsed := s.c.now().Sub(s.start); elapsed >= BidiSessionLimit-bidiExpirySlack {
			err = &sessionExpiredError{elapsed: elapsed, err: err}
		}
	}
	s.err = err
	s.ev = nil
	if err != nil {
		s.abort(err)
	} else {
		s.abort(errResponseEnded)
	}
	s.releaseAll()
	return false
}

// releaseAll stops the timers and the context watcher and closes the
// response body, once the response is known.
func (s *BidiStream) releaseAll() {
	<-s.respDone
	if s.resp != nil {
		s.resp.Body.Close()
	}
	if s.firstTimer != nil {
		s.firstTimer.Stop()
	}
	if s.idleTimer != nil {
		s.idleTimer.Stop()
	}
	s.stopAfter()
}

// armIdle starts the idle timer before Next waits for a message.
func (s *BidiStream) armIdle() {
	if s.idleTimer != nil {
		s.idleTimer.Reset(s.cfg.idle)
	}
}

func (s *BidiStream) disarmIdle() {
	if s.idleTimer != nil {
		s.idleTimer.Stop()
	}
}

// Event returns the model event the last successful Next read: the JSON the
// service carried base64-encoded in the chunk's "bytes", e.g.
// {"event":{"textOutput":{…}}}. The slice is the caller's to keep.
func (s *BidiStream) Event() []byte { return s.ev }

// Err returns the error that ended the stream: a *Error for an exception
// from the service (errors.As), an error wrapping ErrSessionExpired when
// the service ended the stream at its session limit, ErrFirstByteTimeout or
// ErrIdleTimeout for the caller's timeouts, the context's error. It is nil
// while the stream runs, after a clean end and after Close.
func (s *BidiStream) Err() error { return s.err }

// All returns an iterator over the remaining events from the model. It
// yields each event with a nil error; when the stream fails it yields a nil
// event with the error, once, and stops. Breaking out of the loop closes
// the stream.
func (s *BidiStream) All() iter.Seq2[[]byte, error] {
	return func(yield func([]byte, error) bool) {
		defer s.Close()
		for s.Next() {
			if !yield(s.ev, nil) {
				return
			}
		}
		if s.err != nil {
			yield(nil, s.err)
		}
	}
}

// Close ends the stream in both directions and releases the connection. It
// waits for the goroutines the stream started to finish. It is idempotent
// and safe to call from any goroutine, also while Next or Send block; they
// then return (Next false, Send ErrStreamClosed).
func (s *BidiStream) Close() error {
	s.closeOnce.Do(func() {
		s.closed.Store(true)
		s.abort(ErrStreamClosed)
		s.releaseAll()
	})
	return nil
}

// RequestID returns the request ID of the response, once Next has been
// called; "" before.
func (s *BidiStream) RequestID() string {
	if s.dec == nil {
		return ""
	}
	return requestID(s.resp.Header)
}

// Header returns the HTTP header of the response once Next has been called,
// nil before.
func (s *BidiStream) Header() http.Header {
	if s.dec == nil {
		return nil
	}
	return s.resp.Header
}

// sessionExpiredError is the end of a stream at the session limit.
type sessionExpiredError struct {
	elapsed time.Duration
	err     error // what the service sent; nil for a quiet end
}

func (e *sessionExpiredError) Error() string {
	msg := fmt.Sprintf("bedrock %s: session expired after %s (the service ends bidirectional streams after %s; open a new stream to go on)",
		opBidi, e.elapsed.Round(time.Second), BidiSessionLimit)
	if e.err != nil {
		msg += ": " + e.err.Error()
	}
	return msg
}

func (e *sessionExpiredError) Unwrap() []error {
	if e.err == nil {
		return []error{ErrSessionExpired}
	}
	return []error{ErrSessionExpired, e.err}
}
