package credentials

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bedrockwire/bedrockwire/sigv4"
	"github.com/google/go-cmp/cmp"
)

// fakeSSOPortal answers GetRoleCredentials for one bearer token.
type fakeSSOPortal struct {
	*httptest.Server
	mu      sync.Mutex
	token   string
	queries []string
}

func newFakeSSOPortal(t *testing.T, token string) *fakeSSOPortal {
	f := &fakeSSOPortal{token: token}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.queries = append(f.queries, r.Method+" "+r.URL.Path+"?"+r.URL.RawQuery)
		f.mu.Unlock()
		if r.Header.Get("X-Amz-Sso_bearer_token") != f.token {
			w.Header().Set("X-Amzn-Errortype", "UnauthorizedException:http://internal.amazon.com/coral/com.amazonaws.switchboard.portal/")
			w.WriteHeader(401)
			fmt.Fprint(w, `{"message":"Session token not found or invalid"}`)
			return
		}
		q := r.URL.Query()
		if q.Get("role_name") != "Admin" {
			w.WriteHeader(403)
			fmt.Fprint(w, `{"__type":"com.amazonaws.switchboard.portal#ForbiddenException","message":"No access"}`)
			return
		}
		fmt.Fprintf(w, `{"roleCredentials":{"accessKeyId":"ASIASSO","secretAccessKey":"ssosecret","sessionToken":"ssotoken","expiration":%d}}`,
			testNow.Add(time.Hour).UnixMilli())
	}))
	t.Cleanup(f.Close)
	return f
}

var ssoWant = sigv4.Credentials{AccessKeyID: "ASIASSO", SecretAccessKey: "ssosecret", SessionToken: "ssotoken", Expires: testNow.Add(time.Hour), Source: "SSO"}

func writeSSOToken(t *testing.T, home, key, token string, expires time.Time) {
	t.Helper()
	writeFile(t, home, ".aws/sso/cache/"+ssoCacheKey(key, key), fmt.Sprintf(
		`{"startUrl":"https://corp.awsapps.com/start","region":"us-east-1","accessToken":%q,"expiresAt":%q,"clientId":"c","refreshToken":"r"}`,
		token, expires.UTC().Format(time.RFC3339)))
}

func TestSSOCacheKey(t *testing.T) {
	// The AWS CLI names the cache file after the SHA-1 of the session name
	// (or of the start URL); the expected values come from
	// `printf my-sso | sha1sum` and the same for the URL.
	if got, want := ssoCacheKey("my-sso", "https://ignored"), "0ad374308c5a4e22f723adf10145eafad7c4031c.json"; got != want {
		t.Errorf("ssoCacheKey(session) = %s, want %s", got, want)
	}
	if got, want := ssoCacheKey("", "https://my-sso-portal.awsapps.com/start"), "c7aaaf71fcc8777ae2475525ed049d39fe16c484.json"; got != want {
		t.Errorf("ssoCacheKey(start URL) = %s, want %s", got, want)
	}
}

