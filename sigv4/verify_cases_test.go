package sigv4

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// serverRequest signs a request client-side, then returns what a server
// receives for it (request line parsed, headers copied).
func serverRequest(t *testing.T, s *Signer, creds Credentials, body string, mutate func(*http.Request)) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, "https://bedrock-runtime.us-east-1.amazonaws.com/model/amazon.nova-pro-v1%3A0/converse", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if mutate != nil {
		mutate(req)
	}
	if err := s.SignHTTP(req, creds, "us-east-1", "bedrock", suiteTime, HashHex([]byte(body))); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewRequest(req.Method, req.URL.String(), strings.NewReader(body))
	srv.Header = req.Header.Clone()
	srv.ContentLength = int64(len(body))
	return srv
}

func TestVerifyHTTPCases(t *testing.T) {
	newV := func() *Verifier {
		return &Verifier{Region: "us-east-1", Service: "bedrock", Now: func() time.Time { return suiteTime },
			Credentials: func(id string) (Credentials, bool) { return testCreds, id == testCreds.AccessKeyID }}
	}
	body := `{"messages":[]}`
	cases := []struct {
		name     string
		sha256   bool                // client sends X-Amz-Content-Sha256
		mutate   func(*http.Request) // before signing
		tamper   func(*http.Request) // after signing, server side
		hash     string              // payload hash the server passes; "" = derive
		verifier func(*Verifier)
		wantCode string
		wantMsg  string
	}{
		{name: "ok, hash derived from body"},
		{name: "ok, hash given", hash: HashHex([]byte(body))},
		{name: "ok, content sha256 header", sha256: true},
		{name: "body changed", tamper: func(r *http.Request) { r.Body = http.NoBody }, wantCode: CodeInvalidSignature, wantMsg: "does not match"},
		{name: "content sha256 header disagrees", sha256: true, hash: EmptyPayloadHash, wantCode: CodeInvalidSignature, wantMsg: "'x-amz-content-sha256' header does not match"},
		{name: "server expects streaming, client signed the body hash", sha256: true, hash: StreamingEventsPayload, wantCode: CodeInvalidSignature},
		{name: "no x-amz-date", tamper: func(r *http.Request) { r.Header.Del("X-Amz-Date") }, wantCode: CodeIncompleteSignature, wantMsg: "X-Amz-Date"},
		{name: "bad x-amz-date", tamper: func(r *http.Request) { r.Header.Set("X-Amz-Date", "2015-08-30") }, wantCode: CodeIncompleteSignature, wantMsg: "not of the form"},
		{name: "scope date mismatch", tamper: func(r *http.Request) { r.Header.Set("X-Amz-Date", "20150831T000000Z") },
			verifier: func(v *Verifier) { v.MaxSkew = -1 }, wantCode: CodeInvalidSignature, wantMsg: "Date in Credential scope does not match"},
		{name: "skew check disabled", verifier: func(v *Verifier) { v.MaxSkew = -1; v.Now = func() time.Time { return suiteTime.Add(48 * time.Hour) } }},
		{name: "host not signed", tamper: func(r *http.Request) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "content-type;host;x-amz-date", "content-type;x-amz-date", 1))
		}, wantCode: CodeInvalidSignature, wantMsg: "'Host' must be a 'SignedHeader'"},
		{name: "signed header missing", tamper: func(r *http.Request) { r.Header.Del("Content-Type") }, wantCode: CodeInvalidSignature, wantMsg: `signed header "content-type" is not in the request`},
		{name: "signed headers unsorted", tamper: func(r *http.Request) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "content-type;host;x-amz-date", "host;content-type;x-amz-date", 1))
		}, wantCode: CodeInvalidSignature, wantMsg: "not sorted"},
		{name: "host changed", tamper: func(r *http.Request) { r.Host = "evil.example.com" }, wantCode: CodeInvalidSignature, wantMsg: "does not match"},
		{name: "path changed", tamper: func(r *http.Request) { r.RequestURI = "/model/amazon.nova-pro-v1:0/converse" }, wantCode: CodeInvalidSignature},
		{name: "token present, not signed", tamper: func(r *http.Request) { r.Header.Set("X-Amz-Security-Token", "x") },
			verifier: func(v *Verifier) {
				v.Credentials = func(string) (Credentials, bool) { c := testCreds; c.SessionToken = "x"; return c, true }
			}, wantCode: CodeInvalidSignature, wantMsg: "'X-Amz-Security-Token' must be a 'SignedHeader'"},
		{name: "token required", verifier: func(v *Verifier) {
			v.Credentials = func(string) (Credentials, bool) { c := testCreds; c.SessionToken = "x"; return c, true }
		}, wantCode: CodeUnrecognizedClient},
		{name: "wrong service", verifier: func(v *Verifier) { v.Service = "s3" }, wantCode: CodeInvalidSignature, wantMsg: "correct service: 's3'"},
		{name: "content-length signed by the client", mutate: func(r *http.Request) { r.Header.Set("Content-Length", "15") }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := &Signer{ContentSHA256Header: c.sha256}
			req := serverRequest(t, s, testCreds, body, c.mutate)
			if c.tamper != nil {
				c.tamper(req)
			}
			v := newV()
			if c.verifier != nil {
				c.verifier(v)
			}
			auth, err := v.VerifyHTTP(req, c.hash)
			var ve *VerifyError
			if c.wantCode == "" {
				if err != nil {
					t.Fatalf("VerifyHTTP: %v", err)
				}
				if auth.AccessKeyID != testCreds.AccessKeyID || auth.Region != "us-east-1" || auth.Service != "bedrock" {
					t.Errorf("authorization %+v", auth)
				}
				return
			}
			if !errors.As(err, &ve) {
				t.Fatalf("err = %v, want a *VerifyError %s", err, c.wantCode)
			}
			if ve.Code != c.wantCode || !strings.Contains(ve.Message, c.wantMsg) {
				t.Errorf("got %s: %s; want %s containing %q", ve.Code, ve.Message, c.wantCode, c.wantMsg)
			}
		})
	}
}

