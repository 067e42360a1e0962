package credentials

import (
	"context"
	"errors"
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

// fakeIMDS emulates the IMDSv2 endpoints used for role credentials.
type fakeIMDS struct {
	*httptest.Server

	mu          sync.Mutex
	tokenStatus int             // status of PUT /latest/api/token; 0: 200
	tokens      map[string]bool // valid tokens
	puts        int
	role        string // "" answers 404 for the role listing
	credsBody   string
	log         []string
}

func newFakeIMDS(t *testing.T) *fakeIMDS {
	f := &fakeIMDS{tokens: map[string]bool{}, role: "web-role",
		credsBody: `{"Code":"Success","LastUpdated":"2026-11-24T11:00:00Z","Type":"AWS-HMAC","AccessKeyId":"ASIAIMDS","SecretAccessKey":"imdssecret","Token":"imdstoken","Expiration":"2026-11-24T18:00:00Z"}`}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeIMDS) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.log = append(f.log, r.Method+" "+r.URL.Path)
	if r.Method == http.MethodPut && r.URL.Path == "/latest/api/token" {
		if r.Header.Get("X-Aws-Ec2-Metadata-Token-Ttl-Seconds") != "21600" {
			w.WriteHeader(400)
			return
		}
		if f.tokenStatus != 0 {
			w.WriteHeader(f.tokenStatus)
			return
		}
		f.puts++
		tok := fmt.Sprintf("token-%d", f.puts)
		f.tokens[tok] = true
		fmt.Fprint(w, tok)
		return
	}
	if r.Method != http.MethodGet {
		w.WriteHeader(405)
		return
	}
	if !f.tokens[r.Header.Get("X-Aws-Ec2-Metadata-Token")] {
		w.WriteHeader(401)
		return
	}
	switch r.URL.Path {
	case "/latest/meta-data/iam/security-credentials/":
		if f.role == "" {
			w.WriteHeader(404)
			return
		}
		fmt.Fprint(w, f.role+"\n")
	case "/latest/meta-data/iam/security-credentials/" + f.role:
		fmt.Fprint(w, f.credsBody)
	default:
		w.WriteHeader(404)
	}
}

func (f *fakeIMDS) Log() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.log...)
}

var imdsWant = sigv4.Credentials{AccessKeyID: "ASIAIMDS", SecretAccessKey: "imdssecret", SessionToken: "imdstoken",
	Expires: time.Date(2026, 11, 24, 18, 0, 0, 0, time.UTC), Source: "EC2InstanceMetadata"}

func TestIMDSProvider(t *testing.T) {
	srv := newFakeIMDS(t)
	o := testOptions(t, nil)
	o.IMDSEndpoint = srv.URL + "/"
	p := NewIMDSProvider(o)
	for i := 0; i < 2; i++ {
		got := mustRetrieve(t, p)
		if diff := cmp.Diff(imdsWant, got); diff != "" {
			t.Fatalf("(-want +got):\n%s", diff)
		}
	}
	wantLog := []string{
		"PUT /latest/api/token",
		"GET /latest/meta-data/iam/security-credentials/",
		"GET /latest/meta-data/iam/security-credentials/web-role",
		// The token is reused.
		"GET /latest/meta-data/iam/security-credentials/",
		"GET /latest/meta-data/iam/security-credentials/web-role",
	}
	if diff := cmp.Diff(wantLog, srv.Log()); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
	if s := p.String(); strings.Contains(s, "token-1") {
		t.Errorf("String reveals the session token: %s", s)
	}
}

func TestIMDSTokenRevokedIsFetchedAgain(t *testing.T) {
	srv := newFakeIMDS(t)
	o := testOptions(t, nil)
	o.IMDSEndpoint = srv.URL
	p := NewIMDSProvider(o)
	mustRetrieve(t, p)
	srv.mu.Lock()
	srv.tokens = map[string]bool{} // the endpoint forgets every token
	srv.mu.Unlock()
	mustRetrieve(t, p)
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if srv.puts != 2 {
		t.Errorf("token PUTs = %d, want 2", srv.puts)
	}
}

func TestIMDSTokenExpiresByClock(t *testing.T) {
	srv := newFakeIMDS(t)
	now := testNow
	o := testOptions(t, nil)
	o.IMDSEndpoint = srv.URL
	o.Now = func() time.Time { return now }
	p := NewIMDSProvider(o)
	mustRetrieve(t, p)
	now = now.Add(6 * time.Hour) // past the 21600 s TTL
	srv.mu.Lock()
	srv.credsBody = strings.ReplaceAll(srv.credsBody, "2026-11-24T18:00:00Z", "2026-11-25T00:00:00Z")
	srv.mu.Unlock()
	mustRetrieve(t, p)
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if srv.puts != 2 {
		t.Errorf("token PUTs = %d, want 2", srv.puts)
	}
}

