package client

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// flowBlockedBody is larger than anything a loopback connection buffers:
// HTTP/2's stream and connection windows (1 MiB each on a Go server) and,
// for HTTP/1.1, the kernel's socket buffers. A server that never reads it
// leaves the client's body writer blocked.
const flowBlockedBody = 20 << 20

// unreadServer answers a streaming request without reading its body: it
// sends the response headers, first (read by the test) and then rest (left
// unread in the client's buffers), and waits. Once the test closes
// clientClosed it reads the request body to its end and sends the outcome
// on bodyErr: an error if the client abandoned the request, nil if the
// body arrived whole. (An HTTP/1.1 server notices a client going away only
// by reading, so the handler cannot just wait for its context.)
func unreadServer(t *testing.T, first, rest []byte, h2c bool) (srv *httptest.Server, tr *http.Transport, clientClosed chan<- struct{}, bodyErr <-chan error) {
	t.Helper()
	closed := make(chan struct{})
	result := make(chan error, 1)
	srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", eventStreamContentType)
		w.WriteHeader(200)
		w.Write(first)
		w.Write(rest)
		w.(http.Flusher).Flush()
		<-closed
		n, err := io.Copy(io.Discard, r.Body)
		if err == nil && n != flowBlockedBody {
			err = fmt.Errorf("body of %d bytes, no read error", n)
		}
		result <- err
	}))
	tr = &http.Transport{}
	if h2c {
		srv.Config.Protocols = new(http.Protocols)
		srv.Config.Protocols.SetUnencryptedHTTP2(true)
		tr.Protocols = new(http.Protocols)
		tr.Protocols.SetUnencryptedHTTP2(true)
	}
	srv.Start()
	t.Cleanup(func() {
		select {
		case <-closed:
		default:
			close(closed)
		}
		srv.Close()
		tr.CloseIdleConnections()
	})
	return srv, tr, closed, result
}

// checkRequestAbandoned lets the server read the request body after Close
// and checks that the body was cut short: Close ended the request rather
// than waiting for the body to be delivered.
func checkRequestAbandoned(t *testing.T, clientClosed chan<- struct{}, bodyErr <-chan error, watchdog <-chan time.Time) {
	t.Helper()
	close(clientClosed)
	select {
	case err := <-bodyErr:
		if err == nil {
			t.Error("the server read the whole request body after Close: the request was not ended")
		}
	case <-watchdog:
		t.Fatal("the server still reads the request body after Close: the request was not ended")
	}
}

// TestStreamCloseWithRequestBodyBlocked: the service starts answering before
// it has read the request body, and the body writer is stuck (HTTP/2 flow
// control, or a full socket under HTTP/1.1). Close, with response data
// still unread and a Next blocked in another goroutine, returns, ends the
// request on the server, unblocks Next without an error and leaves no
// goroutine behind.
func TestStreamCloseWithRequestBodyBlocked(t *testing.T) {
	protocols(t, testStreamCloseWithRequestBodyBlocked)
}

func testStreamCloseWithRequestBodyBlocked(t *testing.T, h2c bool) {
	first := encodeMessages(t, chunks("", claudeChunks[0])...)
	// rest is cut inside a message: once it is read, Next blocks waiting for
	// the remainder.
	full := encodeMessages(t, chunks("", claudeChunks[1:]...)...)
	rest := full[:len(full)-3]
	srv, tr, clientClosed, bodyErr := unreadServer(t, first, rest, h2c)
	base := runningGoroutines()
	c := newTestClient(t, srv.URL, &http.Client{Transport: tr})
	body := bytes.Repeat([]byte("x"), flowBlockedBody)
	s, err := c.InvokeModelWithResponseStream(t.Context(), &InvokeModelInput{ModelID: "m", Body: body})
	if err != nil {
		t.Fatal(err)
	}
	if !s.Next() {
		t.Fatalf("first Next: false, %v", s.Err())
	}
	if got := string(s.Event().Bytes); got != claudeChunks[0] {
		t.Fatalf("first event %q, want %q", got, claudeChunks[0])
	}

	// Next reads what it can of rest, then blocks; Close must end it.
	// Whether Close lands before or during that Next, the outcome is the
	// same, so the test does not wait for Next to block.
	next := make(chan bool)
	go func() {
		for s.Next() {
		}
		next <- false
	}()
	closed := make(chan error)
	go func() { closed <- s.Close() }()
	watchdog := time.NewTimer(30 * time.Second) // a hang, not a timing check
	defer watchdog.Stop()
	select {
	case err := <-closed:
		if err != nil {
			t.Errorf("Close: %v", err)
		}
	case <-watchdog.C:
		t.Fatal("Close hangs while the request body is blocked")
	}
	select {
	case <-next:
	case <-watchdog.C:
		t.Fatal("Next still blocked after Close")
	}
	if err := s.Err(); err != nil {
		t.Errorf("Err after Close = %v, want nil", err)
	}
	checkRequestAbandoned(t, clientClosed, bodyErr, watchdog.C)
	goroutinesSettle(t, base, tr)
}

