package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/bedrockwire/bedrockwire/client"
	"github.com/bedrockwire/bedrockwire/client/bedrocktest"
	"github.com/bedrockwire/bedrockwire/eventstream"
	"github.com/bedrockwire/bedrockwire/modelspec"
	"github.com/bedrockwire/bedrockwire/sigv4"
)

func init() {
	register(&command{name: "demo", summary: "a tour of the client against the built-in emulator, showing the wire", run: runDemo})
}

const demoHelp = `NAME
    bedrock demo — a tour of bedrockwire against a local emulator

SYNOPSIS
    bedrock demo [--no-wire] [--pacing D]

DESCRIPTION
    Starts the Bedrock Runtime emulator (package client/bedrocktest) inside
    the process, on loopback, and runs the client through every kind of call,
    printing what goes over the wire: request lines, signed headers (the
    signature shortened), JSON bodies, and each event-stream message as it
    arrives — including the signed frames of the bidirectional stream.

      1. Converse
      2. ConverseStream with tool use, the tool's result sent back
      3. InvokeModelWithResponseStream (an Anthropic body)
      4. InvokeModel with an embedding model
      5. CountTokens
      6. InvokeModelWithBidirectionalStream, a Nova Sonic-like voice session
      7. a request signed with the wrong secret, refused as AWS refuses it

    No AWS account, network or credentials are needed: the emulator checks
    the client's SigV4 signatures with its own public test keys.

OPTIONS
    --no-wire     print only the results, not the wire
    --pacing D    pause D between stream events (e.g. 30ms), to watch them

EXAMPLES
    bedrock demo
    bedrock demo --no-wire
    bedrock demo --pacing 50ms
`

func runDemo(ctx context.Context, e *env, args []string) int {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {}
	noWire := fs.Bool("no-wire", false, "hide the wire")
	pacing := fs.Duration("pacing", 0, "pause between stream events")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			io.WriteString(e.stdout, demoHelp)
			return exitOK
		}
		fmt.Fprintln(e.stderr, "usage: bedrock demo [--no-wire] [--pacing D]\nRun 'bedrock demo --help' for details.")
		return exitUsage
	}
	if fs.NArg() > 0 || *pacing < 0 {
		fmt.Fprintln(e.stderr, "usage: bedrock demo [--no-wire] [--pacing D]\nRun 'bedrock demo --help' for details.")
		return exitUsage
	}

	out := &demoOut{w: e.stdout, wire: !*noWire}
	srv := bedrocktest.NewServer(&bedrocktest.Options{StreamPacing: *pacing})
	defer srv.Close()
	hc := &http.Client{Transport: &demoTransport{base: srv.Client().Transport, out: out}}
	c, err := client.New(client.Options{
		Region:      srv.Region(),
		Endpoint:    srv.URL,
		HTTPClient:  hc,
		Credentials: sigv4.StaticCredentials(bedrocktest.DefaultCredentials),
		UserAgent:   "bedrock-demo",
	})
	if err != nil {
		fmt.Fprintf(e.stderr, "bedrock demo: %v\n", err)
		return exitFailure
	}
	out.printf("bedrock demo: the emulator listens on %s (region %s); the client signs with SigV4 as %s.\n",
		srv.URL, srv.Region(), bedrocktest.DefaultCredentials.AccessKeyID)

	d := &demo{ctx: ctx, c: c, out: out, srv: srv, hc: hc}
	for i, step := range []struct {
		title string
		run   func() error
	}{
		{"Converse — amazon.nova-lite-v1:0", d.converse},
		{"ConverseStream with tool use — anthropic.claude-haiku-4-5-20251001-v1:0", d.converseTools},
		{"InvokeModelWithResponseStream — an Anthropic Messages body", d.invokeStream},
		{"InvokeModel — embeddings from amazon.titan-embed-text-v2:0", d.embed},
		{"CountTokens — anthropic.claude-sonnet-4-5-20250929-v1:0", d.countTokens},
		{"InvokeModelWithBidirectionalStream — amazon.nova-2-sonic-v1:0 over HTTP/2", d.bidirectional},
		{"a signature made with the wrong secret", d.badSignature},
	} {
		out.printf("\n== %d. %s\n", i+1, step.title)
		if err := step.run(); err != nil {
			if ctx.Err() != nil {
				fmt.Fprintln(e.stderr, "bedrock demo: interrupted")
				return exitInterrupt
			}
			fmt.Fprintf(e.stderr, "bedrock demo: step %d: %v\n", i+1, err)
			return exitFailure
		}
	}
	n := len(srv.Requests())
	out.printf("\nDone: %d requests, every signature checked. Keep an emulator running for other tools with 'bedrock serve'.\n", n)
	return exitOK
}

