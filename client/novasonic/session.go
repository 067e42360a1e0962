package novasonic

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bedrockwire/bedrockwire/client"
	"github.com/bedrockwire/bedrockwire/eventstream"
	"github.com/bedrockwire/bedrockwire/modelspec"
)

// Model IDs the session speaks to.
const (
	ModelNovaSonic  = "amazon.nova-sonic-v1:0"
	ModelNova2Sonic = "amazon.nova-2-sonic-v1:0"
)

// Audio the session sends: 16 kHz, 16-bit signed little-endian, mono LPCM,
// in chunks of 32 ms.
const (
	InputSampleRate = modelspec.SonicInputSampleRate
	ChunkDuration   = 32 * time.Millisecond
	ChunkBytes      = InputSampleRate * 2 * int(ChunkDuration/time.Millisecond) / 1000 // 1,024
)

// DefaultVoice is the voice used when Config.Voice is empty.
const DefaultVoice = "matthew"

// DefaultSystemPrompt is the system prompt used when Config.System is empty:
// the protocol requires one before any audio.
const DefaultSystemPrompt = "You are a friendly assistant. Keep your answers short: one or two sentences."

// Clock paces the audio. The zero Config uses the system clock; tests use
// a fake one.
type Clock interface {
	Now() time.Time
	// Sleep waits d or until ctx is done.
	Sleep(ctx context.Context, d time.Duration) error
}

type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

func (systemClock) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}

// Tool is a function the model may call. Run receives the input the model
// chose (a JSON object) and returns the result, a JSON document sent back as
// the tool result; an error is sent back as {"error":"<message>"}.
type Tool struct {
	Name        string
	Description string
	// InputSchema is the JSON Schema of the input, e.g.
	// {"type":"object","properties":{"city":{"type":"string"}}}.
	InputSchema string
	Run         func(ctx context.Context, input json.RawMessage) (string, error)
}

// Message is a turn of earlier conversation replayed into a new session.
type Message struct {
	Role string // modelspec.SonicRoleUser or modelspec.SonicRoleAssistant
	Text string
}

// Transcript is text from the model: what it heard the user say (Role
// USER) or what it says (Role ASSISTANT; Stage SPECULATIVE for what it plans
// to say, FINAL for what it said).
type Transcript struct {
	Role  string
	Stage string // modelspec.SonicStageSpeculative, modelspec.SonicStageFinal or ""
	Text  string
}

// Config describes a session. Every field is optional.
type Config struct {
	// ModelID is ModelNova2Sonic (the default) or ModelNovaSonic.
	ModelID string
	// Voice is the output voice ID (DefaultVoice when empty).
	Voice string
	// System is the system prompt (DefaultSystemPrompt when empty).
	System string
	// History is earlier conversation, sent after the system prompt.
	History []Message
	// Inference is sessionStart's inference configuration; the zero value
	// means maxTokens 1024, topP 0.9, temperature 0.7.
	Inference modelspec.SonicInferenceConfiguration
	// EndpointingSensitivity (HIGH, MEDIUM or LOW) configures Nova 2
	// Sonic's turn detection; it is not sent to Nova Sonic v1.
	EndpointingSensitivity string
	// Tools the model may call.
	Tools []Tool
	// RealTime paces the audio from StreamAudio at its real rate, one
	// chunk every 32 ms, as a microphone would. Otherwise chunks go as fast
	// as the connection takes them.
	RealTime bool
	// TrailingSilence is how much silence StreamAudio sends after the
	// reader's audio, so that the model notices the end of the user's turn.
	// It stops early once the model has finished a reply.
	TrailingSilence time.Duration
	// Clock paces the audio; nil means the system clock.
	Clock Clock
	// NewID returns the names of the prompt and content blocks; nil means
	// random UUIDs.
	NewID func() string
	// StreamOptions are passed to InvokeModelWithBidirectionalStream, e.g.
	// client.WithIdleTimeout.
	StreamOptions []client.BidiOption

	// The callbacks are called from the session's receiving goroutine, one
	// at a time, in the order the events arrive. They must not block for
	// long. Any may be nil.

	// OnTranscript receives the text of both sides.
	OnTranscript func(Transcript)
	// OnAudio receives the model's speech as 16-bit mono LPCM at
	// OutputSampleRate (24 kHz). The slice is the callee's to keep.
	OnAudio func(pcm []byte)
	// OnInterrupted is called when the user talked over the model
	// (barge-in): audio still queued for playback should be dropped.
	OnInterrupted func()
	// OnEvent receives every output event, parsed, including unknown ones.
	OnEvent func(modelspec.SonicEvent)
}