// TestStreamCloseUnreadBeforeNext: Close right after the stream opened,
// with the request body blocked and the whole response unread.
func TestStreamCloseUnreadBeforeNext(t *testing.T) { protocols(t, testStreamCloseUnreadBeforeNext) }

func testStreamCloseUnreadBeforeNext(t *testing.T, h2c bool) {
	srv, tr, clientClosed, bodyErr := unreadServer(t, encodeMessages(t, chunks("", claudeChunks...)...), nil, h2c)
	base := runningGoroutines()
	c := newTestClient(t, srv.URL, &http.Client{Transport: tr})
	body := bytes.Repeat([]byte("x"), flowBlockedBody)
	s, err := c.InvokeModelWithResponseStream(t.Context(), &InvokeModelInput{ModelID: "m", Body: body})
	if err != nil {
		t.Fatal(err)
	}
	closed := make(chan error)
	go func() { closed <- s.Close() }()
	watchdog := time.NewTimer(30 * time.Second)
	defer watchdog.Stop()
	select {
	case err := <-closed:
		if err != nil {
			t.Errorf("Close: %v", err)
		}
	case <-watchdog.C:
		t.Fatal("Close hangs while the request body is blocked")
	}
	if s.Next() {
		t.Error("Next after Close returned true")
	}
	if err := s.Err(); err != nil {
		t.Errorf("Err after Close = %v, want nil", err)
	}
	if _, err := s.resp.Body.Read(make([]byte, 1)); err == nil || err == io.EOF {
		t.Errorf("Read of the closed body: %v, want an error", err)
	}
	checkRequestAbandoned(t, clientClosed, bodyErr, watchdog.C)
	goroutinesSettle(t, base, tr)
}

// TestStreamCancelWithRequestBodyBlocked: cancelling the context ends a Next
// blocked for data while the request body writer is stuck, with the
// context's error, and ends the request on the server. Under HTTP/2 the
// transport notices a cancelled context only between body writes, so this
// needs the stream to act on the cancellation itself.
func TestStreamCancelWithRequestBodyBlocked(t *testing.T) {
	protocols(t, testStreamCancelWithRequestBodyBlocked)
}

func testStreamCancelWithRequestBodyBlocked(t *testing.T, h2c bool) {
	first := encodeMessages(t, chunks("", claudeChunks[0])...)
	second := encodeMessages(t, chunks("", claudeChunks[1])...)
	srv, tr, clientClosed, bodyErr := unreadServer(t, first, second[:len(second)-3], h2c)
	base := runningGoroutines()
	reads := make(chan struct{}, 64)
	c := newTestClient(t, srv.URL, &http.Client{Transport: readSignalTransport{tr, reads}})
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	body := bytes.Repeat([]byte("x"), flowBlockedBody)
	s, err := c.InvokeModelWithResponseStream(ctx, &InvokeModelInput{ModelID: "m", Body: body})
	if err != nil {
		t.Fatal(err)
	}
	if !s.Next() {
		t.Fatalf("first Next: false, %v", s.Err())
	}
	for len(reads) > 0 {
		<-reads
	}
	result := make(chan bool)
	go func() { result <- s.Next() }()
	<-reads // Next is past its context check and reads the body: the cut message never completes
	cancel()
	watchdog := time.NewTimer(30 * time.Second) // a hang, not a timing check
	defer watchdog.Stop()
	select {
	case ok := <-result:
		if ok {
			t.Error("Next returned an event from a cut message")
		}
	case <-watchdog.C:
		t.Fatal("Next still blocked after the context was cancelled")
	}
	if err := s.Err(); !errors.Is(err, context.Canceled) {
		t.Errorf("Err = %v, want context.Canceled", err)
	}
	s.Close()
	checkRequestAbandoned(t, clientClosed, bodyErr, watchdog.C)
	goroutinesSettle(t, base, tr)
}

// readSignalTransport signals on reads each time a Read of a response body
// starts.
type readSignalTransport struct {
	http.RoundTripper
	reads chan<- struct{}
}

func (rt readSignalTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := rt.RoundTripper.RoundTrip(r)
	if err == nil {
		resp.Body = readSignalBody{resp.Body, rt.reads}
	}
	return resp, err
}

type readSignalBody struct {
	io.ReadCloser
	reads chan<- struct{}
}

func (b readSignalBody) Read(p []byte) (int, error) {
	select {
	case b.reads <- struct{}{}:
	default:
	}
	return b.ReadCloser.Read(p)
}
