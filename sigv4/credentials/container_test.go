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

// fakeContainer serves container credentials at /creds, checking the
// Authorization header against wantAuth.
type fakeContainer struct {
	*httptest.Server
	mu       sync.Mutex
	wantAuth string
	status   int
	body     string
	gotAuth  []string
}

func newFakeContainer(t *testing.T, wantAuth string) *fakeContainer {
	f := &fakeContainer{wantAuth: wantAuth, status: 200,
		body: `{"AccessKeyId":"ASIACONT","SecretAccessKey":"contsecret","Token":"conttoken","Expiration":"2026-11-24T18:00:00Z","RoleArn":"arn:aws:iam::1:role/task"}`}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.gotAuth = append(f.gotAuth, r.Header.Get("Authorization"))
		if r.URL.Path != "/creds" || r.Method != http.MethodGet {
			w.WriteHeader(404)
			return
		}
		if r.Header.Get("Authorization") != f.wantAuth {
			w.WriteHeader(403)
			fmt.Fprint(w, `{"code":"AccessDenied","message":"bad token"}`)
			return
		}
		w.WriteHeader(f.status)
		fmt.Fprint(w, f.body)
	}))
	t.Cleanup(f.Close)
	return f
}

var containerWant = sigv4.Credentials{AccessKeyID: "ASIACONT", SecretAccessKey: "contsecret", SessionToken: "conttoken",
	Expires: time.Date(2026, 11, 24, 18, 0, 0, 0, time.UTC), Source: "Container"}

