package bedrocktest

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/bedrockwire/bedrockwire/eventstream"
	"github.com/google/go-cmp/cmp"
)

const streamHello = `{"messages":[{"role":"user","content":[{"text":"one two three four"}]}]}`

func TestThrottle(t *testing.T) {
	s := newServer(t, nil)
	s.Throttle(2)
	for i, want := range []int{429, 429, 200} {
		resp, body := send(t, s, "POST", novaPath+"/converse", helloBody)
		if resp.StatusCode != want {
			t.Fatalf("call %d: status %d, want %d (%s)", i, resp.StatusCode, want, body)
		}
		if want == 429 {
			_, typ, msg := errorOf(t, resp, body)
			if typ != "ThrottlingException" || msg != "Too many requests, please wait before trying again." {
				t.Errorf("call %d: %s %q", i, typ, msg)
			}
		}
	}
}

func TestFailNext5xx(t *testing.T) {
	s := newServer(t, nil)
	s.FailNext(1, ServiceUnavailableError())
	s.FailNext(1, InternalServerError())
	for _, want := range []struct {
		status int
		typ    string
	}{{503, "ServiceUnavailableException"}, {500, "InternalServerException"}, {200, ""}} {
		resp, body := send(t, s, "POST", novaPath+"/converse", helloBody)
		if resp.StatusCode != want.status {
			t.Fatalf("status %d, want %d", resp.StatusCode, want.status)
		}
		if want.typ != "" {
			if _, typ, _ := errorOf(t, resp, body); typ != want.typ {
				t.Errorf("type %s, want %s", typ, want.typ)
			}
		}
	}
}

func TestFaultMatchesOperationAndModel(t *testing.T) {
	s := newServer(t, nil)
	s.Inject(Fault{Operation: OpConverseStream, ModelID: "amazon.nova-lite-v1:0", Error: ModelTimeoutError()})
	if resp, _ := send(t, s, "POST", novaPath+"/converse", helloBody); resp.StatusCode != 200 {
		t.Errorf("Converse hit a ConverseStream fault: %d", resp.StatusCode)
	}
	if resp, _ := send(t, s, "POST", claudePath+"/converse-stream", helloBody); resp.StatusCode != 200 {
		t.Errorf("another model hit the fault: %d", resp.StatusCode)
	}
	resp, body := send(t, s, "POST", novaPath+"/converse-stream", helloBody)
	if status, typ, _ := errorOf(t, resp, body); status != 408 || typ != "ModelTimeoutException" {
		t.Errorf("got %d %s", status, typ)
	}
	if resp, _ := send(t, s, "POST", novaPath+"/converse-stream", helloBody); resp.StatusCode != 200 {
		t.Errorf("fault not used up: %d", resp.StatusCode)
	}
}

func TestFaultAfterAuth(t *testing.T) {
	s := newServer(t, nil)
	s.Throttle(1)
	// An unauthenticated call is refused for its credentials and does not
	// use the fault up.
	resp, _ := do(t, s, req(t, s, "POST", novaPath+"/converse", []byte(helloBody)))
	if resp.StatusCode != 403 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if resp, _ := send(t, s, "POST", novaPath+"/converse", helloBody); resp.StatusCode != 429 {
		t.Fatalf("status %d, want 429", resp.StatusCode)
	}
}

func TestAbortBeforeHeaders(t *testing.T) {
	for _, tls := range []bool{false, true} {
		s := newServer(t, nil)
		if tls {
			s = NewUnstartedServer(&Options{Clock: func() time.Time { return testTime }})
			s.StartTLS()
			defer s.Close()
		}
		s.Inject(Fault{Abort: true})
		_, err := s.Client().Do(sign(t, req(t, s, "POST", novaPath+"/converse", []byte(helloBody)), DefaultCredentials))
		if err == nil {
			t.Fatalf("tls=%v: request succeeded despite Abort", tls)
		}
		rec, _ := s.LastRequest()
		if !rec.Aborted || rec.Status != 0 {
			t.Errorf("recorded Aborted=%v Status=%d", rec.Aborted, rec.Status)
		}
		// The server keeps serving.
		if resp, _ := send(t, s, "POST", novaPath+"/converse", helloBody); resp.StatusCode != 200 {
			t.Errorf("after abort: %d", resp.StatusCode)
		}
	}
}