// demo holds what the steps share.
type demo struct {
	ctx context.Context
	c   *client.Client
	out *demoOut
	srv *bedrocktest.Server
	hc  *http.Client
}

func demoUser(text string) client.Message {
	return client.Message{Role: client.RoleUser, Content: []client.ContentBlock{client.TextBlock{Text: text}}}
}

func (d *demo) converse() error {
	o, err := d.c.Converse(d.ctx, &client.ConverseInput{
		ModelID:         "amazon.nova-lite-v1:0",
		System:          []client.SystemBlock{client.TextBlock{Text: "You are a helpful assistant."}},
		Messages:        []client.Message{demoUser("Hello! What can you do?")},
		InferenceConfig: &client.InferenceConfig{MaxTokens: 200},
	})
	if err != nil {
		return err
	}
	d.out.printf("reply: %q (%s, %d+%d tokens)\n", o.Text(), o.StopReason, o.Usage.InputTokens, o.Usage.OutputTokens)
	return nil
}

func (d *demo) converseTools() error {
	const model = "anthropic.claude-haiku-4-5-20251001-v1:0"
	schema, err := client.ToJSON(map[string]any{
		"type":       "object",
		"properties": map[string]any{"city": map[string]any{"type": "string"}},
		"required":   []string{"city"},
	})
	if err != nil {
		return err
	}
	tools := &client.ToolConfig{Tools: []client.Tool{client.ToolSpec{Name: "get_weather", Description: "Current weather for a city", InputSchema: schema}}}
	history := []client.Message{demoUser(`What's the weather in Paris? Use get_weather with {"city":"Paris"}.`)}

	first, err := d.stream(&client.ConverseInput{ModelID: model, Messages: history, ToolConfig: tools})
	if err != nil {
		return err
	}
	uses := first.ToolUses()
	if len(uses) == 0 {
		return fmt.Errorf("the model called no tool (stop reason %s)", first.StopReason)
	}
	var in struct{ City string }
	if err := uses[0].DecodeInput(&in); err != nil {
		return err
	}
	d.out.printf("the model calls %s(%s); the demo answers for it\n", uses[0].Name, uses[0].Input)
	result, _ := client.ToJSON(map[string]any{"city": in.City, "tempC": 21, "sky": "sunny"})
	history = append(history, first.Message, client.Message{Role: client.RoleUser, Content: []client.ContentBlock{
		client.ToolResultBlock{ToolUseID: uses[0].ToolUseID, Content: []client.ToolResultContent{client.JSONBlock{JSON: result}}},
	}})
	second, err := d.stream(&client.ConverseInput{ModelID: model, Messages: history, ToolConfig: tools})
	if err != nil {
		return err
	}
	d.out.printf("final answer: %q (%s)\n", second.Text(), second.StopReason)
	return nil
}

// stream runs a ConverseStream, printing text as it arrives, and returns
// the folded output.
func (d *demo) stream(in *client.ConverseInput) (*client.ConverseOutput, error) {
	s, err := d.c.ConverseStream(d.ctx, in)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	var acc client.ConverseAccumulator
	for ev, err := range s.All() {
		if err != nil {
			return nil, err
		}
		if de, ok := ev.(client.ContentBlockDeltaEvent); ok {
			if t, ok := de.Delta.(client.TextDelta); ok {
				d.out.printf("text delta: %q\n", t.Text)
			}
		}
		if err := acc.Add(ev); err != nil {
			return nil, err
		}
	}
	return acc.Output()
}

