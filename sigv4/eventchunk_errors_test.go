package sigv4

import (
	"strings"
	"testing"
	"time"
)

func TestSignEventChunkErrors(t *testing.T) {
	var s Signer
	prev := make([]byte, 32)
	for _, c := range []struct {
		name            string
		creds           Credentials
		region, service string
		prev            []byte
		want            string
	}{
		{"no keys", Credentials{}, "us-east-1", "bedrock", prev, "missing credentials"},
		{"no region", testCreds, "", "bedrock", prev, "empty region"},
		{"no service", testCreds, "us-east-1", "", prev, "empty service"},
		{"no previous signature", testCreds, "us-east-1", "bedrock", nil, "empty previous signature"},
		{"oversized previous signature", testCreds, "us-east-1", "bedrock", make([]byte, 65), "longer than 64 bytes"},
	} {
		_, err := s.SignEventChunk(c.creds, c.region, c.service, time.Unix(10, 0), c.prev, nil, nil)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want %q", c.name, err, c.want)
		}
	}
}

// TestEventChunkStringToSign checks the string to sign of frame 1 of the
// bidirectional-stream.md §4.4 chain.
func TestEventChunkStringToSign(t *testing.T) {
	got := EventChunkStringToSign("us-east-1", "transcribestreaming", time.Unix(10, 0), []byte("foobarbazqux"), []byte("foo"), []byte("foo"))
	want := "AWS4-HMAC-SHA256-PAYLOAD\n19700101T000010Z\n19700101/us-east-1/transcribestreaming/aws4_request\n" +
		"666f6f62617262617a717578\n" +
		"2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae\n" +
		"2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae"
	if got != want {
		t.Errorf("string to sign:\n%s\nwant:\n%s", got, want)
	}
}

// TestEventChunkMidnight: each chunk's key comes from its own date.
func TestEventChunkMidnight(t *testing.T) {
	var s Signer
	prev := make([]byte, 32)
	before := time.Date(2026, 1, 1, 23, 59, 59, 0, time.UTC)
	after := before.Add(2 * time.Second)
	a, _ := s.SignEventChunk(testCreds, "us-east-1", "bedrock", after, prev, nil, nil)
	var fresh Signer
	b, _ := fresh.SignEventChunk(testCreds, "us-east-1", "bedrock", after, prev, nil, nil)
	s.SignEventChunk(testCreds, "us-east-1", "bedrock", before, prev, nil, nil)
	c, _ := s.SignEventChunk(testCreds, "us-east-1", "bedrock", after, prev, nil, nil)
	if string(a) != string(b) || string(b) != string(c) {
		t.Errorf("signatures after midnight differ: %x %x %x", a, b, c)
	}
}
