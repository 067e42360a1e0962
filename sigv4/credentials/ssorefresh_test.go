package credentials

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bedrockwire/bedrockwire/sigv4"
	"github.com/google/go-cmp/cmp"
)

// The secrets of the refresh tests: none may appear in any error text.
const (
	oldAccessToken  = "old-access-token-SECRET"
	newAccessToken  = "new-access-token-SECRET"
	oldRefreshToken = "old-refresh-token-SECRET"
	newRefreshToken = "new-refresh-token-SECRET"
	clientSecret    = "client-secret-SECRET"
)

var refreshSecrets = []string{oldAccessToken, newAccessToken, oldRefreshToken, newRefreshToken, clientSecret}

// fakeOIDC is an SSO OIDC endpoint answering every request with one canned
// response and recording what it was sent.
type fakeOIDC struct {
	*httptest.Server
	status int
	header map[string]string
	body   string

	mu       sync.Mutex
	requests []oidcRequest
}

type oidcRequest struct {
	Method, Path, ContentType, Authorization string
	Body                                     map[string]any
}

func newFakeOIDC(t *testing.T, status int, header map[string]string, body string) *fakeOIDC {
	f := &fakeOIDC{status: status, header: header, body: body}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		req := oidcRequest{Method: r.Method, Path: r.URL.Path, ContentType: r.Header.Get("Content-Type"), Authorization: r.Header.Get("Authorization")}
		if err := json.Unmarshal(b, &req.Body); err != nil {
			t.Errorf("CreateToken body is not JSON: %q", b)
		}
		f.mu.Lock()
		f.requests = append(f.requests, req)
		f.mu.Unlock()
		for k, v := range f.header {
			w.Header().Set(k, v)
		}
		w.WriteHeader(f.status)
		io.WriteString(w, f.body)
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeOIDC) Requests() []oidcRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]oidcRequest(nil), f.requests...)
}

// refreshCache is a token cache as `aws sso login` writes it for an
// sso_session, with an extra field a newer CLI might add.
func refreshCache(expires time.Time, drop ...string) map[string]any {
	m := map[string]any{
		"startUrl":              "https://corp.awsapps.com/start",
		"region":                "us-east-1",
		"accessToken":           oldAccessToken,
		"expiresAt":             expires.UTC().Format(time.RFC3339),
		"refreshToken":          oldRefreshToken,
		"clientId":              "client-id-1",
		"clientSecret":          clientSecret,
		"registrationExpiresAt": testNow.Add(90 * 24 * time.Hour).Format(time.RFC3339),
		"futureField":           map[string]any{"kept": []any{1.0, "two"}},
	}
	for _, k := range drop {
		delete(m, k)
	}
	return m
}

const createTokenOK = `{"accessToken":"` + newAccessToken + `","tokenType":"Bearer","expiresIn":28800,"refreshToken":"` + newRefreshToken + `"}`

var wantCreateTokenRequest = oidcRequest{
	Method: "POST", Path: "/token", ContentType: "application/json",
	Body: map[string]any{"clientId": "client-id-1", "clientSecret": clientSecret, "grantType": "refresh_token", "refreshToken": oldRefreshToken},
}