// readStream reads a stream response fully and returns the decoded
// messages and the first error (of the body read or the decoder).
func readStream(t *testing.T, s *Server, path, body string) ([]string, error) {
	t.Helper()
	resp, err := s.Client().Do(sign(t, req(t, s, "POST", path, []byte(body)), DefaultCredentials))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("status %d: %s", resp.StatusCode, b)
	}
	d := eventstream.NewDecoder(resp.Body)
	var out []string
	for {
		m, err := d.Decode()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		name := m.EventType()
		if m.Type() == eventstream.ExceptionMessage {
			name = m.ExceptionType() + " " + string(m.Payload)
		}
		out = append(out, m.Type().String()+" "+name)
	}
}

func TestCutStream(t *testing.T) {
	for _, proto := range []string{"h2c", "http1"} {
		s := newServerWith(t, nil, func(s *Server) { s.EnableHTTP2 = proto == "h2c" })
		s.Inject(Fault{Operation: OpConverseStream, AfterEvents: 2, CutStream: true})
		got, err := readStream(t, s, novaPath+"/converse-stream", streamHello)
		if err == nil {
			t.Fatalf("%s: stream ended cleanly after %v", proto, got)
		}
		if len(got) != 2 {
			t.Errorf("%s: %d events before the cut, want 2: %v", proto, len(got), got)
		}
		var te *eventstream.TruncatedError
		if proto == "http1" && !errors.As(err, &te) && !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Logf("%s: error %v", proto, err) // a reset also counts; the point is: not a clean end
		}
		rec, _ := s.LastRequest()
		if !rec.Aborted || rec.Status != 200 {
			t.Errorf("%s: recorded Aborted=%v Status=%d", proto, rec.Aborted, rec.Status)
		}
	}
}

func TestExceptionAfterEvents(t *testing.T) {
	s := newServer(t, nil)
	s.Inject(Fault{AfterEvents: 3, Exception: ThrottlingError()})
	got, err := readStream(t, s, novaPath+"/converse-stream", streamHello)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"event messageStart", "event contentBlockDelta", "event contentBlockDelta",
		`exception throttlingException {"message":"Too many requests, please wait before trying again."}`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	rec, _ := s.LastRequest()
	if rec.Status != 200 || rec.ErrorType != "ThrottlingException" {
		t.Errorf("recorded %d %q", rec.Status, rec.ErrorType)
	}

	// A ModelStreamErrorException carries the model's status; with
	// AfterEvents past the end it comes instead of a clean end.
	s.Inject(Fault{AfterEvents: 1000, Exception: ModelStreamError(500, "boom")})
	got, err = readStream(t, s, modelPath("amazon.titan-text-express-v1")+"/invoke-with-response-stream", `{"inputText":"a b"}`)
	if err != nil {
		t.Fatal(err)
	}
	if last := got[len(got)-1]; last != `exception modelStreamErrorException {"message":"The model encountered an error while streaming the response.","originalStatusCode":500,"originalMessage":"boom"}` {
		t.Errorf("last message %q", last)
	}
}

func TestDelayAndPacing(t *testing.T) {
	var sleeps func() []time.Duration
	s := newServerWith(t, &Options{Latency: 10 * time.Millisecond, StreamPacing: 5 * time.Millisecond}, func(s *Server) {
		sleeps = recordedSleeps(s)
	})
	s.Inject(Fault{Delay: time.Second})
	if resp, _ := send(t, s, "POST", novaPath+"/converse", helloBody); resp.StatusCode != 200 {
		t.Fatal(resp.StatusCode)
	}
	if diff := cmp.Diff([]time.Duration{time.Second + 10*time.Millisecond}, sleeps()); diff != "" {
		t.Errorf("first-byte delay (-want +got):\n%s", diff)
	}
	got, err := readStream(t, s, novaPath+"/converse-stream", streamHello)
	if err != nil {
		t.Fatal(err)
	}
	want := []time.Duration{time.Second + 10*time.Millisecond, 10 * time.Millisecond}
	for range got[1:] {
		want = append(want, 5*time.Millisecond)
	}
	if diff := cmp.Diff(want, sleeps()); diff != "" {
		t.Errorf("pacing (-want +got):\n%s", diff)
	}
}

func TestPadding(t *testing.T) {
	for _, noPadding := range []bool{false, true} {
		s := newServer(t, &Options{NoPadding: noPadding})
		_, body := send(t, s, "POST", novaPath+"/converse-stream", streamHello)
		for _, line := range streamEvents(t, body) {
			if has := strings.Contains(line, `"p":"a`); has == noPadding {
				t.Errorf("NoPadding=%v: %s", noPadding, line)
			}
		}
	}
	if got := string(pad([]byte(`{}`), 0)); got != `{"p":"abcdef"}` {
		t.Errorf("pad({}) = %s", got)
	}
	if got := string(pad([]byte(`[1]`), 0)); got != `[1]` {
		t.Errorf("pad([1]) = %s", got)
	}
}

