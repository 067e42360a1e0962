package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var updateSign = flag.Bool("update-sign", false, "rewrite testdata/sign/*.golden from the current output of bedrock sign")

// The keys of the AWS SigV4 test suite.
const (
	signTestKeyID  = "AKIDEXAMPLE"
	signTestSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
	signTestToken  = "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9S+token="
)

// signEnv is an environment with no AWS configuration at all except vars,
// the instance metadata service disabled and the shared files absent.
func signEnv(t *testing.T, stdin string, vars map[string]string) (*env, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	dir := t.TempDir()
	base := map[string]string{
		"HOME":                        dir,
		"AWS_CONFIG_FILE":             filepath.Join(dir, "config"),
		"AWS_SHARED_CREDENTIALS_FILE": filepath.Join(dir, "credentials"),
		"AWS_EC2_METADATA_DISABLED":   "true",
	}
	for k, v := range vars {
		base[k] = v
	}
	var out, errb bytes.Buffer
	return &env{
		stdin:  strings.NewReader(stdin),
		stdout: &out,
		stderr: &errb,
		getenv: func(k string) string { return base[k] },
	}, &out, &errb
}

// checkSignGolden compares got with testdata/sign/name, rewriting it under
// -update-sign.
func checkSignGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "sign", name)
	if *updateSign {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/bedrock -run TestSign -update-sign to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s (-want +got):\n%s", name, diff)
	}
}

func TestSignGolden(t *testing.T) {
	keys := []string{"--time", "20150830T123600Z", "--access-key-id", signTestKeyID, "--secret-access-key", signTestSecret}
	suite := append([]string{"--region", "us-east-1", "--service", "service"}, keys...)
	cases := []struct {
		name   string
		args   []string
		stdin  string
		vars   map[string]string
		golden string
	}{
		{name: "suite query text", args: append(append([]string{}, suite...), "testdata/sign/get-query.req"), golden: "get-query.txt"},
		{name: "suite query json", args: append(append([]string{"--json"}, suite...), "testdata/sign/get-query.req"), golden: "get-query.json"},
		{name: "flags after the file", args: append([]string{"testdata/sign/get-query.req"}, suite...), golden: "get-query.txt"},
		{name: "stdin", args: suite, stdin: mustRead(t, "testdata/sign/get-query.req"), golden: "get-query.txt"},
		{name: "stdin dash", args: append(append([]string{}, suite...), "-"), stdin: mustRead(t, "testdata/sign/get-query.req"), golden: "get-query.txt"},
		{name: "body, token, content sha256", args: append(append([]string{"--json", "--content-sha256", "--session-token", signTestToken}, suite...), "testdata/sign/post-form.req"), golden: "post-form-token.json"},
		{name: "token shown", args: append(append([]string{"--show-token", "--session-token", signTestToken}, suite...), "testdata/sign/post-form.req"), golden: "post-form-token-shown.txt"},
		{name: "space, continuation line, user-agent", args: append(append([]string{"--normalize-path"}, suite...), "testdata/sign/get-space-multiline.req"), golden: "get-space-multiline.txt"},
		{name: "converse raw, default port", args: append([]string{"--time", "20260101T120000Z", "--region", "us-east-1", "--access-key-id", signTestKeyID, "--secret-access-key", signTestSecret}, "testdata/sign/converse.req"), golden: "converse.txt"},
		{name: "converse single encode, unsigned", args: append([]string{"--single-encode", "--payload-hash", "UNSIGNED-PAYLOAD", "--content-sha256", "--time", "20260101T120000Z", "--region", "us-east-1", "--access-key-id", signTestKeyID, "--secret-access-key", signTestSecret}, "testdata/sign/converse.req"), golden: "converse-single-unsigned.txt"},
		{name: "converse URL form from env", args: []string{"--time", "20260101T120000Z", "--method", "POST", "--header", "Content-Type: application/json", "--body", "testdata/sign/converse-body.json",
			"https://bedrock-runtime.us-east-1.amazonaws.com/model/amazon.nova-pro-v1%3A0/converse"},
			vars:   map[string]string{"AWS_ACCESS_KEY_ID": signTestKeyID, "AWS_SECRET_ACCESS_KEY": signTestSecret, "AWS_SESSION_TOKEN": signTestToken, "AWS_REGION": "us-east-1"},
			golden: "converse-url.txt"},
		{name: "bidirectional stream request", args: []string{"--json", "--method", "POST", "--time", "20260101T120000Z", "--payload-hash", "STREAMING-AWS4-HMAC-SHA256-EVENTS", "--content-sha256",
			"-H", "Content-Type: application/vnd.amazon.eventstream",
			"https://bedrock-runtime.us-east-1.amazonaws.com/model/amazon.nova-2-sonic-v1%3A0/invoke-with-bidirectional-stream"},
			vars:   map[string]string{"AWS_ACCESS_KEY_ID": signTestKeyID, "AWS_SECRET_ACCESS_KEY": signTestSecret, "AWS_DEFAULT_REGION": "us-east-1"},
			golden: "bidi.json"},
		{name: "presign text", args: []string{"--time", "20150830T123600Z", "--region", "us-east-1", "--service", "iam", "--access-key-id", signTestKeyID, "--secret-access-key", signTestSecret,
			"--presign", "60", "-H", "Content-Type: application/x-www-form-urlencoded; charset=utf-8", "https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08"},
			golden: "presign-iam.txt"},
		{name: "presign json with token", args: []string{"--json", "--time", "20150830T123600Z", "--region", "us-east-1", "--access-key-id", signTestKeyID, "--secret-access-key", signTestSecret,
			"--session-token", signTestToken, "--presign", "43200", "https://bedrock.amazonaws.com/?Action=CallWithBearerToken&Version=1"},
			golden: "presign-token.json"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e, out, errb := signEnv(t, c.stdin, c.vars)
			code := run(context.Background(), e, append([]string{"sign"}, c.args...))
			if code != exitOK {
				t.Fatalf("exit %d, stderr: %s", code, errb)
			}
			if errb.Len() != 0 {
				t.Errorf("stderr: %s", errb)
			}
			if bytes.Contains(out.Bytes(), []byte(signTestSecret)) {
				t.Fatal("the secret access key was printed")
			}
			if !strings.Contains(strings.Join(c.args, " "), "--show-token") &&
				(bytes.Contains(out.Bytes(), []byte(signTestToken)) || bytes.Contains(out.Bytes(), []byte("AQoDYXdzEPT"))) {
				t.Fatal("the session token was printed")
			}
			if strings.HasSuffix(c.golden, ".json") {
				var o map[string]any
				if err := json.Unmarshal(out.Bytes(), &o); err != nil {
					t.Fatalf("output is not JSON: %v", err)
				}
				var keys []string
				for k := range o {
					keys = append(keys, k)
				}
				want := []string{"authorization", "canonical_request", "headers", "signature", "string_to_sign", "url"}
				if diff := cmp.Diff(want, sortedCopy(keys)); diff != "" {
					t.Errorf("JSON keys (-want +got):\n%s", diff)
				}
			}
			checkSignGolden(t, c.golden, out.Bytes())
		})
	}
}

