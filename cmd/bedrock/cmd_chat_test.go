package main

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/bedrockwire/bedrockwire/client/bedrocktest"
)

func TestChatKeepsHistory(t *testing.T) {
	srv := newEmulator(t)
	srv.Script("", bedrocktest.Reply{Content: []bedrocktest.Block{bedrocktest.Text("Hello Ada.")}},
		bedrocktest.Reply{Content: []bedrocktest.Block{bedrocktest.Text("Your name is Ada.")}})
	te := newTestEnv(t, srv)
	save := filepath.Join(t.TempDir(), "chat.json")
	te.stdin = "My name is Ada.\n\nWhat is my name?\n/save " + save + "\n/exit\nnever sent\n"
	r := te.run(t, context.Background(), "chat", "-m", "amazon.nova-lite-v1:0", "-s", "Be kind.")
	r.wantOK(t, "tokens: 6 in, 2 out; latency 0 ms\ntokens: 12 in, 4 out; latency 0 ms\n(saved 4 messages to "+save+")\n")
	if diff := cmp.Diff("Hello Ada.\nYour name is Ada.\n", r.stdout); diff != "" {
		t.Errorf("stdout (-want +got):\n%s", diff)
	}
	golden(t, "chat-second-turn.request.json", lastBody(t, srv))
	saved, err := os.ReadFile(save)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "chat-saved.json", string(saved))
	if n := len(srv.Requests()); n != 2 {
		t.Errorf("%d requests, want 2 (nothing after /exit)", n)
	}
}

func TestChatCommands(t *testing.T) {
	srv := newEmulator(t)
	dir := t.TempDir()
	saved := filepath.Join(dir, "saved.json")
	conv := `[{"role":"user","content":[{"text":"I like tea."}]},{"role":"assistant","content":[{"text":"Noted."}]}]`
	if err := os.WriteFile(saved, []byte(conv), 0o644); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`[{"role":"assistant","content":[{"text":"x"}]},{"role":"user","content":[{"text":"y"}]}]`), 0o644)
	te := newTestEnv(t, srv)
	te.stdin = strings.Join([]string{
		"/help", "/bogus", "/save", "/load", "/load " + bad, "/load " + filepath.Join(dir, "missing.json"),
		"/load " + saved, "What do I like?", "/reset", "two \\", "lines", "/quit",
	}, "\n")
	r := te.run(t, context.Background(), "chat", "-q", "-m", "amazon.nova-lite-v1:0")
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	golden(t, "chat-commands.stderr", strings.ReplaceAll(r.stderr, dir, "DIR"))
	reqs := srv.Requests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests, want 2", len(reqs))
	}
	var first, second struct {
		Messages []json.RawMessage `json:"messages"`
	}
	json.Unmarshal(reqs[0].Body, &first)
	json.Unmarshal(reqs[1].Body, &second)
	if len(first.Messages) != 3 {
		t.Errorf("after /load the turn has %d messages, want 3", len(first.Messages))
	}
	if len(second.Messages) != 1 || string(second.Messages[0]) != `{"role":"user","content":[{"text":"two \nlines"}]}` {
		t.Errorf("after /reset: %s", second.Messages)
	}
}

func TestChatRefusedTurnLeavesHistory(t *testing.T) {
	srv := newEmulator(t)
	srv.Script("", bedrocktest.Reply{Error: bedrocktest.ThrottlingError()})
	te := newTestEnv(t, srv)
	te.vars["AWS_MAX_ATTEMPTS"] = "1"
	te.stdin = "first\nsecond\n"
	r := te.run(t, context.Background(), "chat", "-q", "-m", "amazon.nova-lite-v1:0")
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if !strings.HasPrefix(r.stderr, "bedrock chat: ThrottlingException") {
		t.Errorf("stderr %q: want the throttling error", r.stderr)
	}
	var body struct {
		Messages []json.RawMessage `json:"messages"`
	}
	req, _ := srv.LastRequest()
	json.Unmarshal(req.Body, &body)
	if len(body.Messages) != 1 {
		t.Errorf("the turn after a refused one sent %d messages, want 1", len(body.Messages))
	}
}

