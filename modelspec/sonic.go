package modelspec

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Nova Sonic (amazon.nova-sonic-v1:0, amazon.nova-2-sonic-v1:0) speaks
// InvokeModelWithBidirectionalStream. Every model event, in both directions,
// is a JSON object {"event":{"<name>":{...}}}. The input events below are what
// a client sends, in this order: sessionStart, promptStart, then content
// blocks (contentStart, textInput/audioInput/toolResult..., contentEnd), then
// promptEnd and sessionEnd. The output events are what the model sends back.

// Audio formats and rates used by Nova Sonic.
const (
	SonicMediaTypeText  = "text/plain"
	SonicMediaTypeAudio = "audio/lpcm"
	SonicMediaTypeJSON  = "application/json"

	SonicInputSampleRate  = 16000 // Hz, 16-bit signed little-endian mono LPCM
	SonicOutputSampleRate = 24000 // Hz, the default output rate
)

// Content types (contentStart "type").
const (
	SonicTypeText  = "TEXT"
	SonicTypeAudio = "AUDIO"
	SonicTypeTool  = "TOOL"
)

// Roles (contentStart "role").
const (
	SonicRoleSystem       = "SYSTEM"
	SonicRoleUser         = "USER"
	SonicRoleAssistant    = "ASSISTANT"
	SonicRoleTool         = "TOOL"
	SonicRoleSystemSpeech = "SYSTEM_SPEECH" // Nova 2 Sonic
)

// Stop reasons (output contentEnd "stopReason").
const (
	SonicStopPartialTurn = "PARTIAL_TURN"
	SonicStopEndTurn     = "END_TURN"
	SonicStopInterrupted = "INTERRUPTED"
	SonicStopToolUse     = "TOOL_USE"
)

// Generation stages found in an output contentStart's additionalModelFields.
const (
	SonicStageSpeculative = "SPECULATIVE"
	SonicStageFinal       = "FINAL"
)

// SonicVoices lists the Nova Sonic v1 voice IDs by locale. Nova 2 Sonic adds
// more; the voice ID is passed through unchecked.
var SonicVoices = map[string][]string{
	"en-US": {"tiffany", "matthew"},
	"en-GB": {"amy"},
	"fr-FR": {"ambre", "florian"},
	"it-IT": {"beatrice", "lorenzo"},
	"de-DE": {"greta", "lennart"},
	"es-US": {"lupe", "carlos"},
}

// SonicEvent is any Nova Sonic event, input or output. Its name is the key
// under "event" on the wire.
type SonicEvent interface {
	SonicEventName() string
}

// ---- input events ----

// SonicInferenceConfiguration is sessionStart's inferenceConfiguration.
type SonicInferenceConfiguration struct {
	MaxTokens   int      `json:"maxTokens,omitempty"`
	TopP        *float64 `json:"topP,omitempty"`
	Temperature *float64 `json:"temperature,omitempty"`
}

// SonicTurnDetection is Nova 2 Sonic's turnDetectionConfiguration.
type SonicTurnDetection struct {
	EndpointingSensitivity string `json:"endpointingSensitivity"` // HIGH, MEDIUM or LOW
}

// SonicSessionStart opens a session.
type SonicSessionStart struct {
	InferenceConfiguration     SonicInferenceConfiguration `json:"inferenceConfiguration"`
	TurnDetectionConfiguration *SonicTurnDetection         `json:"turnDetectionConfiguration,omitempty"`
}

// SonicMediaConfig is a configuration that only names a media type
// (textOutputConfiguration, textInputConfiguration, toolUseOutputConfiguration).
type SonicMediaConfig struct {
	MediaType string `json:"mediaType"`
}

// SonicAudioConfig describes an audio stream: audioOutputConfiguration in
// promptStart (with VoiceID) or audioInputConfiguration in contentStart.
type SonicAudioConfig struct {
	MediaType       string `json:"mediaType"`
	SampleRateHertz int    `json:"sampleRateHertz"`
	SampleSizeBits  int    `json:"sampleSizeBits"`
	ChannelCount    int    `json:"channelCount"`
	VoiceID         string `json:"voiceId,omitempty"`
	Encoding        string `json:"encoding"`
	AudioType       string `json:"audioType"`
}

