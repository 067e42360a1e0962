package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/bedrockwire/bedrockwire/client"
	"github.com/bedrockwire/bedrockwire/modelspec"
)

func init() {
	register(&command{name: "converse", summary: "send one prompt through the Converse API and stream the reply", run: runConverse})
}

const converseSynopsis = "bedrock converse -m MODEL [flags] [PROMPT...]"

const converseHelp = `NAME
    bedrock converse — one prompt, one reply, through the Converse API

SYNOPSIS
    ` + converseSynopsis + `

DESCRIPTION
    Sends PROMPT (the arguments joined by spaces, or all of stdin when there
    are none; an argument - stands for all of stdin, set apart by blank
    lines) as a user message and writes the reply to stdout as it arrives
    (ConverseStream). Reasoning text, when the model shows it, goes
    to stderr, so stdout holds only the answer.

    Files given with --file are attached before the prompt. Images (png,
    jpeg, gif, webp) are recognised by their bytes whatever their name;
    otherwise the extension decides between a document (pdf, csv, doc,
    docx, xls, xlsx, html, txt, md) and a video (mkv, mov, mp4, webm, flv,
    mpeg, mpg, wmv, 3gp); any other file that holds plain text (source code,
    logs, JSON) is sent as a txt document. Document names come from the
    file names, reduced to the characters Bedrock accepts and made unique:
    "notes_v2.txt" and "notes v2.md" become "notes-v2" and "notes v2".

    When the reply is complete, one line goes to stderr with the token
    usage (input, output, prompt-cache reads and writes), the latency the
    service reported and, when the model stopped for another reason than
    the end of its turn, that reason:
        tokens: 12 in, 40 out; latency 412 ms; stop: max_tokens
    It is printed whether or not stderr is a terminal, since it never mixes
    with stdout; -q leaves it out.

OPTIONS
` + converseFlagsHelp + `    --file PATH             attach a file; repeat for several
    --no-stream             call Converse and print the reply when complete
    --json                  print JSON for programs: with --no-stream the whole
                            Converse response; streaming, one object per
                            event, one per line, keyed by the event type
                            ({"contentBlockDelta":{...}})
    -q, --quiet             no usage line on stderr

` + globalHelp + `
EXAMPLES
    bedrock converse -m us.anthropic.claude-haiku-4-5-20251001-v1:0 "Name three moons of Jupiter"
    git diff | bedrock converse -m amazon.nova-lite-v1:0 -s "You review code. Be brief."
    git log -5 | bedrock converse -m amazon.nova-micro-v1:0 "Summarise these commits:" - "in one line."
    bedrock converse -m amazon.nova-pro-v1:0 --file report.pdf --file chart.png "Summarise the report"
    bedrock converse -m us.anthropic.claude-sonnet-4-5-20250929-v1:0 \
        --reasoning-budget 2048 --max-tokens 4096 "Is 1001 prime?"
    bedrock converse -m amazon.nova-micro-v1:0 --json "hi" | jq -r '.contentBlockDelta.delta.text // empty'
`

func runConverse(ctx context.Context, e *env, args []string) int {
	fs := cliFlagSet(e, "converse")
	g := addGlobalFlags(fs)
	cf := addConverseFlags(fs, true)
	noStream := fs.Bool("no-stream", false, "call Converse, not ConverseStream")
	asJSON := fs.Bool("json", false, "print JSON")
	var quiet bool
	fs.BoolVar(&quiet, "q", false, "no usage line")
	fs.BoolVar(&quiet, "quiet", false, "no usage line")
	pos, code, done := cliStart(e, fs, args, converseHelp, converseSynopsis)
	if done {
		return code
	}
	fail := func(err error) int { return cliFail(ctx, e, "converse", err) }
	if err := cf.validate(); err != nil {
		return fail(err)
	}
	api := modelspec.ConverseStream
	if *noStream {
		api = modelspec.Converse
	}
	if err := cliCheckAPI(cf.model, api); err != nil {
		return fail(err)
	}
	prompt, err := cliPrompt(e, pos)
	if err != nil {
		return fail(err)
	}
	msg, err := cf.firstMessage(prompt)
	if err != nil {
		return fail(err)
	}
	in, err := cf.input([]client.Message{msg})
	if err != nil {
		return fail(err)
	}
	c, err := g.newClient(ctx, e)
	if err != nil {
		return fail(err)
	}
	var out *client.ConverseOutput
	if *noStream {
		out, err = c.Converse(ctx, in)
		if err != nil {
			return fail(err)
		}
		if *asJSON {
			b, err := json.Marshal(out)
			if err != nil {
				return fail(err)
			}
			e.stdout.Write(append(b, '\n'))
		} else {
			cliPrintOutput(e, out)
		}
	} else {
		out, err = cliStreamReply(ctx, c, in, e.stdout, e.stderr, *asJSON)
		if err != nil {
			return fail(err)
		}
	}
	if !quiet {
		fmt.Fprintln(e.stderr, cliReplySummary(out))
	}
	return exitOK
}

