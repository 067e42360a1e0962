package client

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bedrockwire/bedrockwire/eventstream"
	"github.com/google/go-cmp/cmp"
)

// Claude's native streaming chunks, as InvokeModelWithResponseStream carries
// them.
var claudeChunks = []string{
	`{"type":"message_start","message":{"id":"msg_bdrk_01","type":"message","role":"assistant","model":"claude-3-5-haiku-20241022","content":[],"stop_reason":null,"usage":{"input_tokens":12,"output_tokens":1}}}`,
	`{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}`,
	`{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}`,
	`{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" there!"}}`,
	`{"type":"content_block_stop","index":0}`,
	`{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":4}}`,
	`{"type":"message_stop","amazon-bedrock-invocationMetrics":{"inputTokenCount":12,"outputTokenCount":4,"invocationLatency":402,"firstByteLatency":187}}`,
}

func chunks(pad string, texts ...string) []*eventstream.Message {
	var ms []*eventstream.Message
	for _, s := range texts {
		ms = append(ms, chunkMessage([]byte(s), pad))
	}
	return ms
}

func exception(typ, payload string) *eventstream.Message {
	return eventstream.NewException(typ, "application/json", []byte(payload))
}

// streamFixtures are the recorded responses under testdata/stream: each is
// written from these messages when UPDATE_GOLDEN is set and read back
// otherwise, so the files are what the tests decode.
func streamFixtures(t *testing.T) map[string][]byte {
	build := map[string]func() []byte{
		"claude_chunks": func() []byte {
			return encodeMessages(t, chunks("abcdefghijklmnopqrstuvwxyzABCDEFGHIJ", claudeChunks...)...)
		},
		"exception_mid_stream": func() []byte {
			return encodeMessages(t, append(chunks("abc", claudeChunks[:3]...),
				exception("throttlingException", `{"message":"Too many tokens, please wait before trying again."}`))...)
		},
		"model_stream_error": func() []byte {
			return encodeMessages(t, append(chunks("", claudeChunks[:2]...),
				exception("modelStreamErrorException", `{"message":"Model stream error","originalStatusCode":500,"originalMessage":"upstream overloaded"}`))...)
		},
		"error_message": func() []byte {
			return encodeMessages(t, append(chunks("", claudeChunks[0]),
				eventstream.NewError("InternalFailure", "An internal error occurred."))...)
		},
		"unknown_event_skipped": func() []byte {
			ms := chunks("", claudeChunks[0])
			ms = append(ms, eventstream.NewEvent("futureEvent", "application/json", []byte(`{"x":1}`)))
			ms = append(ms, &eventstream.Message{Headers: []eventstream.Header{{Name: ":message-type", Value: eventstream.StringValue("future-kind")}}})
			return encodeMessages(t, append(ms, chunks("", claudeChunks[1])...)...)
		},
		"cut_mid_frame": func() []byte {
			full := encodeMessages(t, chunks("pad", claudeChunks[:3]...)...)
			return full[:len(full)-20]
		},
		"bad_checksum": func() []byte {
			b := encodeMessages(t, chunks("", claudeChunks[:2]...)...)
			b[len(b)-1] ^= 0xff
			return b
		},
		"chunk_escaped_json": func() []byte {
			// the fallback path: escapes, reordered members, whitespace
			return encodeMessages(t,
				eventstream.NewEvent("chunk", "application/json", []byte(` { "p" : "xyz" , "bytes" : "aGk\/Pz8=" } `)),
				eventstream.NewEvent("chunk", "application/json", []byte(`{"p":"\u0041","bytes":"b2s="}`)))
		},
		"chunk_bad_base64": func() []byte {
			return encodeMessages(t, eventstream.NewEvent("chunk", "application/json", []byte(`{"bytes":"!!!!"}`)))
		},
		"chunk_without_bytes": func() []byte {
			return encodeMessages(t, eventstream.NewEvent("chunk", "application/json", []byte(`{"p":"abc"}`)))
		},
		"chunk_not_json": func() []byte {
			return encodeMessages(t, eventstream.NewEvent("chunk", "application/json", []byte(`not json`)))
		},
		"empty": func() []byte { return nil },
	}
	for _, typ := range []string{"internalServerException", "modelStreamErrorException", "validationException",
		"throttlingException", "modelTimeoutException", "serviceUnavailableException"} {
		build["exception_"+typ] = func() []byte {
			return encodeMessages(t, append(chunks("", claudeChunks[0]),
				exception(typ, `{"message":"`+typ+` happened"}`))...)
		}
	}
	out := map[string][]byte{}
	for name, f := range build {
		path := filepath.Join("testdata", "stream", name+".eventstream")
		if updateGolden {
			os.MkdirAll(filepath.Dir(path), 0o755)
			if err := os.WriteFile(path, f(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (UPDATE_GOLDEN=1 writes it)", err)
		}
		out[name] = b
	}
	return out
}

// streamReport is the golden form of a consumed stream.
type streamReport struct {
	Chunks    []string
	ErrorType string `json:",omitempty"` // innermost type in the Unwrap chain
	Error     string `json:",omitempty"`
	APIError  *Error `json:",omitempty"`
}

func TestInvokeModelWithResponseStreamGolden(t *testing.T) {
	for name, body := range streamFixtures(t) {
		t.Run(name, func(t *testing.T) {
			_, srv := newRecorder(t, streamResponder(body))
			c := newTestClient(t, srv.URL, srv.Client())
			s, err := c.InvokeModelWithResponseStream(t.Context(), &InvokeModelInput{ModelID: "anthropic.claude-3-5-haiku-20241022-v1:0", Body: []byte(claudeBody)})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			rep := streamReport{Chunks: []string{}}
			for s.Next() {
				rep.Chunks = append(rep.Chunks, string(s.Event().Bytes))
			}
			if err := s.Err(); err != nil {
				inner := err
				for errors.Unwrap(inner) != nil {
					inner = errors.Unwrap(inner)
				}
				rep.ErrorType = fmt.Sprintf("%T", inner)
				rep.Error = err.Error()
				errors.As(err, &rep.APIError)
			}
			if s.Next() {
				t.Error("Next after the end returned true")
			}
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			enc.SetIndent("", "  ")
			enc.Encode(rep)
			checkGolden(t, "stream/"+name+".want.json", buf.Bytes())
			if s.RequestID() != "stream-req-1" || s.Header().Get("X-Amzn-Bedrock-Content-Type") != "application/json" {
				t.Errorf("RequestID %q, content type %q", s.RequestID(), s.Header().Get("X-Amzn-Bedrock-Content-Type"))
			}
		})
	}
}

func TestInvokeModelWithResponseStreamGoldenRequest(t *testing.T) {
	body := encodeMessages(t, chunks("", claudeChunks[0])...)
	mt := &memTransport{record: true, respond: func(req *http.Request) *http.Response {
		return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {eventStreamContentType}},
			Body: io.NopCloser(bytes.NewReader(body)), Request: req}
	}}
	c := newTestClient(t, "https://bedrock-runtime.us-east-1.amazonaws.com", &http.Client{Transport: mt}, useSigV4)
	s, err := c.InvokeModelWithResponseStream(t.Context(), &InvokeModelInput{
		ModelID:             "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-5-haiku-20241022-v1:0",
		Body:                []byte(claudeBody),
		Accept:              "application/json",
		Trace:               TraceEnabled,
		GuardrailIdentifier: "gr-abc123",
		GuardrailVersion:    "3",
		ServiceTier:         "flex",
	})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for range s.All() {
		n++
	}
	if n != 1 {
		t.Errorf("%d events, want 1", n)
	}
	checkGolden(t, "stream/request.txt", []byte(mt.requests[0].dump()))
}