func TestSSOProvider(t *testing.T) {
	portal := newFakeSSOPortal(t, "good-access-token")
	tests := []struct {
		name    string
		p       SSOProvider
		token   string
		expires time.Time
		want    sigv4.Credentials
		wantErr string
	}{
		{name: "sso-session", p: SSOProvider{SessionName: "corp", StartURL: "https://corp.awsapps.com/start", Region: "us-east-1", AccountID: "123456789012", RoleName: "Admin"},
			token: "good-access-token", expires: testNow.Add(time.Hour), want: ssoWant},
		{name: "legacy", p: SSOProvider{StartURL: "https://corp.awsapps.com/start", Region: "us-east-1", AccountID: "123456789012", RoleName: "Admin"},
			token: "good-access-token", expires: testNow.Add(time.Hour), want: ssoWant},
		{name: "expired token", p: SSOProvider{SessionName: "corp", StartURL: "u", Region: "us-east-1", AccountID: "1", RoleName: "Admin"},
			token: "good-access-token", expires: testNow.Add(-time.Minute),
			wantErr: "sso: the cached token expired at 2026-11-24T11:59:00Z: run `aws sso login --sso-session corp`"},
		{name: "rejected token", p: SSOProvider{SessionName: "corp", StartURL: "u", Region: "us-east-1", AccountID: "1", RoleName: "Admin"},
			token: "revoked", expires: testNow.Add(time.Hour),
			wantErr: "sso GetRoleCredentials (account 1, role Admin): HTTP 401 UnauthorizedException: Session token not found or invalid; the SSO session may have ended: run `aws sso login --sso-session corp`"},
		{name: "forbidden role", p: SSOProvider{SessionName: "corp", StartURL: "u", Region: "us-east-1", AccountID: "1", RoleName: "Other"},
			token: "good-access-token", expires: testNow.Add(time.Hour),
			wantErr: "sso GetRoleCredentials (account 1, role Other): HTTP 403 ForbiddenException: No access"},
		{name: "no cache file", p: SSOProvider{SessionName: "corp", StartURL: "u", Region: "us-east-1", AccountID: "1", RoleName: "Admin"},
			wantErr: "sso: no cached token at HOME/.aws/sso/cache/" + ssoCacheKey("corp", "") + ": run `aws sso login --sso-session corp`"},
		{name: "missing fields", p: SSOProvider{Region: "us-east-1"},
			wantErr: "sso: missing sso_start_url, sso_account_id, sso_role_name"},
		{name: "bad region", p: SSOProvider{SessionName: "s", Region: "x/y", AccountID: "1", RoleName: "r"},
			wantErr: `sso: sso_region "x/y" is not a valid region name`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := testOptions(t, nil)
			o.SSOEndpoint = portal.URL
			if tt.token != "" {
				key := tt.p.SessionName
				if key == "" {
					key = tt.p.StartURL
				}
				writeSSOToken(t, o.HomeDir, key, tt.token, tt.expires)
			}
			tt.p.Options = o
			got, err := retrieve(t, tt.p)
			gotErr := strings.ReplaceAll(errText(err), o.HomeDir, "HOME")
			if gotErr != orNil(tt.wantErr) {
				t.Fatalf("error:\n got %s\nwant %s", gotErr, orNil(tt.wantErr))
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("credentials (-want +got):\n%s", diff)
			}
			if strings.Contains(errText(err), tt.token) && tt.token != "" {
				t.Errorf("error reveals the access token: %v", err)
			}
		})
	}
	portal.mu.Lock()
	defer portal.mu.Unlock()
	if want := "GET /federation/credentials?account_id=123456789012&role_name=Admin"; portal.queries[0] != want {
		t.Errorf("portal request = %s, want %s", portal.queries[0], want)
	}
}

func TestParseSSOToken(t *testing.T) {
	for in, wantErr := range map[string]string{
		`{"accessToken":"a","expiresAt":"2026-11-24T13:00:00Z"}`:   "<nil>",
		`{"accessToken":"a","expiresAt":"2026-11-24T13:00:00UTC"}`: "<nil>",
		`{"accessToken":"a"}`:                       "no expiresAt",
		`{"expiresAt":"2026-11-24T13:00:00Z"}`:      "no accessToken",
		`{"accessToken":"a\nb","expiresAt":"x"}`:    "accessToken contains a line break",
		`{"accessToken":"a","expiresAt":"later"}`:   `expiresAt: "later" is not an RFC 3339 timestamp`,
		`{"accessToken":`:                           "not valid JSON: syntax error at byte 15",
		`{"accessToken":1,"expiresAt":"2026-11-2"}`: "not valid JSON: field accessToken: expected string, got a JSON number",
	} {
		_, err := parseSSOToken([]byte(in))
		if errText(err) != wantErr {
			t.Errorf("parseSSOToken(%s) error:\n got %s\nwant %s", in, errText(err), wantErr)
		}
	}
}

func FuzzParseSSO(f *testing.F) {
	f.Add([]byte(`{"accessToken":"a","expiresAt":"2026-11-24T13:00:00Z"}`))
	f.Add([]byte(`{"roleCredentials":{"accessKeyId":"A","secretAccessKey":"S","sessionToken":"T","expiration":1795525200000}}`))
	f.Add([]byte(`{"roleCredentials":null}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if tok, err := parseSSOToken(data); err == nil && (tok.accessToken == "" || tok.expires.IsZero()) {
			t.Fatalf("bad token without error: %+v", tok)
		}
		c, err := parseSSORoleCredentials(data, testNow)
		if err == nil && (!c.HasKeys() || c.Expired(testNow)) {
			t.Fatalf("bad credentials without error: %v", c)
		}
		if err != nil && c != (sigv4.Credentials{}) {
			t.Fatalf("credentials with an error: %v", c)
		}
	})
}