func TestIMDSErrors(t *testing.T) {
	tests := []struct {
		name    string
		setup   func(f *fakeIMDS)
		env     env
		wantErr string
		notConf bool
	}{
		{name: "token refused", setup: func(f *fakeIMDS) { f.tokenStatus = 403 },
			wantErr: "instance metadata token request refused (HTTP 403): IMDS may be disabled for this instance"},
		{name: "IMDSv1 only", setup: func(f *fakeIMDS) { f.tokenStatus = 405 },
			wantErr: "instance metadata token request: HTTP 405: the endpoint does not support IMDSv2 (IMDSv1 is not used)"},
		{name: "token 500", setup: func(f *fakeIMDS) { f.tokenStatus = 500 },
			wantErr: "instance metadata token request: HTTP 500"},
		{name: "no role", setup: func(f *fakeIMDS) { f.role = "" },
			wantErr: "instance metadata: this instance has no IAM role (instance profile) attached"},
		{name: "code not success", setup: func(f *fakeIMDS) { f.credsBody = `{"Code":"AssumeRoleUnauthorizedAccess","Message":"denied"}` },
			wantErr: "instance metadata role web-role: response code AssumeRoleUnauthorizedAccess: denied"},
		{name: "bad JSON", setup: func(f *fakeIMDS) { f.credsBody = `{"Code":"Success",` },
			wantErr: "instance metadata role web-role: response is not valid JSON: syntax error at byte 18"},
		{name: "expired", setup: func(f *fakeIMDS) {
			f.credsBody = `{"Code":"Success","AccessKeyId":"A","SecretAccessKey":"S","Token":"T","Expiration":"2026-11-24T11:00:00Z"}`
		}, wantErr: "instance metadata role web-role: response credentials expired at 2026-11-24T11:00:00Z"},
		{name: "disabled", env: env{"AWS_EC2_METADATA_DISABLED": "TRUE"},
			wantErr: "disabled by AWS_EC2_METADATA_DISABLED", notConf: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newFakeIMDS(t)
			if tt.setup != nil {
				tt.setup(srv)
			}
			o := testOptions(t, tt.env)
			o.IMDSEndpoint = srv.URL
			_, err := retrieve(t, NewIMDSProvider(o))
			if errText(err) != tt.wantErr {
				t.Fatalf("error:\n got %s\nwant %s", errText(err), tt.wantErr)
			}
			if errors.Is(err, ErrNotConfigured) != tt.notConf {
				t.Errorf("errors.Is(err, ErrNotConfigured) = %v", !tt.notConf)
			}
		})
	}
}

func TestIMDSUnreachableIsNotConfigured(t *testing.T) {
	o := testOptions(t, nil) // IMDSEndpoint is a closed loopback port
	_, err := retrieve(t, NewIMDSProvider(o))
	if !errors.Is(err, ErrNotConfigured) || !strings.HasPrefix(errText(err), "instance metadata endpoint "+o.IMDSEndpoint+" did not answer: ") {
		t.Errorf("error = %v, want a not-configured 'did not answer'", err)
	}
}

func TestIMDSEndpointSelection(t *testing.T) {
	tests := []struct {
		opt  string
		env  env
		want string
	}{
		{want: "http://169.254.169.254"},
		{env: env{"AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE": "IPv6"}, want: "http://[fd00:ec2::254]"},
		{env: env{"AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://127.0.0.1:9/", "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE": "IPv6"}, want: "http://127.0.0.1:9"},
		{opt: "http://[::1]:8", env: env{"AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://127.0.0.1:9"}, want: "http://[::1]:8"},
	}
	for _, tt := range tests {
		p := NewIMDSProvider(Options{IMDSEndpoint: tt.opt, Getenv: tt.env.get})
		if got := p.endpoint(); got != tt.want {
			t.Errorf("endpoint(opt %q, env %v) = %q, want %q", tt.opt, tt.env, got, tt.want)
		}
	}
}

func TestIMDSHonoursContext(t *testing.T) {
	block := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-block:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(block)
	o := testOptions(t, nil)
	o.IMDSEndpoint = srv.URL
	o.MetadataTimeout = time.Hour // only the caller's context can end it
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := NewIMDSProvider(o).Retrieve(ctx)
	if want := "instance metadata token: context canceled"; errText(err) != want || !errors.Is(err, context.Canceled) {
		t.Errorf("error = %v, want %s", err, want)
	}
}

func FuzzParseIMDSCredentials(f *testing.F) {
	f.Add([]byte(`{"Code":"Success","AccessKeyId":"A","SecretAccessKey":"S","Token":"T","Expiration":"2026-11-24T18:00:00Z"}`))
	f.Add([]byte(`{"Code":"Failure","Message":"m"}`))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := parseIMDSCredentials(data, testNow)
		if err != nil {
			if c != (sigv4.Credentials{}) {
				t.Fatalf("credentials with an error: %v", c)
			}
			return
		}
		if !c.HasKeys() || c.Expired(testNow) {
			t.Fatalf("bad credentials without error: %v", c)
		}
	})
}
