package bedrocktest

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"strings"

	"github.com/bedrockwire/bedrockwire/modelspec"
)

// The built-in speech-to-speech model behind the bidirectional operation,
// shaped like Nova Sonic:
//
//   - SYSTEM text and non-interactive USER/ASSISTANT text (history) are
//     remembered, not answered;
//   - an interactive USER text block, or a USER audio block, is a turn: at
//     its contentEnd the model sends the user's transcript (the text as
//     sent; for audio "(N ms of audio)"), then speaks "You said: …" as a
//     speculative text, synthetic audio (SpeechAudio) at the promptStart
//     output rate, and the final text, followed by a usageEvent;
//   - when promptStart configures tools and the turn names one, the model
//     calls it (toolUse in a TOOL block) and answers "Tool <name> returned:
//     …" once the TOOL result block ends;
//   - promptEnd or sessionEnd close the completion with completionEnd.
//
// Events out of order (anything before sessionStart, content for another
// prompt, input into a content block that was not opened) end the stream
// with a validationException.

// sonicSession is one bidirectional session with the built-in model.
type sonicSession struct {
	sessionID  string
	started    bool
	promptName string
	outRate    int
	voice      string
	tools      []modelspec.SonicTool
	contents   map[string]*sonicContent

	completionID string
	ids          int
	pendingTools map[string]string // toolUseId → tool name
	inText       int
	inSpeech     int
	outText      int
	outSpeech    int
	lastUsage    modelspec.SonicUsageSplit // totals at the previous usageEvent
	closed       bool
}

type sonicContent struct {
	typ, role   string
	interactive bool
	text        strings.Builder
	audioBytes  int
	audioRate   int
	toolUseID   string
}

func newSonicSession(c *call) *sonicSession {
	return &sonicSession{
		sessionID:    c.id,
		outRate:      modelspec.SonicOutputSampleRate,
		contents:     make(map[string]*sonicContent),
		pendingTools: make(map[string]string),
	}
}

func (ss *sonicSession) nextID() string {
	ss.ids++
	return fmt.Sprintf("5e551a00-0000-4000-8000-%012x", ss.ids)
}

func (ss *sonicSession) header() modelspec.SonicOutputHeader {
	return modelspec.SonicOutputHeader{SessionID: ss.sessionID, PromptName: ss.promptName, CompletionID: ss.completionID}
}

