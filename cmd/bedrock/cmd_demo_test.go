package main

import (
	"context"
	"strings"
	"testing"

	"github.com/bedrockwire/bedrockwire/client/bedrocktest"
)

func TestDemoTour(t *testing.T) {
	e, out, errOut := serveEnv()
	if code := run(context.Background(), e, []string{"demo"}); code != exitOK {
		t.Fatalf("exit %d; stderr %q\n%s", code, errOut.String(), out.String())
	}
	got := out.String()
	for _, want := range []string{
		"== 1. Converse", `reply: "You said: Hello! What can you do?" (end_turn`,
		"== 2. ConverseStream with tool use", `the model calls get_weather({"city":"Paris"})`,
		`final answer: "Tool get_weather returned: {\"city\":\"Paris\",\"sky\":\"sunny\",\"tempC\":21}" (end_turn)`,
		"== 3. InvokeModelWithResponseStream", `streamed text: "You said: Stream me a short answer"`,
		"== 4. InvokeModel", "vector of 256 dimensions",
		"== 5. CountTokens", "input tokens: 10",
		"== 6. InvokeModelWithBidirectionalStream", `user: "Hello Sonic, how are you?"`,
		`assistant (speculative): "You said: Hello Sonic, how are you?"`, `assistant: "You said: Hello Sonic, how are you?"`,
		"received 20160 bytes of 24 kHz audio (420 ms)",
		"== 7. a signature made with the wrong secret", "refused: HTTP 403 InvalidSignatureException: The request signature we calculated does not match",
		"Done: 8 requests",
		// the wire
		"→ POST /model/amazon.nova-lite-v1%3A0/converse",
		"X-Amz-Content-Sha256: STREAMING-AWS4-HMAC-SHA256-EVENTS",
		`← contentBlockDelta {"contentBlockIndex":0,"delta":{"text":"Calling"}`,
		`:chunk-signature=`, "(empty: end of input)",
		"← HTTP/2.0 403 Forbidden",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	// Signatures are shortened, secrets never shown.
	for _, secret := range []string{bedrocktest.DefaultCredentials.SecretAccessKey, "this-is-not-the-secret"} {
		if strings.Contains(got, secret) {
			t.Errorf("output shows a secret %q", secret)
		}
	}
	for _, line := range strings.Split(got, "\n") {
		if i := strings.Index(line, "Signature="); i >= 0 && len(line[i+len("Signature="):]) > 12 {
			t.Errorf("signature not masked: %s", line)
		}
	}
}

func TestDemoNoWire(t *testing.T) {
	e, out, _ := serveEnv()
	if code := run(context.Background(), e, []string{"demo", "--no-wire"}); code != exitOK {
		t.Fatalf("exit %d", code)
	}
	if strings.Contains(out.String(), "→ POST") || !strings.Contains(out.String(), "Done: 8 requests") {
		t.Errorf("output:\n%s", out.String())
	}
}

func TestDemoUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"demo", "--help"}, exitOK, "bedrock demo — a tour"},
		{[]string{"demo", "--nope"}, exitUsage, "usage: bedrock demo"},
		{[]string{"demo", "extra"}, exitUsage, "usage: bedrock demo"},
	} {
		e, out, errOut := serveEnv()
		code := run(context.Background(), e, tc.args)
		if code != tc.code || !strings.Contains(out.String()+errOut.String(), tc.want) {
			t.Errorf("%v: code %d, stdout %q, stderr %q", tc.args, code, out.String(), errOut.String())
		}
	}
}

func TestDemoInterrupted(t *testing.T) {
	e, _, errOut := serveEnv()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if code := run(ctx, e, []string{"demo", "--no-wire"}); code != exitInterrupt {
		t.Errorf("exit %d, stderr %q", code, errOut.String())
	}
}
