package main

import (
	"bytes"
	"context"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bedrockwire/bedrockwire/client/bedrocktest"
	"github.com/bedrockwire/bedrockwire/sigv4"
)

// serveBuffer is a bytes.Buffer safe for a writer and a reader goroutine.
type serveBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *serveBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *serveBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func serveEnv() (*env, *serveBuffer, *serveBuffer) {
	out, errOut := &serveBuffer{}, &serveBuffer{}
	return &env{stdin: strings.NewReader(""), stdout: out, stderr: errOut, getenv: func(string) string { return "" }}, out, errOut
}

func TestServeRunsUntilCancelled(t *testing.T) {
	e, out, errOut := serveEnv()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, e, []string{"serve", "--addr", "127.0.0.1:0", "--region", "eu-west-1", "--log"})
	}()

	endpoint := regexp.MustCompile(`endpoint +(http://127\.0\.0\.1:\d+)`)
	var url string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if m := endpoint.FindStringSubmatch(out.String()); m != nil {
			url = m[1]
			break
		}
	}
	if url == "" {
		cancel()
		t.Fatalf("no endpoint printed; stdout %q stderr %q", out.String(), errOut.String())
	}
	banner := out.String()
	for _, want := range []string{
		"region             eu-west-1",
		"access key ID      " + bedrocktest.DefaultCredentials.AccessKeyID,
		"secret access key  " + bedrocktest.DefaultCredentials.SecretAccessKey,
		"API key            " + bedrocktest.DefaultAPIKey,
		"export AWS_ENDPOINT_URL_BEDROCK_RUNTIME=" + url,
	} {
		if !strings.Contains(banner, want) {
			t.Errorf("banner lacks %q:\n%s", want, banner)
		}
	}

	// The printed credentials work, signed for the printed region.
	body := `{"messages":[{"role":"user","content":[{"text":"hi"}]}]}`
	r, _ := http.NewRequest("POST", url+"/model/amazon.nova-lite-v1%3A0/converse", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	var sg sigv4.Signer
	if err := sg.SignHTTP(r, bedrocktest.DefaultCredentials, "eu-west-1", "bedrock", time.Now(), ""); err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("status %d", resp.StatusCode)
	}

	cancel()
	select {
	case code := <-done:
		if code != exitOK {
			t.Errorf("exit code %d", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop after cancel")
	}
	if !strings.Contains(errOut.String(), "operation=Converse") || !strings.Contains(errOut.String(), "bedrock serve: stopped") {
		t.Errorf("stderr %q", errOut.String())
	}
	if strings.Contains(errOut.String(), bedrocktest.DefaultCredentials.SecretAccessKey) {
		t.Error("the request log shows the secret key")
	}
}

func TestServeUsage(t *testing.T) {
	tests := []struct {
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{[]string{"serve", "--help"}, exitOK, "bedrock serve — a local Amazon Bedrock Runtime", ""},
		{[]string{"serve", "--bogus"}, exitUsage, "", "flag provided but not defined: -bogus"},
		{[]string{"serve", "extra"}, exitUsage, "", `unexpected argument "extra"`},
		{[]string{"serve", "--addr", "0.0.0.0:4566"}, exitUsage, "", "listens on loopback only"},
		{[]string{"serve", "--addr", "nonsense"}, exitUsage, "", `--addr "nonsense"`},
		{[]string{"serve", "--pacing", "-1s"}, exitUsage, "", "must not be negative"},
	}
	for _, tc := range tests {
		e, out, errOut := serveEnv()
		code := run(context.Background(), e, tc.args)
		if code != tc.code || !strings.Contains(out.String(), tc.stdout) || !strings.Contains(errOut.String(), tc.stderr) {
			t.Errorf("%v: code %d, stdout %q, stderr %q", tc.args, code, out.String(), errOut.String())
		}
	}
}

func TestServeAddressInUse(t *testing.T) {
	s := bedrocktest.NewServer(nil)
	defer s.Close()
	e, _, errOut := serveEnv()
	addr := strings.TrimPrefix(s.URL, "http://")
	if code := run(context.Background(), e, []string{"serve", "--addr", addr}); code != exitFailure {
		t.Errorf("code %d, stderr %q", code, errOut.String())
	}
}