// handle takes one input event and returns the output events it causes.
func (ss *sonicSession) handle(data []byte) ([][]byte, *Error) {
	ev, err := modelspec.ParseSonicInputEvent(data)
	if err != nil {
		return nil, ValidationError("Invalid input event: " + strings.TrimPrefix(err.Error(), "modelspec: "))
	}
	if ss.closed {
		return nil, ValidationError("No events are accepted after sessionEnd.")
	}
	if _, ok := ev.(*modelspec.SonicSessionStart); !ok && !ss.started {
		return nil, ValidationError("The first event of a session must be sessionStart.")
	}
	var out outEvents
	switch e := ev.(type) {
	case *modelspec.SonicSessionStart:
		if ss.started {
			return nil, ValidationError("sessionStart was already received.")
		}
		ss.started = true
	case *modelspec.SonicPromptStart:
		if e.PromptName == "" {
			return nil, ValidationError("promptStart requires a promptName.")
		}
		if ss.promptName != "" {
			return nil, ValidationError("A prompt is already open; send promptEnd first.")
		}
		ss.promptName = e.PromptName
		if a := e.AudioOutputConfiguration; a != nil {
			switch a.SampleRateHertz {
			case 8000, 16000, 24000:
				ss.outRate = a.SampleRateHertz
			default:
				return nil, ValidationError(fmt.Sprintf("Invalid audioOutputConfiguration.sampleRateHertz %d: supported values are 8000, 16000, 24000.", a.SampleRateHertz))
			}
			ss.voice = a.VoiceID
		}
		if tc := e.ToolConfiguration; tc != nil {
			ss.tools = tc.Tools
		}
	case *modelspec.SonicContentStart:
		if e.PromptName != ss.promptName {
			return nil, ValidationError(fmt.Sprintf("contentStart names prompt %q, but the open prompt is %q.", e.PromptName, ss.promptName))
		}
		if e.ContentName == "" {
			return nil, ValidationError("contentStart requires a contentName.")
		}
		sc := &sonicContent{typ: e.Type, role: e.Role, interactive: e.Interactive}
		if a := e.AudioInputConfiguration; a != nil {
			sc.audioRate = a.SampleRateHertz
		}
		if t := e.ToolResultInputConfiguration; t != nil {
			sc.toolUseID = t.ToolUseID
		}
		ss.contents[e.ContentName] = sc
	case *modelspec.SonicTextInput:
		sc, e2 := ss.content(e.PromptName, e.ContentName, "textInput")
		if e2 != nil {
			return nil, e2
		}
		sc.text.WriteString(e.Content)
	case *modelspec.SonicAudioInput:
		sc, e2 := ss.content(e.PromptName, e.ContentName, "audioInput")
		if e2 != nil {
			return nil, e2
		}
		pcm, err := base64.StdEncoding.DecodeString(e.Content)
		if err != nil {
			return nil, ValidationError("audioInput content is not valid base64.")
		}
		sc.audioBytes += len(pcm)
	case *modelspec.SonicToolResult:
		sc, e2 := ss.content(e.PromptName, e.ContentName, "toolResult")
		if e2 != nil {
			return nil, e2
		}
		sc.text.WriteString(e.Content)
	case *modelspec.SonicContentEnd:
		sc, e2 := ss.content(e.PromptName, e.ContentName, "contentEnd")
		if e2 != nil {
			return nil, e2
		}
		delete(ss.contents, e.ContentName)
		ss.endContent(sc, &out)
	case *modelspec.SonicPromptEnd:
		if e.PromptName != ss.promptName {
			return nil, ValidationError(fmt.Sprintf("promptEnd names prompt %q, but the open prompt is %q.", e.PromptName, ss.promptName))
		}
		ss.endCompletion(&out)
		ss.promptName = ""
	case *modelspec.SonicSessionEnd:
		ss.endCompletion(&out)
		ss.closed = true
	}
	return out.list, nil
}

// finish returns what the model still has to say when input ends.
func (ss *sonicSession) finish() [][]byte {
	var out outEvents
	ss.endCompletion(&out)
	return out.list
}

func (ss *sonicSession) content(prompt, name, event string) (*sonicContent, *Error) {
	if prompt != ss.promptName {
		return nil, ValidationError(fmt.Sprintf("%s names prompt %q, but the open prompt is %q.", event, prompt, ss.promptName))
	}
	sc, ok := ss.contents[name]
	if !ok {
		return nil, ValidationError(fmt.Sprintf("%s names content %q, which was not started.", event, name))
	}
	return sc, nil
}

// endContent reacts to a closed input content block.
func (ss *sonicSession) endContent(sc *sonicContent, out *outEvents) {
	switch {
	case sc.role == modelspec.SonicRoleTool || sc.typ == modelspec.SonicTypeTool:
		name := ss.pendingTools[sc.toolUseID]
		if name == "" {
			name = sc.toolUseID
		}
		delete(ss.pendingTools, sc.toolUseID)
		ss.inText += countTokens(sc.text.String())
		ss.speak(out, fmt.Sprintf("Tool %s returned: %s", name, sc.text.String()))
	case sc.role == modelspec.SonicRoleUser && sc.typ == modelspec.SonicTypeAudio:
		rate := sc.audioRate
		if rate <= 0 {
			rate = modelspec.SonicInputSampleRate
		}
		ms := sc.audioBytes * 1000 / (2 * rate)
		ss.inSpeech += max(ms/40, 1)
		ss.turn(out, fmt.Sprintf("(%d ms of audio)", ms))
	case sc.role == modelspec.SonicRoleUser && sc.typ == modelspec.SonicTypeText && sc.interactive:
		ss.inText += countTokens(sc.text.String())
		ss.turn(out, sc.text.String())
	default:
		ss.inText += countTokens(sc.text.String())
	}
}