// SonicAudioOutput24k returns the usual audioOutputConfiguration: 24 kHz
// 16-bit mono LPCM, base64, speech, in the given voice.
func SonicAudioOutput24k(voiceID string) *SonicAudioConfig {
	return &SonicAudioConfig{MediaType: SonicMediaTypeAudio, SampleRateHertz: SonicOutputSampleRate,
		SampleSizeBits: 16, ChannelCount: 1, VoiceID: voiceID, Encoding: "base64", AudioType: "SPEECH"}
}

// SonicAudioInput16k returns the usual audioInputConfiguration: 16 kHz 16-bit
// mono LPCM, base64, speech.
func SonicAudioInput16k() *SonicAudioConfig {
	return &SonicAudioConfig{MediaType: SonicMediaTypeAudio, SampleRateHertz: SonicInputSampleRate,
		SampleSizeBits: 16, ChannelCount: 1, Encoding: "base64", AudioType: "SPEECH"}
}

// SonicToolInputSchema holds a tool's JSON Schema. On the wire the schema is a
// JSON string, not an object.
type SonicToolInputSchema struct {
	JSON string `json:"json"`
}

// SonicToolSpec describes one tool.
type SonicToolSpec struct {
	Name        string               `json:"name"`
	Description string               `json:"description,omitempty"`
	InputSchema SonicToolInputSchema `json:"inputSchema"`
}

// SonicTool wraps a SonicToolSpec.
type SonicTool struct {
	ToolSpec SonicToolSpec `json:"toolSpec"`
}

// SonicToolConfiguration is promptStart's toolConfiguration.
type SonicToolConfiguration struct {
	Tools      []SonicTool     `json:"tools"`
	ToolChoice json.RawMessage `json:"toolChoice,omitempty"` // e.g. {"auto":{}}
}

// SonicPromptStart opens a prompt and fixes the output formats.
type SonicPromptStart struct {
	PromptName                 string                  `json:"promptName"`
	TextOutputConfiguration    *SonicMediaConfig       `json:"textOutputConfiguration,omitempty"`
	AudioOutputConfiguration   *SonicAudioConfig       `json:"audioOutputConfiguration,omitempty"`
	ToolUseOutputConfiguration *SonicMediaConfig       `json:"toolUseOutputConfiguration,omitempty"`
	ToolConfiguration          *SonicToolConfiguration `json:"toolConfiguration,omitempty"`
}

// SonicToolResultInputConfiguration is contentStart's
// toolResultInputConfiguration for a TOOL content block.
type SonicToolResultInputConfiguration struct {
	ToolUseID              string           `json:"toolUseId"`
	Type                   string           `json:"type"` // TEXT
	TextInputConfiguration SonicMediaConfig `json:"textInputConfiguration"`
}

// SonicContentStart opens an input content block.
type SonicContentStart struct {
	PromptName                   string                             `json:"promptName"`
	ContentName                  string                             `json:"contentName"`
	Type                         string                             `json:"type"`
	Interactive                  bool                               `json:"interactive"`
	Role                         string                             `json:"role"`
	TextInputConfiguration       *SonicMediaConfig                  `json:"textInputConfiguration,omitempty"`
	AudioInputConfiguration      *SonicAudioConfig                  `json:"audioInputConfiguration,omitempty"`
	ToolResultInputConfiguration *SonicToolResultInputConfiguration `json:"toolResultInputConfiguration,omitempty"`
}

// SonicTextInput carries text inside a TEXT content block.
type SonicTextInput struct {
	PromptName  string `json:"promptName"`
	ContentName string `json:"contentName"`
	Content     string `json:"content"`
}

// SonicAudioInput carries base64 LPCM inside an AUDIO content block. For the
// hot path use AppendAudioInput, which encodes straight from PCM.
type SonicAudioInput struct {
	PromptName  string `json:"promptName"`
	ContentName string `json:"contentName"`
	Content     string `json:"content"` // base64
}

// SonicToolResult carries a tool's result (a JSON document as a string)
// inside a TOOL content block.
type SonicToolResult struct {
	PromptName  string `json:"promptName"`
	ContentName string `json:"contentName"`
	Content     string `json:"content"`
}

// SonicContentEnd closes an input content block.
type SonicContentEnd struct {
	PromptName  string `json:"promptName"`
	ContentName string `json:"contentName"`
}

// SonicPromptEnd closes the prompt.
type SonicPromptEnd struct {
	PromptName string `json:"promptName"`
}

// SonicSessionEnd closes the session; its body is {}.
type SonicSessionEnd struct{}