func (d *demo) invokeStream() error {
	body := []byte(`{"anthropic_version":"bedrock-2023-05-31","max_tokens":100,"messages":[{"role":"user","content":"Stream me a short answer"}]}`)
	s, err := d.c.InvokeModelWithResponseStream(d.ctx, &client.InvokeModelInput{ModelID: "us.anthropic.claude-3-5-haiku-20241022-v1:0", Body: body})
	if err != nil {
		return err
	}
	defer s.Close()
	var text strings.Builder
	for ch, err := range s.All() {
		if err != nil {
			return err
		}
		var ev struct {
			Type  string `json:"type"`
			Delta struct {
				Text string `json:"text"`
			} `json:"delta"`
		}
		if json.Unmarshal(ch.Bytes, &ev) == nil && ev.Type == "content_block_delta" {
			text.WriteString(ev.Delta.Text)
		}
	}
	d.out.printf("streamed text: %q\n", text.String())
	return nil
}

func (d *demo) embed() error {
	o, err := d.c.InvokeModel(d.ctx, &client.InvokeModelInput{
		ModelID: "amazon.titan-embed-text-v2:0",
		Body:    []byte(`{"inputText":"The quick brown fox","dimensions":256,"normalize":true}`),
	})
	if err != nil {
		return err
	}
	var r struct {
		Embedding []float32 `json:"embedding"`
	}
	if err := json.Unmarshal(o.Body, &r); err != nil {
		return err
	}
	if len(r.Embedding) < 4 {
		return fmt.Errorf("embedding of length %d", len(r.Embedding))
	}
	d.out.printf("vector of %d dimensions, starting %v; %d input tokens\n", len(r.Embedding), r.Embedding[:4], o.InputTokens)
	return nil
}

func (d *demo) countTokens() error {
	o, err := d.c.CountTokens(d.ctx, "anthropic.claude-sonnet-4-5-20250929-v1:0", client.ConverseTokens{
		System:   []client.SystemBlock{client.TextBlock{Text: "Answer in one sentence."}},
		Messages: []client.Message{demoUser("How many tokens is this question?")},
	})
	if err != nil {
		return err
	}
	d.out.printf("input tokens: %d\n", o.InputTokens)
	return nil
}

func (d *demo) bidirectional() error {
	s, err := d.c.InvokeModelWithBidirectionalStream(d.ctx, "amazon.nova-2-sonic-v1:0", client.WithFirstByteTimeout(10*time.Second))
	if err != nil {
		return err
	}
	defer s.Close()
	const p = "demo-prompt"
	events := []modelspec.SonicEvent{
		modelspec.SonicSessionStart{InferenceConfiguration: modelspec.SonicInferenceConfiguration{MaxTokens: 1024}},
		modelspec.NewSonicPromptStart(p, "matthew"),
	}
	events = append(events, modelspec.SonicTextBlock(p, "system", modelspec.SonicRoleSystem, "You are a friendly voice assistant.")...)
	turn := modelspec.SonicTextBlock(p, "turn-1", modelspec.SonicRoleUser, "Hello Sonic, how are you?")
	start := turn[0].(modelspec.SonicContentStart)
	start.Interactive = true
	turn[0] = start
	events = append(events, turn...)
	events = append(events, modelspec.SonicPromptEnd{PromptName: p}, modelspec.SonicSessionEnd{})

	// Send from another goroutine while this one receives, as a voice
	// application would.
	sendErr := make(chan error, 1)
	go func() {
		for _, ev := range events {
			b, err := modelspec.EncodeSonicEvent(ev)
			if err == nil {
				err = s.Send(d.ctx, b)
			}
			if err != nil {
				sendErr <- err
				return
			}
		}
		sendErr <- s.CloseSend()
	}()
	audio := 0
	stages := map[string]string{} // contentId → generation stage
	for raw, err := range s.All() {
		if err != nil {
			return err
		}
		ev, err := modelspec.ParseSonicEvent(raw)
		if err != nil {
			return err
		}
		switch ev := ev.(type) {
		case *modelspec.SonicOutputContentStart:
			stages[ev.ContentID] = ev.GenerationStage()
		case *modelspec.SonicTextOutput:
			who := strings.ToLower(ev.Role)
			if stages[ev.ContentID] == modelspec.SonicStageSpeculative {
				who += " (speculative)"
			}
			d.out.printf("%s: %q\n", who, ev.Content)
		case *modelspec.SonicAudioOutput:
			pcm, err := ev.AppendPCM(nil)
			if err != nil {
				return err
			}
			audio += len(pcm)
		}
	}
	if err := <-sendErr; err != nil {
		return err
	}
	d.out.printf("received %d bytes of 24 kHz audio (%d ms); every frame's chained signature was checked\n", audio, audio/48)
	return nil
}

