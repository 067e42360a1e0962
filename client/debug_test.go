package client

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// A *slog.Logger is a Logger.
var _ Logger = (*slog.Logger)(nil)

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
				"op=InvokeModel", `\nX-Amzn-Requestid: rid-7"`, "/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/invoke"} {
				if !strings.Contains(log, want) {
					t.Errorf("debug log lacks %q:\n%s", want, log)
				}
			}
			if auth == "sigv4" && !strings.Contains(log, "Signature=****") {
				t.Errorf("debug log lacks the masked signature:\n%s", log)
			}
			if auth == "bearer" && !strings.Contains(log, `\nAuthorization: Bearer **** (16 bytes)\n`) {
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

// TestDebugLogJSON logs a retried SigV4 call through slog's JSON handler and
// compares the records with testdata/debug/sigv4.jsonl: the header is an
// object of masked values, names sorted.
func TestDebugLogJSON(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug,
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if len(groups) == 0 && a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		}}))
	const date = "Fri, 31 Jul 2026 12:00:00 GMT"
	_, srv := newRecorder(t,
		respond(503, `{}`, "X-Amzn-Errortype", "ServiceUnavailableException", "Set-Cookie", "session=SECRETCOOKIE", "Date", date),
		respond(200, `{}`, "X-Amzn-Requestid", "rid-7", "Date", date))
	c := newTestClient(t, srv.URL, srv.Client(), useSigV4, func(o *Options) { o.Logger = logger })
	if _, err := invokeOnce(t, c); err != nil {
		t.Fatal(err)
	}
	got := strings.NewReplacer(srv.URL, "http://server", c.userAgent, "bedrockwire go").Replace(buf.String())
	checkGolden(t, "debug/sigv4.jsonl", []byte(got))
}

// logRecord is one call of a recordingLogger.
type logRecord struct {
	Msg  string
	Args []string // each argument as fmt.Sprint prints it
}

// recordingLogger is a Logger of its own kind, not a *slog.Logger.
type recordingLogger struct{ records []logRecord }

func (l *recordingLogger) DebugContext(ctx context.Context, msg string, args ...any) {
	r := logRecord{Msg: msg}
	for _, a := range args {
		r.Args = append(r.Args, fmt.Sprint(a))
	}
	l.records = append(l.records, r)
}

// TestLoggerOfAnyKind checks the records a Logger that is not a *slog.Logger
// receives: the documented keys, values that print as text, secrets masked.
func TestLoggerOfAnyKind(t *testing.T) {
	l := &recordingLogger{}
	const date = "Fri, 31 Jul 2026 12:00:00 GMT"
	_, srv := newRecorder(t,
		respond(503, `{}`, "X-Amzn-Errortype", "ServiceUnavailableException", "Date", date),
		respond(200, `{}`, "X-Amzn-Requestid", "rid-7", "Date", date))
	c := newTestClient(t, srv.URL, srv.Client(), func(o *Options) { o.Logger = l; o.BearerToken = "ABSKSECRETBEARER" })
	if _, err := invokeOnce(t, c); err != nil {
		t.Fatal(err)
	}
	url := srv.URL + "/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/invoke"
	request := func(attempt string) logRecord {
		return logRecord{"bedrock request", []string{"op", "InvokeModel", "method", "POST", "url", url, "body_bytes", "106", "header",
			"Amz-Sdk-Request: attempt=" + attempt + "; max=3\nAuthorization: Bearer **** (16 bytes)\nContent-Type: application/json\nUser-Agent: " + c.userAgent}}
	}
	want := []logRecord{
		request("1"),
		{"bedrock response", []string{"op", "InvokeModel", "status", "503", "elapsed", "0s", "header",
			"Content-Length: 2\nContent-Type: text/plain; charset=utf-8\nDate: " + date + "\nX-Amzn-Errortype: ServiceUnavailableException"}},
		{"bedrock retry", []string{"op", "InvokeModel", "attempt", "1", "wait", "500ms", "error", "bedrock InvokeModel: ServiceUnavailableException (HTTP 503)"}},
		request("2"),
		{"bedrock response", []string{"op", "InvokeModel", "status", "200", "elapsed", "0s", "header",
			"Content-Length: 2\nContent-Type: text/plain; charset=utf-8\nDate: " + date + "\nX-Amzn-Requestid: rid-7"}},
	}
	if diff := cmp.Diff(want, l.records); diff != "" {
		t.Errorf("records (-want +got):\n%s", diff)
	}
}

// TestLoggerTransportError checks the record of an exchange that got no
// response.
func TestLoggerTransportError(t *testing.T) {
	l := &recordingLogger{}
	c := newTestClient(t, "http://127.0.0.1:1", &http.Client{Transport: failingTransport{}}, func(o *Options) {
		o.Logger = l
		o.Retry.MaxAttempts = 1
	})
	if _, err := invokeOnce(t, c); err == nil {
		t.Fatal("no error")
	}
	got := l.records[len(l.records)-1]
	want := logRecord{"bedrock transport error", []string{"op", "InvokeModel", "error",
		`Post "http://127.0.0.1:1/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/invoke": connection refused on purpose`}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("record (-want +got):\n%s", diff)
	}
}

type failingTransport struct{}

func (failingTransport) RoundTrip(*http.Request) (*http.Response, error) {
	return nil, errors.New("connection refused on purpose")
}

// TestNilSlogLogger makes sure a nil *slog.Logger in Options.Logger (an
// interface holding a nil pointer) is taken as no logger, not called.
func TestNilSlogLogger(t *testing.T) {
	var logger *slog.Logger
	_, srv := newRecorder(t, respond(200, `{}`))
	c := newTestClient(t, srv.URL, srv.Client(), func(o *Options) { o.Logger = logger })
	if _, err := invokeOnce(t, c); err != nil {
		t.Fatal(err)
	}
	if s := (Options{Region: "us-east-1", Logger: logger}).String(); strings.Contains(s, "Logger") {
		t.Errorf("Options.String() = %q mentions a nil logger", s)
	}
	if s := (Options{Region: "us-east-1", Logger: slog.Default()}).String(); !strings.Contains(s, "Logger: set") {
		t.Errorf("Options.String() = %q does not mention the logger", s)
	}
}

// TestDebugHeaderForms checks the masked header's three renderings.
func TestDebugHeaderForms(t *testing.T) {
	h := debugHeader{
		"X-Amz-Security-Token": {"SESSIONTOKEN"},
		"Accept":               {"a", "b"},
		"Authorization":        {"Bearer SECRET"},
		"Quote\"d":             {"line\u2028"},
	}
	wantText := "Accept: a, b\nAuthorization: Bearer **** (6 bytes)\nQuote\"d: line\u2028\nX-Amz-Security-Token: **** (12 bytes)"
	if got := h.String(); got != wantText {
		t.Errorf("String() = %q, want %q", got, wantText)
	}
	text, err := h.MarshalText()
	if err != nil || string(text) != wantText {
		t.Errorf("MarshalText() = %q, %v; want %q", text, err, wantText)
	}
	js, err := h.MarshalJSON()
	wantJSON := `{"Accept":"a, b","Authorization":"Bearer **** (6 bytes)","Quote\"d":"line\u2028","X-Amz-Security-Token":"**** (12 bytes)"}`
	if err != nil || string(js) != wantJSON {
		t.Errorf("MarshalJSON() = %s, %v; want %s", js, err, wantJSON)
	}
	if got, err := (debugHeader{}).MarshalJSON(); err != nil || string(got) != "{}" {
		t.Errorf("empty header: MarshalJSON() = %s, %v", got, err)
	}
}
