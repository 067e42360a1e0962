package novasonic

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bedrockwire/bedrockwire/client"
	"github.com/bedrockwire/bedrockwire/client/bedrocktest"
	"github.com/bedrockwire/bedrockwire/modelspec"
	"github.com/bedrockwire/bedrockwire/sigv4"
	"github.com/google/go-cmp/cmp"
)

// fakeClock advances only when slept on, and records the sleeps.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sleeps = append(c.sleeps, d)
	if d > 0 {
		c.now = c.now.Add(d)
	}
	return ctx.Err()
}

// ids returns a NewID that counts: id-1, id-2, …
func ids() func() string {
	var mu sync.Mutex
	n := 0
	return func() string {
		mu.Lock()
		defer mu.Unlock()
		n++
		return fmt.Sprintf("id-%d", n)
	}
}

func newEmulator(t *testing.T) (*bedrocktest.Server, *client.Client) {
	t.Helper()
	srv := bedrocktest.NewServer(nil)
	t.Cleanup(srv.Close)
	c, err := client.New(client.Options{Region: srv.Region(), Endpoint: srv.URL, HTTPClient: srv.Client(),
		Credentials: sigv4.StaticCredentials(bedrocktest.DefaultCredentials)})
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

// recorder collects what a session delivers.
type recorder struct {
	mu          sync.Mutex
	transcripts []string
	audio       []byte
	interrupts  int
	events      []string
}

func (r *recorder) config(cfg Config) Config {
	cfg.OnTranscript = func(tr Transcript) {
		r.mu.Lock()
		r.transcripts = append(r.transcripts, tr.Role+"/"+tr.Stage+": "+tr.Text)
		r.mu.Unlock()
	}
	cfg.OnAudio = func(pcm []byte) { r.mu.Lock(); r.audio = append(r.audio, pcm...); r.mu.Unlock() }
	cfg.OnInterrupted = func() { r.mu.Lock(); r.interrupts++; r.mu.Unlock() }
	cfg.OnEvent = func(ev modelspec.SonicEvent) {
		r.mu.Lock()
		r.events = append(r.events, ev.SonicEventName())
		r.mu.Unlock()
	}
	return cfg
}

// inputNames lists the names of the input events the emulator received.
func inputNames(t *testing.T, srv *bedrocktest.Server) []string {
	t.Helper()
	rec, ok := srv.LastRequest()
	if !ok {
		t.Fatal("no request")
	}
	var names []string
	for _, e := range rec.Events {
		ev, err := modelspec.ParseSonicInputEvent(e)
		if err != nil {
			t.Fatalf("input event %s: %v", e, err)
		}
		name := ev.SonicEventName()
		if cs, ok := ev.(*modelspec.SonicContentStart); ok {
			name += "(" + cs.Type + " " + cs.Role + ")"
		}
		names = append(names, name)
	}
	return names
}

// TestSessionAudioTurn: a spoken turn through the emulator's Sonic model,
// as fast as allowed, for both model IDs: the protocol order, transcripts of
// both sides with their stages, the reply's audio.
func TestSessionAudioTurn(t *testing.T) {
	for _, model := range []string{ModelNova2Sonic, ModelNovaSonic} {
		t.Run(model, func(t *testing.T) {
			srv, c := newEmulator(t)
			base := runningGoroutines()
			var rec recorder
			s, err := Start(t.Context(), c, rec.config(Config{ModelID: model, NewID: ids(), System: "Be brief.",
				History: []Message{{Role: modelspec.SonicRoleUser, Text: "hi"}, {Role: modelspec.SonicRoleAssistant, Text: "hello"}}}))
			if err != nil {
				t.Fatal(err)
			}
			pcm := make([]byte, 3*ChunkBytes+100) // 3 chunks and a short one
			if err := s.StreamAudio(t.Context(), bytes.NewReader(pcm)); err != nil {
				t.Fatal(err)
			}
			if err := s.Close(t.Context()); err != nil {
				t.Fatal(err)
			}
			heard := fmt.Sprintf("(%d ms of audio)", len(pcm)/32)
			want := []string{"USER/FINAL: " + heard, "ASSISTANT/SPECULATIVE: You said: " + heard, "ASSISTANT/FINAL: You said: " + heard}
			if diff := cmp.Diff(want, rec.transcripts); diff != "" {
				t.Errorf("transcripts (-want +got):\n%s", diff)
			}
			if !bytes.Equal(rec.audio, bedrocktest.SpeechAudio("You said: "+heard, OutputSampleRate)) {
				t.Errorf("audio: %d bytes, not the model's speech", len(rec.audio))
			}
			wantIn := []string{"sessionStart", "promptStart",
				"contentStart(TEXT SYSTEM)", "textInput", "contentEnd",
				"contentStart(TEXT USER)", "textInput", "contentEnd",
				"contentStart(TEXT ASSISTANT)", "textInput", "contentEnd",
				"contentStart(AUDIO USER)", "audioInput", "audioInput", "audioInput", "audioInput", "contentEnd",
				"promptEnd", "sessionEnd"}
			if diff := cmp.Diff(wantIn, inputNames(t, srv)); diff != "" {
				t.Errorf("input events (-want +got):\n%s", diff)
			}
			if s.Replies() != 1 {
				t.Errorf("Replies = %d", s.Replies())
			}
			goroutinesSettle(t, base, srv)
		})
	}
}

// TestSessionRealTimePacing: with RealTime the chunks go out every 32 ms on
// the session's clock, trailing silence included.
func TestSessionRealTimePacing(t *testing.T) {
	srv, c := newEmulator(t)
	clock := &fakeClock{now: time.Date(2026, 7, 31, 12, 0, 0, 0, time.UTC)}
	s, err := Start(t.Context(), c, Config{NewID: ids(), RealTime: true, Clock: clock, TrailingSilence: 96 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.StreamAudio(t.Context(), bytes.NewReader(make([]byte, 2*ChunkBytes))); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
	want := []time.Duration{ChunkDuration, ChunkDuration, ChunkDuration, ChunkDuration, ChunkDuration}
	if diff := cmp.Diff(want, clock.sleeps); diff != "" {
		t.Errorf("sleeps (-want +got):\n%s", diff)
	}
	audio := 0
	for _, n := range inputNames(t, srv) {
		if n == "audioInput" {
			audio++
		}
	}
	if audio != 5 {
		t.Errorf("%d audioInput events, want 2 of speech and 3 of silence", audio)
	}
}

// TestSessionTools: a typed turn (Nova 2) that makes the model call a tool;
// the tool's result goes back as a TOOL content and the model speaks it.
func TestSessionTools(t *testing.T) {
	srv, c := newEmulator(t)
	var rec recorder
	var gotInput string
	cfg := rec.config(Config{NewID: ids(), Tools: []Tool{{
		Name: "getWeather", Description: "Weather in a city",
		InputSchema: `{"type":"object","properties":{"city":{"type":"string"}}}`,
		Run: func(ctx context.Context, input json.RawMessage) (string, error) {
			gotInput = string(input)
			return `{"temp":21}`, nil
		},
	}}})
	s, err := Start(t.Context(), c, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SendText(t.Context(), `please call getWeather with {"city":"Paris"}`); err != nil {
		t.Fatal(err)
	}
	if err := s.WaitReply(t.Context(), 1); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
	if gotInput != `{"city":"Paris"}` {
		t.Errorf("tool input %s", gotInput)
	}
	var spoke []string
	for _, tr := range rec.transcripts {
		if strings.HasPrefix(tr, "ASSISTANT/FINAL: ") {
			spoke = append(spoke, strings.TrimPrefix(tr, "ASSISTANT/FINAL: "))
		}
	}
	if len(spoke) == 0 || !strings.Contains(spoke[len(spoke)-1], `{"temp":21}`) {
		t.Errorf("assistant said %q, want the tool result", spoke)
	}
	names := inputNames(t, srv)
	if !strings.Contains(strings.Join(names, " "), "contentStart(TOOL TOOL) toolResult contentEnd") {
		t.Errorf("input events %v lack the tool result block", names)
	}
}

// TestSessionScripted: scripted output with a barge-in notice, an
// interrupted content, an unknown event and a text without a contentStart.
func TestSessionScripted(t *testing.T) {
	srv, c := newEmulator(t)
	enc := func(ev modelspec.SonicEvent) []byte {
		b, err := modelspec.EncodeSonicEvent(ev)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	h := modelspec.SonicOutputHeader{SessionID: "s", PromptName: "id-1", CompletionID: "c"}
	srv.Script(ModelNova2Sonic, bedrocktest.Reply{Events: [][]byte{
		enc(modelspec.SonicCompletionStart{SonicOutputHeader: h}),
		enc(modelspec.SonicOutputContentStart{SonicOutputHeader: h, ContentID: "a", Type: "TEXT", Role: "ASSISTANT", AdditionalModelFields: `{"generationStage":"SPECULATIVE"}`}),
		enc(modelspec.SonicTextOutput{SonicOutputHeader: h, ContentID: "a", Role: "ASSISTANT", Content: "Let me tell you a long"}),
		enc(modelspec.SonicTextOutput{SonicOutputHeader: h, ContentID: "a", Role: "ASSISTANT", Content: `{ "interrupted" : true }`}),
		enc(modelspec.SonicOutputContentEnd{SonicOutputHeader: h, ContentID: "a", Type: "TEXT", StopReason: "INTERRUPTED"}),
		enc(modelspec.SonicUnknownEvent{Name: "futureEvent", Body: json.RawMessage(`{"x":1}`)}),
		enc(modelspec.SonicTextOutput{SonicOutputHeader: h, ContentID: "z", Role: "USER", Content: "stop"}),
		enc(modelspec.SonicCompletionEnd{SonicOutputHeader: h, StopReason: "INTERRUPTED"}),
	}})
	var rec recorder
	s, err := Start(t.Context(), c, rec.config(Config{NewID: ids()}))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"ASSISTANT/SPECULATIVE: Let me tell you a long", "USER/: stop"}, rec.transcripts); diff != "" {
		t.Errorf("transcripts (-want +got):\n%s", diff)
	}
	if rec.interrupts != 2 {
		t.Errorf("%d interruptions, want 2 (the notice and the INTERRUPTED end)", rec.interrupts)
	}
	if !strings.Contains(strings.Join(rec.events, " "), "futureEvent") {
		t.Errorf("events %v lack the unknown one", rec.events)
	}
	if s.Replies() != 1 {
		t.Errorf("Replies = %d, want 1 (interrupted)", s.Replies())
	}
}

// TestSessionServiceError: an exception from the service ends the session;
// Close returns it and Done is closed.
func TestSessionServiceError(t *testing.T) {
	srv, c := newEmulator(t)
	srv.Inject(bedrocktest.Fault{Operation: bedrocktest.OpInvokeModelWithBidirectionalStream, AfterEvents: 1, Exception: bedrocktest.ModelStreamError(500, "boom")})
	s, err := Start(t.Context(), c, Config{NewID: ids()})
	if err != nil {
		t.Fatal(err)
	}
	s.StreamAudio(t.Context(), bytes.NewReader(make([]byte, ChunkBytes)))
	<-s.Done()
	err = s.Close(t.Context())
	if !client.IsModelError(err) {
		t.Errorf("Close = %v, want the ModelStreamErrorException", err)
	}
	if !errors.Is(s.Err(), err) {
		t.Errorf("Err = %v", s.Err())
	}
}

// TestSessionRefusals: bad configurations, a bearer-only client, text
// turns on v1, audio calls out of order.
func TestSessionRefusals(t *testing.T) {
	_, c := newEmulator(t)
	for name, cfg := range map[string]Config{
		"tool without Run": {Tools: []Tool{{Name: "x"}}},
		"duplicate tool": {Tools: []Tool{{Name: "x", Run: func(context.Context, json.RawMessage) (string, error) { return "", nil }},
			{Name: "x", Run: func(context.Context, json.RawMessage) (string, error) { return "", nil }}}},
		"bad schema":       {Tools: []Tool{{Name: "x", InputSchema: "{", Run: func(context.Context, json.RawMessage) (string, error) { return "", nil }}}},
		"history role":     {History: []Message{{Role: "SYSTEM", Text: "x"}}},
		"negative silence": {TrailingSilence: -1},
	} {
		if _, err := Start(t.Context(), c, cfg); err == nil {
			t.Errorf("%s: nil error", name)
		}
	}
	bearer, err := client.New(client.Options{Region: "us-east-1", BearerToken: bedrocktest.DefaultAPIKey})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Start(t.Context(), bearer, Config{}); err == nil || !strings.Contains(err.Error(), "SigV4") {
		t.Errorf("bearer client: %v", err)
	}
	s, err := Start(t.Context(), c, Config{ModelID: ModelNovaSonic, NewID: ids()})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Abort()
	if err := s.SendText(t.Context(), "hi"); err == nil {
		t.Error("SendText on v1: nil error")
	}
	if err := s.SendAudio(t.Context(), make([]byte, 2)); err == nil {
		t.Error("SendAudio before StartAudio: nil error")
	}
	if err := s.StartAudio(t.Context()); err != nil {
		t.Fatal(err)
	}
	if err := s.StartAudio(t.Context()); err == nil {
		t.Error("second StartAudio: nil error")
	}
	if err := s.SendAudio(t.Context(), make([]byte, 3)); err == nil {
		t.Error("odd audio: nil error")
	}
	if err := s.StreamAudio(t.Context(), bytes.NewReader(nil)); err == nil {
		t.Error("StreamAudio with audio open: nil error")
	}
}
