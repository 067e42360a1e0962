package main

import (
	"context"
	"errors"
	"flag"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/bedrockwire/bedrockwire/client"
)

// callingCommands are the commands of this file's owner that call Bedrock.
var callingCommands = []string{"converse", "chat", "invoke", "embed", "image", "tokens"}

func TestCallingCommandsHelp(t *testing.T) {
	for _, name := range callingCommands {
		for _, args := range [][]string{{name, "--help"}, {name, "-h"}, {"help", name}, {name, "-m", "x", "--help", "ignored"}} {
			r := runCLI(t, nil, args...)
			if r.code != exitOK || r.stderr != "" {
				t.Errorf("%q: exit %d stderr %q", args, r.code, r.stderr)
				continue
			}
			if !strings.HasPrefix(r.stdout, "NAME\n    bedrock "+name+" — ") {
				t.Errorf("%q: help starts %.40q", args, r.stdout)
			}
			for _, section := range []string{"\nSYNOPSIS\n", "\nDESCRIPTION\n", "\nOPTIONS\n", "\nGLOBAL OPTIONS\n", "\nENVIRONMENT\n", "\nEXIT STATUS\n", "\nEXAMPLES\n    bedrock " + name + " "} {
				if !strings.Contains(r.stdout, section) {
					t.Errorf("%q: help lacks %q", args, section)
				}
			}
			for _, line := range strings.Split(r.stdout, "\n") {
				if len([]rune(line)) > 110 {
					t.Errorf("%s --help: line longer than 110 characters: %q", name, line)
				}
			}
		}
	}
}

func TestCallingCommandsUnknownFlag(t *testing.T) {
	for _, name := range callingCommands {
		r := runCLI(t, nil, name, "-m", "amazon.nova-lite-v1:0", "--bogus", "x")
		if r.code != exitUsage || r.stdout != "" {
			t.Errorf("%s --bogus: exit %d stdout %q", name, r.code, r.stdout)
		}
		if !strings.HasPrefix(r.stderr, "flag provided but not defined: -bogus\nusage: bedrock "+name+" ") ||
			!strings.HasSuffix(r.stderr, "Run 'bedrock "+name+" --help' for details.\n") {
			t.Errorf("%s --bogus: stderr %q", name, r.stderr)
		}
		r = runCLI(t, nil, name, "--max-tokens")
		if r.code != exitUsage {
			t.Errorf("%s with a flag missing its value: exit %d", name, r.code)
		}
	}
}

func TestConverseFlagValueErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"converse", "hi"}, "a model is required: -m MODEL (see 'bedrock models')"},
		{[]string{"converse", "-m", "x", "--temperature", "3", "hi"}, "--temperature 3: want a number from 0 to 2"},
		{[]string{"converse", "-m", "x", "--top-p", "1.5", "hi"}, "--top-p 1.5: want a number from 0 to 1"},
		{[]string{"converse", "-m", "x", "--max-tokens", "-1", "hi"}, "--max-tokens -1: want a positive number"},
		{[]string{"converse", "-m", "x", "--guardrail", "gr:", "hi"}, `--guardrail "gr:": want ID:VERSION, e.g. gr-abc123:1 or gr-abc123:DRAFT`},
		{[]string{"converse", "-m", "x", "--cache", "hi"}, "--cache puts a cache point after the system prompt (or the attached files): give -s or --file"},
		{[]string{"chat", "-m", "x", "hello"}, "chat takes no arguments; type the turns on stdin (did you mean 'bedrock converse'?)"},
		{[]string{"chat", "-m", "x", "--cache"}, "--cache puts a cache point after the system prompt: give -s"},
	}
	for _, tt := range tests {
		r := runCLI(t, nil, tt.args...)
		want := "bedrock " + tt.args[0] + ": " + tt.want + "\nRun 'bedrock " + tt.args[0] + " --help' for details.\n"
		if r.code != exitUsage || r.stderr != want {
			t.Errorf("%q: exit %d stderr %q\nwant 2 and %q", tt.args, r.code, r.stderr, want)
		}
	}
}

