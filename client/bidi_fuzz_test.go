package client

import (
	"bytes"
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"testing"

	"github.com/bedrockwire/bedrockwire/eventstream"
	"github.com/bedrockwire/bedrockwire/sigv4"
)

// FuzzBidiReceive feeds arbitrary bytes as the response of a bidirectional
// stream: the receiving side yields events and then ends, cleanly or with an
// error, never panics or hangs, and leaves Send failing afterwards.
func FuzzBidiReceive(f *testing.F) {
	chunk := func(js string) *eventstream.Message {
		return eventstream.NewEvent("chunk", "application/json", []byte(`{"bytes":"`+base64.StdEncoding.EncodeToString([]byte(js))+`","p":"x"}`))
	}
	seed := func(msgs ...*eventstream.Message) []byte {
		var out []byte
		for _, m := range msgs {
			out, _ = eventstream.AppendMessage(out, m)
		}
		return out
	}
	f.Add(seed(chunk(`{"event":{"textOutput":{"content":"hi"}}}`)))
	f.Add(seed(chunk(`{}`), eventstream.NewException("validationException", "application/json", []byte(`{"message":"no"}`))))
	f.Add(seed(eventstream.NewError("InternalFailure", "boom")))
	f.Add(seed(eventstream.NewEvent("chunk", "application/json", []byte(`{"bytes":"%%%"}`))))
	f.Add(seed(eventstream.NewEvent("futureEvent", "", nil)))
	f.Add([]byte{0, 0, 0, 16, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
			return &http.Response{StatusCode: 200, Proto: "HTTP/2.0", ProtoMajor: 2,
				Header: http.Header{"Content-Type": {eventStreamContentType}},
				Body:   io.NopCloser(bytes.NewReader(data)), Request: r}, nil
		})
		c := newTestClient(t, "https://bedrock-runtime.us-east-1.amazonaws.com", &http.Client{Transport: rt}, func(o *Options) {
			o.BearerToken = ""
			o.Credentials = sigv4.StaticCredentials(bidiCreds)
		})
		s, err := c.InvokeModelWithBidirectionalStream(t.Context(), sonicModel)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		n := 0
		for s.Next() {
			if s.Event() == nil {
				t.Fatal("Next true with a nil event")
			}
			n++
		}
		if n > len(data)/16 {
			t.Fatalf("%d events from %d bytes", n, len(data))
		}
		var e *Error
		if err := s.Err(); err != nil && !errors.As(err, &e) && err.Error() == "" {
			t.Fatalf("empty error")
		}
		if err := s.Send(t.Context(), []byte(`{}`)); err == nil {
			t.Fatal("Send after the end: nil error")
		}
	})
}
