package sigv4

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var testCreds = Credentials{
	AccessKeyID:     "AKIDEXAMPLE",
	SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
}

// verifyServer runs a Verifier behind an httptest server and reports the
// outcome of each request in the response.
func verifyServer(t *testing.T, v *Verifier, presigned bool) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var err error
		if presigned {
			_, err = v.VerifyPresigned(r, "")
		} else {
			_, err = v.VerifyHTTP(r, HashHex(body))
		}
		var ve *VerifyError
		if errors.As(err, &ve) {
			w.Header().Set("X-Amzn-Errortype", ve.Code)
			w.WriteHeader(http.StatusForbidden)
			io.WriteString(w, ve.Message)
			return
		}
		if err != nil {
			w.WriteHeader(http.StatusInternalServerError)
			io.WriteString(w, err.Error())
			return
		}
		io.WriteString(w, "ok")
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestVerifyHTTPRoundTrip(t *testing.T) {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	session := Credentials{AccessKeyID: "ASIAEXAMPLE", SecretAccessKey: "secret", SessionToken: "token/with+chars=="}
	v := &Verifier{
		Region: "us-east-1", Service: "bedrock",
		Credentials: func(id string) (Credentials, bool) {
			switch id {
			case testCreds.AccessKeyID:
				return testCreds, true
			case session.AccessKeyID:
				return session, true
			}
			return Credentials{}, false
		},
		Now: func() time.Time { return now },
	}
	srv := verifyServer(t, v, false)
	body := `{"messages":[{"role":"user","content":[{"text":"hi"}]}]}`
	cases := []struct {
		name     string
		creds    Credentials
		region   string
		at       time.Time
		path     string
		tamper   func(*http.Request)
		wantCode string
	}{
		{name: "ok", creds: testCreds, region: "us-east-1", at: now, path: "/model/amazon.nova-pro-v1%3A0/converse"},
		{name: "session token", creds: session, region: "us-east-1", at: now, path: "/model/us.amazon.nova-pro-v1%3A0/converse"},
		{name: "arn", creds: testCreds, region: "us-east-1", at: now, path: "/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Aprovisioned-model%2Fabc/invoke"},
		{name: "unknown key", creds: Credentials{AccessKeyID: "AKIDOTHER", SecretAccessKey: "x"}, region: "us-east-1", at: now, path: "/", wantCode: CodeUnrecognizedClient},
		{name: "wrong secret", creds: Credentials{AccessKeyID: testCreds.AccessKeyID, SecretAccessKey: "wrong"}, region: "us-east-1", at: now, path: "/", wantCode: CodeInvalidSignature},
		{name: "wrong region", creds: testCreds, region: "us-west-2", at: now, path: "/", wantCode: CodeInvalidSignature},
		{name: "expired", creds: testCreds, region: "us-east-1", at: now.Add(-16 * time.Minute), path: "/", wantCode: CodeInvalidSignature},
		{name: "future", creds: testCreds, region: "us-east-1", at: now.Add(16 * time.Minute), path: "/", wantCode: CodeInvalidSignature},
		{name: "tampered header", creds: testCreds, region: "us-east-1", at: now, path: "/", tamper: func(r *http.Request) { r.Header.Set("Content-Type", "text/plain") }, wantCode: CodeInvalidSignature},
		{name: "unsigned header added", creds: testCreds, region: "us-east-1", at: now, path: "/", tamper: func(r *http.Request) { r.Header.Set("X-Extra", "1") }},
		{name: "no authorization", creds: testCreds, region: "us-east-1", at: now, path: "/", tamper: func(r *http.Request) { r.Header.Del("Authorization") }, wantCode: CodeMissingAuthenticationToken},
		{name: "malformed authorization", creds: testCreds, region: "us-east-1", at: now, path: "/", tamper: func(r *http.Request) { r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=x") }, wantCode: CodeIncompleteSignature},
		{name: "wrong token", creds: session, region: "us-east-1", at: now, path: "/", tamper: func(r *http.Request) { r.Header.Set("X-Amz-Security-Token", "other") }, wantCode: CodeUnrecognizedClient},
	}
	var s Signer
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodPost, srv.URL+"/", strings.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			req.URL.RawPath = c.path
			req.URL.Path = mustUnescape(t, c.path)
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("User-Agent", "test")
			if err := s.SignHTTP(req, c.creds, c.region, "bedrock", c.at, HashHex([]byte(body))); err != nil {
				t.Fatal(err)
			}
			if c.tamper != nil {
				c.tamper(req)
			}
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			msg, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			got := resp.Header.Get("X-Amzn-Errortype")
			if diff := cmp.Diff(c.wantCode, got); diff != "" {
				t.Errorf("error code (-want +got):\n%s\nmessage: %s", diff, msg)
			}
		})
	}
}

func mustUnescape(t *testing.T, p string) string {
	t.Helper()
	u, err := http.NewRequest("GET", "http://h"+p, nil)
	if err != nil {
		t.Fatal(err)
	}
	return u.URL.Path
}

// TestVerifySkewMessage: a signature outside the skew window is refused
// with the service's wording, the window written "15 min" as AWS writes it
// (or as a Go duration when it is not whole minutes).
func TestVerifySkewMessage(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, c := range []struct {
		skew   time.Duration
		signed time.Time
		want   string
	}{
		{0, now.Add(-16 * time.Minute), "Signature expired: 20260102T024805Z is now earlier than 20260102T024905Z (20260102T030405Z - 15 min.)"},
		{0, now.Add(16 * time.Minute), "Signature not yet current: 20260102T032005Z is still later than 20260102T031905Z (20260102T030405Z + 15 min.)"},
		{90 * time.Second, now.Add(-2 * time.Minute), "Signature expired: 20260102T030205Z is now earlier than 20260102T030235Z (20260102T030405Z - 1m30s.)"},
	} {
		v := &Verifier{Region: "us-east-1", Service: "bedrock", MaxSkew: c.skew, Now: func() time.Time { return now },
			Credentials: func(string) (Credentials, bool) { return testCreds, true }}
		req, _ := http.NewRequest(http.MethodGet, "https://bedrock.us-east-1.amazonaws.com/foundation-models", nil)
		var s Signer
		if err := s.SignHTTP(req, testCreds, "us-east-1", "bedrock", c.signed, EmptyPayloadHash); err != nil {
			t.Fatal(err)
		}
		_, err := v.VerifyHTTP(req, EmptyPayloadHash)
		var ve *VerifyError
		if !errors.As(err, &ve) || ve.Code != CodeInvalidSignature || ve.Message != c.want {
			t.Errorf("skew %v, signed %v: err = %v, want %s: %q", c.skew, c.signed, err, CodeInvalidSignature, c.want)
		}
	}
}