// turn answers a user turn: transcript, then a tool call or speech.
func (ss *sonicSession) turn(out *outEvents, transcript string) {
	ss.openCompletion(out)
	id := ss.nextID()
	out.add(modelspec.SonicOutputContentStart{SonicOutputHeader: ss.header(), ContentID: id, Type: modelspec.SonicTypeText,
		Role: modelspec.SonicRoleUser, AdditionalModelFields: `{"generationStage":"FINAL"}`,
		TextOutputConfiguration: &modelspec.SonicMediaConfig{MediaType: modelspec.SonicMediaTypeText}})
	out.add(modelspec.SonicTextOutput{SonicOutputHeader: ss.header(), ContentID: id, Content: transcript, Role: modelspec.SonicRoleUser})
	out.add(modelspec.SonicOutputContentEnd{SonicOutputHeader: ss.header(), ContentID: id, Type: modelspec.SonicTypeText, StopReason: modelspec.SonicStopEndTurn})

	for _, t := range ss.tools {
		if t.ToolSpec.Name != "" && strings.Contains(transcript, t.ToolSpec.Name) {
			input := toolInput(transcript, json.RawMessage(t.ToolSpec.InputSchema.JSON))
			useID := toolUseID(t.ToolSpec.Name, input)
			ss.pendingTools[useID] = t.ToolSpec.Name
			id := ss.nextID()
			out.add(modelspec.SonicOutputContentStart{SonicOutputHeader: ss.header(), ContentID: id, Type: modelspec.SonicTypeTool,
				Role: modelspec.SonicRoleTool, ToolUseOutputConfiguration: &modelspec.SonicMediaConfig{MediaType: "application/json"}})
			out.add(modelspec.SonicToolUse{SonicOutputHeader: ss.header(), ContentID: id, ToolName: t.ToolSpec.Name, ToolUseID: useID, Content: input})
			out.add(modelspec.SonicOutputContentEnd{SonicOutputHeader: ss.header(), ContentID: id, Type: modelspec.SonicTypeTool, StopReason: modelspec.SonicStopToolUse})
			ss.outText += countTokens(input)
			ss.usage(out)
			return
		}
	}
	ss.speak(out, "You said: "+transcript)
}

// speak sends an assistant answer: speculative text, audio, final text,
// usage.
func (ss *sonicSession) speak(out *outEvents, text string) {
	ss.openCompletion(out)
	textBlock := func(stage, stop string) {
		id := ss.nextID()
		out.add(modelspec.SonicOutputContentStart{SonicOutputHeader: ss.header(), ContentID: id, Type: modelspec.SonicTypeText,
			Role: modelspec.SonicRoleAssistant, AdditionalModelFields: `{"generationStage":"` + stage + `"}`,
			TextOutputConfiguration: &modelspec.SonicMediaConfig{MediaType: modelspec.SonicMediaTypeText}})
		out.add(modelspec.SonicTextOutput{SonicOutputHeader: ss.header(), ContentID: id, Content: text, Role: modelspec.SonicRoleAssistant})
		out.add(modelspec.SonicOutputContentEnd{SonicOutputHeader: ss.header(), ContentID: id, Type: modelspec.SonicTypeText, StopReason: stop})
	}
	textBlock(modelspec.SonicStageSpeculative, modelspec.SonicStopPartialTurn)

	id := ss.nextID()
	cfg := &modelspec.SonicAudioConfig{MediaType: modelspec.SonicMediaTypeAudio, SampleRateHertz: ss.outRate, SampleSizeBits: 16,
		ChannelCount: 1, VoiceID: ss.voice, Encoding: "base64", AudioType: "SPEECH"}
	out.add(modelspec.SonicOutputContentStart{SonicOutputHeader: ss.header(), ContentID: id, Type: modelspec.SonicTypeAudio,
		Role: modelspec.SonicRoleAssistant, AdditionalModelFields: `{"generationStage":"FINAL"}`, AudioOutputConfiguration: cfg})
	pcm := SpeechAudio(text, ss.outRate)
	chunk := ss.outRate / 10 * 2 // 100 ms
	for len(pcm) > 0 {
		n := min(chunk, len(pcm))
		out.add(modelspec.SonicAudioOutput{SonicOutputHeader: ss.header(), ContentID: id, Content: base64.StdEncoding.EncodeToString(pcm[:n])})
		pcm = pcm[n:]
	}
	out.add(modelspec.SonicOutputContentEnd{SonicOutputHeader: ss.header(), ContentID: id, Type: modelspec.SonicTypeAudio, StopReason: modelspec.SonicStopPartialTurn})

	textBlock(modelspec.SonicStageFinal, modelspec.SonicStopEndTurn)
	ss.outText += countTokens(text)
	ss.outSpeech += countTokens(text) * 2
	ss.usage(out)
}

