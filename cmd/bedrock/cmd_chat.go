package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/bedrockwire/bedrockwire/client"
	"github.com/bedrockwire/bedrockwire/modelspec"
)

func init() {
	register(&command{name: "chat", summary: "an interactive conversation that keeps its history", run: runChat})
}

const chatSynopsis = "bedrock chat -m MODEL [flags]"

const chatHelp = `NAME
    bedrock chat — a conversation with a model, on the terminal or a pipe

SYNOPSIS
    ` + chatSynopsis + `

DESCRIPTION
    Reads your turns from stdin, one per line, sends each with the whole
    conversation so far through ConverseStream and writes the reply to
    stdout as it arrives. A line ending in a backslash continues on the next
    line. Reasoning text, and after each reply a usage line, go to stderr.
    When stderr is a terminal a greeting and a "you> " prompt are shown
    there.

    A turn the service refuses is reported and left out of the history, so
    the conversation can go on. End with /exit or end-of-file (Ctrl-D);
    Ctrl-C ends at once (exit status 130).

    Lines that start with a slash are commands:
        /reset        forget the conversation
        /save FILE    write the conversation to FILE as a JSON array of
                      Converse messages ({"role":..., "content":[...]})
        /load FILE    replace the conversation with the one in FILE
        /help         list the commands
        /exit         end the chat (also /quit)

OPTIONS
` + converseFlagsHelp + `    -q, --quiet             no usage line after each reply

` + globalHelp + `
EXAMPLES
    bedrock chat -m us.amazon.nova-pro-v1:0 -s "You are a terse assistant."
    printf 'My name is Ada.\nWhat is my name?\n' | bedrock chat -m amazon.nova-lite-v1:0
    bedrock chat -m anthropic.claude-haiku-4-5-20251001-v1:0     (then /load yesterday.json)
`

const chatCommands = `/reset        forget the conversation
/save FILE    write the conversation to FILE (JSON)
/load FILE    replace the conversation with the one in FILE
/help         this list
/exit         end the chat
`

func runChat(ctx context.Context, e *env, args []string) int {
	fs := cliFlagSet(e, "chat")
	g := addGlobalFlags(fs)
	cf := addConverseFlags(fs, false)
	var quiet bool
	fs.BoolVar(&quiet, "q", false, "no usage line")
	fs.BoolVar(&quiet, "quiet", false, "no usage line")
	pos, code, done := cliStart(e, fs, args, chatHelp, chatSynopsis)
	if done {
		return code
	}
	fail := func(err error) int { return cliFail(ctx, e, "chat", err) }
	if len(pos) > 0 {
		return fail(usageError("chat takes no arguments; type the turns on stdin (did you mean 'bedrock converse'?)"))
	}
	if err := cf.validate(); err != nil {
		return fail(err)
	}
	if err := cliCheckAPI(cf.model, modelspec.ConverseStream); err != nil {
		return fail(err)
	}
	if cf.cache && cf.system == "" {
		return fail(usageError("--cache puts a cache point after the system prompt: give -s"))
	}
	if _, err := cf.input(nil); err != nil {
		return fail(err)
	}
	c, err := g.newClient(ctx, e)
	if err != nil {
		return fail(err)
	}

	var history []client.Message
	stop := make(chan struct{})
	defer close(stop)
	turns, readErr := chatTurns(e.stdin, stop)
	prompt := func() {
		if e.stderrTTY {
			io.WriteString(e.stderr, "you> ")
		}
	}
	note := func(format string, a ...any) { fmt.Fprintf(e.stderr, format+"\n", a...) }
	if e.stderrTTY {
		note("chatting with %s; /help lists the commands, /exit or Ctrl-D ends", cf.model)
	}
	prompt()
	for {
		var turn string
		var ok bool
		select {
		case <-ctx.Done():
			return fail(ctx.Err())
		case turn, ok = <-turns:
		}
		if !ok {
			break
		}
		trimmed := strings.TrimSpace(turn)
		if trimmed == "" {
			prompt()
			continue
		}
		if strings.HasPrefix(trimmed, "/") {
			cmd, arg, _ := strings.Cut(trimmed, " ")
			arg = strings.TrimSpace(arg)
			switch cmd {
			case "/exit", "/quit":
				return exitOK
			case "/help":
				io.WriteString(e.stderr, chatCommands)
			case "/reset":
				history = nil
				note("(conversation forgotten)")
			case "/save":
				if arg == "" {
					note("/save needs a file name")
					break
				}
				if err := chatSave(arg, history); err != nil {
					note("/save: %v", err)
					break
				}
				note("(saved %d messages to %s)", len(history), arg)
			case "/load":
				if arg == "" {
					note("/load needs a file name")
					break
				}
				h, err := chatLoad(arg)
				if err != nil {
					note("/load: %v", err)
					break
				}
				history = h
				note("(loaded %d messages from %s)", len(history), arg)
			default:
				note("unknown command %s; /help lists them", cmd)
			}
			prompt()
			continue
		}
		history = append(history, client.Message{Role: client.RoleUser, Content: []client.ContentBlock{client.TextBlock{Text: turn}}})
		in, _ := cf.input(history)
		out, err := cliStreamReply(ctx, c, in, e.stdout, e.stderr, false)
		if err != nil {
			if ctx.Err() != nil {
				return fail(err)
			}
			history = history[:len(history)-1]
			cliFail(ctx, e, "chat", err)
			prompt()
			continue
		}
		history = append(history, out.Message)
		if !quiet {
			note("%s", cliReplySummary(out))
		}
		prompt()
	}
	if err := <-readErr; err != nil {
		return fail(fmt.Errorf("reading stdin: %w", err))
	}
	return exitOK
}

