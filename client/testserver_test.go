package client

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bedrockwire/bedrockwire/eventstream"
	"github.com/google/go-cmp/cmp"
)

// Golden files are rewritten with UPDATE_GOLDEN=1 go test ./client.
var updateGolden = os.Getenv("UPDATE_GOLDEN") != ""

// testTime is the fixed clock of test clients.
var testTime = time.Date(2026, 7, 31, 12, 0, 0, 0, time.UTC)

// testClient is a client wired for tests: it answers from url, sleeps
// without waiting (recording each wait), and draws jitter 0.5.
type testClient struct {
	*Client
	mu    sync.Mutex
	waits []time.Duration
	clock time.Time // advanced by each sleep
}

func newTestClient(t testing.TB, url string, httpClient *http.Client, mods ...func(*Options)) *testClient {
	t.Helper()
	o := Options{Region: "us-east-1", Endpoint: url, BearerToken: "test-token", HTTPClient: httpClient}
	for _, m := range mods {
		m(&o)
	}
	c, err := New(o)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	tc := &testClient{Client: c, clock: testTime}
	c.now = func() time.Time {
		tc.mu.Lock()
		defer tc.mu.Unlock()
		return tc.clock
	}
	c.rand = func() float64 { return 0.5 }
	c.sleep = func(ctx context.Context, d time.Duration) error {
		tc.mu.Lock()
		tc.waits = append(tc.waits, d)
		tc.clock = tc.clock.Add(d)
		tc.mu.Unlock()
		return ctx.Err()
	}
	return tc
}

func (tc *testClient) recordedWaits() []time.Duration {
	tc.mu.Lock()
	defer tc.mu.Unlock()
	return append([]time.Duration(nil), tc.waits...)
}

// recordedRequest is what a test server saw of one request.
type recordedRequest struct {
	Method     string
	RequestURI string
	Header     http.Header
	Body       []byte
}

// volatileHeaders vary with the Go version or the transport and are left
// out of golden requests.
var volatileHeaders = map[string]bool{
	"User-Agent":      true,
	"Accept-Encoding": true,
	"Content-Length":  true,
}

// dump renders a request as golden text: the request line, the sorted
// headers (without volatile ones), a blank line and the body.
func (r recordedRequest) dump() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s\n", r.Method, r.RequestURI)
	names := make([]string, 0, len(r.Header))
	for k := range r.Header {
		if !volatileHeaders[k] {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	for _, k := range names {
		for _, v := range r.Header[k] {
			fmt.Fprintf(&b, "%s: %s\n", k, v)
		}
	}
	b.WriteString("\n")
	b.Write(r.Body)
	return b.String()
}

// recorder is an http.Handler that records requests and answers each with
// the next of its responders (the last one repeats).
type recorder struct {
	mu         sync.Mutex
	requests   []recordedRequest
	responders []http.HandlerFunc
}

func (rec *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var body bytes.Buffer
	body.ReadFrom(r.Body)
	rec.mu.Lock()
	n := len(rec.requests)
	rec.requests = append(rec.requests, recordedRequest{r.Method, r.RequestURI, r.Header.Clone(), body.Bytes()})
	h := rec.responders[min(n, len(rec.responders)-1)]
	rec.mu.Unlock()
	h(w, r)
}

func (rec *recorder) recorded() []recordedRequest {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]recordedRequest(nil), rec.requests...)
}

// newRecorder starts a loopback server answering with responders in turn.
func newRecorder(t testing.TB, responders ...http.HandlerFunc) (*recorder, *httptest.Server) {
	rec := &recorder{responders: responders}
	srv := httptest.NewServer(rec)
	t.Cleanup(srv.Close)
	return rec, srv
}

// respond answers with a status, headers (name, value pairs) and a body.
func respond(status int, body string, header ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i+1 < len(header); i += 2 {
			w.Header().Set(header[i], header[i+1])
		}
		w.WriteHeader(status)
		w.Write([]byte(body))
	}
}

// checkGolden compares got with testdata/<name>, or rewrites the file when
// UPDATE_GOLDEN is set.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if updateGolden {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading golden file (UPDATE_GOLDEN=1 writes it): %v", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", path, diff)
	}
}

// readTestdata returns the contents of testdata/<name>.
func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// encodeMessages returns the wire form of msgs.
func encodeMessages(t testing.TB, msgs ...*eventstream.Message) []byte {
	t.Helper()
	var out []byte
	for _, m := range msgs {
		var err error
		out, err = eventstream.AppendMessage(out, m)
		if err != nil {
			t.Fatalf("AppendMessage: %v", err)
		}
	}
	return out
}

// chunkMessage is a "chunk" event carrying b, padded as Bedrock pads.
func chunkMessage(b []byte, pad string) *eventstream.Message {
	payload, _ := json.Marshal(struct {
		Bytes string `json:"bytes"`
		P     string `json:"p,omitempty"`
	}{base64.StdEncoding.EncodeToString(b), pad})
	return eventstream.NewEvent("chunk", "application/json", payload)
}

// streamResponder answers 200 with an event-stream body.
func streamResponder(body []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", eventStreamContentType)
		w.Header().Set("X-Amzn-Requestid", "stream-req-1")
		w.Header().Set("X-Amzn-Bedrock-Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		w.Write(body)
	}
}

// memTransport is an http.RoundTripper that answers from memory: unit
// tests that need a fixed host, and benchmarks that leave the network out.
type memTransport struct {
	mu       sync.Mutex
	requests []recordedRequest
	// respond builds each response; nil answers 200 with "{}".
	respond func(req *http.Request) *http.Response
	// record keeps the requests (benchmarks turn it off).
	record bool
}

func (m *memTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		if m.record {
			var body bytes.Buffer
			body.ReadFrom(req.Body)
			m.mu.Lock()
			m.requests = append(m.requests, recordedRequest{req.Method, req.URL.RequestURI(), req.Header.Clone(), body.Bytes()})
			m.mu.Unlock()
		}
		req.Body.Close()
	}
	if m.respond != nil {
		return m.respond(req), nil
	}
	return &http.Response{
		StatusCode: 200,
		Header:     http.Header{"Content-Type": {"application/json"}},
		Body:       http.NoBody,
		Request:    req,
	}, nil
}

// discardLogger silences a test server's error log.
func discardLogger() *log.Logger { return log.New(io.Discard, "", 0) }

func contextWithCancel(t testing.TB) (context.Context, context.CancelFunc) {
	return context.WithCancel(t.Context())
}