func (SonicSessionStart) SonicEventName() string { return "sessionStart" }
func (SonicPromptStart) SonicEventName() string  { return "promptStart" }
func (SonicContentStart) SonicEventName() string { return "contentStart" }
func (SonicTextInput) SonicEventName() string    { return "textInput" }
func (SonicAudioInput) SonicEventName() string   { return "audioInput" }
func (SonicToolResult) SonicEventName() string   { return "toolResult" }
func (SonicContentEnd) SonicEventName() string   { return "contentEnd" }
func (SonicPromptEnd) SonicEventName() string    { return "promptEnd" }
func (SonicSessionEnd) SonicEventName() string   { return "sessionEnd" }

// SonicTextBlock returns the three events of a complete text content block
// (contentStart, textInput, contentEnd) for role SYSTEM, USER or ASSISTANT.
// Interactive is false, as for the system prompt and history.
func SonicTextBlock(promptName, contentName, role, text string) []SonicEvent {
	return []SonicEvent{
		SonicContentStart{PromptName: promptName, ContentName: contentName, Type: SonicTypeText,
			Role: role, TextInputConfiguration: &SonicMediaConfig{MediaType: SonicMediaTypeText}},
		SonicTextInput{PromptName: promptName, ContentName: contentName, Content: text},
		SonicContentEnd{PromptName: promptName, ContentName: contentName},
	}
}

// SonicToolResultBlock returns the three events that answer a toolUse:
// contentStart (TOOL), toolResult with result (a JSON document), contentEnd.
func SonicToolResultBlock(promptName, contentName, toolUseID, result string) []SonicEvent {
	return []SonicEvent{
		SonicContentStart{PromptName: promptName, ContentName: contentName, Type: SonicTypeTool,
			Role: SonicRoleTool, ToolResultInputConfiguration: &SonicToolResultInputConfiguration{
				ToolUseID: toolUseID, Type: SonicTypeText,
				TextInputConfiguration: SonicMediaConfig{MediaType: SonicMediaTypeText}}},
		SonicToolResult{PromptName: promptName, ContentName: contentName, Content: result},
		SonicContentEnd{PromptName: promptName, ContentName: contentName},
	}
}

// SonicAudioStart returns the contentStart that opens the microphone: AUDIO,
// interactive, role USER, 16 kHz LPCM input.
func SonicAudioStart(promptName, contentName string) SonicContentStart {
	return SonicContentStart{PromptName: promptName, ContentName: contentName, Type: SonicTypeAudio,
		Interactive: true, Role: SonicRoleUser, AudioInputConfiguration: SonicAudioInput16k()}
}

// ---- output events ----

// SonicOutputHeader holds the identifiers every output event carries.
type SonicOutputHeader struct {
	SessionID    string `json:"sessionId,omitempty"`
	PromptName   string `json:"promptName,omitempty"`
	CompletionID string `json:"completionId,omitempty"`
}

// SonicCompletionStart opens a response cycle.
type SonicCompletionStart struct {
	SonicOutputHeader
}

// SonicOutputContentStart opens an output content block.
type SonicOutputContentStart struct {
	SonicOutputHeader
	ContentID string `json:"contentId"`
	Type      string `json:"type"`
	Role      string `json:"role"`
	// AdditionalModelFields is a JSON document carried as a string, such as
	// {"generationStage":"FINAL"}. See GenerationStage.
	AdditionalModelFields      string            `json:"additionalModelFields,omitempty"`
	TextOutputConfiguration    *SonicMediaConfig `json:"textOutputConfiguration,omitempty"`
	AudioOutputConfiguration   *SonicAudioConfig `json:"audioOutputConfiguration,omitempty"`
	ToolUseOutputConfiguration *SonicMediaConfig `json:"toolUseOutputConfiguration,omitempty"`
}

// GenerationStage returns SPECULATIVE, FINAL, or "" when
// additionalModelFields does not name one.
func (c *SonicOutputContentStart) GenerationStage() string {
	if c.AdditionalModelFields == "" {
		return ""
	}
	var f struct {
		GenerationStage string `json:"generationStage"`
	}
	if json.Unmarshal([]byte(c.AdditionalModelFields), &f) != nil {
		return ""
	}
	return f.GenerationStage
}

// SonicTextOutput is text from the model: the user's transcript (role USER)
// or the assistant's speech (role ASSISTANT).
type SonicTextOutput struct {
	SonicOutputHeader
	ContentID string `json:"contentId"`
	Content   string `json:"content"`
	Role      string `json:"role,omitempty"`
}

