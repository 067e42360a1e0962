package sigv4

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
	"time"
)

// converseBody is a ~2 KB Converse request body.
var converseBody = []byte(`{"messages":[{"role":"user","content":[{"text":"` +
	strings.Repeat("Summarise the following paragraph in one sentence. ", 38) +
	`"}]}],"inferenceConfig":{"maxTokens":512,"temperature":0.5}}`)

var benchTime = time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)

func newConverseRequest(b testing.TB) *http.Request {
	req, err := http.NewRequest(http.MethodPost,
		"https://bedrock-runtime.us-east-1.amazonaws.com/model/anthropic.claude-3-5-sonnet-20240620-v1:0/converse",
		bytes.NewReader(converseBody))
	if err != nil {
		b.Fatal(err)
	}
	req.URL.RawPath = "/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse"
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "bedrockwire/1.0")
	return req
}

// BenchmarkSignConverse signs a Converse POST: model ID with ':', 2 KB JSON
// body with its hash precomputed, session credentials.
func BenchmarkSignConverse(b *testing.B) {
	req := newConverseRequest(b)
	creds := Credentials{AccessKeyID: "ASIAEXAMPLEEXAMPLE12", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
		SessionToken: strings.Repeat("IQoJb3JpZ2luX2VjEAAaCXVzLWVhc3QtMSJHMEUCIQ", 12)}
	hash := HashHex(converseBody)
	var s Signer
	b.ReportAllocs()
	b.SetBytes(int64(len(converseBody)))
	for b.Loop() {
		if err := s.SignHTTP(req, creds, "us-east-1", "bedrock", benchTime, hash); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSignConverseLongTerm is BenchmarkSignConverse without a session
// token.
func BenchmarkSignConverseLongTerm(b *testing.B) {
	req := newConverseRequest(b)
	hash := HashHex(converseBody)
	var s Signer
	b.ReportAllocs()
	for b.Loop() {
		if err := s.SignHTTP(req, testCreds, "us-east-1", "bedrock", benchTime, hash); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSignGet signs a GET with a query (ListAsyncInvokes).
func BenchmarkSignGet(b *testing.B) {
	req, err := http.NewRequest(http.MethodGet,
		"https://bedrock-runtime.us-east-1.amazonaws.com/async-invoke?maxResults=10&statusEquals=InProgress&sortOrder=Descending", nil)
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set("Accept", "application/json")
	var s Signer
	b.ReportAllocs()
	for b.Loop() {
		if err := s.SignHTTP(req, testCreds, "us-east-1", "bedrock", benchTime, EmptyPayloadHash); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSignEventChunk signs one 1 KiB event-stream chunk into a reused
// buffer.
func BenchmarkSignEventChunk(b *testing.B) {
	payload := bytes.Repeat([]byte{'a'}, 1024)
	headers := []byte{5, ':', 'd', 'a', 't', 'e', 8, 0, 0, 1, 0x94, 0x5e, 0x1b, 0x2c, 0}
	prev := bytes.Repeat([]byte{0xab}, 32)
	var s Signer
	buf := make([]byte, 0, 32)
	b.ReportAllocs()
	b.SetBytes(int64(len(payload)))
	for b.Loop() {
		sig, err := s.AppendEventChunkSignature(buf[:0], testCreds, "us-east-1", "bedrock", benchTime, prev, headers, payload)
		if err != nil {
			b.Fatal(err)
		}
		copy(prev, sig)
	}
}