// TestCallingCommandsMissingCredentials: with no API key, no keys, no
// profile and no instance metadata, each command says what to set.
func TestCallingCommandsMissingCredentials(t *testing.T) {
	runs := map[string][]string{
		"converse": {"converse", "-m", "amazon.nova-lite-v1:0", "hi"},
		"chat":     {"chat", "-m", "amazon.nova-lite-v1:0"},
		"invoke":   {"invoke", "-m", "amazon.nova-lite-v1:0"},
		"embed":    {"embed", "-m", "amazon.titan-embed-text-v2:0", "hi"},
		"image":    {"image", "-m", "amazon.nova-canvas-v1:0", "hi"},
		"tokens":   {"tokens", "-m", "anthropic.claude-haiku-4-5-20251001-v1:0", "hi"},
	}
	for _, name := range callingCommands {
		te := newTestEnv(t, nil)
		te.vars["AWS_REGION"] = "eu-west-1"
		te.stdin = "{}"
		r := te.run(t, context.Background(), runs[name]...)
		if r.code != exitFailure {
			t.Errorf("%s: exit %d, want 1; stderr %s", name, r.code, r.stderr)
		}
		for _, want := range []string{"bedrock " + name + ": no AWS credentials", "AWS_BEARER_TOKEN_BEDROCK", "AWS_ACCESS_KEY_ID"} {
			if !strings.Contains(r.stderr, want) {
				t.Errorf("%s: stderr lacks %q:\n%s", name, want, r.stderr)
			}
		}
	}
}

func TestEndpointURLFlagChecked(t *testing.T) {
	for _, u := range []string{"bedrock.local", "ftp://x", "https://"} {
		r := runCLI(t, nil, "converse", "--endpoint-url", u, "-m", "amazon.nova-lite-v1:0", "hi")
		want := "bedrock converse: --endpoint-url \"" + u + "\": want a URL such as https://bedrock-runtime.us-east-1.amazonaws.com\nRun 'bedrock converse --help' for details.\n"
		if r.code != exitUsage || r.stderr != want {
			t.Errorf("--endpoint-url %s: exit %d stderr %q", u, r.code, r.stderr)
		}
	}
}

// TestCallingCommandsInterrupted: a cancelled context (Ctrl-C) is exit
// status 130 for every command, whatever the call was doing.
func TestCallingCommandsInterrupted(t *testing.T) {
	srv := newEmulator(t)
	runs := [][]string{
		{"converse", "-m", "amazon.nova-lite-v1:0", "hi"},
		{"converse", "--no-stream", "-m", "amazon.nova-lite-v1:0", "hi"},
		{"chat", "-m", "amazon.nova-lite-v1:0"},
		{"invoke", "-m", "amazon.nova-lite-v1:0"},
		{"invoke", "--stream", "-m", "amazon.nova-lite-v1:0"},
		{"embed", "-m", "amazon.titan-embed-text-v2:0", "hi"},
		{"image", "-m", "amazon.nova-canvas-v1:0", "-o", filepath.Join(t.TempDir(), "x.png"), "hi"},
		{"tokens", "-m", "anthropic.claude-haiku-4-5-20251001-v1:0", "hi"},
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, args := range runs {
		te := newTestEnv(t, srv)
		te.stdin = novaBody
		r := te.run(t, ctx, args...)
		if r.code != exitInterrupt || r.stderr != "bedrock "+args[0]+": interrupted\n" {
			t.Errorf("%q: exit %d stderr %q; want 130 and interrupted", args, r.code, r.stderr)
		}
	}
}

func TestNoRegion(t *testing.T) {
	te := newTestEnv(t, nil)
	te.vars["AWS_ACCESS_KEY_ID"], te.vars["AWS_SECRET_ACCESS_KEY"] = "AKIDEXAMPLE", "secret"
	r := te.run(t, context.Background(), "converse", "-m", "amazon.nova-lite-v1:0", "hi")
	if r.code != exitFailure || !strings.Contains(r.stderr, "AWS_REGION") {
		t.Errorf("exit %d stderr %q: want 1 naming AWS_REGION", r.code, r.stderr)
	}
}

func TestCLIParse(t *testing.T) {
	tests := []struct {
		args     []string
		wantPos  []string
		wantM    string
		wantBool bool
	}{
		{[]string{"a", "-m", "x", "b"}, []string{"a", "b"}, "x", false},
		{[]string{"-m", "x", "a", "--json", "b"}, []string{"a", "b"}, "x", true},
		{[]string{"a", "--", "-m", "y"}, []string{"a", "-m", "y"}, "", false},
		{[]string{"-", "--json"}, []string{"-"}, "", true},
		{nil, nil, "", false},
	}
	for _, tt := range tests {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		m := fs.String("m", "", "")
		j := fs.Bool("json", false, "")
		pos, help, err := cliParse(fs, tt.args)
		if err != nil || help {
			t.Errorf("%q: err %v help %v", tt.args, err, help)
		}
		if !cmp.Equal(tt.wantPos, pos) || *m != tt.wantM || *j != tt.wantBool {
			t.Errorf("%q: positional %q m %q json %v", tt.args, pos, *m, *j)
		}
	}
}

func TestCLIFailExitCodes(t *testing.T) {
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		ctx  context.Context
		err  error
		code int
		msg  string
	}{
		{context.Background(), usageError("bad %s", "thing"), exitUsage, "bedrock x: bad thing\nRun 'bedrock x --help' for details.\n"},
		{context.Background(), errors.New("boom"), exitFailure, "bedrock x: boom\n"},
		{context.Background(), &client.Error{Op: "Converse", StatusCode: 429, Code: "ThrottlingException", Message: "Too many requests, please wait before trying again.", RequestID: "rid-1"}, exitFailure,
			"bedrock x: ThrottlingException: Too many requests, please wait before trying again.\n  operation: Converse, HTTP 429, request ID: rid-1\n"},
		{context.Background(), &client.Error{Op: "InvokeModel", StatusCode: 502}, exitFailure,
			"bedrock x: HTTP 502 Bad Gateway\n  operation: InvokeModel, HTTP 502, request ID: (none)\n"},
		{context.Background(), context.Canceled, exitInterrupt, "bedrock x: interrupted\n"},
		{cancelled, errors.New("read: connection reset"), exitInterrupt, "bedrock x: interrupted\n"},
	}
	for _, tt := range tests {
		var b strings.Builder
		code := cliFail(tt.ctx, &env{stderr: &b}, "x", tt.err)
		if code != tt.code || b.String() != tt.msg {
			t.Errorf("cliFail(%v) = %d, %q; want %d, %q", tt.err, code, b.String(), tt.code, tt.msg)
		}
	}
}