// Interrupted reports whether this text output is the barge-in notice
// ({ "interrupted" : true }) the model sends when the user talks over it.
func (t *SonicTextOutput) Interrupted() bool {
	s := strings.TrimSpace(t.Content)
	if !strings.HasPrefix(s, "{") {
		return false
	}
	var v struct {
		Interrupted bool `json:"interrupted"`
	}
	return json.Unmarshal([]byte(s), &v) == nil && v.Interrupted
}

// SonicAudioOutput is a chunk of the model's speech as base64 LPCM.
type SonicAudioOutput struct {
	SonicOutputHeader
	ContentID string `json:"contentId"`
	Content   string `json:"content"`
}

// AppendPCM decodes the audio into dst and returns the extended slice.
func (a *SonicAudioOutput) AppendPCM(dst []byte) ([]byte, error) {
	out, err := base64.StdEncoding.AppendDecode(dst, []byte(a.Content))
	if err != nil {
		return dst, &FormatError{Format: "sonic audioOutput", Err: err}
	}
	return out, nil
}

// SonicToolUse asks the client to run a tool. Content is the tool input as a
// JSON string; run the tool when the TOOL content block ends.
type SonicToolUse struct {
	SonicOutputHeader
	ContentID string `json:"contentId"`
	ToolName  string `json:"toolName"`
	ToolUseID string `json:"toolUseId"`
	Content   string `json:"content"`
}

// Input returns the tool input as raw JSON, or an error if it is not JSON.
func (t *SonicToolUse) Input() (json.RawMessage, error) {
	if !json.Valid([]byte(t.Content)) {
		return nil, &FormatError{Format: "sonic toolUse", Err: errors.New("content is not a JSON document")}
	}
	return json.RawMessage(t.Content), nil
}

// SonicOutputContentEnd closes an output content block.
type SonicOutputContentEnd struct {
	SonicOutputHeader
	ContentID  string `json:"contentId"`
	Type       string `json:"type,omitempty"`
	StopReason string `json:"stopReason,omitempty"`
}

// SonicTokenCounts splits tokens by kind.
type SonicTokenCounts struct {
	SpeechTokens int `json:"speechTokens"`
	TextTokens   int `json:"textTokens"`
}

// SonicUsageSplit holds input and output token counts.
type SonicUsageSplit struct {
	Input  SonicTokenCounts `json:"input"`
	Output SonicTokenCounts `json:"output"`
}

// SonicUsageDetails holds the per-event delta and the running total.
type SonicUsageDetails struct {
	Delta SonicUsageSplit `json:"delta"`
	Total SonicUsageSplit `json:"total"`
}

// SonicUsageEvent reports token usage; the totals are running totals.
type SonicUsageEvent struct {
	SonicOutputHeader
	Details           SonicUsageDetails `json:"details"`
	TotalInputTokens  int               `json:"totalInputTokens"`
	TotalOutputTokens int               `json:"totalOutputTokens"`
	TotalTokens       int               `json:"totalTokens"`
}

// SonicCompletionEnd closes a response cycle.
type SonicCompletionEnd struct {
	SonicOutputHeader
	StopReason string `json:"stopReason,omitempty"`
}

// SonicUnknownEvent is an event this package does not know, kept whole.
type SonicUnknownEvent struct {
	Name string
	Body json.RawMessage
}

func (SonicCompletionStart) SonicEventName() string    { return "completionStart" }
func (SonicOutputContentStart) SonicEventName() string { return "contentStart" }
func (SonicTextOutput) SonicEventName() string         { return "textOutput" }
func (SonicAudioOutput) SonicEventName() string        { return "audioOutput" }
func (SonicToolUse) SonicEventName() string            { return "toolUse" }
func (SonicOutputContentEnd) SonicEventName() string   { return "contentEnd" }
func (SonicUsageEvent) SonicEventName() string         { return "usageEvent" }
func (SonicCompletionEnd) SonicEventName() string      { return "completionEnd" }

// SonicEventName returns the unknown event's name.
func (u SonicUnknownEvent) SonicEventName() string { return u.Name }

// ---- encoding and parsing ----

// EncodeSonicEvent returns ev as {"event":{"<name>":{...}}}. Pointers to event
// values are accepted too. A SonicUnknownEvent is written with its raw body.
func EncodeSonicEvent(ev SonicEvent) ([]byte, error) {
	return AppendSonicEvent(nil, ev)
}

