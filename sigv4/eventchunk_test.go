package sigv4

import (
	"encoding/hex"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestSignEventChunkChain checks the chain of bidirectional-stream.md §4.4
// (aws-sdk-go-v2 aws/signer/v4/stream_test.go): seed "foobarbazqux", three
// frames and the empty end frame.
func TestSignEventChunkChain(t *testing.T) {
	creds := Credentials{AccessKeyID: "AKID", SecretAccessKey: "SECRET"}
	frames := []struct {
		headers, payload string
		unix             int64
		want             string
	}{
		{"foo", "foo", 10, "e3a136405ec1152f62136742efd41f8639cd647a1cf21fab12aedb22cccd8999"},
		{"bar", "bar", 20, "92a6ad677e839d3003672cb2cefc71ef80d42e8cb300fefce0807e8398c74068"},
		{"baz", "baz", 30, "46d6660bd40f2ff5d6246a347895cabe7f4e89d9e1f4c6dad6dabdc801923be1"},
		{"", "", 30, "492bcb3e21de447c85f8a9bef6c0eb833e992e405b9b3584be84edaccc5aad18"},
	}
	var s Signer
	prev := []byte("foobarbazqux")
	for i, f := range frames {
		sig, err := s.SignEventChunk(creds, "us-east-1", "transcribestreaming", time.Unix(f.unix, 0), prev, []byte(f.headers), []byte(f.payload))
		if err != nil {
			t.Fatalf("frame %d: %v", i+1, err)
		}
		if diff := cmp.Diff(f.want, hex.EncodeToString(sig)); diff != "" {
			t.Errorf("frame %d signature (-want +got):\n%s", i+1, diff)
		}
		ok, err := s.VerifyEventChunk(creds, "us-east-1", "transcribestreaming", time.Unix(f.unix, 0), prev, []byte(f.headers), []byte(f.payload), sig)
		if err != nil || !ok {
			t.Errorf("frame %d: VerifyEventChunk = %v, %v; want true, nil", i+1, ok, err)
		}
		prev = sig
	}
}
