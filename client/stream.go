package client

import (
	"context"
	"fmt"
	"io"
	"iter"
	"net/http"
	"sync"
	"sync/atomic"

	"github.com/bedrockwire/bedrockwire/eventstream"
)

// Stream is the response of a streaming operation: a sequence of events of
// type E read from the connection as the service sends them.
//
// Call Next until it returns false, reading each event with Event, then check
// Err; or range over All. An exception the service sends mid-stream ends the
// stream after the events before it were delivered, and Err returns it as a
// *Error. A stream cut short is an error, never a quiet end.
//
// Next, Event, Err and All belong to one goroutine; Close may be called from
// any goroutine, also while Next blocks, and more than once. A stream holds a
// connection until it ends or is closed: always Close it.
type Stream[E any] struct {
	op     string
	ctx    context.Context
	resp   *http.Response
	decode func(eventType string, payload []byte) (ev E, skip bool, err error)
	dec    *eventstream.Decoder

	ev   E
	err  error
	done bool

	closed    atomic.Bool
	closeOnce sync.Once
	closeErr  error
}

// newStream reads resp.Body as event-stream messages. For each
// :message-type event message it calls decode with the :event-type and the
// payload (valid only during the call); decode returns the event to deliver,
// or skip=true to drop it, or an error that ends the stream. exception and
// error messages become *Error and end the stream after the events before
// them were delivered.
func newStream[E any](ctx context.Context, op string, resp *http.Response,
	decode func(eventType string, payload []byte) (ev E, skip bool, err error)) *Stream[E] {
	return &Stream[E]{
		op:     op,
		ctx:    ctx,
		resp:   resp,
		decode: decode,
		dec:    eventstream.NewDecoder(resp.Body),
	}
}

// Next reads the next event and reports whether there is one. It returns
// false at the end of the stream, on an error (see Err), and after Close.
func (s *Stream[E]) Next() bool {
	if s.done {
		return false
	}
	var zero E
	s.ev = zero
	for {
		if s.closed.Load() {
			return s.finish(nil)
		}
		if err := s.ctx.Err(); err != nil {
			return s.finish(fmt.Errorf("bedrock %s stream: %w", s.op, context.Cause(s.ctx)))
		}
		m, err := s.dec.Decode()
		if err != nil {
			return s.finish(s.readError(err))
		}
		switch m.Type() {
		case eventstream.EventMessage:
			ev, skip, err := s.decode(m.EventType(), m.Payload)
			if err != nil {
				return s.finish(fmt.Errorf("bedrock %s stream: event %q: %w", s.op, m.EventType(), err))
			}
			if skip {
				continue
			}
			s.ev = ev
			return true
		case eventstream.ExceptionMessage:
			return s.finish(exceptionError(s.op, m.ExceptionType(), m.Payload, s.resp.Header))
		case eventstream.ErrorMessage:
			e := &Error{Op: s.op, InStream: true, Code: m.ErrorCode(), Message: m.ErrorMessage(),
				RequestID: requestID(s.resp.Header)}
			e.Retryable = retryableError(0, e.Code)
			return s.finish(e)
		default:
			// a message type from a newer protocol: skip it, as unknown events are
		}
	}
}

// readError turns a failure to read the next message into the stream's
// error: nil at a clean end between messages, the context's error when it was
// cancelled, nil after Close, else the read or decode error.
func (s *Stream[E]) readError(err error) error {
	if s.closed.Load() {
		return nil
	}
	if cerr := s.ctx.Err(); cerr != nil {
		return fmt.Errorf("bedrock %s stream: %w", s.op, context.Cause(s.ctx))
	}
	if err == io.EOF {
		return nil
	}
	return fmt.Errorf("bedrock %s stream: %w", s.op, err)
}

// finish ends the stream with err (nil: a clean end), releases the
// connection and returns false.
func (s *Stream[E]) finish(err error) bool {
	s.done = true
	s.err = err
	var zero E
	s.ev = zero
	s.Close()
	return false
}

// Event returns the event the last successful Next read.
func (s *Stream[E]) Event() E { return s.ev }

// Err returns the error that ended the stream, or nil when it ended cleanly
// or was closed by Close.
func (s *Stream[E]) Err() error { return s.err }

// Close releases the connection. It is idempotent and safe to call from
// another goroutine while Next blocks; Next then returns false.
func (s *Stream[E]) Close() error {
	s.closeOnce.Do(func() {
		s.closed.Store(true)
		s.closeErr = s.resp.Body.Close()
	})
	return nil
}

// All returns an iterator over the remaining events. It yields each event
// with a nil error; when the stream fails it yields a zero event with the
// error, once, and stops. Breaking out of the loop closes the stream.
func (s *Stream[E]) All() iter.Seq2[E, error] {
	return func(yield func(E, error) bool) {
		defer s.Close()
		for s.Next() {
			if !yield(s.ev, nil) {
				return
			}
		}
		if s.err != nil {
			var zero E
			yield(zero, s.err)
		}
	}
}

// RequestID returns the request ID of the response that carries the stream.
func (s *Stream[E]) RequestID() string { return requestID(s.resp.Header) }

// Header returns the HTTP header of the response that carries the stream.
func (s *Stream[E]) Header() http.Header { return s.resp.Header }
