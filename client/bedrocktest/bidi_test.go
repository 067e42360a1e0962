package bedrocktest

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bedrockwire/bedrockwire/eventstream"
	"github.com/bedrockwire/bedrockwire/modelspec"
	"github.com/bedrockwire/bedrockwire/sigv4"
	"github.com/google/go-cmp/cmp"
)

const sonicPath = "/model/amazon.nova-sonic-v1%3A0/invoke-with-bidirectional-stream"

// bidiClient is a minimal client side of the bidirectional operation, for
// tests: it signs the request, then each frame, chained.
type bidiClient struct {
	t     *testing.T
	pw    *io.PipeWriter
	prev  []byte
	creds sigv4.Credentials
	at    time.Time
	resp  chan bidiResult
	// corrupt, when > 0, is the frame number (from 1) whose signature is
	// flipped.
	corrupt int
	n       int
}

type bidiResult struct {
	resp *http.Response
	err  error
}

func openBidi(t *testing.T, s *Server, path string, creds sigv4.Credentials, prepare func(*http.Request)) *bidiClient {
	t.Helper()
	pr, pw := io.Pipe()
	r, err := http.NewRequest("POST", s.URL+path, pr)
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("Content-Type", "application/vnd.amazon.eventstream")
	sg := sigv4.Signer{ContentSHA256Header: true}
	if err := sg.SignHTTP(r, creds, DefaultRegion, "bedrock", testTime, sigv4.StreamingEventsPayload); err != nil {
		t.Fatal(err)
	}
	if prepare != nil {
		prepare(r)
	}
	seed, _ := sigv4.SignatureFromAuthorization(r.Header.Get("Authorization"))
	c := &bidiClient{t: t, pw: pw, prev: seed, creds: creds, at: testTime, resp: make(chan bidiResult, 1)}
	go func() {
		resp, err := s.Client().Do(r)
		c.resp <- bidiResult{resp, err}
	}()
	t.Cleanup(func() { pw.Close() })
	return c
}

// frame sends one signed envelope around payload (an encoded inner
// message, or nil for the end frame).
func (c *bidiClient) frame(payload []byte) error {
	c.n++
	c.at = c.at.Add(time.Second)
	date := eventstream.TimestampValue(c.at)
	hdr, err := eventstream.AppendHeaders(nil, []eventstream.Header{{Name: eventstream.HeaderDate, Value: date}})
	if err != nil {
		c.t.Fatal(err)
	}
	sig, err := signer.SignEventChunk(c.creds, DefaultRegion, "bedrock", c.at, c.prev, hdr, payload)
	if err != nil {
		c.t.Fatal(err)
	}
	c.prev = sig
	if c.n == c.corrupt {
		sig = append([]byte(nil), sig...)
		sig[0] ^= 1
	}
	b, err := eventstream.AppendMessage(nil, &eventstream.Message{
		Headers: []eventstream.Header{
			{Name: eventstream.HeaderDate, Value: date},
			{Name: eventstream.HeaderChunkSignature, Value: eventstream.BytesValue(sig)},
		},
		Payload: payload,
	})
	if err != nil {
		c.t.Fatal(err)
	}
	_, err = c.pw.Write(b)
	return err
}

// event sends one model event (JSON) as a chunk.
func (c *bidiClient) event(js string) error {
	inner, err := eventstream.AppendMessage(nil, &eventstream.Message{
		Headers: []eventstream.Header{
			{Name: eventstream.HeaderEventType, Value: eventstream.StringValue("chunk")},
			{Name: eventstream.HeaderMessageType, Value: eventstream.StringValue("event")},
			{Name: eventstream.HeaderContentType, Value: eventstream.StringValue("application/json")},
		},
		Payload: []byte(`{"bytes":"` + base64.StdEncoding.EncodeToString([]byte(js)) + `"}`),
	})
	if err != nil {
		c.t.Fatal(err)
	}
	return c.frame(inner)
}

// close sends the signed empty frame and ends the request body.
func (c *bidiClient) close() {
	c.frame(nil)
	c.pw.Close()
}

