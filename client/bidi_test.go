package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bedrockwire/bedrockwire/sigv4"
	"github.com/google/go-cmp/cmp"
)

const sonicModel = "amazon.nova-2-sonic-v1:0"

// openBidi opens a stream on c or fails the test.
func openBidi(t *testing.T, ctx context.Context, c *testClient, opts ...BidiOption) *BidiStream {
	t.Helper()
	s, err := c.InvokeModelWithBidirectionalStream(ctx, sonicModel, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// drain reads the stream to its end and returns the events.
func drain(s *BidiStream) []string {
	var out []string
	for s.Next() {
		out = append(out, string(s.Event()))
	}
	return out
}

func ev(i int) string { return fmt.Sprintf(`{"event":{"n":%d}}`, i) }

// TestBidiEndToEnd: the server checks the request signature and each
// frame's chained signature, holds its headers until the first event, echoes
// the events, sends two more after the end frame and then an exception.
func TestBidiEndToEnd(t *testing.T) {
	bs := newBidiServer(t, func(bc *bidiConn) {
		echo(`{"event":{"after":1}}`, `{"event":{"after":2}}`)(bc)
		bc.exception("modelStreamErrorException", "model fell over")
	})
	base := runningGoroutines()
	c := bs.client(t)
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	s := openBidi(t, ctx, c)
	for i := range 3 {
		if err := s.Send(ctx, []byte(ev(i))); err != nil {
			t.Fatalf("Send %d: %v", i, err)
		}
	}
	if err := s.CloseSend(); err != nil {
		t.Fatalf("CloseSend: %v", err)
	}
	got := drain(s)
	want := []string{`{"echo":` + ev(0) + `}`, `{"echo":` + ev(1) + `}`, `{"echo":` + ev(2) + `}`,
		`{"event":{"after":1}}`, `{"event":{"after":2}}`}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	var e *Error
	if !errors.As(s.Err(), &e) || e.Code != "ModelStreamErrorException" || !e.InStream || e.Message != "model fell over" || e.RequestID != "bidi-request-1" {
		t.Errorf("Err = %#v, want in-stream ModelStreamErrorException", s.Err())
	}
	if err := s.Send(ctx, []byte(ev(9))); err == nil {
		t.Error("Send after the stream ended: nil error")
	}
	if r := bs.refusals(); len(r) > 0 {
		t.Errorf("server refused: %q", r)
	}
	bc := bs.conn(0)
	if diff := cmp.Diff([]string{ev(0), ev(1), ev(2)}, bc.received()); diff != "" {
		t.Errorf("server received (-want +got):\n%s", diff)
	}
	if frames, ended := bc.counts(); frames != 4 || !ended {
		t.Errorf("server verified %d frames (ended %v), want 4 and the end frame", frames, ended)
	}
	if want := "/model/amazon.nova-2-sonic-v1%3A0/invoke-with-bidirectional-stream"; bc.RequestURI != want {
		t.Errorf("request URI %q, want %q", bc.RequestURI, want)
	}
	s.Close()
	goroutinesSettle(t, base, bs.tr)
}

// TestBidiBadFrameSignature: a chain broken before frame 3 is caught by the
// server on frame 3, which ends the stream; the client sees the error and
// Send fails from then on.
func TestBidiBadFrameSignature(t *testing.T) {
	bs := newBidiServer(t, echo())
	base := runningGoroutines()
	c := bs.client(t)
	ctx := t.Context()
	s := openBidi(t, ctx, c)
	defer s.Close()
	for i := range 2 {
		if err := s.Send(ctx, []byte(ev(i))); err != nil {
			t.Fatal(err)
		}
	}
	s.fs.prev[0] ^= 1 // corrupt the chain: frame 3 is signed from a wrong signature
	if err := s.Send(ctx, []byte(ev(2))); err != nil {
		t.Fatal(err)
	}
	got := drain(s)
	if diff := cmp.Diff([]string{`{"echo":` + ev(0) + `}`, `{"echo":` + ev(1) + `}`}, got); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	var e *Error
	if !errors.As(s.Err(), &e) || e.Code != "InvalidSignatureException" || !strings.Contains(e.Message, "frame 3") {
		t.Errorf("Err = %v, want InvalidSignatureException naming frame 3", s.Err())
	}
	if r := bs.refusals(); len(r) != 1 || !strings.HasPrefix(r[0], "frame 3: signature does not match") {
		t.Errorf("server refusals %q, want frame 3", r)
	}
	if err := s.Send(ctx, []byte(ev(3))); !errors.As(err, &e) {
		t.Errorf("Send after the refusal = %v, want the *Error", err)
	}
	s.Close()
	goroutinesSettle(t, base, bs.tr)
}

// TestBidiBadRequestSignature: a request signed with the wrong secret is
// refused with HTTP 403 before any event is answered.
func TestBidiBadRequestSignature(t *testing.T) {
	bs := newBidiServer(t, echo())
	c := newTestClient(t, bs.srv.URL, &http.Client{Transport: bs.tr}, func(o *Options) {
		o.BearerToken = ""
		o.Credentials = sigv4.StaticCredentials{AccessKeyID: bidiCreds.AccessKeyID, SecretAccessKey: "wrong"}
	})
	s := openBidi(t, t.Context(), c)
	defer s.Close()
	s.Send(t.Context(), []byte(ev(0))) // may fail once the 403 is in
	if s.Next() {
		t.Fatal("Next: true")
	}
	var e *Error
	if !errors.As(s.Err(), &e) || e.StatusCode != 403 || e.Code != "InvalidSignatureException" {
		t.Errorf("Err = %v, want 403 InvalidSignatureException", s.Err())
	}
}

// TestBidiNeedsSigV4: a bearer-token client is refused at once.
func TestBidiNeedsSigV4(t *testing.T) {
	c := newTestClient(t, "https://bedrock-runtime.us-east-1.amazonaws.com", nil)
	_, err := c.InvokeModelWithBidirectionalStream(t.Context(), sonicModel)
	if err == nil || !strings.Contains(err.Error(), "needs SigV4 credentials") || !strings.Contains(err.Error(), "bearer token") {
		t.Errorf("err = %v, want the SigV4 explanation", err)
	}
	if err != nil && strings.Contains(err.Error(), "test-token") {
		t.Errorf("error reveals the token: %v", err)
	}
}

// roundTripFunc is an http.RoundTripper the transport check cannot inspect.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestBidiRefusesHTTP1: a transport that cannot speak h2c to an http://
// endpoint is refused before anything is sent; a response that arrives over
// HTTP/1.1 anyway ends the stream with a clear error.
func TestBidiRefusesHTTP1(t *testing.T) {
	bs := newBidiServer(t, echo())
	for name, tr := range map[string]*http.Transport{
		"default": {},
		"h1 and h2c": {Protocols: func() *http.Protocols {
			p := new(http.Protocols)
			p.SetHTTP1(true)
			p.SetUnencryptedHTTP2(true)
			return p
		}()},
	} {
		c := newTestClient(t, bs.srv.URL, &http.Client{Transport: tr}, func(o *Options) {
			o.BearerToken = ""
			o.Credentials = sigv4.StaticCredentials(bidiCreds)
		})
		_, err := c.InvokeModelWithBidirectionalStream(t.Context(), sonicModel)
		if err == nil || !strings.Contains(err.Error(), "needs HTTP/2") {
			t.Errorf("%s transport: err = %v, want the HTTP/2 explanation", name, err)
		}
	}
	h1 := &http.Transport{}
	t.Cleanup(h1.CloseIdleConnections)
	c := newTestClient(t, bs.srv.URL, &http.Client{Transport: roundTripFunc(h1.RoundTrip)}, func(o *Options) {
		o.BearerToken = ""
		o.Credentials = sigv4.StaticCredentials(bidiCreds)
	})
	s := openBidi(t, t.Context(), c)
	defer s.Close()
	if s.Next() {
		t.Fatal("Next over HTTP/1.1: true")
	}
	if err := s.Err(); err == nil || !strings.Contains(err.Error(), "HTTP/1.1") || !strings.Contains(err.Error(), "needs HTTP/2") {
		t.Errorf("Err = %v, want the HTTP/1.1 refusal", err)
	}
	if err := s.Send(t.Context(), []byte(ev(0))); err == nil {
		t.Error("Send after the refusal: nil error")
	}
}

// TestBidiSendWhileReceiving: four goroutines send concurrently while the
// main goroutine receives the echoes; the server verifies the whole chain,
// so the frames went out whole and in signing order.
func TestBidiSendWhileReceiving(t *testing.T) {
	bs := newBidiServer(t, echo(`{"event":{"bye":true}}`))
	base := runningGoroutines()
	c := bs.client(t)
	ctx := t.Context()
	s := openBidi(t, ctx, c)
	defer s.Close()
	const senders, each = 4, 50
	var wg sync.WaitGroup
	errs := make(chan error, senders)
	for g := range senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				if err := s.Send(ctx, []byte(ev(g*1000+i))); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	go func() {
		wg.Wait()
		if err := s.CloseSend(); err != nil {
			errs <- err
		}
		close(errs)
	}()
	got := drain(s)
	for err := range errs {
		t.Errorf("send: %v", err)
	}
	if err := s.Err(); err != nil {
		t.Fatalf("Err = %v", err)
	}
	if len(got) != senders*each+1 || got[len(got)-1] != `{"event":{"bye":true}}` {
		t.Errorf("received %d events, want %d echoes and the goodbye", len(got), senders*each)
	}
	if r := bs.refusals(); len(r) > 0 {
		t.Errorf("server refused: %q", r)
	}
	if frames, ended := bs.conn(0).counts(); frames != senders*each+1 || !ended {
		t.Errorf("server verified %d frames, ended %v", frames, ended)
	}
	s.Close()
	goroutinesSettle(t, base, bs.tr)
}

// stallingServer reads the first frame, answers it, then reads nothing more
// until the client goes away, so that the connection fills up.
func stallingServer(t *testing.T) *bidiServer {
	return newBidiServer(t, func(bc *bidiConn) {
		if _, _, err := bc.next(); err != nil {
			bc.fail(err)
			return
		}
		bc.send(`{"event":{"first":true}}`)
		holdUntilGone(bc)
	})
}

// bigEvent is a model event of about 600 kB.
var bigEvent = []byte(`{"event":{"audioInput":{"content":"` + strings.Repeat("A", 600_000) + `"}}}`)

// TestBidiSendBlocksAndHonoursContext: when the server stops reading, Send
// blocks under flow control and returns when its context ends; a frame cut
// in the middle ends the stream, in both directions.
func TestBidiSendBlocksAndHonoursContext(t *testing.T) {
	bs := stallingServer(t)
	base := runningGoroutines()
	c := bs.client(t)
	s := openBidi(t, t.Context(), c)
	defer s.Close()
	if err := s.Send(t.Context(), []byte(ev(0))); err != nil {
		t.Fatal(err)
	}
	if !s.Next() {
		t.Fatalf("Next: %v", s.Err())
	}
	var err error
	for i := 0; i < 100 && err == nil; i++ { // the windows hold a few MB at most
		ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
		err = s.Send(ctx, bigEvent)
		cancel()
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Send on a stalled connection = %v, want the context's deadline", err)
	}
	if strings.Contains(err.Error(), "interrupted after") {
		// the frame was cut: the stream is over for both sides
		if s.Next() {
			t.Error("Next after a cut frame: true")
		}
		if s.Err() == nil || !strings.Contains(s.Err().Error(), "interrupted after") {
			t.Errorf("Err = %v, want the interrupted send", s.Err())
		}
		if err := s.Send(t.Context(), []byte(ev(1))); err == nil {
			t.Error("Send after a cut frame: nil error")
		}
	}
	s.Close()
	goroutinesSettle(t, base, bs.tr)
}

// TestBidiCloseUnblocks: Close from another goroutine ends a Send blocked
// on a stalled connection and a Next waiting for events.
func TestBidiCloseUnblocks(t *testing.T) {
	bs := stallingServer(t)
	base := runningGoroutines()
	c := bs.client(t)
	s := openBidi(t, t.Context(), c)
	if err := s.Send(t.Context(), []byte(ev(0))); err != nil {
		t.Fatal(err)
	}
	if !s.Next() {
		t.Fatalf("Next: %v", s.Err())
	}
	sendErr := make(chan error, 1)
	go func() {
		for {
			if err := s.Send(context.Background(), bigEvent); err != nil {
				sendErr <- err
				return
			}
		}
	}()
	nextDone := make(chan bool, 1)
	go func() { nextDone <- s.Next() }()
	time.Sleep(20 * time.Millisecond) // let both block; the test holds either way
	s.Close()
	select {
	case err := <-sendErr:
		if !errors.Is(err, ErrStreamClosed) {
			t.Errorf("blocked Send after Close = %v, want ErrStreamClosed", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Send still blocked 5s after Close")
	}
	select {
	case ok := <-nextDone:
		if ok {
			t.Error("Next after Close: true")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Next still blocked 5s after Close")
	}
	if err := s.Err(); err != nil {
		t.Errorf("Err after Close = %v, want nil", err)
	}
	if err := s.CloseSend(); !errors.Is(err, ErrStreamClosed) {
		t.Errorf("CloseSend after Close = %v, want ErrStreamClosed", err)
	}
	goroutinesSettle(t, base, bs.tr)
}

// TestBidiCancelContext: cancelling the stream's context ends Next with
// the context's error and makes Send fail.
func TestBidiCancelContext(t *testing.T) {
	bs := stallingServer(t)
	base := runningGoroutines()
	c := bs.client(t)
	ctx, cancel := context.WithCancel(t.Context())
	s := openBidi(t, ctx, c)
	defer s.Close()
	if err := s.Send(ctx, []byte(ev(0))); err != nil {
		t.Fatal(err)
	}
	if !s.Next() {
		t.Fatalf("Next: %v", s.Err())
	}
	go func() { time.Sleep(10 * time.Millisecond); cancel() }()
	if s.Next() {
		t.Fatal("Next after cancel: true")
	}
	if !errors.Is(s.Err(), context.Canceled) {
		t.Errorf("Err = %v, want context.Canceled", s.Err())
	}
	if err := s.Send(context.Background(), []byte(ev(1))); !errors.Is(err, context.Canceled) {
		t.Errorf("Send after cancel = %v, want context.Canceled", err)
	}
	s.Close()
	goroutinesSettle(t, base, bs.tr)
}

// TestBidiServerReset: a stream the server resets mid-way ends with an
// error on the receiving side and on the sending side.
func TestBidiServerReset(t *testing.T) {
	bs := newBidiServer(t, func(bc *bidiConn) {
		if _, _, err := bc.next(); err != nil {
			bc.fail(err)
			return
		}
		bc.send(`{"event":{"first":true}}`)
		panic(http.ErrAbortHandler) // RST_STREAM
	})
	base := runningGoroutines()
	c := bs.client(t)
	s := openBidi(t, t.Context(), c)
	defer s.Close()
	if err := s.Send(t.Context(), []byte(ev(0))); err != nil {
		t.Fatal(err)
	}
	got := drain(s)
	if diff := cmp.Diff([]string{`{"event":{"first":true}}`}, got); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	if s.Err() == nil {
		t.Fatal("Err after a reset: nil")
	}
	if errors.Is(s.Err(), ErrSessionExpired) {
		t.Errorf("Err = %v, not a session expiry", s.Err())
	}
	if err := s.Send(t.Context(), []byte(ev(1))); err == nil {
		t.Error("Send after a reset: nil error")
	}
	s.Close()
	goroutinesSettle(t, base, bs.tr)
}

// TestBidiCloseSendThenDrain: after CloseSend the input is closed (Send
// refuses, CloseSend again does nothing) and the events the server sends
// afterwards all arrive, then a clean end.
func TestBidiCloseSendThenDrain(t *testing.T) {
	var after []string
	for i := range 20 {
		after = append(after, fmt.Sprintf(`{"event":{"tail":%d}}`, i))
	}
	bs := newBidiServer(t, echo(after...))
	base := runningGoroutines()
	c := bs.client(t)
	s := openBidi(t, t.Context(), c)
	if err := s.Send(t.Context(), []byte(ev(0))); err != nil {
		t.Fatal(err)
	}
	if err := s.CloseSend(); err != nil {
		t.Fatal(err)
	}
	if err := s.CloseSend(); err != nil {
		t.Errorf("second CloseSend = %v", err)
	}
	if err := s.Send(t.Context(), []byte(ev(1))); !errors.Is(err, ErrSendClosed) {
		t.Errorf("Send after CloseSend = %v, want ErrSendClosed", err)
	}
	var got []string
	for e, err := range s.All() {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, string(e))
	}
	want := append([]string{`{"echo":` + ev(0) + `}`}, after...)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	if frames, ended := bs.conn(0).counts(); frames != 2 || !ended {
		t.Errorf("server verified %d frames, ended %v; want 2 with the end frame", frames, ended)
	}
	goroutinesSettle(t, base, bs.tr)
}

// TestBidiFirstByteTimeout: a server that reads the input but never
// answers ends the stream with ErrFirstByteTimeout.
func TestBidiFirstByteTimeout(t *testing.T) {
	bs := newBidiServer(t, func(bc *bidiConn) {
		bc.next()
		holdUntilGone(bc)
	})
	base := runningGoroutines()
	c := bs.client(t)
	s := openBidi(t, t.Context(), c, WithFirstByteTimeout(50*time.Millisecond))
	defer s.Close()
	if err := s.Send(t.Context(), []byte(ev(0))); err != nil {
		t.Fatal(err)
	}
	if s.Next() {
		t.Fatal("Next: true")
	}
	if !errors.Is(s.Err(), ErrFirstByteTimeout) {
		t.Errorf("Err = %v, want ErrFirstByteTimeout", s.Err())
	}
	if err := s.Send(t.Context(), []byte(ev(1))); !errors.Is(err, ErrFirstByteTimeout) {
		t.Errorf("Send after the timeout = %v, want ErrFirstByteTimeout", err)
	}
	s.Close()
	goroutinesSettle(t, base, bs.tr)
}

// TestBidiIdleTimeout: a server that falls silent after two events ends
// the stream with ErrIdleTimeout; a consumer that is slow between Next calls
// does not trip it, because the timer runs only while Next waits. The
// timer is a fake, fired by the test, so no scheduling delay can trip it.
func TestBidiIdleTimeout(t *testing.T) {
	bs := newBidiServer(t, func(bc *bidiConn) {
		bc.next()
		bc.send(`{"event":{"one":1}}`)
		bc.send(`{"event":{"two":2}}`)
		holdUntilGone(bc)
	})
	base := runningGoroutines()
	c := bs.client(t)
	timer := &fakeTimer{armed: make(chan struct{}, 1)}
	c.afterFunc = func(d time.Duration, f func()) stopTimer {
		timer.mu.Lock()
		defer timer.mu.Unlock()
		timer.d, timer.f, timer.running = d, f, true // running, as time.AfterFunc's is
		return timer
	}
	s := openBidi(t, t.Context(), c, WithIdleTimeout(100*time.Millisecond))
	defer s.Close()
	if timer.isRunning() {
		t.Error("idle timer runs after open, before any Next")
	}
	if err := s.Send(t.Context(), []byte(ev(0))); err != nil {
		t.Fatal(err)
	}
	if !s.Next() {
		t.Fatalf("Next: %v", s.Err())
	}
	if timer.isRunning() {
		t.Error("idle timer runs between Next calls: a slow consumer would trip it")
	}
	if timer.fire() {
		t.Error("a stopped idle timer fired") // the fake's own check
	}
	if !s.Next() {
		t.Fatalf("second Next after a slow consumer: %v", s.Err())
	}
	for len(timer.armed) > 0 {
		<-timer.armed
	}
	third := make(chan bool)
	go func() { third <- s.Next() }()
	<-timer.armed // the third Next waits for an event that does not come
	if !timer.fire() {
		t.Fatal("idle timer not running while Next waits")
	}
	if <-third {
		t.Fatal("third Next: true")
	}
	if !errors.Is(s.Err(), ErrIdleTimeout) || !strings.Contains(s.Err().Error(), "(100ms)") {
		t.Errorf("Err = %v, want ErrIdleTimeout naming 100ms", s.Err())
	}
	if timer.d != 100*time.Millisecond {
		t.Errorf("idle timer made for %v, want 100ms", timer.d)
	}
	s.Close()
	goroutinesSettle(t, base, bs.tr)
}

// fakeTimer stands in for the *time.Timer of time.AfterFunc: Reset starts
// it (and signals on armed), Stop stops it, fire runs f if it is running.
type fakeTimer struct {
	mu      sync.Mutex
	d       time.Duration
	f       func()
	running bool
	armed   chan struct{}
}

func (ft *fakeTimer) Stop() bool {
	ft.mu.Lock()
	defer ft.mu.Unlock()
	was := ft.running
	ft.running = false
	return was
}

func (ft *fakeTimer) Reset(d time.Duration) bool {
	ft.mu.Lock()
	was := ft.running
	ft.running, ft.d = true, d
	ft.mu.Unlock()
	select {
	case ft.armed <- struct{}{}:
	default:
	}
	return was
}

func (ft *fakeTimer) isRunning() bool {
	ft.mu.Lock()
	defer ft.mu.Unlock()
	return ft.running
}

// fire runs the timer's function, as its expiry would, if it is running.
func (ft *fakeTimer) fire() bool {
	ft.mu.Lock()
	was, f := ft.running, ft.f
	ft.running = false
	ft.mu.Unlock()
	if was {
		f()
	}
	return was
}

// TestBidiSessionExpired: a stream the service ends at the 8-minute limit
// (a ModelTimeoutException) is reported as ErrSessionExpired, still
// matching the *Error; the same exception early is not.
func TestBidiSessionExpired(t *testing.T) {
	for _, tc := range []struct {
		elapsed time.Duration
		expired bool
	}{{8*time.Minute + time.Second, true}, {time.Minute, false}} {
		release := make(chan struct{})
		bs := newBidiServer(t, func(bc *bidiConn) {
			bc.next()
			bc.send(`{"event":{"one":1}}`)
			<-release
			bc.exception("modelTimeoutException", "Model has timed out in processing the request. Try your request again.")
		})
		c := bs.client(t)
		s := openBidi(t, t.Context(), c)
		if err := s.Send(t.Context(), []byte(ev(0))); err != nil {
			t.Fatal(err)
		}
		if !s.Next() {
			t.Fatalf("Next: %v", s.Err())
		}
		c.mu.Lock()
		c.clock = c.clock.Add(tc.elapsed)
		c.mu.Unlock()
		close(release)
		if s.Next() {
			t.Fatal("second Next: true")
		}
		err := s.Err()
		if errors.Is(err, ErrSessionExpired) != tc.expired || !IsModelTimeout(err) {
			t.Errorf("after %s: Err = %v, want expired %v and a ModelTimeoutException", tc.elapsed, err, tc.expired)
		}
		s.Close()
	}
}

// TestBidiSendRefusesOversizedEvent: an event over the service's limit is
// refused before anything is sent, and the stream goes on.
func TestBidiSendRefusesOversizedEvent(t *testing.T) {
	bs := newBidiServer(t, echo())
	c := bs.client(t)
	s := openBidi(t, t.Context(), c)
	defer s.Close()
	if err := s.Send(t.Context(), make([]byte, MaxBidiEventBytes+1)); err == nil || !strings.Contains(err.Error(), "1000001 bytes") {
		t.Errorf("Send of an oversized event = %v", err)
	}
	if err := s.Send(t.Context(), []byte(ev(0))); err != nil {
		t.Fatal(err)
	}
	if !s.Next() || string(s.Event()) != `{"echo":`+ev(0)+`}` {
		t.Errorf("Next after the refused event: %q, %v", s.Event(), s.Err())
	}
}

// TestBidiInvalidArguments: empty model IDs and negative timeouts.
func TestBidiInvalidArguments(t *testing.T) {
	bs := newBidiServer(t, echo())
	c := bs.client(t)
	if _, err := c.InvokeModelWithBidirectionalStream(t.Context(), " "); err == nil {
		t.Error("empty model ID: nil error")
	}
	if _, err := c.InvokeModelWithBidirectionalStream(t.Context(), sonicModel, WithIdleTimeout(-1)); err == nil {
		t.Error("negative timeout: nil error")
	}
}

// TestBidiSendWaitsForTurnWithContext: a Send waiting for another, blocked
// Send gives up when its context ends, without touching the stream; Close
// ends the blocked one.
func TestBidiSendWaitsForTurnWithContext(t *testing.T) {
	c, err := New(Options{Region: "us-east-1", Credentials: sigv4.StaticCredentials(bidiCreds)})
	if err != nil {
		t.Fatal(err)
	}
	fs, err := newFrameSigner(&c.signer, bidiCreds, "us-east-1", SigningName, goldenSeed)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancelCause(context.Background())
	respDone := make(chan struct{})
	close(respDone)
	// nothing reads the body: the first Send blocks for good
	s := &BidiStream{c: c, ctx: ctx, cancel: cancel, stopAfter: func() bool { return true },
		sendSem: make(chan struct{}, 1), pipe: newFramePipe(), fs: fs, respDone: respDone}
	blocked := make(chan error, 1)
	go func() { blocked <- s.Send(context.Background(), []byte(ev(0))) }()
	for len(s.sendSem) == 0 { // until it holds the send side
		time.Sleep(time.Millisecond)
	}
	wctx, wcancel := context.WithTimeout(t.Context(), 20*time.Millisecond)
	defer wcancel()
	if err := s.Send(wctx, []byte(ev(1))); !errors.Is(err, context.DeadlineExceeded) || strings.Contains(err.Error(), "interrupted") {
		t.Errorf("waiting Send = %v, want its deadline, nothing sent", err)
	}
	select {
	case err := <-blocked:
		t.Fatalf("the blocked Send returned %v", err)
	default:
	}
	if s.pipe.closeErr() != nil {
		t.Fatal("the waiting Send broke the stream")
	}
	s.Close()
	if err := <-blocked; !errors.Is(err, ErrStreamClosed) {
		t.Errorf("blocked Send after Close = %v", err)
	}
}
