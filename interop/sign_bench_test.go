package interop

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	sdkv4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/bedrockwire/bedrockwire/sigv4"
)

// The signing benchmarks put our signer and the SDK's side by side on the
// request of sigv4's BenchmarkSignConverse: a Converse POST with a model ID
// holding ':', a ~2 KB body whose hash is precomputed, and a 504-byte
// session token (or none). Run both at the same moment, since this machine
// class is shared:
//
//	cd interop && go test -run '^$' -bench 'Sign' -benchmem

var (
	benchBody = []byte(`{"messages":[{"role":"user","content":[{"text":"` +
		strings.Repeat("Summarise the following paragraph in one sentence. ", 38) +
		`"}]}],"inferenceConfig":{"maxTokens":512,"temperature":0.5}}`)
	benchToken = strings.Repeat("IQoJb3JpZ2luX2VjEAAaCXVzLWVhc3QtMSJHMEUCIQ", 12)
	benchTime  = time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
)

func benchRequest(b *testing.B) *http.Request {
	req, err := http.NewRequest(http.MethodPost,
		"https://bedrock-runtime.us-east-1.amazonaws.com/model/anthropic.claude-3-5-sonnet-20240620-v1:0/converse",
		bytes.NewReader(benchBody))
	if err != nil {
		b.Fatal(err)
	}
	req.URL.RawPath = "/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse"
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "bench/1.0")
	return req
}

func benchSignOurs(b *testing.B, token string) {
	req := benchRequest(b)
	creds := sigv4.Credentials{AccessKeyID: "ASIAEXAMPLEEXAMPLE12", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", SessionToken: token}
	hash := sigv4.HashHex(benchBody)
	var s sigv4.Signer
	b.ReportAllocs()
	for b.Loop() {
		if err := s.SignHTTP(req, creds, "us-east-1", "bedrock", benchTime, hash); err != nil {
			b.Fatal(err)
		}
	}
}

func benchSignSDK(b *testing.B, token string) {
	req := benchRequest(b)
	creds := aws.Credentials{AccessKeyID: "ASIAEXAMPLEEXAMPLE12", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", SessionToken: token}
	hash := sigv4.HashHex(benchBody)
	s := sdkv4.NewSigner()
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		req.Header.Del("Authorization")
		req.Header.Del("X-Amz-Date")
		req.Header.Del("X-Amz-Security-Token")
		if err := s.SignHTTP(ctx, creds, req, hash, "bedrock", "us-east-1", benchTime); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSignConverseOurs(b *testing.B)         { benchSignOurs(b, benchToken) }
func BenchmarkSignConverseSDK(b *testing.B)          { benchSignSDK(b, benchToken) }
func BenchmarkSignConverseLongTermOurs(b *testing.B) { benchSignOurs(b, "") }
func BenchmarkSignConverseLongTermSDK(b *testing.B)  { benchSignSDK(b, "") }
