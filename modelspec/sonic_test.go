package modelspec

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// sonicInputSequence is a whole session as the AWS samples send it: session
// and prompt start, system prompt, microphone audio, a tool result, and the
// closing events in the required order.
func sonicInputSequence() []SonicEvent {
	const p = "prompt-1"
	evs := []SonicEvent{
		SonicSessionStart{InferenceConfiguration: SonicInferenceConfiguration{MaxTokens: 1024, TopP: Ptr(0.9), Temperature: Ptr(0.7)},
			TurnDetectionConfiguration: &SonicTurnDetection{EndpointingSensitivity: "MEDIUM"}},
		SonicPromptStart{PromptName: p,
			TextOutputConfiguration:    &SonicMediaConfig{MediaType: SonicMediaTypeText},
			AudioOutputConfiguration:   SonicAudioOutput24k("matthew"),
			ToolUseOutputConfiguration: &SonicMediaConfig{MediaType: SonicMediaTypeJSON},
			ToolConfiguration: &SonicToolConfiguration{Tools: []SonicTool{{ToolSpec: SonicToolSpec{
				Name: "getDateTool", Description: "Get the current date",
				InputSchema: SonicToolInputSchema{JSON: `{"type":"object","properties":{},"required":[]}`}}}}},
		},
	}
	evs = append(evs, SonicTextBlock(p, "system-1", SonicRoleSystem, "You are a friendly assistant. Keep answers short.")...)
	evs = append(evs,
		SonicAudioStart(p, "audio-1"),
		SonicAudioInput{PromptName: p, ContentName: "audio-1", Content: base64.StdEncoding.EncodeToString([]byte{0, 1, 2, 3, 0xfe, 0xff})},
	)
	evs = append(evs, SonicToolResultBlock(p, "tool-1", "tooluse-abc", `{"date":"2026-11-24"}`)...)
	evs = append(evs,
		SonicContentEnd{PromptName: p, ContentName: "audio-1"},
		SonicPromptEnd{PromptName: p},
		SonicSessionEnd{},
	)
	return evs
}

func TestSonicInputEventsGolden(t *testing.T) {
	var lines [][]byte
	for _, ev := range sonicInputSequence() {
		b, err := EncodeSonicEvent(ev)
		if err != nil {
			t.Fatalf("EncodeSonicEvent(%T): %v", ev, err)
		}
		lines = append(lines, b)
	}
	checkGoldenLines(t, "sonic/input_sequence.jsonl", lines)
}

// checkGoldenLines compares a JSON Lines golden file byte for byte.
func checkGoldenLines(t *testing.T, name string, lines [][]byte) {
	t.Helper()
	got := append(bytes.Join(lines, []byte("\n")), '\n')
	if *update {
		writeTestdata(t, name, got)
	}
	if diff := cmp.Diff(string(readTestdata(t, name)), string(got)); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", name, diff)
	}
}

func TestParseSonicInputEventRoundTrip(t *testing.T) {
	for _, ev := range sonicInputSequence() {
		b, err := EncodeSonicEvent(ev)
		if err != nil {
			t.Fatal(err)
		}
		got, err := ParseSonicInputEvent(b)
		if err != nil {
			t.Fatalf("ParseSonicInputEvent(%s): %v", b, err)
		}
		if got.SonicEventName() != ev.SonicEventName() {
			t.Fatalf("name = %q, want %q", got.SonicEventName(), ev.SonicEventName())
		}
		again, err := EncodeSonicEvent(got)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(string(b), string(again)); diff != "" {
			t.Errorf("round trip of %s (-want +got):\n%s", ev.SonicEventName(), diff)
		}
	}
}

