package bedrocktest

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// BenchmarkConverse measures one signed Converse round trip through the
// emulator over loopback h2c: signing, signature verification, validation,
// the text model and JSON encoding.
func BenchmarkConverse(b *testing.B) {
	s := newServer(b, nil)
	b.ReportAllocs()
	for b.Loop() {
		r := sign(b, req(b, s, "POST", novaPath+"/converse", []byte(helloBody)), DefaultCredentials)
		resp, err := s.Client().Do(r)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			b.Fatal(resp.StatusCode)
		}
		s.ResetRequests()
	}
}

// BenchmarkConverseStreamEvents measures how fast the emulator serves
// stream events (a 1,000-word answer: about 1,000 events per request).
func BenchmarkConverseStreamEvents(b *testing.B) {
	s := newServer(b, nil)
	words := strings.Repeat("word ", 1000)
	body := []byte(`{"messages":[{"role":"user","content":[{"text":"` + words + `"}]}]}`)
	var events int
	b.ReportAllocs()
	for b.Loop() {
		r := sign(b, req(b, s, "POST", novaPath+"/converse-stream", body), DefaultCredentials)
		resp, err := s.Client().Do(r)
		if err != nil {
			b.Fatal(err)
		}
		n, _ := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || n == 0 {
			b.Fatal(resp.StatusCode)
		}
		events += 1000 + 6
		s.ResetRequests()
	}
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
}