// chatTurns reads turns from r in a goroutine, so that Ctrl-C ends a chat
// waiting for input. The turns channel closes at end of input; then readErr
// delivers the read error, or nil. Closing stop ends the goroutine once its
// read returns.
func chatTurns(r io.Reader, stop <-chan struct{}) (turns <-chan string, readErr <-chan error) {
	tc := make(chan string)
	ec := make(chan error, 1)
	go func() {
		defer close(tc)
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 0, 64<<10), cliMaxFileBytes)
		for {
			turn, ok := chatReadTurn(sc)
			if !ok {
				ec <- sc.Err()
				return
			}
			select {
			case tc <- turn:
			case <-stop:
				return
			}
		}
	}()
	return tc, ec
}

// chatReadTurn reads one turn: a line, joined with the following ones while
// it ends in a backslash.
func chatReadTurn(sc *bufio.Scanner) (string, bool) {
	var b strings.Builder
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.HasSuffix(line, `\`) {
			b.WriteString(strings.TrimSuffix(line, `\`))
			b.WriteByte('\n')
			continue
		}
		b.WriteString(line)
		return b.String(), true
	}
	if b.Len() > 0 {
		return strings.TrimRight(b.String(), "\n"), true
	}
	return "", false
}

// chatSave writes the messages as an indented JSON array.
func chatSave(path string, history []client.Message) error {
	if history == nil {
		history = []client.Message{}
	}
	b, err := json.MarshalIndent(history, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o600)
}

// chatLoad reads a JSON array of messages and checks that it is a
// conversation Converse accepts: user first, roles alternating.
func chatLoad(path string) ([]client.Message, error) {
	b, err := cliReadFile(path)
	if err != nil {
		return nil, err
	}
	h, err := chatParse(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return h, nil
}

// chatParse reads a saved conversation.
func chatParse(b []byte) ([]client.Message, error) {
	var h []client.Message
	if err := json.Unmarshal(b, &h); err != nil {
		return nil, fmt.Errorf("not a JSON array of messages: %v", err)
	}
	if len(h)%2 == 1 {
		return nil, fmt.Errorf("the conversation ends with a user message; a saved chat ends with the assistant's reply")
	}
	for i, m := range h {
		want := client.RoleUser
		if i%2 == 1 {
			want = client.RoleAssistant
		}
		if m.Role != want {
			return nil, fmt.Errorf("message %d has role %q, want %q (turns alternate, starting with the user)", i+1, m.Role, want)
		}
		if len(m.Content) == 0 {
			return nil, fmt.Errorf("message %d has no content", i+1)
		}
	}
	return h, nil
}
