package sigv4

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// fuzzRequest builds a request from fuzz input: headers are "Name: value"
// lines. It returns nil when the input cannot form a request at all.
func fuzzRequest(method, path, query, headers string) *http.Request {
	u := &url.URL{Scheme: "https", Host: "bedrock-runtime.us-east-1.amazonaws.com", Opaque: path, RawQuery: query}
	if path == "" || path[0] != '/' || strings.HasPrefix(path, "//") {
		u.Opaque = ""
		u.Path = path
	}
	h := make(http.Header)
	for _, line := range strings.Split(headers, "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		h[k] = append(h[k], v)
	}
	return &http.Request{Method: method, URL: u, Header: h, Host: u.Host}
}

// FuzzSign signs arbitrary methods, paths, queries and headers. It must
// never panic; signing must be deterministic, must not depend on the case
// of header names, and what it signs must verify on the server side.
func FuzzSign(f *testing.F) {
	f.Add("POST", "/model/amazon.nova-pro-v1%3A0/converse", "", "Content-Type: application/json\nX-Amz-Target: x", false, false)
	f.Add("GET", "/async-invoke", "maxResults=10&statusEquals=InProgress", "Accept: application/json", false, false)
	f.Add("GET", "/example space/", "a=b&a=a&%E1%88%B4=bar", "My-Header1: a   b\t c \nMy-Header1:value2", true, false)
	f.Add("PUT", "/./a/../b//c", "x=%zz", "Bad\r: x", true, true)
	f.Add("", "", "=&&=", ":\nA:\r\n", false, false)
	f.Fuzz(func(t *testing.T, method, path, query, headers string, normalize, single bool) {
		s := &Signer{NormalizePath: normalize, SingleEncode: single}
		creds := Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "secret", SessionToken: "tok"}
		at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		req := fuzzRequest(method, path, query, headers)
		st, err := s.Steps(req, creds, "us-east-1", "bedrock", at, EmptyPayloadHash)
		st2, err2 := s.Steps(req, creds, "us-east-1", "bedrock", at, EmptyPayloadHash)
		if (err == nil) != (err2 == nil) {
			t.Fatalf("not deterministic: %v then %v", err, err2)
		}
		if err != nil {
			if err.Error() != err2.Error() {
				t.Fatalf("not deterministic: %v then %v", err, err2)
			}
			return
		}
		if diff := cmp.Diff(st, st2); diff != "" {
			t.Fatalf("not deterministic (-first +second):\n%s", diff)
		}
		if strings.Count(st.CanonicalRequest, "\n") < 5 || strings.Count(st.StringToSign, "\n") != 3 {
			t.Fatalf("malformed steps: %q / %q", st.CanonicalRequest, st.StringToSign)
		}

		// Header-name case does not matter (unless two names collide).
		for _, fold := range []func(string) string{strings.ToLower, strings.ToUpper} {
			h := make(http.Header, len(req.Header))
			collide := false
			for k, v := range req.Header {
				if _, dup := h[fold(k)]; dup {
					collide = true
				}
				h[fold(k)] = v
			}
			if collide {
				break
			}
			r2 := *req
			r2.Header = h
			st3, err := s.Steps(&r2, creds, "us-east-1", "bedrock", at, EmptyPayloadHash)
			if err != nil {
				t.Fatalf("header case changed the outcome: %v", err)
			}
			if diff := cmp.Diff(st, st3); diff != "" {
				t.Fatalf("header case changed the steps (-orig +folded):\n%s", diff)
			}
		}

		// SignHTTP agrees with Steps, and the server side verifies it.
		if err := s.SignHTTP(req, creds, "us-east-1", "bedrock", at, EmptyPayloadHash); err != nil {
			t.Fatalf("Steps succeeded but SignHTTP failed: %v", err)
		}
		if got := req.Header.Get("Authorization"); got != st.Authorization {
			t.Fatalf("SignHTTP Authorization %q, Steps %q", got, st.Authorization)
		}
		req.RequestURI = wirePath(req.URL)
		if req.URL.RawQuery != "" {
			req.RequestURI += "?" + req.URL.RawQuery
		}
		req.Host = "bedrock-runtime.us-east-1.amazonaws.com"
		v := &Verifier{Region: "us-east-1", Service: "bedrock", Now: func() time.Time { return at },
			Credentials: func(string) (Credentials, bool) { return creds, true }, Signer: Signer{NormalizePath: normalize, SingleEncode: single}}
		if req.RequestURI != "" && req.RequestURI[0] == '/' {
			if _, err := v.VerifyHTTP(req, EmptyPayloadHash); err != nil {
				t.Fatalf("server-side verification of our own signature: %v", err)
			}
		}
	})
}

// FuzzParseAuthorization: never panics; what parses formats back to the
// same value.
func FuzzParseAuthorization(f *testing.F) {
	f.Add("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")
	f.Add("AWS4-HMAC-SHA256 Signature=00,Credential=a/b/c/d/aws4_request,SignedHeaders=")
	f.Add("AWS4-HMAC-SHA256 ")
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ParseAuthorization(s)
		if err != nil {
			return
		}
		b, err := ParseAuthorization(a.String())
		if err != nil {
			t.Fatalf("String() of a parsed value does not parse: %v", err)
		}
		if diff := cmp.Diff(a, b); diff != "" {
			t.Fatalf("round trip (-first +second):\n%s", diff)
		}
		if _, err := SignatureFromAuthorization(s); err != nil {
			t.Fatalf("SignatureFromAuthorization: %v", err)
		}
	})
}

// FuzzParseRawRequest: never panics, and what parses can be signed or is
// refused with an error.
func FuzzParseRawRequest(f *testing.F) {
	f.Add([]byte("GET / HTTP/1.1\nHost:example.amazonaws.com\nX-Amz-Date:20150830T123600Z"))
	f.Add([]byte("POST /a b?c=d HTTP/1.1\r\nHost: h\r\nMy-Header1:value1\r\n  value2\r\n\r\nbody"))
	f.Add([]byte("GET //x// HTTP/1.1\n Host:h\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		req, err := ParseRawRequest(data, "https")
		if err != nil {
			return
		}
		var s Signer
		s.Steps(req, Credentials{AccessKeyID: "a", SecretAccessKey: "b"}, "r", "s", time.Unix(0, 0), "")
	})
}