func TestDecodeResponseChunk(t *testing.T) {
	tests := []struct {
		payload string
		want    string
		wantErr string
	}{
		{`{"bytes":"aGVsbG8="}`, "hello", ""},
		{`{"bytes":"aGVsbG8=","p":"abcdefghijklmnop"}`, "hello", ""},
		{`{"p":"abc","bytes":"aGVsbG8="}`, "hello", ""},
		{" {\n\"bytes\" :\t\"aGVsbG8=\" }\n", "hello", ""},
		{`{"bytes":""}`, "", ""},
		{`{"bytes":"aGVsbG8=","extra":{"nested":[1,2]}}`, "hello", ""},
		{`{"bytes":"aGk\/"}`, "hi?", ""},
		{`{"bytes":"aGVsbG8=","bytes":"d29ybGQ="}`, "world", ""}, // encoding/json: last wins
		{`{"bytes":"aGVsbG8=",}`, "", "invalid character"},
		{`{"bytes":"aGVsbG8="} x`, "", "invalid character"},
		{`{"bytes":null}`, "", `without "bytes"`},
		{`{}`, "", `without "bytes"`},
		{`{"bytes":"***"}`, "", "illegal base64"},
		{`{"bytes":12}`, "", "cannot unmarshal"},
		{``, "", "unexpected end"},
	}
	for _, tt := range tests {
		ev, skip, err := decodeResponseChunk("chunk", []byte(tt.payload))
		if skip {
			t.Errorf("%s: skipped", tt.payload)
		}
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%s: error %v, want one containing %q", tt.payload, err, tt.wantErr)
			}
			continue
		}
		if err != nil || string(ev.Bytes) != tt.want {
			t.Errorf("%s: %q, %v; want %q", tt.payload, ev.Bytes, err, tt.want)
		}
	}
	if _, skip, err := decodeResponseChunk("somethingNew", []byte(`garbage`)); !skip || err != nil {
		t.Errorf("unknown event: skip %v, err %v; want skipped", skip, err)
	}
}