func TestSSOTokenRefresh(t *testing.T) {
	corp := SSOProvider{SessionName: "corp", StartURL: "https://corp.awsapps.com/start", Region: "us-east-1", AccountID: "123456789012", RoleName: "Admin"}
	legacy := corp
	legacy.SessionName = ""
	invalidGrant := `{"error":"invalid_grant","error_description":"Invalid refresh token provided"}`
	tests := []struct {
		name        string
		p           SSOProvider
		cache       map[string]any
		oidcStatus  int
		oidcHeader  map[string]string
		oidcBody    string
		portalToken string // the token the portal accepts
		want        sigv4.Credentials
		wantErr     string
		wantCalls   int            // CreateToken calls
		wantCache   map[string]any // nil: the cache file is unchanged
	}{
		{
			name: "expired token refreshed", p: corp, cache: refreshCache(testNow.Add(-time.Minute)),
			oidcStatus: 200, oidcBody: createTokenOK, portalToken: newAccessToken, want: ssoWant, wantCalls: 1,
			wantCache: func() map[string]any {
				m := refreshCache(testNow.Add(8 * time.Hour))
				m["accessToken"], m["refreshToken"] = newAccessToken, newRefreshToken
				return m
			}(),
		},
		{
			name: "near expiry refreshed, refresh token not rotated", p: corp, cache: refreshCache(testNow.Add(4 * time.Minute)),
			oidcStatus: 200, oidcBody: `{"accessToken":"` + newAccessToken + `","expiresIn":3600}`, portalToken: newAccessToken, want: ssoWant, wantCalls: 1,
			wantCache: func() map[string]any {
				m := refreshCache(testNow.Add(time.Hour))
				m["accessToken"] = newAccessToken
				return m
			}(),
		},
		{
			name: "fresh token not refreshed", p: corp, cache: refreshCache(testNow.Add(6 * time.Minute)),
			oidcStatus: 200, oidcBody: createTokenOK, portalToken: oldAccessToken, want: ssoWant,
		},
		{
			name: "refresh fails, cached token still valid", p: corp, cache: refreshCache(testNow.Add(2 * time.Minute)),
			oidcStatus: 400, oidcHeader: map[string]string{"X-Amzn-Errortype": "InvalidGrantException:http://internal.amazon.com/coral/com.amazon.switchboard.oidc/"}, oidcBody: invalidGrant,
			portalToken: oldAccessToken, want: ssoWant, wantCalls: 1,
		},
		{
			name: "refresh fails, cached token expired", p: corp, cache: refreshCache(testNow.Add(-time.Minute)),
			oidcStatus: 400, oidcHeader: map[string]string{"X-Amzn-Errortype": "InvalidGrantException:http://internal.amazon.com/coral/com.amazon.switchboard.oidc/"}, oidcBody: invalidGrant,
			portalToken: oldAccessToken, wantCalls: 1,
			wantErr: "sso: the cached token expired at 2026-11-24T11:59:00Z and refreshing it failed (sso-oidc CreateToken: HTTP 400 InvalidGrantException (invalid_grant): Invalid refresh token provided): run `aws sso login --sso-session corp`",
		},
		{
			name: "error code from the body alone", p: corp, cache: refreshCache(testNow.Add(-time.Minute)),
			oidcStatus: 401, oidcBody: `{"__type":"com.amazonaws.ssooidc#ExpiredTokenException","error":"expired_token","error_description":"Refresh token has expired"}`,
			wantCalls: 1,
			wantErr:   "sso: the cached token expired at 2026-11-24T11:59:00Z and refreshing it failed (sso-oidc CreateToken: HTTP 401 ExpiredTokenException (expired_token): Refresh token has expired): run `aws sso login --sso-session corp`",
		},
		{
			name: "service echoes the secrets", p: corp, cache: refreshCache(testNow.Add(-time.Minute)),
			oidcStatus: 400, oidcBody: `{"error":"invalid_client","error_description":"bad ` + clientSecret + ` for ` + oldRefreshToken + `"}`,
			wantCalls: 1,
			wantErr:   "sso: the cached token expired at 2026-11-24T11:59:00Z and refreshing it failed (sso-oidc CreateToken: HTTP 400 invalid_client: bad [redacted] for [redacted]): run `aws sso login --sso-session corp`",
		},
		{
			name: "malformed response", p: corp, cache: refreshCache(testNow.Add(-time.Minute)),
			oidcStatus: 200, oidcBody: `{"accessToken":"` + newAccessToken, wantCalls: 1,
			wantErr: "sso: the cached token expired at 2026-11-24T11:59:00Z and refreshing it failed (sso-oidc CreateToken: response is not valid JSON: syntax error at byte 39): run `aws sso login --sso-session corp`",
		},
		{
			name: "response without expiresIn", p: corp, cache: refreshCache(testNow.Add(-time.Minute)),
			oidcStatus: 200, oidcBody: `{"accessToken":"` + newAccessToken + `"}`, wantCalls: 1,
			wantErr: "sso: the cached token expired at 2026-11-24T11:59:00Z and refreshing it failed (sso-oidc CreateToken: response has no expiresIn): run `aws sso login --sso-session corp`",
		},
		{
			name: "missing clientSecret: no refresh", p: corp, cache: refreshCache(testNow.Add(-time.Minute), "clientSecret"),
			oidcStatus: 200, oidcBody: createTokenOK,
			wantErr: "sso: the cached token expired at 2026-11-24T11:59:00Z: run `aws sso login --sso-session corp`",
		},
		{
			name: "missing refreshToken, near expiry: cached token used", p: corp, cache: refreshCache(testNow.Add(time.Minute), "refreshToken"),
			oidcStatus: 200, oidcBody: createTokenOK, portalToken: oldAccessToken, want: ssoWant,
		},
		{
			name: "missing registrationExpiresAt: no refresh", p: corp, cache: refreshCache(testNow.Add(-time.Minute), "registrationExpiresAt"),
			oidcStatus: 200, oidcBody: createTokenOK,
			wantErr: "sso: the cached token expired at 2026-11-24T11:59:00Z: run `aws sso login --sso-session corp`",
		},
		{
			name: "expired registration: no refresh", p: corp,
			cache: func() map[string]any {
				m := refreshCache(testNow.Add(-time.Minute))
				m["registrationExpiresAt"] = testNow.Add(-time.Second).Format(time.RFC3339)
				return m
			}(),
			oidcStatus: 200, oidcBody: createTokenOK,
			wantErr: "sso: the cached token expired at 2026-11-24T11:59:00Z: run `aws sso login --sso-session corp`",
		},
		{
			name: "refresh fields of the wrong type: no refresh", p: corp,
			cache: func() map[string]any {
				m := refreshCache(testNow.Add(-time.Minute))
				m["clientId"] = 7.0
				return m
			}(),
			oidcStatus: 200, oidcBody: createTokenOK,
			wantErr: "sso: the cached token expired at 2026-11-24T11:59:00Z: run `aws sso login --sso-session corp`",
		},
		{
			name: "legacy profile: no refresh", p: legacy, cache: refreshCache(testNow.Add(-time.Minute)),
			oidcStatus: 200, oidcBody: createTokenOK,
			wantErr: "sso: the cached token expired at 2026-11-24T11:59:00Z: run `aws sso login`",
		},
		{
			name: "legacy profile near expiry: cached token used", p: legacy, cache: refreshCache(testNow.Add(time.Minute)),
			oidcStatus: 200, oidcBody: createTokenOK, portalToken: oldAccessToken, want: ssoWant,
		},
	}
	var allErrors []string
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			oidc := newFakeOIDC(t, tt.oidcStatus, tt.oidcHeader, tt.oidcBody)
			portal := newFakeSSOPortal(t, tt.portalToken)
			o := testOptions(t, env{"AWS_ENDPOINT_URL_SSO_OIDC": oidc.URL})
			o.SSOEndpoint = portal.URL
			key := tt.p.SessionName
			if key == "" {
				key = tt.p.StartURL
			}
			initial, err := json.Marshal(tt.cache)
			if err != nil {
				t.Fatal(err)
			}
			path := writeFile(t, o.HomeDir, ".aws/sso/cache/"+ssoCacheKey(key, key), string(initial))
			tt.p.Options = o

			got, err := retrieve(t, tt.p)
			allErrors = append(allErrors, errText(err))
			if gotErr := errText(err); gotErr != orNil(tt.wantErr) {
				t.Fatalf("error:\n got %s\nwant %s", gotErr, orNil(tt.wantErr))
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("credentials (-want +got):\n%s", diff)
			}

			var wantRequests []oidcRequest
			for range tt.wantCalls {
				wantRequests = append(wantRequests, wantCreateTokenRequest)
			}
			if diff := cmp.Diff(wantRequests, oidc.Requests()); diff != "" {
				t.Errorf("CreateToken requests (-want +got):\n%s", diff)
			}

			after, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if tt.wantCache == nil {
				if diff := cmp.Diff(string(initial), string(after)); diff != "" {
					t.Errorf("cache file changed (-want +got):\n%s", diff)
				}
			} else {
				var gotCache map[string]any
				if err := json.Unmarshal(after, &gotCache); err != nil {
					t.Fatalf("rewritten cache is not JSON: %v", err)
				}
				if diff := cmp.Diff(tt.wantCache, gotCache); diff != "" {
					t.Errorf("rewritten cache (-want +got):\n%s", diff)
				}
				if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
					t.Errorf("cache file mode = %v (%v), want 0600", fi.Mode().Perm(), err)
				}
			}
			entries, err := os.ReadDir(filepath.Dir(path))
			if err != nil || len(entries) != 1 {
				t.Errorf("cache directory holds %d entries (%v), want only the cache file", len(entries), err)
			}
		})
	}
	for _, e := range allErrors {
		for _, s := range refreshSecrets {
			if strings.Contains(e, s) {
				t.Errorf("error reveals a secret: %s", e)
			}
		}
	}
}