// OutputSampleRate is the rate of the audio OnAudio receives.
const OutputSampleRate = modelspec.SonicOutputSampleRate

// Session is a spoken conversation with Nova Sonic over one bidirectional
// stream. Start opens it and sends the session, prompt and system setup;
// StreamAudio (or SendText) sends the user's turn; the model's output
// arrives through the Config callbacks; Close ends it in the order the
// protocol asks for (audio contentEnd, promptEnd, sessionEnd, end of input)
// and waits for the output to finish.
//
// Methods that send may be called from any goroutine; they are serialised.
type Session struct {
	cfg    Config
	stream *client.BidiStream
	prompt string
	tools  map[string]Tool

	ctx    context.Context // the session's; cancelled at the end
	cancel context.CancelFunc

	sendMu  sync.Mutex
	buf     []byte // event encoding, under sendMu
	audio   string // name of the open audio content, under sendMu
	closing bool   // Close began, under sendMu

	replies atomic.Int64 // assistant turns finished (END_TURN or INTERRUPTED)
	replyCh chan struct{}

	toolMu      sync.Mutex
	toolsClosed bool // Close began: no more tool runs
	toolWG      sync.WaitGroup
	done        chan struct{}
	err         error // set before done is closed
}

// Start opens a session with c, which needs SigV4 credentials, and sends
// sessionStart, promptStart (text output, 24 kHz audio output in the
// configured voice, the tools) and the system prompt and history. The
// session runs until Close, until ctx is done, or until the service ends
// it.
func Start(ctx context.Context, c *client.Client, cfg Config) (*Session, error) {
	if cfg.ModelID == "" {
		cfg.ModelID = ModelNova2Sonic
	}
	if cfg.Voice == "" {
		cfg.Voice = DefaultVoice
	}
	if cfg.System == "" {
		cfg.System = DefaultSystemPrompt
	}
	if cfg.Inference == (modelspec.SonicInferenceConfiguration{}) {
		topP, temp := 0.9, 0.7
		cfg.Inference = modelspec.SonicInferenceConfiguration{MaxTokens: 1024, TopP: &topP, Temperature: &temp}
	}
	if cfg.Clock == nil {
		cfg.Clock = systemClock{}
	}
	if cfg.NewID == nil {
		cfg.NewID = newUUID
	}
	if cfg.TrailingSilence < 0 {
		return nil, errors.New("novasonic: negative TrailingSilence")
	}
	tools := make(map[string]Tool, len(cfg.Tools))
	var specs []modelspec.SonicTool
	for _, t := range cfg.Tools {
		if t.Name == "" || t.Run == nil {
			return nil, errors.New("novasonic: a tool needs a Name and a Run function")
		}
		if _, dup := tools[t.Name]; dup {
			return nil, fmt.Errorf("novasonic: tool %q defined twice", t.Name)
		}
		schema := t.InputSchema
		if schema == "" {
			schema = `{"type":"object","properties":{}}`
		}
		if !json.Valid([]byte(schema)) {
			return nil, fmt.Errorf("novasonic: tool %q: InputSchema is not valid JSON", t.Name)
		}
		tools[t.Name] = t
		specs = append(specs, modelspec.SonicTool{ToolSpec: modelspec.SonicToolSpec{
			Name: t.Name, Description: t.Description, InputSchema: modelspec.SonicToolInputSchema{JSON: schema}}})
	}
	for _, m := range cfg.History {
		if m.Role != modelspec.SonicRoleUser && m.Role != modelspec.SonicRoleAssistant {
			return nil, fmt.Errorf("novasonic: history role %q, want USER or ASSISTANT", m.Role)
		}
	}

	stream, err := c.InvokeModelWithBidirectionalStream(ctx, cfg.ModelID, cfg.StreamOptions...)
	if err != nil {
		return nil, err
	}
	sctx, cancel := context.WithCancel(ctx)
	s := &Session{cfg: cfg, stream: stream, prompt: cfg.NewID(), tools: tools, ctx: sctx, cancel: cancel,
		replyCh: make(chan struct{}, 1), done: make(chan struct{})}
	go s.receive()

	start := modelspec.SonicSessionStart{InferenceConfiguration: cfg.Inference}
	if cfg.EndpointingSensitivity != "" && cfg.ModelID != ModelNovaSonic {
		start.TurnDetectionConfiguration = &modelspec.SonicTurnDetection{EndpointingSensitivity: cfg.EndpointingSensitivity}
	}
	events := []modelspec.SonicEvent{start, modelspec.NewSonicPromptStart(s.prompt, cfg.Voice, specs...)}
	events = append(events, modelspec.SonicTextBlock(s.prompt, cfg.NewID(), modelspec.SonicRoleSystem, cfg.System)...)
	for _, m := range cfg.History {
		events = append(events, modelspec.SonicTextBlock(s.prompt, cfg.NewID(), m.Role, m.Text)...)
	}
	if err := s.send(ctx, events...); err != nil {
		s.abort()
		return nil, err
	}
	return s, nil
}

