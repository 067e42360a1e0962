package client

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
)

// TestDebugLogMasksSecrets runs calls with wire debug on and checks that the
// log shows the exchange but no signature, session token or bearer token.
func TestDebugLogMasksSecrets(t *testing.T) {
	for _, auth := range []string{"bearer", "sigv4"} {
		t.Run(auth, func(t *testing.T) {
			var buf bytes.Buffer
			logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
			rec, srv := newRecorder(t,
				respond(503, `{}`, "X-Amzn-Errortype", "ServiceUnavailableException", "Set-Cookie", "session=SECRETCOOKIE"),
				respond(200, `{}`, "X-Amzn-Requestid", "rid-7"))
			mods := []func(*Options){func(o *Options) { o.Logger = logger; o.BearerToken = "ABSKSECRETBEARER" }}
			if auth == "sigv4" {
				mods = append(mods, useSigV4)
			}
			c := newTestClient(t, srv.URL, srv.Client(), mods...)
			if _, err := invokeOnce(t, c); err != nil {
				t.Fatal(err)
			}
			log := buf.String()
			req := rec.recorded()[1]
			secrets := []string{"ABSKSECRETBEARER", testCredentials.SecretAccessKey, testCredentials.SessionToken, "SECRETCOOKIE"}
			if auth == "sigv4" {
				sig := req.Header.Get("Authorization")
				secrets = append(secrets, sig[strings.Index(sig, "Signature=")+len("Signature="):])
			}
			for _, s := range secrets {
				if strings.Contains(log, s) {
					t.Errorf("debug log reveals %q:\n%s", s, log)
				}
			}
			for _, want := range []string{"bedrock request", "bedrock response", "bedrock retry", "status=503", "status=200",
				"op=InvokeModel", "X-Amzn-Requestid=rid-7", "/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/invoke"} {
				if !strings.Contains(log, want) {
					t.Errorf("debug log lacks %q:\n%s", want, log)
				}
			}
			if auth == "sigv4" && !strings.Contains(log, "Signature=****") {
				t.Errorf("debug log lacks the masked signature:\n%s", log)
			}
			if auth == "bearer" && !strings.Contains(log, "Authorization=\"Bearer **** (16 bytes)\"") {
				t.Errorf("debug log lacks the masked bearer token:\n%s", log)
			}
		})
	}
}

func TestMaskHeaderValue(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20260731/us-east-1/bedrock/aws4_request, SignedHeaders=host;x-amz-date, Signature=abcdef0123",
			"AWS4-HMAC-SHA256 Credential=AKID/20260731/us-east-1/bedrock/aws4_request, SignedHeaders=host;x-amz-date, Signature=****"},
		{"authorization", "AWS4-HMAC-SHA256 garbled", "AWS4-HMAC-SHA256 ****"},
		{"Authorization", "Bearer abc", "Bearer **** (3 bytes)"},
		{"Authorization", "opaque", "**** (6 bytes)"},
		{"X-Amz-Security-Token", "tok", "**** (3 bytes)"},
		{"Content-Type", "application/json", "application/json"},
		{"X-Amz-Security-Token", "", ""},
	}
	for _, tt := range tests {
		if got := maskHeaderValue(tt.name, tt.in); got != tt.want {
			t.Errorf("maskHeaderValue(%q, %q) = %q, want %q", tt.name, tt.in, got, tt.want)
		}
	}
}

// TestNoDebugWithoutLogger makes sure a disabled logger costs nothing and
// breaks nothing.
func TestDebugDisabledLevel(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelInfo}))
	_, srv := newRecorder(t, respond(200, `{}`))
	c := newTestClient(t, srv.URL, srv.Client(), func(o *Options) { o.Logger = logger })
	if _, err := invokeOnce(t, c); err != nil {
		t.Fatal(err)
	}
	if buf.Len() != 0 {
		t.Errorf("info-level logger got debug records: %s", buf.String())
	}
}
