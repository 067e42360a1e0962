package client

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bedrockwire/bedrockwire/eventstream"
)

// holdingServer answers with the given events, flushes, and then holds the
// connection open until the client goes away or the test ends. It returns a
// fresh transport for it (HTTP/1.1, or HTTP/2 without TLS).
func holdingServer(t *testing.T, body []byte, h2c bool) (*httptest.Server, *http.Transport) {
	t.Helper()
	done := make(chan struct{})
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", eventStreamContentType)
		w.WriteHeader(200)
		w.Write(body)
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
		case <-done:
		}
	}))
	tr := &http.Transport{}
	if h2c {
		srv.Config.Protocols = new(http.Protocols)
		srv.Config.Protocols.SetUnencryptedHTTP2(true)
		tr.Protocols = new(http.Protocols)
		tr.Protocols.SetUnencryptedHTTP2(true)
	}
	srv.Start()
	t.Cleanup(func() { close(done); srv.Close(); tr.CloseIdleConnections() })
	return srv, tr
}

// protocols runs f for HTTP/1.1 and for HTTP/2.
func protocols(t *testing.T, f func(t *testing.T, h2c bool)) {
	t.Run("http1", func(t *testing.T) { f(t, false) })
	t.Run("h2c", func(t *testing.T) { f(t, true) })
}