// FuzzGuardrail: --guardrail values split into a non-empty ID and version
// that join back to the input, or are a usage error.
func FuzzGuardrail(f *testing.F) {
	for _, s := range []string{"gr-1:1", "arn:aws:bedrock:us-east-1:123456789012:guardrail/abc:DRAFT", ":", "a:", ":b", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, version, err := cliGuardrail(s)
		if err != nil {
			if !errors.Is(err, errUsage) {
				t.Fatalf("%q: %v is not a usage error", s, err)
			}
			return
		}
		if id == "" || version == "" || strings.Contains(version, ":") || id+":"+version != s {
			t.Fatalf("%q split into %q and %q", s, id, version)
		}
	})
}

// FuzzCLIParse: flags and arguments in any order never panic the parser,
// and every argument that is not a flag or its value comes back in order.
func FuzzCLIParse(f *testing.F) {
	f.Add("a\x00-m\x00x\x00b")
	f.Add("--\x00-m")
	f.Add("-json=false\x00-\x00--m=y")
	f.Fuzz(func(t *testing.T, joined string) {
		args := strings.Split(joined, "\x00")
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		fs.String("m", "", "")
		fs.Bool("json", false, "")
		pos, _, err := cliParse(fs, args)
		if err != nil {
			return
		}
		for _, p := range pos {
			found := false
			for _, a := range args {
				if a == p {
					found = true
				}
			}
			if !found {
				t.Fatalf("positional %q is not one of the arguments %q", p, args)
			}
		}
	})
}

// TestCatalogCheckedBeforeSending: a model the catalog knows cannot answer
// the operation is refused locally, with what would work.
func TestCatalogCheckedBeforeSending(t *testing.T) {
	srv := newEmulator(t)
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"converse", "-m", "amazon.nova-2-sonic-v1:0", "hi"}, "amazon.nova-2-sonic-v1:0 answers only InvokeModelWithBidirectionalStream, not ConverseStream"},
		{[]string{"chat", "-m", "amazon.titan-embed-text-v2:0"}, "amazon.titan-embed-text-v2:0 answers only InvokeModel, not ConverseStream"},
		{[]string{"tokens", "-m", "amazon.nova-lite-v1:0", "hi"}, "amazon.nova-lite-v1:0 answers only InvokeModel, InvokeModelWithResponseStream, Converse and ConverseStream, not CountTokens"},
		{[]string{"image", "-m", "amazon.nova-reel-v1:1", "x"}, "amazon.nova-reel-v1:1 answers only StartAsyncInvoke, not InvokeModel"},
		{[]string{"converse", "-m", "ai21.j2-ultra-v1", "hi"}, "ai21.j2-ultra-v1 is past its end of life and its ID no longer works; see the active AI21 Labs models"},
	}
	for _, tt := range tests {
		r := runCLI(t, srv, tt.args...)
		want := "bedrock " + tt.args[0] + ": " + tt.want + "\nRun 'bedrock " + tt.args[0] + " --help' for details.\n"
		if r.code != exitUsage || r.stderr != want {
			t.Errorf("%q: exit %d stderr %q\nwant 2 and %q", tt.args, r.code, r.stderr, want)
		}
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests sent, want none", n)
	}
}