func (ss *sonicSession) usage(out *outEvents) {
	in := modelspec.SonicTokenCounts{SpeechTokens: ss.inSpeech, TextTokens: ss.inText}
	o := modelspec.SonicTokenCounts{SpeechTokens: ss.outSpeech, TextTokens: ss.outText}
	total := modelspec.SonicUsageSplit{Input: in, Output: o}
	last := ss.lastUsage
	delta := modelspec.SonicUsageSplit{
		Input:  modelspec.SonicTokenCounts{SpeechTokens: in.SpeechTokens - last.Input.SpeechTokens, TextTokens: in.TextTokens - last.Input.TextTokens},
		Output: modelspec.SonicTokenCounts{SpeechTokens: o.SpeechTokens - last.Output.SpeechTokens, TextTokens: o.TextTokens - last.Output.TextTokens},
	}
	ss.lastUsage = total
	out.add(modelspec.SonicUsageEvent{SonicOutputHeader: ss.header(),
		Details:          modelspec.SonicUsageDetails{Delta: delta, Total: total},
		TotalInputTokens: in.SpeechTokens + in.TextTokens, TotalOutputTokens: o.SpeechTokens + o.TextTokens,
		TotalTokens: in.SpeechTokens + in.TextTokens + o.SpeechTokens + o.TextTokens})
}

func (ss *sonicSession) openCompletion(out *outEvents) {
	if ss.completionID != "" {
		return
	}
	ss.completionID = ss.nextID()
	out.add(modelspec.SonicCompletionStart{SonicOutputHeader: ss.header()})
}

func (ss *sonicSession) endCompletion(out *outEvents) {
	if ss.completionID == "" {
		return
	}
	out.add(modelspec.SonicCompletionEnd{SonicOutputHeader: ss.header(), StopReason: "END_TURN"})
	ss.completionID = ""
}

// outEvents collects encoded output events.
type outEvents struct{ list [][]byte }

func (o *outEvents) add(ev modelspec.SonicEvent) {
	b, err := modelspec.EncodeSonicEvent(ev)
	if err != nil {
		panic("bedrocktest: encoding a sonic event: " + err.Error())
	}
	o.list = append(o.list, b)
}

// SpeechAudio returns the synthetic speech the built-in speech model says
// for text: 16-bit little-endian mono LPCM at sampleRate, 60 ms per word
// (at least 120 ms) of a 220 Hz tone. Tests use it to predict the audio.
func SpeechAudio(text string, sampleRate int) []byte {
	if sampleRate <= 0 {
		return nil
	}
	ms := max(60*countTokens(text), 120)
	n := sampleRate * ms / 1000
	pcm := make([]byte, 2*n)
	for i := 0; i < n; i++ {
		v := int16(6000 * math.Sin(2*math.Pi*220*float64(i)/float64(sampleRate)))
		binary.LittleEndian.PutUint16(pcm[2*i:], uint16(v))
	}
	return pcm
}