// A cancelled context stops the refresh and is not hidden behind the
// cached token.
func TestSSOTokenRefreshCancelled(t *testing.T) {
	oidc := newFakeOIDC(t, 200, nil, createTokenOK)
	o := testOptions(t, env{"AWS_ENDPOINT_URL_SSO_OIDC": oidc.URL})
	data, _ := json.Marshal(refreshCache(testNow.Add(time.Minute)))
	path := writeFile(t, o.HomeDir, ".aws/sso/cache/"+ssoCacheKey("corp", ""), string(data))
	p := SSOProvider{SessionName: "corp", StartURL: "u", Region: "us-east-1", AccountID: "1", RoleName: "Admin", Options: o}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := p.Retrieve(ctx)
	if want := "sso: refreshing the cached token: sso-oidc CreateToken: context canceled"; errText(err) != want {
		t.Errorf("error:\n got %s\nwant %s", errText(err), want)
	}
	if after, _ := os.ReadFile(path); string(after) != string(data) {
		t.Errorf("cache changed after a cancelled refresh: %s", after)
	}
}

// The OIDC endpoint defaults to oidc.{sso_region}.{partition suffix}.
func TestSSOTokenRefreshEndpoint(t *testing.T) {
	var gotURL string
	o := testOptions(t, env{"AWS_ENDPOINT_URL_SSO_OIDC": ""}) // the default endpoint
	o.HTTPClient = &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		gotURL = r.Method + " " + r.URL.String()
		return nil, fmt.Errorf("offline")
	})}
	_, err := createSSOToken(context.Background(), &o, "cn-north-1", ssoRefreshFields{refreshToken: "r", clientID: "c", clientSecret: "s"})
	if want := "POST https://oidc.cn-north-1.amazonaws.com.cn/token"; gotURL != want {
		t.Errorf("CreateToken URL = %s, want %s", gotURL, want)
	}
	if want := "sso-oidc CreateToken: offline"; errText(err) != want {
		t.Errorf("error = %s, want %s", errText(err), want)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// An unwritable cache directory: the refreshed token is not silently
// dropped, and nothing is left behind.
func TestSSOTokenRefreshCacheNotWritable(t *testing.T) {
	dir := t.TempDir()
	err := writeFileAtomic(filepath.Join(dir, "missing", "x.json"), []byte("{}"))
	if err == nil {
		t.Fatal("writeFileAtomic into a missing directory succeeded")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("left %d entries behind", len(entries))
	}
}

func TestParseCreateTokenResponse(t *testing.T) {
	tests := []struct {
		in      string
		want    ssoNewToken
		wantErr string
	}{
		{in: `{"accessToken":"a","expiresIn":60,"refreshToken":"r","tokenType":"Bearer","idToken":"i"}`,
			want: ssoNewToken{accessToken: "a", expires: testNow.Add(time.Minute), refreshToken: "r"}},
		{in: `{"accessToken":"a","expiresIn":60}`, want: ssoNewToken{accessToken: "a", expires: testNow.Add(time.Minute)}},
		{in: `{"expiresIn":60}`, wantErr: "response has no accessToken"},
		{in: `{"accessToken":"a\r\nX-Evil: 1","expiresIn":60}`, wantErr: "response accessToken contains a line break"},
		{in: `{"accessToken":"a"}`, wantErr: "response has no expiresIn"},
		{in: `{"accessToken":"a","expiresIn":null}`, wantErr: "response has no expiresIn"},
		{in: `{"accessToken":"a","expiresIn":0}`, wantErr: "response expiresIn 0 is out of range"},
		{in: `{"accessToken":"a","expiresIn":-5}`, wantErr: "response expiresIn -5 is out of range"},
		{in: `{"accessToken":"a","expiresIn":2147483648}`, wantErr: "response expiresIn 2147483648 is out of range"},
		{in: `{"accessToken":"a","expiresIn":1e400}`, wantErr: "response is not valid JSON: field expiresIn: expected int64, got a JSON number"},
		{in: `{"accessToken":"a","expiresIn":"60"}`, wantErr: "response is not valid JSON: field expiresIn: expected int64, got a JSON string"},
		{in: `[]`, wantErr: "response is not valid JSON: expected a JSON object, got a JSON array"},
		{in: ``, wantErr: "response is not valid JSON: syntax error at byte 0"},
	}
	for _, tt := range tests {
		got, err := parseCreateTokenResponse([]byte(tt.in), testNow)
		if errText(err) != orNil(tt.wantErr) {
			t.Errorf("parseCreateTokenResponse(%s) error:\n got %s\nwant %s", tt.in, errText(err), orNil(tt.wantErr))
		}
		if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(ssoNewToken{})); diff != "" {
			t.Errorf("parseCreateTokenResponse(%s) (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestUpdatedSSOCache(t *testing.T) {
	tok := ssoNewToken{accessToken: "new", expires: testNow.Add(time.Hour), refreshToken: "r2"}
	for in, want := range map[string]string{
		`{"accessToken":"old","expiresAt":"2026-11-24T11:00:00UTC","refreshToken":"r1","x":[1, 2]}`: `{"accessToken":"new","expiresAt":"2026-11-24T13:00:00Z","refreshToken":"r2","x":[1,2]}`,
		`{}`:       `{"accessToken":"new","expiresAt":"2026-11-24T13:00:00Z","refreshToken":"r2"}`,
		`null`:     "error: not a JSON object",
		`[1]`:      "error: not valid JSON: expected a JSON object, got a JSON array",
		`{"a":`:    "error: not valid JSON: syntax error at byte 5",
		`{"a":1}x`: "error: not valid JSON: syntax error at byte 8",
		`"string"`: "error: not valid JSON: expected a JSON object, got a JSON string",
		"\ufeff{}": "error: not valid JSON: syntax error at byte 1",
	} {
		out, err := updatedSSOCache([]byte(in), tok)
		got := string(out)
		if err != nil {
			got = "error: " + err.Error()
		}
		if got != want {
			t.Errorf("updatedSSOCache(%s):\n got %s\nwant %s", in, got, want)
		}
	}
	// Without a new refresh token the old one stays.
	out, err := updatedSSOCache([]byte(`{"refreshToken":"r1"}`), ssoNewToken{accessToken: "new", expires: testNow})
	if want := `{"accessToken":"new","expiresAt":"2026-11-24T12:00:00Z","refreshToken":"r1"}`; string(out) != want || err != nil {
		t.Errorf("updatedSSOCache kept = %s, %v; want %s", out, err, want)
	}
}

func TestSSORefreshSecretsRedacted(t *testing.T) {
	f, ok := ssoRefreshFieldsFrom([]byte(fmt.Sprintf(`{"refreshToken":%q,"clientId":"c","clientSecret":%q,"registrationExpiresAt":"2027-01-01T00:00:00Z"}`, oldRefreshToken, clientSecret)), testNow)
	if !ok {
		t.Fatal("refresh fields not found")
	}
	tok := ssoNewToken{accessToken: newAccessToken, refreshToken: newRefreshToken, expires: testNow}
	for _, s := range []string{fmt.Sprint(f), fmt.Sprintf("%+v %#v", f, f), fmt.Sprint(tok), fmt.Sprintf("%+v %#v", tok, tok)} {
		for _, secret := range refreshSecrets {
			if strings.Contains(s, secret) {
				t.Errorf("printing reveals a secret: %s", s)
			}
		}
	}
}

func FuzzSSOTokenRefresh(f *testing.F) {
	f.Add([]byte(createTokenOK))
	f.Add([]byte(`{"accessToken":"a","expiresIn":1}`))
	f.Add([]byte(`{"accessToken":"a","expiresAt":"2026-11-24T13:00:00Z","refreshToken":"r","clientId":"c","clientSecret":"s","registrationExpiresAt":"2027-01-01T00:00:00Z"}`))
	f.Add([]byte(`{"error":"invalid_grant"}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, data []byte) {
		tok, err := parseCreateTokenResponse(data, testNow)
		if err == nil && (tok.accessToken == "" || strings.ContainsAny(tok.accessToken, "\r\n") || !tok.expires.After(testNow)) {
			t.Fatalf("bad token without error: %#v", tok)
		}
		if fields, ok := ssoRefreshFieldsFrom(data, testNow); ok && (fields.refreshToken == "" || fields.clientID == "" || fields.clientSecret == "" || !fields.registrationExpires.After(testNow)) {
			t.Fatalf("unusable refresh fields accepted: %#v", fields)
		}
		newTok := ssoNewToken{accessToken: "new\u2028<tok>", expires: testNow.Add(time.Hour), refreshToken: "r\x00"}
		out, err := updatedSSOCache(data, newTok)
		if err != nil {
			return
		}
		// The rewritten cache is a JSON object with the new token, which the
		// cache reader accepts, and every other field of the input.
		var before, after map[string]json.RawMessage
		if err := json.Unmarshal(data, &before); err != nil {
			t.Fatalf("updated a cache that is not an object: %v", err)
		}
		if err := json.Unmarshal(out, &after); err != nil {
			t.Fatalf("rewritten cache is not valid JSON: %v\n%s", err, out)
		}
		got, err := parseSSOToken(out)
		if err != nil || got.accessToken != newTok.accessToken || !got.expires.Equal(newTok.expires) {
			t.Fatalf("rewritten cache reads back as %#v, %v", got, err)
		}
		for k, v := range before {
			if k == "accessToken" || k == "expiresAt" || k == "refreshToken" {
				continue
			}
			var a, b any
			if json.Unmarshal(v, &a) != nil || json.Unmarshal(after[k], &b) != nil || !cmp.Equal(a, b) {
				t.Fatalf("field %q changed: %s -> %s", k, v, after[k])
			}
		}
	})
}

// Through the default chain: an sso_session profile whose cached token has
// expired is refreshed, and the next Retrieve uses the saved token without
// another refresh.
func TestSSOTokenRefreshThroughChain(t *testing.T) {
	oidc := newFakeOIDC(t, 200, nil, createTokenOK)
	portal := newFakeSSOPortal(t, newAccessToken)
	o := testOptions(t, env{"AWS_ENDPOINT_URL_SSO_OIDC": oidc.URL, "AWS_PROFILE": "dev"})
	o.SSOEndpoint = portal.URL
	writeConfig(t, o, "[profile dev]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Admin\n"+
		"[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n", "")
	data, _ := json.Marshal(refreshCache(testNow.Add(-time.Hour)))
	writeFile(t, o.HomeDir, ".aws/sso/cache/"+ssoCacheKey("corp", ""), string(data))
	for range 2 {
		if diff := cmp.Diff(ssoWant, mustRetrieve(t, NewDefaultChain(o))); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	}
	if n := len(oidc.Requests()); n != 1 {
		t.Errorf("CreateToken called %d times, want 1", n)
	}
}