// newUUID returns a random (version 4) UUID.
func newUUID() string {
	var u [16]byte
	rand.Read(u[:])
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	return eventstream.FormatUUID(u)
}

// send encodes and sends events in order.
func (s *Session) send(ctx context.Context, events ...modelspec.SonicEvent) error {
	s.sendMu.Lock()
	defer s.sendMu.Unlock()
	return s.sendLocked(ctx, events...)
}

func (s *Session) sendLocked(ctx context.Context, events ...modelspec.SonicEvent) error {
	for _, ev := range events {
		var err error
		if s.buf, err = modelspec.AppendSonicEvent(s.buf[:0], ev); err != nil {
			return err
		}
		if err := s.stream.Send(ctx, s.buf); err != nil {
			return err
		}
	}
	return nil
}

// StartAudio opens the user's audio content (16 kHz LPCM); SendAudio then
// sends chunks of it and EndAudio closes it. StreamAudio does all three.
func (s *Session) StartAudio(ctx context.Context) error {
	s.sendMu.Lock()
	defer s.sendMu.Unlock()
	if s.closing {
		return errors.New("novasonic: session is closing")
	}
	if s.audio != "" {
		return errors.New("novasonic: audio content already open")
	}
	name := s.cfg.NewID()
	if err := s.sendLocked(ctx, modelspec.SonicAudioStart(s.prompt, name)); err != nil {
		return err
	}
	s.audio = name
	return nil
}

// SendAudio sends pcm (16 kHz 16-bit mono LPCM, ideally 32 ms = 1,024
// bytes) as one audioInput event of the open audio content.
func (s *Session) SendAudio(ctx context.Context, pcm []byte) error {
	s.sendMu.Lock()
	defer s.sendMu.Unlock()
	if s.audio == "" {
		return errors.New("novasonic: SendAudio without StartAudio")
	}
	if len(pcm)%2 != 0 {
		return errors.New("novasonic: audio of an odd number of bytes is not 16-bit PCM")
	}
	s.buf = modelspec.AppendAudioInput(s.buf[:0], s.prompt, s.audio, pcm)
	return s.stream.Send(ctx, s.buf)
}

// EndAudio closes the open audio content.
func (s *Session) EndAudio(ctx context.Context) error {
	s.sendMu.Lock()
	defer s.sendMu.Unlock()
	return s.endAudioLocked(ctx)
}

func (s *Session) endAudioLocked(ctx context.Context) error {
	if s.audio == "" {
		return nil
	}
	name := s.audio
	s.audio = ""
	return s.sendLocked(ctx, modelspec.SonicContentEnd{PromptName: s.prompt, ContentName: name})
}

