package main

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/bedrockwire/bedrockwire/client/bedrocktest"
)

var updateCLI = flag.Bool("update-cli", false, "rewrite the testdata/cli/*.golden files of the calling commands from their current output")

// cliEpoch is the emulator's fixed clock, so latencies are 0 ms and
// signatures stay in the skew window.
var cliEpoch = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)

// newEmulator starts a Bedrock emulator with a fixed clock and without the
// random stream padding, so answers are byte-for-byte repeatable.
func newEmulator(t *testing.T) *bedrocktest.Server {
	t.Helper()
	srv := bedrocktest.NewServer(&bedrocktest.Options{
		Clock:     func() time.Time { return cliEpoch },
		NoPadding: true,
	})
	t.Cleanup(srv.Close)
	return srv
}

// cliTestEnv is what a command sees: HOME in a temporary directory (never
// the user's ~/.aws), instance metadata off, the emulator as the endpoint
// and its API key as AWS_BEARER_TOKEN_BEDROCK. vars add or replace
// variables; a value of "" removes one.
type cliTestEnv struct {
	vars   map[string]string
	stdin  string
	ttyErr bool
	ttyOut bool
}

func newTestEnv(t *testing.T, srv *bedrocktest.Server) *cliTestEnv {
	home := t.TempDir()
	v := map[string]string{
		"HOME":                        home,
		"AWS_CONFIG_FILE":             filepath.Join(home, "no-config"),
		"AWS_SHARED_CREDENTIALS_FILE": filepath.Join(home, "no-credentials"),
		"AWS_EC2_METADATA_DISABLED":   "true",
	}
	if srv != nil {
		v["AWS_ENDPOINT_URL_BEDROCK_RUNTIME"] = srv.URL
		v["AWS_BEARER_TOKEN_BEDROCK"] = bedrocktest.DefaultAPIKey
	}
	return &cliTestEnv{vars: v}
}

// cliResult is the outcome of one command run.
type cliResult struct {
	code           int
	stdout, stderr string
}

// run runs "bedrock args..." in-process.
func (te *cliTestEnv) run(t *testing.T, ctx context.Context, args ...string) cliResult {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{
		stdin:     strings.NewReader(te.stdin),
		stdout:    &out,
		stderr:    &errb,
		getenv:    func(k string) string { return te.vars[k] },
		stderrTTY: te.ttyErr,
		stdoutTTY: te.ttyOut,
	}
	code := run(ctx, e, args)
	return cliResult{code, out.String(), errb.String()}
}

// runCLI runs a command against srv with the default test environment.
func runCLI(t *testing.T, srv *bedrocktest.Server, args ...string) cliResult {
	t.Helper()
	return newTestEnv(t, srv).run(t, context.Background(), args...)
}

// wantOK fails the test unless the run succeeded without output on stderr
// other than wantErr.
func (r cliResult) wantOK(t *testing.T, wantStderr string) {
	t.Helper()
	if r.code != exitOK {
		t.Fatalf("exit %d, stderr:\n%s", r.code, r.stderr)
	}
	if diff := cmp.Diff(wantStderr, r.stderr); diff != "" {
		t.Errorf("stderr (-want +got):\n%s", diff)
	}
}

// golden compares got with testdata/cli/<name>, or rewrites it under
// -update-cli.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "cli", name)
	if *updateCLI {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/bedrock -update-cli to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s (-want +got):\n%s", path, diff)
	}
}