// result waits for the response and reads it all: the status, and the
// output lines (see streamEvents) or the error body.
func (c *bidiClient) result() (*http.Response, []byte) {
	c.t.Helper()
	select {
	case r := <-c.resp:
		if r.err != nil {
			c.t.Fatalf("bidirectional request: %v", r.err)
		}
		defer r.resp.Body.Close()
		b, err := io.ReadAll(r.resp.Body)
		if err != nil {
			c.t.Fatalf("reading the output: %v", err)
		}
		return r.resp, b
	case <-time.After(10 * time.Second):
		c.t.Fatal("no response in 10 s")
	}
	return nil, nil
}

func sonicEvent(name string, body any) string {
	b, _ := json.Marshal(map[string]any{"event": map[string]any{name: body}})
	return string(b)
}

func sonicOpening(promptExtra map[string]any) []string {
	prompt := map[string]any{"promptName": "p1",
		"textOutputConfiguration":  map[string]any{"mediaType": "text/plain"},
		"audioOutputConfiguration": map[string]any{"mediaType": "audio/lpcm", "sampleRateHertz": 24000, "sampleSizeBits": 16, "channelCount": 1, "voiceId": "matthew", "encoding": "base64", "audioType": "SPEECH"}}
	for k, v := range promptExtra {
		prompt[k] = v
	}
	return []string{
		sonicEvent("sessionStart", map[string]any{"inferenceConfiguration": map[string]any{"maxTokens": 1024, "topP": 0.9, "temperature": 0.7}}),
		sonicEvent("promptStart", prompt),
		sonicEvent("contentStart", map[string]any{"promptName": "p1", "contentName": "sys", "type": "TEXT", "interactive": false, "role": "SYSTEM", "textInputConfiguration": map[string]any{"mediaType": "text/plain"}}),
		sonicEvent("textInput", map[string]any{"promptName": "p1", "contentName": "sys", "content": "You are friendly."}),
		sonicEvent("contentEnd", map[string]any{"promptName": "p1", "contentName": "sys"}),
	}
}

func sonicUserText(name, text string) []string {
	return []string{
		sonicEvent("contentStart", map[string]any{"promptName": "p1", "contentName": name, "type": "TEXT", "interactive": true, "role": "USER", "textInputConfiguration": map[string]any{"mediaType": "text/plain"}}),
		sonicEvent("textInput", map[string]any{"promptName": "p1", "contentName": name, "content": text}),
		sonicEvent("contentEnd", map[string]any{"promptName": "p1", "contentName": name}),
	}
}

var sonicClosing = []string{
	sonicEvent("promptEnd", map[string]any{"promptName": "p1"}),
	sonicEvent("sessionEnd", map[string]any{}),
}

// outputLines turns the output stream into lines for a golden file, audio
// replaced by its length; it also returns the PCM of all audioOutput.
func outputLines(t *testing.T, body []byte) ([]string, []byte) {
	t.Helper()
	var lines []string
	var pcm []byte
	for _, line := range streamEvents(t, body) {
		if i := strings.Index(line, `{"event":{"audioOutput"`); i >= 0 {
			ev, err := modelspec.ParseSonicEvent([]byte(line[i:]))
			if err != nil {
				t.Fatal(err)
			}
			a := ev.(*modelspec.SonicAudioOutput)
			if pcm, err = a.AppendPCM(pcm); err != nil {
				t.Fatal(err)
			}
			before := len(a.Content)
			a.Content = ""
			b, _ := modelspec.EncodeSonicEvent(a)
			line = line[:i] + string(b) + " (" + strconv.Itoa(before) + " base64 bytes)"
		}
		lines = append(lines, line)
	}
	return lines, pcm
}