// AppendSonicEvent appends the encoding of ev (see EncodeSonicEvent) to dst.
func AppendSonicEvent(dst []byte, ev SonicEvent) ([]byte, error) {
	if ev == nil {
		return dst, errors.New("modelspec: nil Sonic event")
	}
	var body []byte
	if p, ok := ev.(*SonicUnknownEvent); ok && p != nil {
		ev = *p
	}
	if u, ok := ev.(SonicUnknownEvent); ok {
		body = bytes.TrimSpace(u.Body)
		if len(body) == 0 {
			body = []byte("{}")
		}
		if !json.Valid(body) {
			return dst, fmt.Errorf("modelspec: Sonic event %q: body is not valid JSON", u.Name)
		}
	} else {
		var err error
		if body, err = marshalBody(ev); err != nil {
			return dst, fmt.Errorf("modelspec: encoding Sonic event %q: %w", ev.SonicEventName(), err)
		}
	}
	dst = append(dst, `{"event":{`...)
	dst = AppendJSONString(dst, ev.SonicEventName())
	dst = append(dst, ':')
	dst = append(dst, body...)
	return append(dst, "}}"...), nil
}

// AppendAudioInput appends {"event":{"audioInput":{"promptName":…,
// "contentName":…,"content":"<base64 of pcm>"}}} to dst, encoding the PCM
// straight into dst. With a dst of sufficient capacity it does not allocate.
// The bytes equal EncodeSonicEvent(SonicAudioInput{…}).
func AppendAudioInput(dst []byte, promptName, contentName string, pcm []byte) []byte {
	dst = append(dst, `{"event":{"audioInput":{"promptName":`...)
	dst = AppendJSONString(dst, promptName)
	dst = append(dst, `,"contentName":`...)
	dst = AppendJSONString(dst, contentName)
	dst = append(dst, `,"content":"`...)
	dst = base64.StdEncoding.AppendEncode(dst, pcm)
	return append(dst, `"}}}`...)
}

// AppendAudioOutput appends an audioOutput event carrying pcm as base64 to
// dst, the output-side twin of AppendAudioInput for emulators. The bytes
// equal EncodeSonicEvent(SonicAudioOutput{…}).
func AppendAudioOutput(dst []byte, hdr SonicOutputHeader, contentID string, pcm []byte) []byte {
	dst = append(dst, `{"event":{"audioOutput":{`...)
	for _, f := range [...]struct{ key, val string }{{`"sessionId":`, hdr.SessionID}, {`"promptName":`, hdr.PromptName}, {`"completionId":`, hdr.CompletionID}} {
		if f.val != "" {
			dst = append(dst, f.key...)
			dst = AppendJSONString(dst, f.val)
			dst = append(dst, ',')
		}
	}
	dst = append(dst, `"contentId":`...)
	dst = AppendJSONString(dst, contentID)
	dst = append(dst, `,"content":"`...)
	dst = base64.StdEncoding.AppendEncode(dst, pcm)
	return append(dst, `"}}}`...)
}

// NewSonicPromptStart returns the usual promptStart: text output, 24 kHz
// audio output in the given voice, JSON tool-use output, and the tools if
// any.
func NewSonicPromptStart(promptName, voiceID string, tools ...SonicTool) SonicPromptStart {
	p := SonicPromptStart{PromptName: promptName,
		TextOutputConfiguration:    &SonicMediaConfig{MediaType: SonicMediaTypeText},
		AudioOutputConfiguration:   SonicAudioOutput24k(voiceID),
		ToolUseOutputConfiguration: &SonicMediaConfig{MediaType: SonicMediaTypeJSON}}
	if len(tools) > 0 {
		p.ToolConfiguration = &SonicToolConfiguration{Tools: tools}
	}
	return p
}

// AudioInputSize returns the exact length AppendAudioInput adds for these
// arguments when the names need no JSON escaping, for sizing buffers.
func AudioInputSize(promptName, contentName string, pcmLen int) int {
	return len(`{"event":{"audioInput":{"promptName":"","contentName":"","content":""}}}`) +
		len(promptName) + len(contentName) + base64.StdEncoding.EncodedLen(pcmLen)
}