// StreamAudio sends the user's turn from r, 16 kHz 16-bit mono LPCM, in
// chunks of 32 ms (paced in real time when Config.RealTime is set), then
// up to Config.TrailingSilence of silence, stopping as soon as the model has
// finished a reply, and closes the audio content. It returns at the end of
// r, or with the first error.
func (s *Session) StreamAudio(ctx context.Context, r io.Reader) error {
	if err := s.StartAudio(ctx); err != nil {
		return err
	}
	repliesBefore := s.replies.Load()
	chunk := make([]byte, ChunkBytes)
	start := s.cfg.Clock.Now()
	sent := 0
	pace := func() error {
		sent++
		if !s.cfg.RealTime {
			return nil
		}
		due := start.Add(time.Duration(sent) * ChunkDuration)
		return s.cfg.Clock.Sleep(ctx, due.Sub(s.cfg.Clock.Now()))
	}
	for {
		n, err := io.ReadFull(r, chunk)
		if n > 0 {
			if n%2 != 0 {
				return errors.New("novasonic: audio ends in the middle of a 16-bit sample")
			}
			if err := s.SendAudio(ctx, chunk[:n]); err != nil {
				return err
			}
			if err := pace(); err != nil {
				return err
			}
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			break
		}
		if err != nil {
			return fmt.Errorf("novasonic: reading audio: %w", err)
		}
	}
	clear(chunk)
	for silence := time.Duration(0); silence < s.cfg.TrailingSilence; silence += ChunkDuration {
		if s.replies.Load() > repliesBefore {
			break
		}
		if err := s.SendAudio(ctx, chunk); err != nil {
			return err
		}
		if err := pace(); err != nil {
			return err
		}
	}
	return s.EndAudio(ctx)
}

// SendText sends a typed user turn (Nova 2 Sonic only): an interactive
// USER text content.
func (s *Session) SendText(ctx context.Context, text string) error {
	if s.cfg.ModelID == ModelNovaSonic {
		return errors.New("novasonic: typed text turns need Nova 2 Sonic")
	}
	name := s.cfg.NewID()
	block := modelspec.SonicTextBlock(s.prompt, name, modelspec.SonicRoleUser, text)
	cs := block[0].(modelspec.SonicContentStart)
	cs.Interactive = true
	block[0] = cs
	return s.send(ctx, block...)
}

// WaitReply waits until the model has finished n replies in all (an
// assistant turn that ended or was interrupted), the session ended, or ctx
// is done.
func (s *Session) WaitReply(ctx context.Context, n int) error {
	for s.replies.Load() < int64(n) {
		select {
		case <-s.replyCh:
		case <-s.done:
			if s.replies.Load() >= int64(n) {
				return nil
			}
			if s.err != nil {
				return s.err
			}
			return errors.New("novasonic: session ended before the reply")
		case <-ctx.Done():
			return context.Cause(ctx)
		}
	}
	return nil
}

// Replies returns how many replies the model has finished.
func (s *Session) Replies() int { return int(s.replies.Load()) }

// Close ends the session cleanly: it closes an open audio content, sends
// promptEnd and sessionEnd, ends the input, and waits until the model's
// output has ended (or ctx is done, which cuts the stream). It returns the
// error that ended the session, if any; calling it again returns the same.
func (s *Session) Close(ctx context.Context) error {
	s.sendMu.Lock()
	first := !s.closing
	s.closing = true
	s.sendMu.Unlock()
	s.toolMu.Lock()
	s.toolsClosed = true // no tool starts from now on
	s.toolMu.Unlock()
	var err error
	if first {
		s.toolWG.Wait() // tool results go out before promptEnd
		s.sendMu.Lock()
		err = s.endAudioLocked(ctx)
		if err == nil {
			err = s.sendLocked(ctx, modelspec.SonicPromptEnd{PromptName: s.prompt}, modelspec.SonicSessionEnd{})
		}
		if err == nil {
			err = s.stream.CloseSend()
		}
		s.sendMu.Unlock()
	}
	select {
	case <-s.done:
	case <-ctx.Done():
		s.abort()
		<-s.done
		if err == nil {
			err = context.Cause(ctx)
		}
	}
	if s.err != nil {
		return s.err
	}
	return err
}

// Abort ends the session at once, without the closing events.
func (s *Session) Abort() { s.abort() }

func (s *Session) abort() {
	s.cancel()
	s.stream.Close()
	<-s.done
}

// Done is closed when the model's output has ended.
func (s *Session) Done() <-chan struct{} { return s.done }