// TestSignSuiteSignatures: the CLI reproduces the published signatures of
// the test-suite requests it is given.
func TestSignSuiteSignatures(t *testing.T) {
	for name, want := range map[string]string{
		"get-query.req": "eedbc4e291e521cf13422ffca22be7d2eb8146eecf653089df300a15b2382bd1",
		"post-form.req": "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a",
	} {
		e, out, errb := signEnv(t, "", nil)
		code := run(context.Background(), e, []string{"sign", "--json", "--time", "20150830T123600Z", "--region", "us-east-1", "--service", "service",
			"--access-key-id", signTestKeyID, "--secret-access-key", signTestSecret, filepath.Join("testdata", "sign", name)})
		if code != exitOK {
			t.Fatalf("%s: exit %d: %s", name, code, errb)
		}
		var o signOutput
		if err := json.Unmarshal(out.Bytes(), &o); err != nil {
			t.Fatal(err)
		}
		if o.Signature != want {
			t.Errorf("%s: signature %s, want %s", name, o.Signature, want)
		}
	}
}

func TestSignErrors(t *testing.T) {
	keys := []string{"--time", "20150830T123600Z", "--region", "us-east-1", "--access-key-id", signTestKeyID, "--secret-access-key", signTestSecret}
	cases := []struct {
		name     string
		args     []string
		stdin    string
		vars     map[string]string
		wantCode int
		wantErr  string
	}{
		{"bad time", []string{"--time", "2015-08-30", "testdata/sign/get-query.req"}, "", nil, exitUsage, `bedrock sign: --time "2015-08-30": want the form 20150830T123600Z`},
		{"bad presign", append([]string{"--presign", "604801"}, append(keys, "testdata/sign/get-query.req")...), "", nil, exitUsage, `bedrock sign: --presign "604801": want whole seconds from 1 to 604800`},
		{"zero presign", append([]string{"--presign", "0"}, append(keys, "testdata/sign/get-query.req")...), "", nil, exitUsage, `bedrock sign: --presign "0": want whole seconds from 1 to 604800`},
		{"two files", append(keys, "a.req", "b.req"), "", nil, exitUsage, "bedrock sign: one FILE or URL expected, got 2 arguments"},
		{"key without secret", []string{"--region", "us-east-1", "--access-key-id", "AKID", "testdata/sign/get-query.req"}, "", nil, exitUsage, "bedrock sign: --access-key-id and --secret-access-key go together"},
		{"token alone", []string{"--region", "us-east-1", "--session-token", "t", "testdata/sign/get-query.req"}, "", nil, exitUsage, "bedrock sign: --session-token needs --access-key-id and --secret-access-key"},
		{"body with raw request", append(keys, "--body", "x", "testdata/sign/get-query.req"), "", nil, exitUsage, "bedrock sign: --method, --header and --body go with a URL, not a raw request"},
		{"empty input", keys, "", nil, exitUsage, "bedrock sign: raw request: empty request line"},
		{"malformed request line", keys, "GARBAGE\n", nil, exitUsage, `bedrock sign: raw request: malformed request line "GARBAGE"`},
		{"malformed header", keys, "GET / HTTP/1.1\nHost: h\nno colon here\n", nil, exitUsage, `bedrock sign: raw request: line 3: want "Name: value", got "no colon here"`},
		{"header injection", append(keys, "testdata/sign/bad-cr.req"), "", nil, exitFailure, "bedrock sign: header value contains CR, LF or NUL: x-injected"},
		{"no host", keys, "GET / HTTP/1.1\nX-A: b\n", nil, exitFailure, "bedrock sign: request has no host"},
		{"missing file", append(keys, "testdata/sign/nope.req"), "", nil, exitFailure, "bedrock sign: open testdata/sign/nope.req: no such file or directory"},
		{"bad header flag", append(keys, "-H", "novalue", "https://h/"), "", nil, exitUsage, `bedrock sign: --header "novalue": want "Name: value"`},
		{"unknown flag", []string{"--nope"}, "", nil, exitUsage, "flag provided but not defined: -nope"},
		{"no region", []string{"--access-key-id", "a", "--secret-access-key", "b", "testdata/sign/get-query.req"}, "", nil, exitUsage, "bedrock sign: no region: give --region, or no AWS region configured"},
		{"no credentials", []string{"--region", "us-east-1", "testdata/sign/get-query.req"}, "", nil, exitFailure, "environment"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e, out, errb := signEnv(t, c.stdin, c.vars)
			code := run(context.Background(), e, append([]string{"sign"}, c.args...))
			if code != c.wantCode {
				t.Errorf("exit %d, want %d; stderr: %s", code, c.wantCode, errb)
			}
			if !strings.Contains(errb.String(), c.wantErr) {
				t.Errorf("stderr %q, want it to contain %q", errb.String(), c.wantErr)
			}
			if out.Len() != 0 {
				t.Errorf("stdout not empty on error: %q", out)
			}
			if strings.Contains(errb.String(), signTestSecret) {
				t.Error("the secret access key was printed")
			}
		})
	}
}

func TestSignHelp(t *testing.T) {
	for _, args := range [][]string{{"sign", "--help"}, {"sign", "-h"}, {"help", "sign"}} {
		e, out, errb := signEnv(t, "", nil)
		if code := run(context.Background(), e, args); code != exitOK {
			t.Errorf("%v: exit %d", args, code)
		}
		if out.String() != signHelp || errb.Len() != 0 {
			t.Errorf("%v: stdout is not the manual, or stderr not empty (%q)", args, errb)
		}
	}
	for _, want := range []string{"--time", "--region", "--service", "--access-key-id", "--secret-access-key", "--session-token",
		"--payload-hash", "--content-sha256", "--normalize-path", "--single-encode", "--presign", "--json", "EXAMPLES"} {
		if !strings.Contains(signHelp, want) {
			t.Errorf("manual does not mention %s", want)
		}
	}
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func sortedCopy(s []string) []string {
	c := append([]string(nil), s...)
	for i := range c {
		for j := i + 1; j < len(c); j++ {
			if c[j] < c[i] {
				c[i], c[j] = c[j], c[i]
			}
		}
	}
	return c
}