func TestScriptedReplies(t *testing.T) {
	s := newServer(t, nil)
	s.Script("amazon.nova-lite-v1:0",
		Reply{Content: []Block{Thinking("hmm"), Text("scripted one"), ToolCall("lookup", `{"q":"x"}`)}},
		Reply{Content: []Block{Text("scripted two")}, StopReason: "max_tokens", Usage: &Usage{InputTokens: 7, OutputTokens: 9, CacheReadInputTokens: 3}},
		Reply{Error: ModelNotReadyError()},
	)
	s.Script("", Reply{Content: []Block{Text("for anyone")}})

	_, body := send(t, s, "POST", novaPath+"/converse", helloBody)
	golden(t, "script_one.json", append(body, '\n'))
	_, body = send(t, s, "POST", novaPath+"/converse-stream", helloBody)
	golden(t, "script_two_stream.txt", []byte(strings.Join(streamEvents(t, body), "\n")+"\n"))
	resp, body := send(t, s, "POST", novaPath+"/converse", helloBody)
	if status, typ, _ := errorOf(t, resp, body); status != 429 || typ != "ModelNotReadyException" {
		t.Errorf("third reply: %d %s", status, typ)
	}
	_, body = send(t, s, "POST", claudePath+"/converse", helloBody)
	if !bytes.Contains(body, []byte(`"for anyone"`)) {
		t.Errorf("wildcard reply not used: %s", body)
	}
	_, body = send(t, s, "POST", novaPath+"/converse", helloBody)
	if !bytes.Contains(body, []byte(`"You said: Hello"`)) {
		t.Errorf("built-in model not back after the script: %s", body)
	}

	// Raw bodies and chunks for InvokeModel; a scripted ID the catalog
	// does not know is accepted.
	s.Script("my.custom-model", Reply{Body: []byte(`{"custom":true}`)}, Reply{Chunks: [][]byte{[]byte(`{"a":1}`), []byte(`{"b":2}`)}})
	_, body = send(t, s, "POST", "/model/my.custom-model/invoke", `{}`)
	if string(body) != `{"custom":true}` {
		t.Errorf("scripted body: %s", body)
	}
	_, body = send(t, s, "POST", "/model/my.custom-model/invoke-with-response-stream", `{}`)
	if diff := cmp.Diff([]string{`event chunk {"a":1}`, `event chunk {"b":2}`}, streamEvents(t, body)); diff != "" {
		t.Errorf("scripted chunks (-want +got):\n%s", diff)
	}
	s.ClearScripts()
	resp, _ = send(t, s, "POST", "/model/my.custom-model/invoke", `{}`)
	if resp.StatusCode != 400 {
		t.Errorf("unknown model after ClearScripts: %d", resp.StatusCode)
	}
}

func TestRecordedRequests(t *testing.T) {
	s := newServer(t, nil)
	send(t, s, "POST", novaPath+"/converse", helloBody)
	send(t, s, "GET", "/nope", "")
	got := s.Requests()
	if len(got) != 2 {
		t.Fatalf("%d requests recorded", len(got))
	}
	r := got[0]
	if r.Operation != OpConverse || r.ModelID != "amazon.nova-lite-v1:0" || r.Path != novaPath+"/converse" ||
		string(r.Body) != helloBody || r.Status != 200 || r.Proto != "HTTP/2.0" || r.ID != requestID(1) || !r.Time.Equal(testTime) {
		t.Errorf("recorded %+v", r)
	}
	if r.Header.Get("Authorization") == "" {
		t.Error("headers not recorded")
	}
	if got[1].Operation != "" || got[1].Status != 404 || got[1].ErrorType != "UnknownOperationException" {
		t.Errorf("unknown path recorded as %+v", got[1])
	}
	// Copies: changing them does not change the server's record.
	got[0].Header.Set("X", "y")
	if again, _ := s.LastRequest(); again.Header.Get("X") != "" {
		t.Error("LastRequest shares headers")
	}
	s.ResetRequests()
	if len(s.Requests()) != 0 {
		t.Error("ResetRequests kept requests")
	}
	if _, ok := s.LastRequest(); ok {
		t.Error("LastRequest after reset")
	}
}
