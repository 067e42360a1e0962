package bedrocktest

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bedrockwire/bedrockwire/sigv4"
)

const helloBody = `{"messages":[{"role":"user","content":[{"text":"Hello"}]}]}`

func TestAuthAccepts(t *testing.T) {
	s := newServer(t, nil)
	path := novaPath + "/converse"

	t.Run("sigv4", func(t *testing.T) {
		resp, body := do(t, s, sign(t, req(t, s, "POST", path, []byte(helloBody)), DefaultCredentials))
		if resp.StatusCode != 200 {
			t.Fatalf("%d %s", resp.StatusCode, body)
		}
		r, _ := s.LastRequest()
		if r.Auth != "sigv4" || r.AccessKeyID != DefaultCredentials.AccessKeyID {
			t.Errorf("recorded auth %q key %q", r.Auth, r.AccessKeyID)
		}
	})
	t.Run("sigv4 with content sha256 header", func(t *testing.T) {
		r := req(t, s, "POST", path, []byte(helloBody))
		sg := sigv4.Signer{ContentSHA256Header: true}
		if err := sg.SignHTTP(r, DefaultCredentials, DefaultRegion, "bedrock", testTime, ""); err != nil {
			t.Fatal(err)
		}
		if resp, body := do(t, s, r); resp.StatusCode != 200 {
			t.Fatalf("%d %s", resp.StatusCode, body)
		}
	})
	t.Run("session credentials", func(t *testing.T) {
		resp, body := do(t, s, sign(t, req(t, s, "POST", path, []byte(helloBody)), DefaultSessionCredentials))
		if resp.StatusCode != 200 {
			t.Fatalf("%d %s", resp.StatusCode, body)
		}
	})
	t.Run("clock skew within window", func(t *testing.T) {
		r := req(t, s, "POST", path, []byte(helloBody))
		if err := signer.SignHTTP(r, DefaultCredentials, DefaultRegion, "bedrock", testTime.Add(-14*time.Minute), ""); err != nil {
			t.Fatal(err)
		}
		if resp, body := do(t, s, r); resp.StatusCode != 200 {
			t.Fatalf("%d %s", resp.StatusCode, body)
		}
	})
	t.Run("bearer", func(t *testing.T) {
		r := req(t, s, "POST", path, []byte(helloBody))
		r.Header.Set("Authorization", "Bearer "+DefaultAPIKey)
		resp, body := do(t, s, r)
		if resp.StatusCode != 200 {
			t.Fatalf("%d %s", resp.StatusCode, body)
		}
		rec, _ := s.LastRequest()
		if rec.Auth != "bearer" {
			t.Errorf("recorded auth %q", rec.Auth)
		}
	})
	t.Run("presigned", func(t *testing.T) {
		r := req(t, s, "POST", path, []byte(helloBody))
		u, h, err := signer.Presign(r, DefaultCredentials, DefaultRegion, "bedrock", testTime, 5*time.Minute, sigv4.HashHex([]byte(helloBody)))
		if err != nil {
			t.Fatal(err)
		}
		pr, _ := http.NewRequest("POST", u, strings.NewReader(helloBody))
		for k, v := range h {
			pr.Header[k] = v
		}
		resp, body := do(t, s, pr)
		if resp.StatusCode != 200 {
			t.Fatalf("%d %s", resp.StatusCode, body)
		}
		rec, _ := s.LastRequest()
		if rec.Auth != "presigned" {
			t.Errorf("recorded auth %q", rec.Auth)
		}
	})
}