// FuzzDecodeResponseChunk holds the fast path to encoding/json: whatever the
// payload, both agree on the bytes or both fail.
func FuzzDecodeResponseChunk(f *testing.F) {
	for _, s := range []string{`{"bytes":"aGVsbG8="}`, `{"bytes":"aGVsbG8=","p":"x"}`, `{"p":"","bytes":""}`,
		`{"bytes":"aGk\/"}`, `{"bytes":"a","bytes":"b"}`, `{"bytes":"aGVsbG8=",}`, ` {"bytes" : "QQ=="} `, `{`, `{"bytes":"QQ=="}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, payload []byte) {
		ev, _, err := decodeResponseChunk("chunk", payload)
		var ref struct {
			Bytes []byte `json:"bytes"`
		}
		refErr := json.Unmarshal(payload, &ref)
		if refErr == nil && ref.Bytes == nil {
			refErr = errors.New("no bytes")
		}
		if (err == nil) != (refErr == nil) {
			t.Fatalf("payload %q: fast path error %v, encoding/json error %v", payload, err, refErr)
		}
		if err == nil && !bytes.Equal(ev.Bytes, ref.Bytes) {
			t.Fatalf("payload %q: fast path %q, encoding/json %q", payload, ev.Bytes, ref.Bytes)
		}
	})
}

func TestStreamNotEventStream(t *testing.T) {
	_, srv := newRecorder(t, respond(200, `{"message":"hi"}`, "Content-Type", "application/json", "X-Amzn-Requestid", "r1"))
	c := newTestClient(t, srv.URL, srv.Client())
	_, err := c.InvokeModelWithResponseStream(t.Context(), &InvokeModelInput{ModelID: "m", Body: []byte("{}")})
	if err == nil || !strings.Contains(err.Error(), `Content-Type is "application/json"`) {
		t.Fatalf("error %v, want a Content-Type error", err)
	}
}

// TestStreamRetriedBeforeItStarts: an HTTP error before the stream began is
// retried; an exception after events is not.
func TestStreamRetriedBeforeItStarts(t *testing.T) {
	body := encodeMessages(t, append(chunks("", claudeChunks[:2]...), exception("throttlingException", `{"message":"slow"}`))...)
	rec, srv := newRecorder(t,
		respond(429, `{"message":"slow"}`, "X-Amzn-Errortype", "ThrottlingException"),
		streamResponder(body))
	c := newTestClient(t, srv.URL, srv.Client())
	s, err := c.InvokeModelWithResponseStream(t.Context(), &InvokeModelInput{ModelID: "m", Body: []byte("{}")})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for s.Next() {
		got = append(got, string(s.Event().Bytes))
	}
	if diff := cmp.Diff(claudeChunks[:2], got); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	var e *Error
	if !errors.As(s.Err(), &e) || !e.InStream || e.Code != CodeThrottling || !IsThrottling(s.Err()) {
		t.Errorf("Err() = %v, want an in-stream ThrottlingException", s.Err())
	}
	if n := len(rec.recorded()); n != 2 {
		t.Errorf("server saw %d requests, want 2 (one retry before the stream, none after)", n)
	}
}