func TestContainerRelativeURI(t *testing.T) {
	srv := newFakeContainer(t, "")
	o := testOptions(t, env{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/creds"})
	o.ContainerEndpoint = srv.URL
	got := mustRetrieve(t, ContainerProvider{Options: o})
	if diff := cmp.Diff(containerWant, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestContainerFullURIWithTokenFile(t *testing.T) {
	srv := newFakeContainer(t, "pod-identity-token")
	dir := t.TempDir()
	tokenFile := writeFile(t, dir, "token", "pod-identity-token\n")
	o := testOptions(t, env{
		"AWS_CONTAINER_CREDENTIALS_FULL_URI":     srv.URL + "/creds",
		"AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": tokenFile,
		"AWS_CONTAINER_AUTHORIZATION_TOKEN":      "loses-to-the-file",
	})
	got := mustRetrieve(t, ContainerProvider{Options: o})
	if diff := cmp.Diff(containerWant, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	// The file is re-read: a rotated token is used on the next call.
	writeFile(t, dir, "token", "rotated")
	srv.mu.Lock()
	srv.wantAuth = "rotated"
	srv.mu.Unlock()
	mustRetrieve(t, ContainerProvider{Options: o})
}

func TestContainerErrors(t *testing.T) {
	srv := newFakeContainer(t, "right")
	host := strings.TrimPrefix(srv.URL, "http://")
	tests := []struct {
		name    string
		env     env
		body    string
		wantErr string
		notConf bool
	}{
		{name: "nothing set", env: env{}, wantErr: "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set", notConf: true},
		{name: "wrong token", env: env{"AWS_CONTAINER_CREDENTIALS_FULL_URI": srv.URL + "/creds", "AWS_CONTAINER_AUTHORIZATION_TOKEN": "wrong"},
			wantErr: "container endpoint " + host + ": HTTP 403 AccessDenied: bad token"},
		{name: "not found", env: env{"AWS_CONTAINER_CREDENTIALS_FULL_URI": srv.URL + "/other", "AWS_CONTAINER_AUTHORIZATION_TOKEN": "right"},
			wantErr: "container endpoint " + host + ": HTTP 404"},
		{name: "token with newline", env: env{"AWS_CONTAINER_CREDENTIALS_FULL_URI": srv.URL + "/creds", "AWS_CONTAINER_AUTHORIZATION_TOKEN": "a\r\nX-Injected: 1"},
			wantErr: "container authorization token contains a line break"},
		{name: "plain http to a remote host", env: env{"AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://203.0.113.7/creds"},
			wantErr: `AWS_CONTAINER_CREDENTIALS_FULL_URI host "203.0.113.7" is not allowed over plain http: use https, a loopback address, or the ECS/EKS link-local address`},
		{name: "plain http to a host name", env: env{"AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://creds.example.com/creds"},
			wantErr: `AWS_CONTAINER_CREDENTIALS_FULL_URI host "creds.example.com" is not allowed over plain http: use https, a loopback address, or the ECS/EKS link-local address`},
		{name: "other scheme", env: env{"AWS_CONTAINER_CREDENTIALS_FULL_URI": "file:///etc/passwd"},
			wantErr: `AWS_CONTAINER_CREDENTIALS_FULL_URI is not a valid absolute URL`},
		{name: "ftp", env: env{"AWS_CONTAINER_CREDENTIALS_FULL_URI": "ftp://127.0.0.1/x"},
			wantErr: `AWS_CONTAINER_CREDENTIALS_FULL_URI scheme "ftp" is not http or https`},
		{name: "missing token file", env: env{"AWS_CONTAINER_CREDENTIALS_FULL_URI": srv.URL + "/creds", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": "/nonexistent/token"},
			wantErr: "reading AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: open /nonexistent/token: no such file or directory"},
		{name: "bad JSON", env: env{"AWS_CONTAINER_CREDENTIALS_FULL_URI": srv.URL + "/creds", "AWS_CONTAINER_AUTHORIZATION_TOKEN": "right"},
			body: `{"AccessKeyId":`, wantErr: "container endpoint " + host + ": response is not valid JSON: syntax error at byte 15"},
		{name: "expired", env: env{"AWS_CONTAINER_CREDENTIALS_FULL_URI": srv.URL + "/creds", "AWS_CONTAINER_AUTHORIZATION_TOKEN": "right"},
			body: `{"AccessKeyId":"A","SecretAccessKey":"S","Token":"T","Expiration":"2026-11-24T11:00:00Z"}`, wantErr: "container endpoint " + host + ": response credentials expired at 2026-11-24T11:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv.mu.Lock()
			srv.body = tt.body
			srv.mu.Unlock()
			_, err := retrieve(t, ContainerProvider{Options: testOptions(t, tt.env)})
			if errText(err) != tt.wantErr {
				t.Fatalf("error:\n got %s\nwant %s", errText(err), tt.wantErr)
			}
			if errors.Is(err, ErrNotConfigured) != tt.notConf {
				t.Errorf("errors.Is(err, ErrNotConfigured) = %v", !tt.notConf)
			}
		})
	}
}

func TestContainerHostAllowed(t *testing.T) {
	for host, want := range map[string]bool{
		"127.0.0.1": true, "127.1.2.3": true, "::1": true, "localhost": true, "LOCALHOST": true,
		"169.254.170.2": true, "169.254.170.23": true, "fd00:ec2::23": true,
		"169.254.169.254": false, "10.0.0.1": false, "example.com": false, "": false, "localhost.evil.com": false,
	} {
		if got := containerHostAllowed(host); got != want {
			t.Errorf("containerHostAllowed(%q) = %v, want %v", host, got, want)
		}
	}
}

func TestContainerTimeout(t *testing.T) {
	block := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-block:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(block)
	o := testOptions(t, env{"AWS_CONTAINER_CREDENTIALS_FULL_URI": srv.URL + "/creds"})
	o.ContainerTimeout = 20 * time.Millisecond
	_, err := retrieve(t, ContainerProvider{Options: o})
	want := "container endpoint " + strings.TrimPrefix(srv.URL, "http://") + ": timed out: context deadline exceeded"
	if errText(err) != want || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error:\n got %v\nwant %s (matching context.DeadlineExceeded)", err, want)
	}
}

func FuzzParseContainerResponse(f *testing.F) {
	f.Add([]byte(`{"AccessKeyId":"A","SecretAccessKey":"S","Token":"T","Expiration":"2026-11-24T18:00:00Z"}`))
	f.Add([]byte(`{"code":"x","message":"y"}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := parseContainerResponse(data, testNow)
		if err != nil {
			if c != (sigv4.Credentials{}) {
				t.Fatalf("credentials with an error: %v", c)
			}
			return
		}
		if !c.HasKeys() || c.Expired(testNow) {
			t.Fatalf("bad credentials without error: %v", c)
		}
		_ = containerErrorText(500, data)
	})
}