func (d *demo) badSignature() error {
	wrong := bedrocktest.DefaultCredentials
	wrong.SecretAccessKey = "this-is-not-the-secret"
	c, err := client.New(client.Options{
		Region: d.srv.Region(), Endpoint: d.srv.URL, HTTPClient: d.hc,
		Credentials: sigv4.StaticCredentials(wrong),
		Retry:       client.RetryPolicy{MaxAttempts: 1},
	})
	if err != nil {
		return err
	}
	_, err = c.Converse(d.ctx, &client.ConverseInput{ModelID: "amazon.nova-lite-v1:0", Messages: []client.Message{demoUser("hi")}})
	var ae *client.Error
	if !errors.As(err, &ae) {
		return fmt.Errorf("expected a refusal, got %v", err)
	}
	first, _, _ := strings.Cut(ae.Message, "\n")
	d.out.printf("refused: HTTP %d %s: %s\n", ae.StatusCode, ae.Code, first)
	return nil
}

// demoOut serialises the demo's output: the wire is printed from the
// transport's goroutines too.
type demoOut struct {
	mu   sync.Mutex
	w    io.Writer
	wire bool
}

func (o *demoOut) printf(format string, args ...any) {
	o.mu.Lock()
	defer o.mu.Unlock()
	fmt.Fprintf(o.w, format, args...)
}

func (o *demoOut) wiref(format string, args ...any) {
	if o.wire {
		o.printf(format, args...)
	}
}

// demoShort cuts s to n bytes for display.
func demoShort(s string, n int) string {
	s = strings.ReplaceAll(s, "\n", `\n`)
	if len(s) <= n {
		return s
	}
	return s[:n] + fmt.Sprintf("…(+%d bytes)", len(s)-n)
}

// demoTransport prints each request and response, and every event-stream
// message in either direction as it passes.
type demoTransport struct {
	base http.RoundTripper
	out  *demoOut
}

// demoHeaders are the request headers shown; Authorization is masked.
var demoHeaders = []string{"Content-Type", "X-Amz-Date", "X-Amz-Content-Sha256", "X-Amz-Security-Token", "Authorization"}