// Err returns the error that ended the session once Done is closed.
func (s *Session) Err() error {
	select {
	case <-s.done:
		return s.err
	default:
		return nil
	}
}

// outContent is what the session remembers of an open output content.
type outContent struct {
	typ, role, stage string
	toolUse          *modelspec.SonicToolUse
}

// receive reads the model's output until it ends and dispatches it.
func (s *Session) receive() {
	contents := make(map[string]*outContent)
	var err error
	for s.stream.Next() {
		var ev modelspec.SonicEvent
		ev, err = modelspec.ParseSonicEvent(s.stream.Event())
		if err != nil {
			err = fmt.Errorf("novasonic: %w", err)
			break
		}
		if s.cfg.OnEvent != nil {
			s.cfg.OnEvent(ev)
		}
		switch e := ev.(type) {
		case *modelspec.SonicOutputContentStart:
			contents[e.ContentID] = &outContent{typ: e.Type, role: e.Role, stage: e.GenerationStage()}
		case *modelspec.SonicTextOutput:
			if e.Interrupted() {
				if s.cfg.OnInterrupted != nil {
					s.cfg.OnInterrupted()
				}
				continue
			}
			tr := Transcript{Role: e.Role, Text: e.Content}
			if oc := contents[e.ContentID]; oc != nil {
				tr.Stage = oc.stage
				if tr.Role == "" {
					tr.Role = oc.role
				}
			}
			if s.cfg.OnTranscript != nil {
				s.cfg.OnTranscript(tr)
			}
		case *modelspec.SonicAudioOutput:
			if s.cfg.OnAudio != nil {
				pcm, perr := e.AppendPCM(nil)
				if perr != nil {
					err = fmt.Errorf("novasonic: %w", perr)
					break
				}
				s.cfg.OnAudio(pcm)
			}
		case *modelspec.SonicToolUse:
			if oc := contents[e.ContentID]; oc != nil {
				oc.toolUse = e
			} else {
				contents[e.ContentID] = &outContent{typ: modelspec.SonicTypeTool, toolUse: e}
			}
		case *modelspec.SonicOutputContentEnd:
			oc := contents[e.ContentID]
			delete(contents, e.ContentID)
			if e.StopReason == modelspec.SonicStopInterrupted && s.cfg.OnInterrupted != nil {
				s.cfg.OnInterrupted()
			}
			if oc == nil {
				continue
			}
			if oc.toolUse != nil {
				s.runTool(oc.toolUse)
			}
			if oc.role == modelspec.SonicRoleAssistant && (e.StopReason == modelspec.SonicStopEndTurn || e.StopReason == modelspec.SonicStopInterrupted) {
				s.replies.Add(1)
				select {
				case s.replyCh <- struct{}{}:
				default:
				}
			}
		}
		if err != nil {
			break
		}
	}
	if err == nil {
		err = s.stream.Err()
	}
	s.stream.Close()
	s.cancel()
	s.toolWG.Wait()
	s.err = err
	close(s.done)
}

// runTool runs a tool the model called, in its own goroutine, and sends its
// result back as a TOOL content block.
func (s *Session) runTool(use *modelspec.SonicToolUse) {
	s.toolMu.Lock()
	defer s.toolMu.Unlock()
	if s.toolsClosed {
		return
	}
	s.toolWG.Add(1)
	go func() {
		defer s.toolWG.Done()
		result := s.callTool(use)
		s.send(s.ctx, modelspec.SonicToolResultBlock(s.prompt, s.cfg.NewID(), use.ToolUseID, result)...)
	}()
}

// callTool returns the result of a tool call as the JSON text to send back.
func (s *Session) callTool(use *modelspec.SonicToolUse) string {
	fail := func(msg string) string {
		b, _ := json.Marshal(map[string]string{"error": msg})
		return string(b)
	}
	t, ok := s.tools[use.ToolName]
	if !ok {
		return fail("unknown tool " + use.ToolName)
	}
	input, err := use.Input()
	if err != nil {
		return fail("the tool input is not JSON")
	}
	out, err := t.Run(s.ctx, input)
	if err != nil {
		return fail(err.Error())
	}
	if !json.Valid([]byte(out)) {
		b, _ := json.Marshal(out) // plain text becomes a JSON string
		return string(b)
	}
	return out
}
