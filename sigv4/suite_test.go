package sigv4

import (
	"encoding/json"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// The AWS SigV4 test suite, transcribed into testdata/suite: for each case
// the request (request.txt), and the canonical request, string to sign and
// Authorization header AWS publishes for it with the key below, the region
// us-east-1, the service "service" and the time 20150830T123600Z. The
// canonical requests were checked against the hash on the fourth line of the
// published strings to sign, and the signatures come from the published
// Authorization headers. Cases under normalize-path/ need NormalizePath.
//
// It is kept beside the v4 suite of suite_v4_test.go because it holds what
// those 38 cases do not: get-vanilla-query-order-key and
// get-vanilla-query-order-value (the v4 suite dropped them);
// post-sts-header-after in its 2015 form (the token is added after signing,
// unsigned; in v4 that case is post-vanilla); requests that already carry
// X-Amz-Date, which the signer must replace; the 2015 reading of a folded
// header (one more value per line, "value1,value2,value3", which
// ParseRawRequest and `bedrock sign` keep; v4 reads it as one value); and
// the server-side check with the 2015 Authorization values.
var suiteCreds = Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}

var suiteTime = time.Date(2015, 8, 30, 12, 36, 0, 0, time.UTC)

type suiteCase struct {
	name                           string
	request                        []byte
	canonical, stringToSign, authz string
	normalize                      bool
}

func loadSuite(t *testing.T) []suiteCase {
	t.Helper()
	var cases []suiteCase
	root := filepath.Join("testdata", "suite")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.Name() != "request.txt" {
			return err
		}
		dir := filepath.Dir(path)
		read := func(name string) string {
			b, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}
		c := suiteCase{
			name:         filepath.ToSlash(strings.TrimPrefix(dir, root+string(filepath.Separator))),
			request:      []byte(read("request.txt")),
			canonical:    read("canonical-request.txt"),
			stringToSign: read("string-to-sign.txt"),
			authz:        read("authorization.txt"),
		}
		if b, err := os.ReadFile(filepath.Join(dir, "context.json")); err == nil {
			var ctx struct{ Normalize bool }
			if err := json.Unmarshal(b, &ctx); err != nil {
				t.Fatalf("%s: %v", dir, err)
			}
			c.normalize = ctx.Normalize
		}
		cases = append(cases, c)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) < 30 {
		t.Fatalf("found %d suite cases, want at least 30", len(cases))
	}
	return cases
}

func TestSuiteSteps(t *testing.T) {
	for _, c := range loadSuite(t) {
		t.Run(c.name, func(t *testing.T) {
			req, err := ParseRawRequest(c.request, "https")
			if err != nil {
				t.Fatal(err)
			}
			s := &Signer{NormalizePath: c.normalize}
			st, err := s.Steps(req, suiteCreds, "us-east-1", "service", suiteTime, "")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(c.canonical, st.CanonicalRequest); diff != "" {
				t.Errorf("canonical request (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(c.stringToSign, st.StringToSign); diff != "" {
				t.Errorf("string to sign (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(c.authz, st.Authorization); diff != "" {
				t.Errorf("authorization (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(c.authz[strings.LastIndex(c.authz, "=")+1:], st.Signature); diff != "" {
				t.Errorf("signature (-want +got):\n%s", diff)
			}

			// SignHTTP adds exactly that header.
			if err := s.SignHTTP(req, suiteCreds, "us-east-1", "service", suiteTime, ""); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]string{c.authz}, req.Header["Authorization"]); diff != "" {
				t.Errorf("Authorization header (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]string{"20150830T123600Z"}, req.Header["X-Amz-Date"]); diff != "" {
				t.Errorf("X-Amz-Date header (-want +got):\n%s", diff)
			}
		})
	}
}

// TestSuiteServerSide verifies every suite request as a server receives
// it: the signature in the published Authorization header must check out.
func TestSuiteServerSide(t *testing.T) {
	for _, c := range loadSuite(t) {
		t.Run(c.name, func(t *testing.T) {
			req, err := ParseRawRequest(c.request, "https")
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Authorization", c.authz)
			req.RequestURI = strings.SplitN(strings.SplitN(string(c.request), "\n", 2)[0], " ", 2)[1]
			req.RequestURI = req.RequestURI[:strings.LastIndex(req.RequestURI, " ")]
			v := &Verifier{
				Region: "us-east-1", Service: "service",
				Credentials: func(string) (Credentials, bool) { return suiteCreds, true },
				Now:         func() time.Time { return suiteTime.Add(time.Minute) },
				Signer:      Signer{NormalizePath: c.normalize},
			}
			if _, err := v.VerifyHTTP(req, ""); err != nil {
				t.Fatalf("VerifyHTTP: %v", err)
			}
		})
	}
}

// TestSuiteSessionTokenFromCredentials: post-sts-header-before signs the
// session token header; credentials carrying the token give the same
// signature when the request does not have the header yet.
func TestSuiteSessionTokenFromCredentials(t *testing.T) {
	dir := filepath.Join("testdata", "suite", "post-sts-header-before")
	raw, err := os.ReadFile(filepath.Join(dir, "request.txt"))
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join(dir, "authorization.txt"))
	if err != nil {
		t.Fatal(err)
	}
	req, err := ParseRawRequest(raw, "https")
	if err != nil {
		t.Fatal(err)
	}
	token := req.Header.Get("X-Amz-Security-Token")
	req.Header.Del("X-Amz-Security-Token")
	creds := suiteCreds
	creds.SessionToken = token
	var s Signer
	if err := s.SignHTTP(req, creds, "us-east-1", "service", suiteTime, EmptyPayloadHash); err != nil {
		t.Fatal(err)
	}
	got := http.Header{
		"Authorization":        req.Header["Authorization"],
		"X-Amz-Security-Token": req.Header["X-Amz-Security-Token"],
	}
	wantH := http.Header{
		"Authorization":        {string(want)},
		"X-Amz-Security-Token": {token},
	}
	if diff := cmp.Diff(wantH, got); diff != "" {
		t.Errorf("headers (-want +got):\n%s", diff)
	}
}