// parseSonicEnvelope reads {"event":{"<name>":{...}}} in one pass: it
// finds the name, then decodes the body straight into the value newEvent
// returns for that name (a *SonicUnknownEvent when it returns nil). Other
// top-level members are skipped.
func parseSonicEnvelope(data []byte, newEvent func(name string) SonicEvent) (SonicEvent, error) {
	fail := func(err error) (SonicEvent, error) { return nil, &FormatError{Format: "sonic event", Err: err} }
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return fail(errEmpty)
	}
	if trimmed[0] != '{' {
		return fail(fmt.Errorf("not a JSON object (starts with %q)", trimmed[0]))
	}
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	if _, err := dec.Token(); err != nil { // the opening brace
		return fail(err)
	}
	var ev SonicEvent
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return fail(err)
		}
		key, _ := tok.(string)
		if key != "event" {
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return fail(err)
			}
			continue
		}
		if ev != nil {
			return fail(errors.New(`duplicate "event" member`))
		}
		if tok, err := dec.Token(); err != nil {
			return fail(err)
		} else if d, ok := tok.(json.Delim); !ok || d != '{' {
			return fail(errors.New(`"event" is not an object`))
		}
		if !dec.More() {
			return fail(errors.New(`"event" has 0 members, want exactly 1`))
		}
		tok, err = dec.Token()
		if err != nil {
			return fail(err)
		}
		name, _ := tok.(string)
		if !valueIsObject(trimmed[dec.InputOffset():]) {
			return fail(fmt.Errorf("%q is not an object", name))
		}
		if ev = newEvent(name); ev == nil {
			var body json.RawMessage
			if err := dec.Decode(&body); err != nil {
				return fail(err)
			}
			ev = &SonicUnknownEvent{Name: name, Body: body}
		} else if err := dec.Decode(ev); err != nil {
			return nil, &FormatError{Format: "sonic " + name, Err: err}
		}
		if dec.More() {
			return fail(errors.New(`"event" has more than 1 member, want exactly 1`))
		}
		if _, err := dec.Token(); err != nil { // the closing brace of "event"
			return fail(err)
		}
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return fail(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return fail(errors.New("trailing data after JSON object"))
	}
	if ev == nil {
		return fail(errors.New(`missing "event" object`))
	}
	return ev, nil
}

// valueIsObject reports whether the JSON value after a member name (the
// rest of the input from just after the name) is an object.
func valueIsObject(rest []byte) bool {
	for _, c := range rest {
		switch c {
		case ' ', '\t', '\r', '\n', ':':
			continue
		}
		return c == '{'
	}
	return false
}

// ParseSonicEvent parses one output event (model → client) into
// *SonicCompletionStart, *SonicOutputContentStart, *SonicTextOutput,
// *SonicAudioOutput, *SonicToolUse, *SonicOutputContentEnd,
// *SonicUsageEvent or *SonicCompletionEnd; other names become a
// *SonicUnknownEvent holding the raw body. Members beside "event" are ignored.
func ParseSonicEvent(data []byte) (SonicEvent, error) {
	return parseSonicEnvelope(data, newSonicOutputEvent)
}

func newSonicOutputEvent(name string) SonicEvent {
	switch name {
	case "completionStart":
		return new(SonicCompletionStart)
	case "contentStart":
		return new(SonicOutputContentStart)
	case "textOutput":
		return new(SonicTextOutput)
	case "audioOutput":
		return new(SonicAudioOutput)
	case "toolUse":
		return new(SonicToolUse)
	case "contentEnd":
		return new(SonicOutputContentEnd)
	case "usageEvent":
		return new(SonicUsageEvent)
	case "completionEnd":
		return new(SonicCompletionEnd)
	}
	return nil
}

// ParseSonicInputEvent parses one input event (client → model), as an
// emulator receives it, into *SonicSessionStart, *SonicPromptStart,
// *SonicContentStart, *SonicTextInput, *SonicAudioInput, *SonicToolResult,
// *SonicContentEnd, *SonicPromptEnd or *SonicSessionEnd; other names become a
// *SonicUnknownEvent.
func ParseSonicInputEvent(data []byte) (SonicEvent, error) {
	return parseSonicEnvelope(data, newSonicInputEvent)
}

func newSonicInputEvent(name string) SonicEvent {
	switch name {
	case "sessionStart":
		return new(SonicSessionStart)
	case "promptStart":
		return new(SonicPromptStart)
	case "contentStart":
		return new(SonicContentStart)
	case "textInput":
		return new(SonicTextInput)
	case "audioInput":
		return new(SonicAudioInput)
	case "toolResult":
		return new(SonicToolResult)
	case "contentEnd":
		return new(SonicContentEnd)
	case "promptEnd":
		return new(SonicPromptEnd)
	case "sessionEnd":
		return new(SonicSessionEnd)
	}
	return nil
}