func openStream(t *testing.T, ctx context.Context, c *testClient) *Stream[ResponseChunk] {
	t.Helper()
	s, err := c.InvokeModelWithResponseStream(ctx, &InvokeModelInput{ModelID: "m", Body: []byte(claudeBody)})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestStreamCloseWhileNextBlocks: Close from another goroutine unblocks a
// Next waiting for data, Next returns false with no error, the connection is
// released and no goroutine is left behind.
func TestStreamCloseWhileNextBlocks(t *testing.T) { protocols(t, testStreamCloseWhileNextBlocks) }

func testStreamCloseWhileNextBlocks(t *testing.T, h2c bool) {
	srv, tr := holdingServer(t, encodeMessages(t, chunks("", claudeChunks[0])...), h2c)
	base := runningGoroutines()
	c := newTestClient(t, srv.URL, &http.Client{Transport: tr})
	s := openStream(t, t.Context(), c)
	if !s.Next() {
		t.Fatalf("first Next: false, %v", s.Err())
	}
	result := make(chan bool)
	go func() { result <- s.Next() }()
	time.Sleep(20 * time.Millisecond) // let Next block in Read; the test holds either way
	if err := s.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	select {
	case ok := <-result:
		if ok {
			t.Error("Next after Close returned true")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Next still blocked 5s after Close")
	}
	if err := s.Err(); err != nil {
		t.Errorf("Err after Close = %v, want nil", err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if s.Next() {
		t.Error("Next after Close returned true")
	}
	goroutinesSettle(t, base, tr)
}

// TestStreamCancelDuringNext: cancelling the context ends a blocked Next
// promptly with the context's error.
func TestStreamCancelDuringNext(t *testing.T) { protocols(t, testStreamCancelDuringNext) }

func testStreamCancelDuringNext(t *testing.T, h2c bool) {
	srv, tr := holdingServer(t, encodeMessages(t, chunks("", claudeChunks[:2]...)...), h2c)
	base := runningGoroutines()
	reads := make(chan struct{}, 64)
	c := newTestClient(t, srv.URL, &http.Client{Transport: readSignalTransport{tr, reads}})
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	s := openStream(t, ctx, c)
	n := 0
	for range 2 {
		if !s.Next() {
			t.Fatalf("Next %d: false, %v", n+1, s.Err())
		}
		n++
	}
	for len(reads) > 0 {
		<-reads
	}
	result := make(chan error)
	go func() {
		for s.Next() {
			n++
		}
		result <- s.Err()
	}()
	<-reads // Next is past its context check and waits for data that never comes
	cancel()
	select {
	case err := <-result:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Err = %v, want context.Canceled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Next still blocked 5s after cancel")
	}
	if n != 2 {
		t.Errorf("%d events before the cancel, want 2", n)
	}
	s.Close()
	goroutinesSettle(t, base, tr)
}

// TestStreamCancelledBeforeNext: events already buffered are not delivered
// after the context is cancelled.
func TestStreamCancelledBeforeNext(t *testing.T) {
	_, srv := newRecorder(t, streamResponder(encodeMessages(t, chunks("", claudeChunks...)...)))
	c := newTestClient(t, srv.URL, srv.Client())
	ctx, cancel := context.WithCancel(t.Context())
	s := openStream(t, ctx, c)
	cancel()
	if s.Next() {
		t.Error("Next after cancel returned true")
	}
	if !errors.Is(s.Err(), context.Canceled) {
		t.Errorf("Err = %v, want context.Canceled", s.Err())
	}
}

// TestStreamForgottenAfterEnd: a stream read to its end releases everything
// even without Close.
func TestStreamReadToEndReleases(t *testing.T) {
	_, srv := newRecorder(t, streamResponder(encodeMessages(t, chunks("", claudeChunks...)...)))
	tr := &http.Transport{}
	base := runningGoroutines()
	c := newTestClient(t, srv.URL, &http.Client{Transport: tr})
	for range 5 {
		s := openStream(t, t.Context(), c)
		for s.Next() {
		}
		if s.Err() != nil {
			t.Fatal(s.Err())
		}
	}
	goroutinesSettle(t, base, tr)
}

// TestStreamAll covers the iterator: every event, then the error once; and a
// break closes the stream.
func TestStreamAll(t *testing.T) {
	body := encodeMessages(t, append(chunks("", claudeChunks[:3]...), exception("validationException", `{"message":"bad"}`))...)
	_, srv := newRecorder(t, streamResponder(body))
	c := newTestClient(t, srv.URL, srv.Client())

	s := openStream(t, t.Context(), c)
	var got []string
	var errs []error
	for ev, err := range s.All() {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		got = append(got, string(ev.Bytes))
	}
	if len(got) != 3 || len(errs) != 1 || !IsValidation(errs[0]) {
		t.Errorf("got %d events and errors %v; want 3 events and one ValidationException", len(got), errs)
	}

	s = openStream(t, t.Context(), c)
	for range s.All() {
		break
	}
	if s.Next() {
		t.Error("Next after breaking out of All returned true")
	}
}

// TestStreamDecodeErrorEndsStream: an error from the event decoder ends the
// stream and is returned by Err, naming the event.
func TestStreamDecodeErrorEndsStream(t *testing.T) {
	body := encodeMessages(t, chunks("", "one", "two")...)
	_, srv := newRecorder(t, streamResponder(body))
	c := newTestClient(t, srv.URL, srv.Client())
	s := openStream(t, t.Context(), c)
	resp := s.resp
	s2 := newStream(t.Context(), "Test", resp, func(eventType string, payload []byte) (int, bool, error) {
		return 0, false, errors.New("no thanks")
	})
	if s2.Next() {
		t.Fatal("Next returned true")
	}
	if err := s2.Err(); err == nil || err.Error() != `bedrock Test stream: event "chunk": no thanks` {
		t.Errorf("Err = %v", err)
	}
}

// loopbackStreamServer serves body as an event stream while it reads the
// request body concurrently (full duplex), the pattern that broke the AWS SDK
// for Go: a client that closes the request body while net/http is still
// writing it kills the connection mid-stream.
func loopbackStreamServer(t testing.TB, body []byte, h2c bool) (*httptest.Server, *http.Client) {
	t.Helper()
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ProtoMajor == 1 {
			http.NewResponseController(w).EnableFullDuplex()
		}
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			io.Copy(io.Discard, r.Body)
		}()
		w.Header().Set("Content-Type", eventStreamContentType)
		w.WriteHeader(200)
		for b := body; len(b) > 0; {
			n := min(len(b), 64<<10)
			if _, err := w.Write(b[:n]); err != nil {
				break
			}
			b = b[n:]
		}
		wg.Wait()
	}))
	var tr *http.Transport
	if h2c {
		srv.Config.Protocols = new(http.Protocols)
		srv.Config.Protocols.SetUnencryptedHTTP2(true)
		srv.Config.Protocols.SetHTTP1(true)
		tr = &http.Transport{Protocols: new(http.Protocols)}
		tr.Protocols.SetUnencryptedHTTP2(true)
	} else {
		tr = &http.Transport{}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	t.Cleanup(tr.CloseIdleConnections)
	return srv, &http.Client{Transport: tr}
}

// manyChunks encodes n chunk events: small text deltas with padding, as
// Bedrock sends for a long answer.
func manyChunks(t testing.TB, n int) []byte {
	var out []byte
	for i := range n {
		text := fmt.Sprintf(`{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"token %d"}}`, i)
		var err error
		out, err = eventstream.AppendMessage(out, chunkMessage([]byte(text), "abcdefghijklmnop"[:i%16]))
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// TestStream100kEventsRepeated streams 100,000 events over loopback, again
// and again, over HTTP/1.1 and HTTP/2, with a request body large enough to
// still be in flight when the response starts: not one failure is allowed.
func TestStream100kEventsRepeated(t *testing.T) {
	events, rounds := 100_000, 3
	if testing.Short() || raceEnabled {
		// the race detector slows decoding tenfold: keep the package fast
		events, rounds = 10_000, 2
	}
	body := manyChunks(t, events)
	reqBody := bytes.Repeat([]byte("x"), 256<<10)
	for _, h2c := range []bool{false, true} {
		srv, hc := loopbackStreamServer(t, body, h2c)
		c := newTestClient(t, srv.URL, hc)
		for round := range rounds {
			s, err := c.InvokeModelWithResponseStream(t.Context(), &InvokeModelInput{ModelID: "m", Body: reqBody})
			if err != nil {
				t.Fatalf("h2c=%v round %d: %v", h2c, round, err)
			}
			n := 0
			var last []byte
			for s.Next() {
				n++
				last = s.Event().Bytes
			}
			if err := s.Err(); err != nil {
				t.Fatalf("h2c=%v round %d: after %d events: %v", h2c, round, n, err)
			}
			s.Close()
			if n != events || !strings.Contains(string(last), fmt.Sprintf(`"token %d"`, events-1)) {
				t.Fatalf("h2c=%v round %d: %d events, last %q", h2c, round, n, last)
			}
		}
	}
}

// BenchmarkInvokeModelWithResponseStream consumes 10,000 chunk events from a
// loopback httptest server per operation and reports events/s and
// allocations per event (process-wide, server included).
func BenchmarkInvokeModelWithResponseStream(b *testing.B) {
	for _, h2c := range []bool{false, true} {
		name := "http1"
		if h2c {
			name = "h2c"
		}
		b.Run(name, func(b *testing.B) {
			const events = 10_000
			body := manyChunks(b, events)
			srv, hc := loopbackStreamServer(b, body, h2c)
			c := newTestClient(b, srv.URL, hc)
			in := &InvokeModelInput{ModelID: "anthropic.claude-3-5-haiku-20241022-v1:0", Body: []byte(claudeBody)}
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			var ms0, ms1 runtime.MemStats
			runtime.ReadMemStats(&ms0)
			b.ResetTimer()
			for b.Loop() {
				s, err := c.InvokeModelWithResponseStream(b.Context(), in)
				if err != nil {
					b.Fatal(err)
				}
				n := 0
				for s.Next() {
					n++
				}
				if s.Err() != nil || n != events {
					b.Fatalf("%d events, %v", n, s.Err())
				}
				s.Close()
			}
			b.StopTimer()
			runtime.ReadMemStats(&ms1)
			total := float64(b.N) * events
			b.ReportMetric(total/b.Elapsed().Seconds(), "events/s")
			b.ReportMetric(float64(ms1.Mallocs-ms0.Mallocs)/total, "allocs/event")
		})
	}
}
