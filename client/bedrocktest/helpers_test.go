package bedrocktest

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bedrockwire/bedrockwire/eventstream"
	"github.com/bedrockwire/bedrockwire/sigv4"
	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// testTime is the emulator's clock and the signing time in tests.
var testTime = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// newServer starts an emulator with a fixed clock and closes it at the end
// of the test.
func newServer(t testing.TB, opts *Options) *Server {
	t.Helper()
	return newServerWith(t, opts, nil)
}

// newServerWith is newServer calling setup on the unstarted server.
func newServerWith(t testing.TB, opts *Options, setup func(*Server)) *Server {
	t.Helper()
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.Clock == nil {
		o.Clock = func() time.Time { return testTime }
	}
	s := NewUnstartedServer(&o)
	if setup != nil {
		setup(s)
	}
	s.Start()
	t.Cleanup(s.Close)
	return s
}

// signer is shared by the tests, as a client would share one.
var signer sigv4.Signer

// req builds a request to the emulator. path is the escaped path, with an
// optional query.
func req(t testing.TB, s *Server, method, path string, body []byte) *http.Request {
	t.Helper()
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	hr, err := http.NewRequest(method, s.URL+path, r)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		hr.Header.Set("Content-Type", "application/json")
	}
	return hr
}

// sign signs r with creds at testTime for the emulator's region.
func sign(t testing.TB, r *http.Request, creds sigv4.Credentials) *http.Request {
	t.Helper()
	if err := signer.SignHTTP(r, creds, DefaultRegion, "bedrock", testTime, ""); err != nil {
		t.Fatal(err)
	}
	return r
}

// do sends r with the server's client and returns the status, headers and
// body.
func do(t testing.TB, s *Server, r *http.Request) (*http.Response, []byte) {
	t.Helper()
	resp, err := s.Client().Do(r)
	if err != nil {
		t.Fatalf("%s %s: %v", r.Method, r.URL, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading body: %v", r.Method, r.URL, err)
	}
	return resp, b
}

// send signs and sends a JSON request and returns status and body.
func send(t testing.TB, s *Server, method, path, body string) (*http.Response, []byte) {
	t.Helper()
	var b []byte
	if body != "" || method == http.MethodPost {
		b = []byte(body)
	}
	return do(t, s, sign(t, req(t, s, method, path, b), DefaultCredentials))
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t testing.TB, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", name, diff)
	}
}

// streamEvents decodes an event-stream body into one line per message:
// the message kind and type, then the payload ("bytes" of chunk events
// decoded).
func streamEvents(t testing.TB, body []byte) []string {
	t.Helper()
	var out []string
	d := eventstream.NewDecoder(bytes.NewReader(body))
	for {
		m, err := d.Decode()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("decoding stream: %v", err)
		}
		name := m.EventType()
		if m.Type() == eventstream.ExceptionMessage {
			name = m.ExceptionType()
		}
		if m.Type() == eventstream.ErrorMessage {
			name = m.ErrorCode()
		}
		payload := m.Payload
		if name == "chunk" {
			var part struct {
				Bytes []byte `json:"bytes"`
			}
			if err := json.Unmarshal(payload, &part); err != nil {
				t.Fatalf("chunk payload %s: %v", payload, err)
			}
			payload = part.Bytes
		}
		out = append(out, m.Type().String()+" "+name+" "+string(payload))
	}
}

// recordedSleeps replaces the server's sleep with one that records the
// durations and returns at once. Call it before the server starts.
func recordedSleeps(s *Server) func() []time.Duration {
	var mu sync.Mutex
	var got []time.Duration
	s.sleep = func(ctx context.Context, d time.Duration) error {
		mu.Lock()
		got = append(got, d)
		mu.Unlock()
		return ctx.Err()
	}
	return func() []time.Duration {
		mu.Lock()
		defer mu.Unlock()
		return append([]time.Duration(nil), got...)
	}
}

// errorOf decodes an error answer into status, type and message.
func errorOf(t testing.TB, resp *http.Response, body []byte) (int, string, string) {
	t.Helper()
	typ, _, _ := strings.Cut(resp.Header.Get("X-Amzn-Errortype"), ":")
	var m struct {
		Message  string `json:"message"`
		MessageU string `json:"Message"`
	}
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("error body %q: %v", body, err)
	}
	if m.Message == "" {
		m.Message = m.MessageU
	}
	return resp.StatusCode, typ, m.Message
}

// fmtAll prints v with every verb a log line might use.
func fmtAll(v any) string {
	return fmt.Sprintf("%v %+v %#v %s", v, v, v, v)
}