func TestParseSonicEventTurn(t *testing.T) {
	hdr := SonicOutputHeader{SessionID: "sess-1", PromptName: "prompt-1", CompletionID: "comp-1"}
	want := []SonicEvent{
		&SonicCompletionStart{SonicOutputHeader: hdr},
		&SonicOutputContentStart{SonicOutputHeader: hdr, ContentID: "c1", Type: "TEXT", Role: "USER",
			AdditionalModelFields: `{"generationStage":"FINAL"}`, TextOutputConfiguration: &SonicMediaConfig{MediaType: "text/plain"}},
		&SonicTextOutput{SonicOutputHeader: hdr, ContentID: "c1", Content: "What's the date today?", Role: "USER"},
		&SonicOutputContentEnd{SonicOutputHeader: hdr, ContentID: "c1", Type: "TEXT", StopReason: "END_TURN"},
		&SonicOutputContentStart{SonicOutputHeader: hdr, ContentID: "c2", Type: "TOOL", Role: "TOOL",
			ToolUseOutputConfiguration: &SonicMediaConfig{MediaType: "application/json"}},
		&SonicToolUse{SonicOutputHeader: hdr, ContentID: "c2", ToolName: "getDateTool", ToolUseID: "tooluse-abc", Content: `{}`},
		&SonicOutputContentEnd{SonicOutputHeader: hdr, ContentID: "c2", Type: "TOOL", StopReason: "TOOL_USE"},
		&SonicOutputContentStart{SonicOutputHeader: hdr, ContentID: "c3", Type: "TEXT", Role: "ASSISTANT",
			AdditionalModelFields: `{"generationStage":"SPECULATIVE"}`, TextOutputConfiguration: &SonicMediaConfig{MediaType: "text/plain"}},
		&SonicTextOutput{SonicOutputHeader: hdr, ContentID: "c3", Content: "Today is November 24th.", Role: "ASSISTANT"},
		&SonicOutputContentEnd{SonicOutputHeader: hdr, ContentID: "c3", Type: "TEXT", StopReason: "PARTIAL_TURN"},
		&SonicOutputContentStart{SonicOutputHeader: hdr, ContentID: "c4", Type: "AUDIO", Role: "ASSISTANT",
			AudioOutputConfiguration: SonicAudioOutput24k("matthew")},
		&SonicAudioOutput{SonicOutputHeader: hdr, ContentID: "c4", Content: "AAECAwQF"},
		&SonicTextOutput{SonicOutputHeader: hdr, ContentID: "c3", Content: `{ "interrupted" : true }`, Role: "ASSISTANT"},
		&SonicOutputContentEnd{SonicOutputHeader: hdr, ContentID: "c4", Type: "AUDIO", StopReason: "INTERRUPTED"},
		&SonicUsageEvent{SonicOutputHeader: hdr, Details: SonicUsageDetails{
			Delta: SonicUsageSplit{Input: SonicTokenCounts{SpeechTokens: 12, TextTokens: 0}, Output: SonicTokenCounts{SpeechTokens: 30, TextTokens: 7}},
			Total: SonicUsageSplit{Input: SonicTokenCounts{SpeechTokens: 12, TextTokens: 40}, Output: SonicTokenCounts{SpeechTokens: 30, TextTokens: 7}}},
			TotalInputTokens: 52, TotalOutputTokens: 37, TotalTokens: 89},
		&SonicUnknownEvent{Name: "futureEvent", Body: json.RawMessage(`{"x":1}`)},
		&SonicCompletionEnd{SonicOutputHeader: hdr, StopReason: "END_TURN"},
	}
	lines := readLines(t, "sonic/output_turn.jsonl")
	if len(lines) != len(want) {
		t.Fatalf("%d lines, want %d", len(lines), len(want))
	}
	var got []SonicEvent
	for _, l := range lines {
		ev, err := ParseSonicEvent(l)
		if err != nil {
			t.Fatalf("ParseSonicEvent(%s): %v", l, err)
		}
		got = append(got, ev)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("parsed events (-want +got):\n%s", diff)
	}

	// Typed helpers on the parsed values.
	if s := got[1].(*SonicOutputContentStart).GenerationStage(); s != SonicStageFinal {
		t.Errorf("GenerationStage = %q, want FINAL", s)
	}
	if s := got[7].(*SonicOutputContentStart).GenerationStage(); s != SonicStageSpeculative {
		t.Errorf("GenerationStage = %q, want SPECULATIVE", s)
	}
	if s := got[4].(*SonicOutputContentStart).GenerationStage(); s != "" {
		t.Errorf("GenerationStage without fields = %q, want empty", s)
	}
	if got[8].(*SonicTextOutput).Interrupted() || !got[12].(*SonicTextOutput).Interrupted() {
		t.Error("Interrupted() wrong: want false for speech, true for the barge-in notice")
	}
	pcm, err := got[11].(*SonicAudioOutput).AppendPCM(nil)
	if err != nil || !bytes.Equal(pcm, []byte{0, 1, 2, 3, 4, 5}) {
		t.Errorf("AppendPCM = %v, %v; want [0 1 2 3 4 5]", pcm, err)
	}
	in, err := got[5].(*SonicToolUse).Input()
	if err != nil || string(in) != "{}" {
		t.Errorf("Input() = %s, %v", in, err)
	}

	// Output events survive encode → parse (the emulator sends them).
	for i, ev := range got {
		b, err := EncodeSonicEvent(ev)
		if err != nil {
			t.Fatal(err)
		}
		again, err := ParseSonicEvent(b)
		if err != nil {
			t.Fatalf("re-parsing line %d: %v", i+1, err)
		}
		if diff := cmp.Diff(ev, again); diff != "" {
			t.Errorf("encode/parse of line %d (-want +got):\n%s", i+1, diff)
		}
	}
}