// TestVerifyMismatchSteps: on a mismatch the error carries what the server
// computed, so a client can compare.
func TestVerifyMismatchSteps(t *testing.T) {
	var s Signer
	req := serverRequest(t, &s, Credentials{AccessKeyID: testCreds.AccessKeyID, SecretAccessKey: "other"}, "{}", nil)
	v := &Verifier{Now: func() time.Time { return suiteTime }, Credentials: func(string) (Credentials, bool) { return testCreds, true }}
	_, err := v.VerifyHTTP(req, "")
	var ve *VerifyError
	if !errors.As(err, &ve) {
		t.Fatalf("err = %v", err)
	}
	want, err := s.Steps(mustClientRequest(t, "{}"), testCreds, "us-east-1", "bedrock", suiteTime, HashHex([]byte("{}")))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, ve.Steps); diff != "" {
		t.Errorf("server steps (-client with the right key +server):\n%s", diff)
	}
}

func mustClientRequest(t *testing.T, body string) *http.Request {
	req, err := http.NewRequest(http.MethodPost, "https://bedrock-runtime.us-east-1.amazonaws.com/model/amazon.nova-pro-v1%3A0/converse", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	return req
}

func TestVerifierWithoutLookup(t *testing.T) {
	var s Signer
	req := serverRequest(t, &s, testCreds, "{}", nil)
	if _, err := (&Verifier{}).VerifyHTTP(req, ""); err == nil || !strings.Contains(err.Error(), "Verifier.Credentials is nil") {
		t.Errorf("err = %v", err)
	}
}

func TestServerSteps(t *testing.T) {
	var s Signer
	req := serverRequest(t, &s, testCreds, "{}", nil)
	auth, err := ParseAuthorization(req.Header.Get("Authorization"))
	if err != nil {
		t.Fatal(err)
	}
	st, err := s.ServerSteps(req, testCreds, auth, suiteTime, HashHex([]byte("{}")))
	if err != nil {
		t.Fatal(err)
	}
	if st.Authorization != req.Header.Get("Authorization") {
		t.Errorf("ServerSteps authorization %q, request %q", st.Authorization, req.Header.Get("Authorization"))
	}
	if _, err := s.ServerSteps(req, testCreds, Authorization{}, suiteTime, EmptyPayloadHash); err == nil {
		t.Error("no signed headers: no error")
	}
}
