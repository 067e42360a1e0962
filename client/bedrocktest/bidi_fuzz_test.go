package bedrocktest

import (
	"bytes"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/bedrockwire/bedrockwire/eventstream"
	"github.com/bedrockwire/bedrockwire/sigv4"
)

// signedBidiRequest is a SigV4-signed bidirectional request with body, and
// its seed signature.
func signedBidiRequest(t testing.TB, body []byte) (*http.Request, []byte) {
	r := httptest.NewRequest("POST", "http://127.0.0.1"+sonicPath, bytes.NewReader(body))
	r.ProtoMajor, r.ProtoMinor, r.Proto = 2, 0, "HTTP/2.0"
	r.ContentLength = -1 // a stream, as from a pipe: no Content-Length to sign
	r.Header.Set("Content-Type", "application/vnd.amazon.eventstream")
	sg := sigv4.Signer{ContentSHA256Header: true}
	if err := sg.SignHTTP(r, DefaultCredentials, DefaultRegion, "bedrock", testTime, sigv4.StreamingEventsPayload); err != nil {
		t.Fatal(err)
	}
	seed, err := sigv4.SignatureFromAuthorization(r.Header.Get("Authorization"))
	if err != nil {
		t.Fatal(err)
	}
	return r, seed
}

// signedFrames encodes model events as a chain of signed envelopes from
// seed, ending with the empty frame.
func signedFrames(t testing.TB, seed []byte, events []string) []byte {
	var out []byte
	prev := seed
	at := testTime
	frame := func(payload []byte) {
		at = at.Add(time.Second)
		date := eventstream.TimestampValue(at)
		hdr, _ := eventstream.AppendHeaders(nil, []eventstream.Header{{Name: eventstream.HeaderDate, Value: date}})
		sig, err := signer.SignEventChunk(DefaultCredentials, DefaultRegion, "bedrock", at, prev, hdr, payload)
		if err != nil {
			t.Fatal(err)
		}
		prev = sig
		out, err = eventstream.AppendMessage(out, &eventstream.Message{
			Headers: []eventstream.Header{{Name: eventstream.HeaderDate, Value: date}, {Name: eventstream.HeaderChunkSignature, Value: eventstream.BytesValue(sig)}},
			Payload: payload,
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, e := range events {
		inner, err := eventstream.AppendMessage(nil, eventMessageForTest(`{"bytes":"`+base64.StdEncoding.EncodeToString([]byte(e))+`"}`))
		if err != nil {
			t.Fatal(err)
		}
		frame(inner)
	}
	frame(nil)
	return out
}

func eventMessageForTest(payload string) *eventstream.Message {
	return &eventstream.Message{Headers: []eventstream.Header{
		{Name: eventstream.HeaderEventType, Value: eventstream.StringValue("chunk")},
		{Name: eventstream.HeaderMessageType, Value: eventstream.StringValue("event")},
	}, Payload: []byte(payload)}
}

// TestBidiHandlerDirect runs a whole signed session through ServeHTTP with
// a recorder: the chain checks out and the model answers.
func TestBidiHandlerDirect(t *testing.T) {
	s := NewUnstartedServer(&Options{Clock: func() time.Time { return testTime }, NoPadding: true})
	defer s.Close()
	_, seed := signedBidiRequest(t, nil)
	body := signedFrames(t, seed, append(append(sonicOpening(nil), sonicUserText("u", "hi")...), sonicClosing...))
	r, _ := signedBidiRequest(t, body)
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	if w.Code != 200 {
		t.Fatalf("%d %s", w.Code, w.Body.Bytes())
	}
	lines := streamEvents(t, w.Body.Bytes())
	if len(lines) < 10 || !bytes.Contains([]byte(lines[len(lines)-1]), []byte("completionEnd")) {
		t.Errorf("output %q", lines)
	}
	if rec, _ := s.LastRequest(); !rec.InputClosed {
		t.Error("end frame not seen")
	}
}

// FuzzBidiFrames feeds arbitrary bytes as the body of a correctly signed
// bidirectional request: frame parsing, the signature chain, the inner
// messages and the speech model refuse what is wrong, never panic, and
// every answer is a well-formed error or event stream.
func FuzzBidiFrames(f *testing.F) {
	_, seed := signedBidiRequest(f, nil)
	f.Add(signedFrames(f, seed, append(append(sonicOpening(nil), sonicUserText("u", "hi")...), sonicClosing...)))
	f.Add(signedFrames(f, seed, []string{`{"event":{"promptStart":{}}}`}))
	f.Add(signedFrames(f, seed, []string{`{"event":{"sessionStart":{}}}`, `not json`}))
	f.Add([]byte{})
	s := NewUnstartedServer(&Options{Clock: func() time.Time { return testTime }, NoPadding: true})
	f.Cleanup(s.Close)
	f.Fuzz(func(t *testing.T, body []byte) {
		r, _ := signedBidiRequest(t, body)
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		switch {
		case w.Code == 200:
			d := eventstream.NewDecoder(bytes.NewReader(w.Body.Bytes()))
			for {
				if _, err := d.Decode(); err != nil {
					if err.Error() != "EOF" {
						t.Fatalf("malformed output stream: %v", err)
					}
					break
				}
			}
		case w.Header().Get("X-Amzn-Errortype") == "":
			t.Fatalf("status %d without x-amzn-ErrorType", w.Code)
		}
		s.ResetRequests()
	})
}