func TestSonicHelperErrors(t *testing.T) {
	a := &SonicAudioOutput{Content: "not base64!"}
	if _, err := a.AppendPCM(nil); err == nil {
		t.Error("AppendPCM on bad base64: want error")
	}
	tu := &SonicToolUse{Content: "{oops"}
	if _, err := tu.Input(); err == nil {
		t.Error("Input on bad JSON: want error")
	}
	if (&SonicOutputContentStart{AdditionalModelFields: "{bad"}).GenerationStage() != "" {
		t.Error("GenerationStage on bad JSON: want empty")
	}
	if _, err := EncodeSonicEvent(nil); err == nil {
		t.Error("EncodeSonicEvent(nil): want error")
	}
	if _, err := EncodeSonicEvent(SonicUnknownEvent{Name: "x", Body: json.RawMessage("{bad")}); err == nil {
		t.Error("EncodeSonicEvent(unknown with bad body): want error")
	}
}

func TestParseSonicEventRejects(t *testing.T) {
	tests := []struct{ in, wantErr string }{
		{``, "empty input"},
		{`[]`, "not a JSON object"},
		{`{}`, `missing "event"`},
		{`{"event":{}}`, "has 0 members"},
		{`{"event":{"textOutput":{},"audioOutput":{}}}`, "more than 1 member"},
		{`{"event":{"textOutput":null}}`, "is not an object"},
		{`{"event":{"textOutput":{}},"event":{"textOutput":{}}}`, "duplicate"},
		{`{"event":5}`, "not an object"},
		{`{"event":{"textOutput":{}}`, "sonic event"},
		{`{"p":"pad"}`, `missing "event"`},
		{`{"event":{"textOutput":"x"}}`, "is not an object"},
		{`{"event":{"textOutput":{"content":5}}}`, "sonic textOutput"},
		{`{"event":{"usageEvent":{"totalTokens":"many"}}}`, "sonic usageEvent"},
		{`{"event":{"textOutput":{}}} trailing`, "trailing data"},
		{`{"event":[1]}`, "sonic event"},
	}
	for _, tt := range tests {
		_, err := ParseSonicEvent([]byte(tt.in))
		var fe *FormatError
		if err == nil || !errors.As(err, &fe) || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("ParseSonicEvent(%q) error = %v, want a *FormatError containing %q", tt.in, err, tt.wantErr)
		}
		if _, err := ParseSonicInputEvent([]byte(tt.in)); err == nil && tt.wantErr != "sonic textOutput" && tt.wantErr != "sonic usageEvent" {
			t.Errorf("ParseSonicInputEvent(%q) = nil error", tt.in)
		}
	}
}