func TestChatPromptOnTerminal(t *testing.T) {
	srv := newEmulator(t)
	te := newTestEnv(t, srv)
	te.ttyErr = true
	te.stdin = "hi\n"
	r := te.run(t, context.Background(), "chat", "-q", "-m", "amazon.nova-lite-v1:0")
	r.wantOK(t, "chatting with amazon.nova-lite-v1:0; /help lists the commands, /exit or Ctrl-D ends\nyou> you> ")
}

func TestChatInterruptWhileWaiting(t *testing.T) {
	srv := newEmulator(t)
	te := newTestEnv(t, srv)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	pr, pw := io.Pipe()
	defer pw.Close()
	var out, errb strings.Builder
	e := &env{stdin: pr, stdout: &out, stderr: &errb, getenv: func(k string) string { return te.vars[k] }}
	if code := run(ctx, e, []string{"chat", "-m", "amazon.nova-lite-v1:0"}); code != exitInterrupt {
		t.Errorf("exit %d, want 130", code)
	}
}

func TestChatParse(t *testing.T) {
	tests := []struct{ in, want string }{
		{`[]`, ""},
		{`[{"role":"user","content":[{"text":"a"}]},{"role":"assistant","content":[{"text":"b"}]}]`, ""},
		{`{}`, "not a JSON array of messages: "},
		{`[{"role":"user","content":[{"text":"a"}]}]`, "the conversation ends with a user message; a saved chat ends with the assistant's reply"},
		{`[{"role":"user","content":[]},{"role":"assistant","content":[{"text":"b"}]}]`, "message 1 has no content"},
		{`[{"role":"user","content":[{"text":"a"}]},{"role":"user","content":[{"text":"b"}]}]`, `message 2 has role "user", want "assistant" (turns alternate, starting with the user)`},
	}
	for _, tt := range tests {
		_, err := chatParse([]byte(tt.in))
		got := ""
		if err != nil {
			got = err.Error()
		}
		if tt.want == "" && got != "" || tt.want != "" && !strings.HasPrefix(got, tt.want) {
			t.Errorf("chatParse(%s) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// FuzzChatParse: a saved conversation never panics the parser, and what it
// accepts saves and loads back the same.
func FuzzChatParse(f *testing.F) {
	f.Add([]byte(`[{"role":"user","content":[{"text":"a"}]},{"role":"assistant","content":[{"text":"b"}]}]`))
	f.Add([]byte(`[{"role":"user","content":[{"image":{"format":"png","source":{"bytes":"AAAA"}}}]},{"role":"assistant","content":[{"reasoningContent":{"reasoningText":{"text":"t","signature":"s"}}},{"text":"b"}]}]`))
	f.Add([]byte(`[`))
	f.Fuzz(func(t *testing.T, b []byte) {
		h, err := chatParse(b)
		if err != nil {
			return
		}
		out, err := json.Marshal(h)
		if err != nil {
			t.Fatalf("accepted messages do not marshal: %v", err)
		}
		h2, err := chatParse(out)
		if err != nil {
			t.Fatalf("saved conversation does not load: %v\n%s", err, out)
		}
		out2, _ := json.Marshal(h2)
		if string(out) != string(out2) {
			t.Fatalf("round trip changed the conversation:\n%s\n%s", out, out2)
		}
	})
}

// TestChatSendsReasoningBack: with extended thinking, the assistant turn
// in the history keeps its reasoning block and signature, as Anthropic
// requires.
func TestChatSendsReasoningBack(t *testing.T) {
	srv := newEmulator(t)
	srv.Script("", bedrocktest.Reply{Content: []bedrocktest.Block{bedrocktest.Thinking("They greet me."), bedrocktest.Text("Hello!")}})
	te := newTestEnv(t, srv)
	te.stdin = "hi\nand again\n"
	r := te.run(t, context.Background(), "chat", "-q", "--reasoning-budget", "1024", "-m", "anthropic.claude-haiku-4-5-20251001-v1:0")
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if !strings.HasPrefix(r.stderr, "They greet me.\n") {
		t.Errorf("stderr %q: want the reasoning", r.stderr)
	}
	golden(t, "chat-reasoning.request.json", lastBody(t, srv))
}