// cliReplySummary is the usage line, with the stop reason when it is not
// the end of the turn.
func cliReplySummary(out *client.ConverseOutput) string {
	s := cliUsageLine(out.Usage, out.Metrics.LatencyMs)
	if out.StopReason != "" && out.StopReason != client.StopReasonEndTurn {
		s += "; stop: " + string(out.StopReason)
	}
	return s
}

// cliPrompt is the prompt: the arguments joined by spaces, with an argument
// "-" standing for all of stdin; no arguments mean stdin alone.
func cliPrompt(e *env, args []string) (string, error) {
	if len(args) == 0 {
		args = []string{"-"}
	}
	parts := make([]string, len(args))
	read := false
	for i, a := range args {
		if a != "-" {
			parts[i] = a
			continue
		}
		if read {
			return "", usageError("stdin (-) can be read only once")
		}
		read = true
		b, err := io.ReadAll(io.LimitReader(e.stdin, cliMaxFileBytes+1))
		if err != nil {
			return "", fmt.Errorf("reading the prompt from stdin: %w", err)
		}
		if len(b) > cliMaxFileBytes {
			return "", fmt.Errorf("the prompt on stdin is larger than %d MB", cliMaxFileBytes>>20)
		}
		parts[i] = strings.TrimRight(string(b), "\r\n")
		if len(args) > 1 {
			parts[i] = "\n\n" + parts[i] + "\n\n"
		}
	}
	return strings.TrimSpace(strings.Join(parts, " ")), nil
}

// cliPrintOutput writes a complete reply: reasoning to stderr, the text to
// stdout, ending with a newline.
func cliPrintOutput(e *env, out *client.ConverseOutput) {
	for _, b := range out.Message.Content {
		if r, ok := b.(client.ReasoningBlock); ok && r.Text != "" {
			io.WriteString(e.stderr, r.Text)
			if !strings.HasSuffix(r.Text, "\n") {
				io.WriteString(e.stderr, "\n")
			}
		}
	}
	text := out.Text()
	io.WriteString(e.stdout, text)
	if text != "" && !strings.HasSuffix(text, "\n") {
		io.WriteString(e.stdout, "\n")
	}
}

// cliStreamReply calls ConverseStream and writes the reply as it arrives:
// text to stdout and reasoning to errw, or with asJSON one JSON object per
// event to stdout. It returns the whole reply, folded from the events.
func cliStreamReply(ctx context.Context, c *client.Client, in *client.ConverseInput, stdout, errw io.Writer, asJSON bool) (*client.ConverseOutput, error) {
	s, err := c.ConverseStream(ctx, in)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	var acc client.ConverseAccumulator
	var lastText, lastReasoning byte = '\n', '\n'
	var line []byte
	for s.Next() {
		ev := s.Event()
		if err := acc.Add(ev); err != nil {
			return nil, err
		}
		if asJSON {
			line, err = cliAppendEventJSON(line[:0], ev)
			if err != nil {
				return nil, err
			}
			if _, err := stdout.Write(line); err != nil {
				return nil, err
			}
			continue
		}
		d, ok := ev.(client.ContentBlockDeltaEvent)
		if !ok {
			continue
		}
		switch d := d.Delta.(type) {
		case client.TextDelta:
			if d.Text != "" {
				if _, err := io.WriteString(stdout, d.Text); err != nil {
					return nil, err
				}
				lastText = d.Text[len(d.Text)-1]
			}
		case client.ReasoningTextDelta:
			if d.Text != "" {
				io.WriteString(errw, d.Text)
				lastReasoning = d.Text[len(d.Text)-1]
			}
		}
	}
	if err := s.Err(); err != nil {
		if !asJSON && lastText != '\n' {
			io.WriteString(stdout, "\n")
		}
		return nil, err
	}
	if lastReasoning != '\n' {
		io.WriteString(errw, "\n")
	}
	if lastText != '\n' {
		io.WriteString(stdout, "\n")
	}
	return acc.Output()
}

// cliAppendEventJSON appends {"<event type>":<event>} and a newline: the
// shape of the ConverseStream output union.
func cliAppendEventJSON(dst []byte, ev client.ConverseStreamEvent) ([]byte, error) {
	var body []byte
	if u, ok := ev.(client.UnknownEvent); ok {
		body = u.Payload
		if len(body) == 0 {
			body = []byte("{}")
		}
		var buf bytes.Buffer
		if err := json.Compact(&buf, body); err != nil {
			body = []byte("{}")
		} else {
			body = buf.Bytes()
		}
	} else {
		var err error
		if body, err = json.Marshal(ev); err != nil {
			return dst, err
		}
	}
	name, _ := json.Marshal(ev.EventType())
	dst = append(dst, '{')
	dst = append(dst, name...)
	dst = append(dst, ':')
	dst = append(dst, body...)
	return append(dst, '}', '\n'), nil
}