func TestParseSonicEventIgnoresOtherMembers(t *testing.T) {
	ev, err := ParseSonicEvent([]byte(` {"p":"padding","event": {"textOutput" : {"content":"hi","role":"USER","extra":[1,2]}},"q":{"a":null}} `))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&SonicTextOutput{Content: "hi", Role: "USER"}, ev); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestAppendAudioInputMatchesEncoder(t *testing.T) {
	pcm := make([]byte, 1024)
	for i := range pcm {
		pcm[i] = byte(i * 7)
	}
	for _, names := range [][2]string{
		{"prompt-1", "audio-1"},
		{"", ""},
		{`we"ird\`, "tab\there\nnew<&>"},
		{"\u2028\u2029", "caf\xe9\x01\x1f"},
	} {
		want, err := EncodeSonicEvent(SonicAudioInput{PromptName: names[0], ContentName: names[1],
			Content: base64.StdEncoding.EncodeToString(pcm)})
		if err != nil {
			t.Fatal(err)
		}
		prefix := []byte("prefix:")
		got := AppendAudioInput(prefix, names[0], names[1], pcm)
		if diff := cmp.Diff("prefix:"+string(want), string(got)); diff != "" {
			t.Errorf("AppendAudioInput(%q) (-want +got):\n%s", names, diff)
		}
	}
	if n, want := AudioInputSize("prompt-1", "audio-1", 1024), len(AppendAudioInput(nil, "prompt-1", "audio-1", pcm)); n != want {
		t.Errorf("AudioInputSize = %d, want %d", n, want)
	}
}

func TestAppendAudioInputAllocs(t *testing.T) {
	pcm := make([]byte, 1024)
	buf := make([]byte, 0, AudioInputSize("prompt-1", "audio-1", len(pcm)))
	allocs := testing.AllocsPerRun(100, func() {
		buf = AppendAudioInput(buf[:0], "prompt-1", "audio-1", pcm)
	})
	if allocs != 0 {
		t.Errorf("AppendAudioInput into a sized buffer: %v allocs per call, want 0", allocs)
	}
}

// BenchmarkAppendAudioInput measures encoding one 32 ms chunk of 16 kHz
// 16-bit mono PCM (1,024 bytes) as an audioInput event.
func BenchmarkAppendAudioInput(b *testing.B) {
	pcm := make([]byte, 1024)
	buf := make([]byte, 0, 2048)
	b.SetBytes(int64(len(pcm)))
	b.ReportAllocs()
	for b.Loop() {
		buf = AppendAudioInput(buf[:0], "5f0b8bd2-4c6e-4a4b-9d61-7b3c6f1f6d0e", "7a1c0e5e-8a0b-4b61-a2a8-0f7f4b8e2c11", pcm)
	}
}

// BenchmarkParseSonicAudioOutput measures parsing one audioOutput event
// carrying 40 ms of 24 kHz audio and decoding its PCM.
func BenchmarkParseSonicAudioOutput(b *testing.B) {
	ev, _ := EncodeSonicEvent(SonicAudioOutput{SonicOutputHeader: SonicOutputHeader{SessionID: "s", PromptName: "p", CompletionID: "c"},
		ContentID: "c4", Content: base64.StdEncoding.EncodeToString(make([]byte, 1920))})
	var pcm []byte
	b.ReportAllocs()
	for b.Loop() {
		e, err := ParseSonicEvent(ev)
		if err != nil {
			b.Fatal(err)
		}
		pcm, _ = e.(*SonicAudioOutput).AppendPCM(pcm[:0])
	}
}

func ExampleAppendAudioInput() {
	pcm := []byte{0x00, 0x01, 0xff, 0x7f} // two 16-bit little-endian samples
	buf := make([]byte, 0, AudioInputSize("p1", "a1", len(pcm)))
	buf = AppendAudioInput(buf, "p1", "a1", pcm)
	fmt.Println(string(buf))
	// Output: {"event":{"audioInput":{"promptName":"p1","contentName":"a1","content":"AAH/fw=="}}}
}

func ExampleParseSonicEvent() {
	ev, err := ParseSonicEvent([]byte(`{"event":{"textOutput":{"contentId":"c1","content":"Hello!","role":"ASSISTANT"}}}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	switch e := ev.(type) {
	case *SonicTextOutput:
		fmt.Println(e.Role, e.Content)
	case *SonicAudioOutput:
		// pcm, err := e.AppendPCM(nil) and play it
	}
	// Output: ASSISTANT Hello!
}

func ExampleEncodeSonicEvent() {
	for _, ev := range SonicTextBlock("p1", "sys", SonicRoleSystem, "Be brief.") {
		b, _ := EncodeSonicEvent(ev)
		fmt.Println(string(b))
	}
	// Output:
	// {"event":{"contentStart":{"promptName":"p1","contentName":"sys","type":"TEXT","interactive":false,"role":"SYSTEM","textInputConfiguration":{"mediaType":"text/plain"}}}}
	// {"event":{"textInput":{"promptName":"p1","contentName":"sys","content":"Be brief."}}}
	// {"event":{"contentEnd":{"promptName":"p1","contentName":"sys"}}}
}

func FuzzParseSonicEvent(f *testing.F) {
	addSeeds(f, "sonic/output_turn.jsonl", "sonic/input_sequence.jsonl")
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, parse := range []func([]byte) (SonicEvent, error){ParseSonicEvent, ParseSonicInputEvent} {
			ev, err := parse(data)
			if err != nil {
				if ev != nil {
					t.Fatalf("error %v with non-nil event %#v", err, ev)
				}
				continue
			}
			// A parsed event encodes, and parsing that gives the same event.
			b, err := EncodeSonicEvent(ev)
			if err != nil {
				t.Fatalf("EncodeSonicEvent(%#v): %v", ev, err)
			}
			again, err := parse(b)
			if err != nil {
				t.Fatalf("re-parse of %s: %v", b, err)
			}
			b2, _ := EncodeSonicEvent(again)
			if !bytes.Equal(b, b2) {
				t.Fatalf("not stable:\n%s\n%s", b, b2)
			}
		}
	})
}