func runSession(t *testing.T, s *Server, events []string) ([]string, []byte, *http.Response) {
	t.Helper()
	c := openBidi(t, s, sonicPath, DefaultCredentials, nil)
	for _, e := range events {
		if err := c.event(e); err != nil {
			t.Fatalf("sending %s: %v", e, err)
		}
	}
	c.close()
	resp, body := c.result()
	if resp.StatusCode != 200 {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	lines, pcm := outputLines(t, body)
	return lines, pcm, resp
}

func TestBidiTextTurn(t *testing.T) {
	for _, tls := range []bool{false, true} {
		s := newServerWith(t, nil, nil)
		if tls {
			s = NewUnstartedServer(&Options{Clock: func() time.Time { return testTime }})
			s.StartTLS()
			t.Cleanup(s.Close)
		}
		events := append(append(sonicOpening(nil), sonicUserText("u1", "Hello Sonic")...), sonicClosing...)
		lines, pcm, resp := runSession(t, s, events)
		if resp.ProtoMajor != 2 {
			t.Errorf("proto %s", resp.Proto)
		}
		golden(t, "bidi_text_turn.txt", []byte(strings.Join(lines, "\n")+"\n"))
		if !bytes.Equal(pcm, SpeechAudio("You said: Hello Sonic", 24000)) {
			t.Errorf("audio differs from SpeechAudio (%d bytes)", len(pcm))
		}
		rec, _ := s.LastRequest()
		if len(rec.Events) != len(events) || !rec.InputClosed || rec.Auth != "sigv4" || rec.Operation != OpInvokeModelWithBidirectionalStream {
			t.Errorf("recorded %d events, InputClosed=%v, auth %q, op %q", len(rec.Events), rec.InputClosed, rec.Auth, rec.Operation)
		}
		if string(rec.Events[0]) != events[0] {
			t.Errorf("recorded event %s, sent %s", rec.Events[0], events[0])
		}
	}
}

func TestBidiAudioAndTools(t *testing.T) {
	s := newServer(t, nil)
	tools := map[string]any{"toolUseOutputConfiguration": map[string]any{"mediaType": "application/json"},
		"toolConfiguration": map[string]any{"tools": []any{map[string]any{"toolSpec": map[string]any{
			"name": "getWeather", "description": "weather", "inputSchema": map[string]any{"json": `{"type":"object","properties":{"city":{"type":"string"}}}`}}}}}}
	events := sonicOpening(tools)
	events = append(events, sonicEvent("contentStart", map[string]any{"promptName": "p1", "contentName": "mic", "type": "AUDIO", "interactive": true, "role": "USER",
		"audioInputConfiguration": map[string]any{"mediaType": "audio/lpcm", "sampleRateHertz": 16000, "sampleSizeBits": 16, "channelCount": 1, "audioType": "SPEECH", "encoding": "base64"}}))
	for i := 0; i < 3; i++ {
		events = append(events, sonicEvent("audioInput", map[string]any{"promptName": "p1", "contentName": "mic", "content": base64.StdEncoding.EncodeToString(make([]byte, 1024))}))
	}
	events = append(events, sonicEvent("contentEnd", map[string]any{"promptName": "p1", "contentName": "mic"}))
	events = append(events, sonicUserText("u2", `please call getWeather with {"city":"Paris"}`)...)
	useID := toolUseID("getWeather", `{"city":"Paris"}`)
	events = append(events,
		sonicEvent("contentStart", map[string]any{"promptName": "p1", "contentName": "tr", "interactive": false, "type": "TOOL", "role": "TOOL",
			"toolResultInputConfiguration": map[string]any{"toolUseId": useID, "type": "TEXT", "textInputConfiguration": map[string]any{"mediaType": "text/plain"}}}),
		sonicEvent("toolResult", map[string]any{"promptName": "p1", "contentName": "tr", "content": `{"temp":21}`}),
		sonicEvent("contentEnd", map[string]any{"promptName": "p1", "contentName": "tr"}))
	events = append(events, sonicClosing...)
	lines, _, _ := runSession(t, s, events)
	golden(t, "bidi_audio_tools.txt", []byte(strings.Join(lines, "\n")+"\n"))
}

func TestBidiBadFrameSignature(t *testing.T) {
	events := append(append(sonicOpening(nil), sonicUserText("u1", "Hello")...), sonicClosing...)
	t.Run("first frame", func(t *testing.T) {
		s := newServer(t, nil)
		c := openBidi(t, s, sonicPath, DefaultCredentials, nil)
		c.corrupt = 1
		c.event(events[0])
		resp, body := c.result()
		status, typ, msg := errorOf(t, resp, body)
		if status != 403 || typ != "InvalidSignatureException" || !strings.Contains(msg, "(frame 1)") {
			t.Errorf("got %d %s %q", status, typ, msg)
		}
		if !strings.Contains(msg, "AWS4-HMAC-SHA256-PAYLOAD\n20260102T030406Z\n20260102/us-east-1/bedrock/aws4_request\n") {
			t.Errorf("message lacks the string to sign: %q", msg)
		}
	})
	t.Run("frame 4", func(t *testing.T) {
		s := newServer(t, nil)
		c := openBidi(t, s, sonicPath, DefaultCredentials, nil)
		c.corrupt = 4
		go func() {
			for _, e := range events {
				if c.event(e) != nil {
					return
				}
			}
			c.close()
		}()
		resp, body := c.result()
		if resp.StatusCode != 200 {
			t.Fatalf("status %d", resp.StatusCode)
		}
		lines := streamEvents(t, body)
		if len(lines) != 1 || !strings.HasPrefix(lines[0], "error InvalidSignatureException") {
			t.Errorf("output %q", lines)
		}
		rec, _ := s.LastRequest()
		if len(rec.Events) != 3 || rec.ErrorType != "InvalidSignatureException" {
			t.Errorf("recorded %d events, error %q; want the 3 frames before the bad one", len(rec.Events), rec.ErrorType)
		}
	})
	t.Run("end frame", func(t *testing.T) {
		s := newServer(t, nil)
		c := openBidi(t, s, sonicPath, DefaultCredentials, nil)
		c.corrupt = len(events) + 1
		for _, e := range events {
			c.event(e)
		}
		c.close()
		_, body := c.result()
		lines := streamEvents(t, body)
		if last := lines[len(lines)-1]; !strings.HasPrefix(last, "error InvalidSignatureException") {
			t.Errorf("last output %q", last)
		}
		if rec, _ := s.LastRequest(); rec.InputClosed {
			t.Error("a badly signed end frame closed the input")
		}
	})
	t.Run("frame dated outside the window", func(t *testing.T) {
		s := newServer(t, nil)
		c := openBidi(t, s, sonicPath, DefaultCredentials, nil)
		c.at = testTime.Add(20 * time.Minute)
		c.event(events[0])
		resp, body := c.result()
		if status, typ, msg := errorOf(t, resp, body); status != 403 || typ != "InvalidSignatureException" || !strings.HasPrefix(msg, "Signature expired: event frame 1") {
			t.Errorf("got %d %s %q", status, typ, msg)
		}
	})
}

func TestBidiRejects(t *testing.T) {
	t.Run("bearer", func(t *testing.T) {
		s := newServer(t, nil)
		c := openBidi(t, s, sonicPath, DefaultCredentials, func(r *http.Request) {
			r.Header.Set("Authorization", "Bearer "+DefaultAPIKey)
		})
		c.pw.Close()
		resp, body := c.result()
		if status, typ, msg := errorOf(t, resp, body); status != 403 || typ != "AccessDeniedException" || msg != "This operation does not support API Keys" {
			t.Errorf("got %d %s %q", status, typ, msg)
		}
	})
	t.Run("not streaming payload hash", func(t *testing.T) {
		s := newServer(t, nil)
		r := req(t, s, "POST", sonicPath, []byte{})
		r.Header.Set("Content-Type", "application/vnd.amazon.eventstream")
		resp, body := do(t, s, sign(t, r, DefaultCredentials))
		if status, typ, _ := errorOf(t, resp, body); status != 403 || typ != "InvalidSignatureException" {
			t.Errorf("got %d %s", status, typ)
		}
	})
	t.Run("HTTP/1.1", func(t *testing.T) {
		s := newServerWith(t, nil, func(s *Server) { s.EnableHTTP2 = false })
		r := req(t, s, "POST", sonicPath, []byte{})
		sg := sigv4.Signer{ContentSHA256Header: true}
		sg.SignHTTP(r, DefaultCredentials, DefaultRegion, "bedrock", testTime, sigv4.StreamingEventsPayload)
		resp, body := do(t, s, r)
		if status, typ, msg := errorOf(t, resp, body); status != 400 || typ != "ValidationException" || msg != "InvokeModelWithBidirectionalStream requires HTTP/2." {
			t.Errorf("got %d %s %q", status, typ, msg)
		}
	})
	t.Run("text model", func(t *testing.T) {
		s := newServer(t, nil)
		c := openBidi(t, s, "/model/amazon.nova-lite-v1%3A0/invoke-with-bidirectional-stream", DefaultCredentials, nil)
		c.pw.Close()
		resp, body := c.result()
		if status, typ, _ := errorOf(t, resp, body); status != 400 || typ != "ValidationException" {
			t.Errorf("got %d %s", status, typ)
		}
	})
	t.Run("events out of order", func(t *testing.T) {
		s := newServer(t, nil)
		c := openBidi(t, s, sonicPath, DefaultCredentials, nil)
		go func() {
			c.event(sonicEvent("promptStart", map[string]any{"promptName": "p1"}))
			c.close()
		}()
		_, body := c.result()
		want := []string{`exception validationException {"message":"The first event of a session must be sessionStart."}`}
		if diff := cmp.Diff(want, streamEvents(t, body)); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	})
	t.Run("not a chunk", func(t *testing.T) {
		s := newServer(t, nil)
		c := openBidi(t, s, sonicPath, DefaultCredentials, nil)
		c.frame([]byte("not an event-stream message"))
		resp, body := c.result()
		if status, typ, _ := errorOf(t, resp, body); status != 400 || typ != "ValidationException" {
			t.Errorf("got %d %s", status, typ)
		}
	})
}

func TestBidiScriptedEventsAndFaults(t *testing.T) {
	s := newServer(t, nil)
	s.Script("amazon.nova-sonic-v1:0", Reply{Events: [][]byte{[]byte(`{"event":{"completionStart":{}}}`), []byte(`{"event":{"textOutput":{"content":"hi"}}}`)}})
	lines, _, _ := runSession(t, s, sonicOpening(nil)[:1])
	want := []string{`event chunk {"event":{"completionStart":{}}}`, `event chunk {"event":{"textOutput":{"content":"hi"}}}`}
	if diff := cmp.Diff(want, lines); diff != "" {
		t.Errorf("scripted (-want +got):\n%s", diff)
	}

	s.Inject(Fault{Operation: OpInvokeModelWithBidirectionalStream, AfterEvents: 2, Exception: ModelStreamError(500, "sonic broke")})
	events := append(append(sonicOpening(nil), sonicUserText("u1", "Hello")...), sonicClosing...)
	c := openBidi(t, s, sonicPath, DefaultCredentials, nil)
	go func() {
		for _, e := range events {
			if c.event(e) != nil {
				return
			}
		}
		c.close()
	}()
	_, body := c.result()
	got := streamEvents(t, body)
	if len(got) != 3 || !strings.HasPrefix(got[2], "exception modelStreamErrorException") {
		t.Errorf("output %q", got)
	}
}

func TestSpeechAudio(t *testing.T) {
	if got := len(SpeechAudio("one two three", 24000)); got != 2*24000*180/1000 {
		t.Errorf("3 words at 24 kHz: %d bytes", got)
	}
	if got := len(SpeechAudio("", 16000)); got != 2*16000*120/1000 {
		t.Errorf("minimum length: %d bytes", got)
	}
	if SpeechAudio("x", 0) != nil {
		t.Error("rate 0 gave audio")
	}
}

// TestBidiSessionLimit: the session cap ends the stream with the
// modelTimeoutException the service sends after 8 minutes. The test keeps
// the stream open (no end frame) until the emulator ends it, so it does not
// depend on how soon the cap fires.
func TestBidiSessionLimit(t *testing.T) {
	s := newServer(t, &Options{SessionLimit: time.Millisecond})
	c := openBidi(t, s, sonicPath, DefaultCredentials, nil)
	if err := c.event(sonicOpening(nil)[0]); err != nil {
		t.Fatal(err)
	}
	resp, body := c.result()
	if resp.StatusCode == 200 {
		lines := streamEvents(t, body)
		want := `exception modelTimeoutException {"message":"Model has timed out in processing the request. Try your request again."}`
		if len(lines) == 0 || lines[len(lines)-1] != want {
			t.Errorf("output %q", lines)
		}
	} else if status, typ, _ := errorOf(t, resp, body); status != 408 || typ != "ModelTimeoutException" {
		t.Errorf("got %d %s", status, typ)
	}
	if rec, _ := s.LastRequest(); rec.ErrorType != "ModelTimeoutException" {
		t.Errorf("recorded error %q", rec.ErrorType)
	}
}