func TestAuthAnonymous(t *testing.T) {
	s := newServer(t, &Options{Anonymous: true})
	if resp, body := do(t, s, req(t, s, "POST", novaPath+"/converse", []byte(helloBody))); resp.StatusCode != 200 {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	// Credentials that are present are still checked.
	r := req(t, s, "POST", novaPath+"/converse", []byte(helloBody))
	r.Header.Set("Authorization", "Bearer ABSKwrong")
	if resp, _ := do(t, s, r); resp.StatusCode != 403 {
		t.Fatalf("wrong key with Anonymous: status %d", resp.StatusCode)
	}
}

func TestAuthRejects(t *testing.T) {
	path := novaPath + "/converse"
	expiredSession := DefaultSessionCredentials
	expiredSession.Expires = testTime.Add(-time.Minute)
	s := newServer(t, &Options{Credentials: []sigv4.Credentials{DefaultCredentials, expiredSession}})

	signAt := func(creds sigv4.Credentials, region, service string, at time.Time) func(*http.Request) {
		return func(r *http.Request) {
			if err := signer.SignHTTP(r, creds, region, service, at, ""); err != nil {
				t.Fatal(err)
			}
		}
	}
	good := signAt(DefaultCredentials, DefaultRegion, "bedrock", testTime)
	wrongKey := DefaultCredentials
	wrongKey.AccessKeyID = "AKIAWRONGWRONGWRONG0"
	wrongSecret := DefaultCredentials
	wrongSecret.SecretAccessKey = "not-the-secret"
	wrongToken := DefaultSessionCredentials
	wrongToken.SessionToken = "not-the-token"

	tests := []struct {
		name    string
		prepare func(*http.Request)
		status  int
		typ     string
		message string // prefix
	}{
		{"no auth", func(*http.Request) {}, 403, "MissingAuthenticationTokenException", "Missing Authentication Token"},
		{"unknown key", signAt(wrongKey, DefaultRegion, "bedrock", testTime), 403, "UnrecognizedClientException",
			"The security token included in the request is invalid."},
		{"wrong secret", signAt(wrongSecret, DefaultRegion, "bedrock", testTime), 403, "InvalidSignatureException",
			"The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.\n\nThe Canonical String for this request should have been\n'POST\n/model/amazon.nova-lite-v1%253A0/converse\n"},
		{"wrong region", signAt(DefaultCredentials, "eu-west-1", "bedrock", testTime), 403, "InvalidSignatureException",
			"Credential should be scoped to a valid region. "},
		{"wrong service", signAt(DefaultCredentials, DefaultRegion, "bedrock-runtime", testTime), 403, "InvalidSignatureException",
			"Credential should be scoped to correct service: 'bedrock'. "},
		{"wrong session token", signAt(wrongToken, DefaultRegion, "bedrock", testTime), 403, "UnrecognizedClientException",
			"The security token included in the request is invalid."},
		{"expired token", signAt(expiredSession, DefaultRegion, "bedrock", testTime), 403, "ExpiredTokenException",
			"The security token included in the request is expired"},
		{"signature expired", signAt(DefaultCredentials, DefaultRegion, "bedrock", testTime.Add(-16*time.Minute)), 403, "InvalidSignatureException",
			"Signature expired: 20260102T024805Z is now earlier than 20260102T024905Z (20260102T030405Z - 15 min.)"},
		{"signature not yet current", signAt(DefaultCredentials, DefaultRegion, "bedrock", testTime.Add(16*time.Minute)), 403, "InvalidSignatureException",
			"Signature not yet current: 20260102T032005Z is still later than 20260102T031905Z (20260102T030405Z + 15 min.)"},
		{"host not signed", func(r *http.Request) {
			good(r)
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "host;", "", 1))
		}, 403, "InvalidSignatureException", "'Host' must be a 'SignedHeader' in the AWS Authorization."},
		{"x-amz-date not signed", func(r *http.Request) {
			good(r)
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), ";x-amz-date", "", 1))
		}, 403, "InvalidSignatureException", "'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization."},
		{"body tampered", func(r *http.Request) {
			good(r)
			tampered := strings.Replace(helloBody, "Hello", "Jello", 1)
			r.Body = io.NopCloser(strings.NewReader(tampered))
			r.GetBody = nil
		}, 403, "InvalidSignatureException", "The request signature we calculated does not match the signature you provided."},
		{"content sha256 header tampered", func(r *http.Request) {
			sg := sigv4.Signer{ContentSHA256Header: true}
			if err := sg.SignHTTP(r, DefaultCredentials, DefaultRegion, "bedrock", testTime, ""); err != nil {
				t.Fatal(err)
			}
			r.Body = io.NopCloser(strings.NewReader(strings.Replace(helloBody, "Hello", "Jello", 1)))
			r.GetBody = nil
		}, 403, "InvalidSignatureException", "The provided 'x-amz-content-sha256' header does not match what was computed."},
		{"signed header changed", func(r *http.Request) {
			good(r)
			r.Header.Set("Content-Type", "text/plain")
		}, 403, "InvalidSignatureException", "The request signature we calculated does not match"},
		{"malformed authorization", func(r *http.Request) {
			r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260102/us-east-1/bedrock/aws4_request")
		}, 400, "IncompleteSignatureException", ""},
		{"bad API key prefix", func(r *http.Request) { r.Header.Set("Authorization", "Bearer sk-123") }, 403, "AccessDeniedException",
			"Invalid API Key format: Must start with pre-defined prefix"},
		{"unknown API key", func(r *http.Request) { r.Header.Set("Authorization", "Bearer ABSKdGVzdDp3cm9uZw==") }, 403, "AccessDeniedException",
			"Authentication failed: Please make sure your API Key is valid."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := req(t, s, "POST", path, []byte(helloBody))
			tc.prepare(r)
			resp, body := do(t, s, r)
			status, typ, msg := errorOf(t, resp, body)
			if status != tc.status || typ != tc.typ || !strings.HasPrefix(msg, tc.message) {
				t.Errorf("got %d %s %q\nwant %d %s %q…", status, typ, msg, tc.status, tc.typ, tc.message)
			}
			if got := resp.Header.Get("X-Amzn-Errortype"); !strings.HasSuffix(got, ":http://internal.amazon.com/coral/com.amazon.coral.service/") {
				t.Errorf("x-amzn-ErrorType = %q", got)
			}
			rec, _ := s.LastRequest()
			if rec.Status != tc.status || rec.ErrorType != tc.typ {
				t.Errorf("recorded %d %q", rec.Status, rec.ErrorType)
			}
		})
	}
}

