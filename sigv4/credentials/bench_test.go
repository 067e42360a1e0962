package credentials

import (
	"context"
	"strings"
	"testing"
)

// A typical developer config: a few profiles, an sso-session, a nested s3
// section.
var benchConfig = []byte(strings.Repeat(`[profile dev]
region = us-west-2
role_arn = arn:aws:iam::123456789012:role/dev
source_profile = base
s3 =
  max_concurrent_requests = 20
[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1
`, 4))

func BenchmarkParseINI(b *testing.B) {
	b.SetBytes(int64(len(benchConfig)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := parseINI(benchConfig); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDefaultChainCached is the per-request cost once credentials are
// cached: what every signed Bedrock call pays.
func BenchmarkDefaultChainCached(b *testing.B) {
	e := env{"AWS_ACCESS_KEY_ID": "AKIA", "AWS_SECRET_ACCESS_KEY": "s"}
	p := NewDefaultChain(Options{Getenv: e.get, HomeDir: b.TempDir()})
	ctx := context.Background()
	if _, err := p.Retrieve(ctx); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Retrieve(ctx); err != nil {
			b.Fatal(err)
		}
	}
}