func TestNewSonicPromptStart(t *testing.T) {
	tool := SonicTool{ToolSpec: SonicToolSpec{Name: "getDateTool", Description: "Get the current date",
		InputSchema: SonicToolInputSchema{JSON: `{"type":"object","properties":{},"required":[]}`}}}
	got := NewSonicPromptStart("prompt-1", "matthew", tool)
	want := sonicInputSequence()[1]
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if p := NewSonicPromptStart("p", "amy"); p.ToolConfiguration != nil {
		t.Error("ToolConfiguration set without tools")
	}
}

func FuzzAppendAudioOutput(f *testing.F) {
	f.Add("s", "p", "c", "content-1", []byte{1, 2, 3})
	f.Add("", "", "", "", []byte{})
	f.Add("\u2028", "\"", "\xff", "<>", []byte{0})
	f.Fuzz(func(t *testing.T, session, prompt, completion, contentID string, pcm []byte) {
		hdr := SonicOutputHeader{SessionID: session, PromptName: prompt, CompletionID: completion}
		want, err := EncodeSonicEvent(SonicAudioOutput{SonicOutputHeader: hdr, ContentID: contentID, Content: base64.StdEncoding.EncodeToString(pcm)})
		if err != nil {
			t.Fatal(err)
		}
		if got := AppendAudioOutput(nil, hdr, contentID, pcm); !bytes.Equal(want, got) {
			t.Fatalf("AppendAudioOutput differs from encoding/json:\nwant %s\ngot  %s", want, got)
		}
	})
}

func FuzzAppendAudioInput(f *testing.F) {
	f.Add("prompt-1", "audio-1", []byte{1, 2, 3})
	f.Add("\"\\\x00\u2028", "\xff<>&", []byte{})
	f.Fuzz(func(t *testing.T, promptName, contentName string, pcm []byte) {
		want, err := EncodeSonicEvent(SonicAudioInput{PromptName: promptName, ContentName: contentName,
			Content: base64.StdEncoding.EncodeToString(pcm)})
		if err != nil {
			t.Fatal(err)
		}
		if got := AppendAudioInput(nil, promptName, contentName, pcm); !bytes.Equal(want, got) {
			t.Fatalf("AppendAudioInput differs from encoding/json:\nwant %s\ngot  %s", want, got)
		}
	})
}