// TestAuthInvalidSignatureMessage pins the whole answer to a wrong secret:
// the canonical request and string to sign, as AWS words them.
func TestAuthInvalidSignatureMessage(t *testing.T) {
	s := newServer(t, nil)
	r := req(t, s, "POST", novaPath+"/converse", []byte(helloBody))
	r.Host = "bedrock-runtime.us-east-1.amazonaws.com" // a stable host for the golden file
	// A hand-made header names the signed headers, so the golden file does
	// not depend on which headers a signer chooses to sign.
	r.Header.Set("X-Amz-Date", "20260102T030405Z")
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+DefaultCredentials.AccessKeyID+
		"/20260102/us-east-1/bedrock/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature="+strings.Repeat("0", 64))
	resp, body := do(t, s, r)
	if resp.StatusCode != 403 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	golden(t, "error_invalid_signature.json", append(body, '\n'))
}

func TestAuthPresignedExpired(t *testing.T) {
	s := newServer(t, nil)
	r := req(t, s, "POST", novaPath+"/converse", []byte(helloBody))
	u, h, err := signer.Presign(r, DefaultCredentials, DefaultRegion, "bedrock", testTime.Add(-10*time.Minute), 5*time.Minute, sigv4.HashHex([]byte(helloBody)))
	if err != nil {
		t.Fatal(err)
	}
	pr, _ := http.NewRequest("POST", u, bytes.NewReader([]byte(helloBody)))
	for k, v := range h {
		pr.Header[k] = v
	}
	resp, body := do(t, s, pr)
	status, typ, msg := errorOf(t, resp, body)
	if status != 403 || typ != "InvalidSignatureException" || !strings.HasPrefix(msg, "Signature expired") {
		t.Errorf("got %d %s %q", status, typ, msg)
	}
}

func TestAuthCustomKeys(t *testing.T) {
	mine := sigv4.Credentials{AccessKeyID: "AKIDMINE", SecretAccessKey: "mine"}
	s := newServer(t, &Options{Credentials: []sigv4.Credentials{mine}, APIKeys: []string{}, Region: "eu-central-1"})
	r := req(t, s, "POST", novaPath+"/converse", []byte(helloBody))
	if err := signer.SignHTTP(r, mine, "eu-central-1", "bedrock", testTime, ""); err != nil {
		t.Fatal(err)
	}
	if resp, body := do(t, s, r); resp.StatusCode != 200 {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	// The defaults are no longer accepted.
	r = req(t, s, "POST", novaPath+"/converse", []byte(helloBody))
	if err := signer.SignHTTP(r, DefaultCredentials, "eu-central-1", "bedrock", testTime, ""); err != nil {
		t.Fatal(err)
	}
	if resp, _ := do(t, s, r); resp.StatusCode != 403 {
		t.Errorf("default key: status %d", resp.StatusCode)
	}
	r = req(t, s, "POST", novaPath+"/converse", []byte(helloBody))
	r.Header.Set("Authorization", "Bearer "+DefaultAPIKey)
	if resp, _ := do(t, s, r); resp.StatusCode != 403 {
		t.Errorf("default API key: status %d", resp.StatusCode)
	}
}

func TestOptionsRedact(t *testing.T) {
	o := Options{APIKeys: []string{"ABSKsecretsecretsecret"}, Credentials: []sigv4.Credentials{DefaultSessionCredentials}}
	s := NewUnstartedServer(&o)
	defer s.Close()
	for _, got := range []string{o.String(), s.String(), fmtAll(o)} {
		for _, secret := range []string{"ABSKsecretsecretsecret", DefaultSessionCredentials.SecretAccessKey, DefaultSessionCredentials.SessionToken} {
			if strings.Contains(got, secret) {
				t.Errorf("%q reveals a secret", got)
			}
		}
	}
	if got := MaskKey(DefaultAPIKey); strings.Contains(got, DefaultAPIKey[6:20]) || !strings.HasPrefix(got, "ABSK") {
		t.Errorf("MaskKey = %q", got)
	}
}