func (t *demoTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	o := t.out
	path := r.URL.EscapedPath()
	if r.URL.RawQuery != "" {
		path += "?" + r.URL.RawQuery
	}
	o.wiref("→ %s %s\n", r.Method, path)
	for _, h := range demoHeaders {
		v := r.Header.Get(h)
		switch {
		case v == "":
			continue
		case h == "Authorization":
			v = sigv4.MaskSignature(v)
		case h == "X-Amz-Security-Token":
			v = bedrocktest.MaskKey(v)
		}
		o.wiref("    %s: %s\n", h, v)
	}
	r2 := r.Clone(r.Context())
	if r.Body != nil && r.Body != http.NoBody {
		if strings.HasPrefix(r.Header.Get("Content-Type"), "application/vnd.amazon.eventstream") {
			r2.Body = &demoFrames{rc: r.Body, out: o, arrow: "→", envelope: true}
		} else {
			b, err := io.ReadAll(r.Body)
			r.Body.Close()
			if err != nil {
				return nil, err
			}
			o.wiref("    %s\n", demoShort(string(b), 200))
			r2.Body = io.NopCloser(bytes.NewReader(b))
		}
	}
	resp, err := t.base.RoundTrip(r2)
	if err != nil {
		o.wiref("← error: %v\n", err)
		return nil, err
	}
	o.wiref("← %s %s  x-amzn-RequestId: %s\n", resp.Proto, resp.Status, resp.Header.Get("X-Amzn-Requestid"))
	if et := resp.Header.Get("X-Amzn-Errortype"); et != "" {
		o.wiref("    x-amzn-ErrorType: %s\n", et)
	}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/vnd.amazon.eventstream") {
		resp.Body = &demoFrames{rc: resp.Body, out: o, arrow: "←"}
		return resp, nil
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	o.wiref("    %s\n", demoShort(string(b), 200))
	resp.Body = io.NopCloser(bytes.NewReader(b))
	return resp, nil
}

// demoFrames passes a body through and prints each event-stream message
// once all its bytes went by.
type demoFrames struct {
	rc       io.ReadCloser
	out      *demoOut
	arrow    string
	envelope bool // signed envelopes of the bidirectional input
	buf      []byte
}

func (f *demoFrames) Read(p []byte) (int, error) {
	n, err := f.rc.Read(p)
	f.buf = append(f.buf, p[:n]...)
	for len(f.buf) >= eventstream.PreludeLength {
		total := int(binary.BigEndian.Uint32(f.buf))
		if total < eventstream.MinMessageLength || total > eventstream.MaxPayloadLength+eventstream.MaxHeadersLength+eventstream.MinMessageLength {
			f.buf = nil // not a stream we can follow; stop printing
			break
		}
		if len(f.buf) < total {
			break
		}
		f.print(f.buf[:total])
		f.buf = f.buf[total:]
	}
	return n, err
}

func (f *demoFrames) Close() error { return f.rc.Close() }

func (f *demoFrames) print(frame []byte) {
	m, err := eventstream.NewDecoder(bytes.NewReader(frame)).Decode()
	if err != nil {
		f.out.wiref("  %s (undecodable message: %v)\n", f.arrow, err)
		return
	}
	if f.envelope {
		date, _ := m.Header(eventstream.HeaderDate)
		when, _ := date.Time()
		sigv, _ := m.Header(eventstream.HeaderChunkSignature)
		sig, _ := sigv.Bytes()
		prefix := fmt.Sprintf("  %s frame :date=%s :chunk-signature=%x…", f.arrow, when.UTC().Format("15:04:05.000"), sig[:min(4, len(sig))])
		if len(m.Payload) == 0 {
			f.out.wiref("%s (empty: end of input)\n", prefix)
			return
		}
		inner, err := eventstream.NewDecoder(bytes.NewReader(m.Payload)).Decode()
		if err != nil {
			f.out.wiref("%s (undecodable inner message)\n", prefix)
			return
		}
		f.out.wiref("%s %s\n", prefix, demoShort(demoPayload(inner), 150))
		return
	}
	f.out.wiref("  %s %s\n", f.arrow, demoShort(demoPayload(m), 170))
}

// demoPayload describes a message: its kind and name, and its payload with
// chunk bytes decoded.
func demoPayload(m *eventstream.Message) string {
	switch m.Type() {
	case eventstream.ExceptionMessage:
		return "exception " + m.ExceptionType() + " " + string(m.Payload)
	case eventstream.ErrorMessage:
		return "error " + m.ErrorCode() + " " + m.ErrorMessage()
	}
	if m.EventType() == "chunk" {
		var part struct {
			Bytes []byte `json:"bytes"`
		}
		if json.Unmarshal(m.Payload, &part) == nil {
			return "chunk " + string(part.Bytes)
		}
	}
	return m.EventType() + " " + string(m.Payload)
}
