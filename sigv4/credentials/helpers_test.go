package credentials

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bedrockwire/bedrockwire/sigv4"
)

// testNow is the fixed clock of every test.
var testNow = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)

func fixedNow() time.Time { return testNow }

// env is a fake environment.
type env map[string]string

func (e env) get(k string) string { return e[k] }

// testOptions returns options isolated from the real machine: a fake
// environment, a temporary home with no files, the fixed clock, and
// unreachable metadata endpoints.
func testOptions(t *testing.T, e env) Options {
	t.Helper()
	if e == nil {
		e = env{}
	}
	// Nor may an SSO token refresh (SSO OIDC has no option, only the
	// endpoint variables).
	if _, ok := e["AWS_ENDPOINT_URL_SSO_OIDC"]; !ok {
		e["AWS_ENDPOINT_URL_SSO_OIDC"] = "http://127.0.0.1:1"
	}
	return Options{
		Getenv:       e.get,
		HomeDir:      t.TempDir(),
		Now:          fixedNow,
		IMDSEndpoint: closedEndpoint(t),
		// STS and SSO must never reach the network in tests.
		STSEndpoint: "http://127.0.0.1:1",
		SSOEndpoint: "http://127.0.0.1:1",
	}
}

// closedEndpoint is the URL of a loopback server that has been shut down:
// connecting to it fails at once.
func closedEndpoint(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.NotFoundHandler())
	u := srv.URL
	srv.Close()
	return u
}

// writeFile writes content under dir (creating parents) and returns the path.
func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// writeConfig writes ~/.aws/config and ~/.aws/credentials in o's home.
func writeConfig(t *testing.T, o Options, config, credentials string) {
	t.Helper()
	if config != "" {
		writeFile(t, o.HomeDir, ".aws/config", config)
	}
	if credentials != "" {
		writeFile(t, o.HomeDir, ".aws/credentials", credentials)
	}
}

// fakeSTS is an STS endpoint that verifies SigV4 signatures of AssumeRole
// calls with the sigv4 Verifier and answers with credentials derived from
// the role ARN.
type fakeSTS struct {
	*httptest.Server
	region string
	known  map[string]sigv4.Credentials // access key ID -> credentials allowed to call

	mu    sync.Mutex
	calls []url.Values
	// fail, when set, answers every call with this status and body.
	failStatus int
	failBody   string
}

func newFakeSTS(t *testing.T, region string, known ...sigv4.Credentials) *fakeSTS {
	t.Helper()
	f := &fakeSTS{region: region, known: map[string]sigv4.Credentials{}}
	for _, c := range known {
		f.known[c.AccessKeyID] = c
	}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

// assumedCreds are the credentials the fake returns for a role.
func assumedCreds(roleARN string) sigv4.Credentials {
	tail := roleARN[strings.LastIndexByte(roleARN, '/')+1:]
	return sigv4.Credentials{
		AccessKeyID:     "ASIA" + strings.ToUpper(tail),
		SecretAccessKey: "secret-for-" + tail,
		SessionToken:    "token-for-" + tail,
		Expires:         testNow.Add(time.Hour),
	}
}

func (f *fakeSTS) Calls() []url.Values {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]url.Values(nil), f.calls...)
}

func (f *fakeSTS) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	form, err := url.ParseQuery(string(body))
	if err != nil || r.Method != http.MethodPost || r.URL.Path != "/" ||
		r.Header.Get("Content-Type") != "application/x-www-form-urlencoded; charset=utf-8" {
		stsFail(w, 400, "InvalidRequest", fmt.Sprintf("bad request: method %s path %s content-type %q", r.Method, r.URL.Path, r.Header.Get("Content-Type")))
		return
	}
	f.mu.Lock()
	f.calls = append(f.calls, form)
	failStatus, failBody := f.failStatus, f.failBody
	f.mu.Unlock()
	if failStatus != 0 {
		w.WriteHeader(failStatus)
		io.WriteString(w, failBody)
		return
	}
	action := form.Get("Action")
	switch action {
	case "AssumeRole":
		v := sigv4.Verifier{Region: f.region, Service: "sts", Now: fixedNow, Credentials: func(id string) (sigv4.Credentials, bool) {
			c, ok := f.known[id]
			return c, ok
		}}
		r.Body = io.NopCloser(strings.NewReader(string(body)))
		if _, err := v.VerifyHTTP(r, sigv4.HashHex(body)); err != nil {
			stsFail(w, 403, "SignatureDoesNotMatch", err.Error())
			return
		}
	case "AssumeRoleWithWebIdentity":
		if r.Header.Get("Authorization") != "" {
			stsFail(w, 400, "InvalidRequest", "AssumeRoleWithWebIdentity must not be signed")
			return
		}
		if form.Get("WebIdentityToken") != "good-oidc-token" {
			stsFail(w, 400, "InvalidIdentityToken", "token is not valid")
			return
		}
	default:
		stsFail(w, 400, "InvalidAction", "unknown action "+action)
		return
	}
	if form.Get("Version") != "2011-06-15" {
		stsFail(w, 400, "InvalidRequest", "bad Version")
		return
	}
	c := assumedCreds(form.Get("RoleArn"))
	fmt.Fprintf(w, `<%[1]sResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <%[1]sResult>
    <AssumedRoleUser><Arn>%[2]s</Arn><AssumedRoleId>AROA:x</AssumedRoleId></AssumedRoleUser>
    <Credentials>
      <AccessKeyId>%[3]s</AccessKeyId>
      <SecretAccessKey>%[4]s</SecretAccessKey>
      <SessionToken>%[5]s</SessionToken>
      <Expiration>%[6]s</Expiration>
    </Credentials>
  </%[1]sResult>
  <ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata>
</%[1]sResponse>`, action, xmlEscape(form.Get("RoleArn")), c.AccessKeyID, c.SecretAccessKey, c.SessionToken, c.Expires.Format(time.RFC3339))
}

func xmlEscape(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

func stsFail(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(status)
	fmt.Fprintf(w, `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>%s</Code><Message>%s</Message></Error><RequestId>err-req-1</RequestId></ErrorResponse>`, code, xmlEscape(msg))
}

// retrieve calls p with a test context.
func retrieve(t *testing.T, p sigv4.CredentialsProvider) (sigv4.Credentials, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return p.Retrieve(ctx)
}

// mustRetrieve fails the test on error.
func mustRetrieve(t *testing.T, p sigv4.CredentialsProvider) sigv4.Credentials {
	t.Helper()
	c, err := retrieve(t, p)
	if err != nil {
		t.Fatalf("Retrieve: %v", err)
	}
	return c
}

// errText returns err's text or "<nil>".
func errText(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}
